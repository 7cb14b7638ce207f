"""The boilerplate stage on real and realistic text.

Three things matter to users: the furniture goes (menus, share bars, comment
forms, teaser lists, footers), every removed line says which rule removed it,
and nothing of the article is lost.  Documents that are not web pages (a
README, a poem, a list, source code, a letter) must come out unchanged.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner.analysis import DocumentAnalysis
from cleaner.rules import Context, document_for, load_ruleset, replay
from cleaner.stages.boilerplate import dropping, repeats
from cleaner.stages.boilerplate import lines as boilerplate

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
RULES = [r for r in load_ruleset().rules if r.stage == "boilerplate"]
PRESENT = {r.stage for r in load_ruleset().rules}
# The stages that run before this one, when they are there, then this one.
UP_TO_HERE = tuple(s for s in ("encoding", "whitespace", "boilerplate") if s in PRESENT)
ONLY_THIS = Config(select=("boilerplate",))


def stage(text: str, path: str | None = None):
    return clean_text(text, ONLY_THIS, path=path)


def removed_lines(before: str, after: str) -> list[str]:
    """Lines of ``before`` that are not in ``after`` (the stage only removes lines)."""
    out = []
    for op, a1, a2, _, _ in difflib.SequenceMatcher(None, before.split("\n"), after.split("\n"),
                                                     autojunk=False).get_opcodes():
        assert op in ("equal", "delete"), "the boilerplate stage only removes whole lines"
        if op == "delete":
            out += before.split("\n")[a1:a2]
    return out


# --------------------------------------------------------------------------- seeds


def _seed(prefix: str) -> tuple[str, str]:
    seed = next((SAMPLES / "seeds").glob(f"{prefix}_*.txt"))
    expected = (SAMPLES / "expected" / seed.name).read_text(encoding="utf-8")
    return seed.read_text(encoding="utf-8"), expected


SEED_EDITS = {
    # seed: (rule, first removed line, last removed line) for each boilerplate edit
    "000": [("boilerplate.comment-form", "Leave a Reply", "Connecting to %s")],
    "001": [],
    "002": [("boilerplate.teaser-list", "More From Voice of Korea (EN)", "More Articles")],
    "003": [],
    "004": [("boilerplate.ui-lines", "Advertisement", "Advertisement")],
}


@pytest.mark.parametrize("prefix", sorted(SEED_EDITS))
def test_seed_boilerplate_edits_are_exactly_the_policy(prefix):
    text, _ = _seed(prefix)
    result = clean_text(text, Config(select=UP_TO_HERE))
    edits = [e for e in result.edits if e.rule.startswith("boilerplate.")]
    got = []
    for e in edits:
        lines = [x for x in e.before.split("\n") if x.strip()]
        got.append((e.rule, lines[0].strip(), lines[-1].strip()))
    assert got == SEED_EDITS[prefix]
    assert not [n for n in result.notes if n.rule.startswith("boilerplate.")]


@pytest.mark.parametrize("prefix", sorted(SEED_EDITS))
def test_seed_lines_line_up_with_expected_after_this_stage(prefix):
    """After this stage the seed has the expected file's lines, blank lines included.

    Later stages (spacing, spelling) still change words inside lines, so a
    line must equal its expected line or be a close variant of it; a line
    removed or kept by mistake would shift everything after it.
    """
    text, expected = _seed(prefix)
    got = clean_text(text, Config(select=UP_TO_HERE)).text.split("\n")
    want = expected.split("\n")
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert bool(g.strip()) == bool(w.strip())
        assert g == w or difflib.SequenceMatcher(None, g, w, autojunk=False).ratio() > 0.9, (g, w)


def test_seed_full_pipeline_keeps_what_policy_calls_content():
    """Headlines, dates, a lone section label and repeated notes stay (POLICY.md)."""
    text, _ = _seed("001")
    out = clean_text(text).text
    assert out.startswith("Research\n\nLeading the Foreign Trade to Establish Juche Thoroughly\n\n2025.4.2.\n")
    text, _ = _seed("004")
    out = clean_text(text).text
    assert out.count("[1] Daniel Wertz, JJ Oh, and Kim Insung") == 1
    assert out.count("[6] Daniel Wertz, JJ Oh, and Kim Insung") == 1
    assert out.count("\nNotes\n") == 2


# --------------------------------------------------------------------------- not web pages

README = """# tidy

A small tool that tidies folders of text files.

## Install

    pip install tidy

## Usage

Run `tidy PATH` on a folder. It prints what it changed.

- Home folder: `~/.tidy`
- Contact: open an issue on the tracker
- License: MIT

## Contact

Questions go to the issue tracker.

## License

MIT © 2024 The tidy authors. All rights reserved.
"""

POEM = """The Harbour at Dusk

Home the boats come, one by one,
Share the light of the setting sun,
Menu of gulls on the breakwater wall,
Search the tide for the last of all.

Home the boats come, one by one,
Share the light of the setting sun.

Print of a foot on the wet grey sand,
Follow it home, and take my hand.
"""

SHOPPING_LIST = """Shopping
Milk
Eggs
Bread
Butter
Apples
Email Sam about Saturday
Print tickets
Contact the plumber
Home insurance renewal
Back to the garden centre for compost
"""

CODE = '''import sys


def main(argv):
    """Print each argument on its own line."""
    for arg in argv[1:]:
        print(arg)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
'''

LETTER = """Dear Margaret,

Thank you for your letter and for the photographs of the garden. The roses look wonderful this year, and I can see the new bench by the pond.

We are all well here. Tom has started at the new school and likes it, though he misses his old friends. The weather has been kind, and we spent most of Sunday outside.

Leave a comment on the photographs when you write next: I would like to know which one you like best.

With love,
Anne

P.S. Home is where the heart is, as Mother used to say.
"""


# A package's licence file (Debian's copyright format): copyright lines by the
# dozen and one licence text repeated for each group of files.  Its copyright
# lines look like a web page's footer; none of it may go.
_MIT = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the \"Software\"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.
"""
LICENCE_FILE = (
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
    "Upstream-Name: libexample\n\n"
    "Files: *\n"
    "Copyright: Copyright (C) 1991-2015 Free Software Foundation, Inc.\n"
    "           Copyright 1998-2022 The Example Foundation.\n"
    "           All rights reserved.\n"
    "License: MIT\n\n"
    + _MIT
    + "\nFiles: lib/parse.c\n"
    "Copyright: Copyright (c) 2000, Intel Corporation\n"
    "           All rights reserved.\n"
    "License: MIT\n\n"
    + _MIT
    + "\nFiles: lib/hash.c\n"
    "Copyright (C) 1999, 2000 Tom Tromey\n"
    "Copyright 2000 Red Hat, Inc.\n"
    "License: MIT\n\n"
    + _MIT
)

_WARRANTY = (
    "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\n"
    "IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\n"
    "FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.\n"
)
# One licence text for two groups of files, beside a longer text of its own.
LICENCE_TWICE = (
    "Files: *\nCopyright: Copyright 1998-2022 The Example Foundation.\nLicense: MIT\n\n"
    + _MIT + "\n" + _WARRANTY
    + "\nFiles: doc/*\nCopyright: Copyright 2004 Jane Roe\nLicense: MIT\n\n"
    + _MIT + "\n" + _WARRANTY
    + "\nComment:\n" + " ".join([POEM.replace("\n", " ")] * 3) + "\n"
)


@pytest.mark.parametrize(
    ("text", "path"),
    [
        pytest.param(README, "README.md", id="readme-md"),
        pytest.param(README, "README.txt", id="readme-as-text"),
        pytest.param(POEM, None, id="poem"),
        pytest.param(SHOPPING_LIST, None, id="list-of-short-items"),
        pytest.param(CODE, "main.txt", id="source-code"),
        pytest.param(LETTER, None, id="letter"),
        pytest.param(LICENCE_FILE, "copyright", id="licence-file"),
        pytest.param("Copyright (c) 2015 A. Author.\nCopyright (c) 2021 B. Author\n\n" + _MIT, "LICENSE", id="licence"),
        pytest.param(LICENCE_TWICE, "copyright", id="licence-text-twice"),
    ],
)
def test_documents_that_are_not_web_pages_come_out_unchanged(text, path):
    result = stage(text, path)
    assert result.text == text
    assert result.edits == []


# --------------------------------------------------------------------------- samples

SAMPLE_FILES = sorted((SAMPLES / "dirt").glob("boilerplate-*.txt"))


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[p.stem for p in SAMPLE_FILES])
def test_every_removed_line_carries_a_boilerplate_rule_id(sample):
    text = clean_text(sample.read_text(encoding="utf-8"), Config(select=UP_TO_HERE[:-1] or ("whitespace",))).text
    result = stage(text)
    gone = [x for x in removed_lines(text, result.text) if x.strip()]
    assert gone, "each sample has furniture to remove"
    explained = [x for e in result.edits for x in e.before.split("\n") if x.strip()]
    assert sorted(gone) == sorted(explained)
    assert all(e.rule.startswith("boilerplate.") and e.after == "" for e in result.edits)
    assert clean_text(result.text, ONLY_THIS).text == result.text


def _sample(name: str) -> str:
    return clean_text((SAMPLES / "dirt" / name).read_text(encoding="utf-8"), Config(select=("whitespace",))).text


def test_blog_post_keeps_headline_byline_and_every_paragraph():
    text = _sample("boilerplate-blog-post.txt")
    out = stage(text).text
    assert out.startswith("How to Start Tomatoes from Seed\n\nPosted on March 3, 2024 by Ruth Allen\n\nTomatoes are")
    assert out.endswith("tomatoes root along the buried stem.\n")
    paragraphs = [p for p in text.split("\n") if len(p.split()) > 20]
    assert len(paragraphs) == 5 and all(p in out for p in paragraphs)
    for furniture in ("Skip to content", "Share this:", "Leave a Reply", "Growing Basil", "Privacy Policy", "©"):
        assert furniture not in out


def test_news_page_loses_advertisement_and_teaser_list_only():
    text = _sample("boilerplate-news-teasers.txt")
    result = stage(text)
    assert {e.rule for e in result.edits} == {"boilerplate.ui-lines", "boilerplate.teaser-list"}
    assert result.text.endswith("to work at the hospital.\n")
    assert "By Tom Ellis\n\nApril 2, 2025\n" in result.text
    assert "Advertisement" not in result.text and "More Articles" not in result.text


def test_comment_thread_and_site_menus_go():
    text = _sample("boilerplate-comment-thread.txt")
    result = stage(text)
    assert result.text.startswith("Review: The Slow Kettle\n\nThe Slow Kettle is a small café")
    assert result.text.endswith("a pot of tea that never quite runs out.\n")
    assert "boilerplate.comment-thread" in result.counts


# --------------------------------------------------------------------------- behaviours

ARTICLE = (
    "The first paragraph of the article explains what happened, when it happened and who was there.\n\n"
    "The second paragraph adds what the witnesses said, and why the council decided to wait a week.\n\n"
    "The third paragraph tells what comes next, and where readers can find the full report online.\n"
)
MENU = "Home\nAbout us\nBlog\nContact us\n\n"
FOOTER = "\nPrivacy Policy\nTerms of Use\n© 2025 Example News\n"


def test_phrases_are_matched_as_whole_lines_never_inside_sentences():
    text = MENU + "If you like this: tell a friend, and share this: it helps.\n\n" + ARTICLE + "\nLike this:\n"
    out = stage(text).text
    assert "If you like this: tell a friend, and share this: it helps." in out
    assert "\nLike this:" not in out


def test_navigation_is_trimmed_only_at_the_edges():
    middle = "\nA short heading\n\nHome truths about budgets\n\n"
    text = MENU + ARTICLE + middle + ARTICLE.replace("first", "fourth") + FOOTER
    out = stage(text).text
    assert out.startswith("The first paragraph")
    assert "Home truths about budgets" in out and "A short heading" in out
    assert out.endswith("full report online.\n")


def test_an_introduction_before_a_long_list_stays():
    intro = ("The Michelin stars are back in the city, and in a big way this year, with more new names than ever.\n"
             "Below are the restaurants you can book tonight, from the grand tasting menus to the small counters "
             "where the chef hands you each course, and the neighbourhood places that earned a Bib Gourmand.\n\n")
    cards = "".join(f"Restaurant {n}\nBib Gourmand\nKorean\nView in list\nBook Now\n\n" for n in range(40))
    body = "".join(ARTICLE.replace("first", word) for word in ("first", "second", "third", "fourth"))
    out = stage(MENU + "Our Headline\n\n" + intro + cards + body + FOOTER).text
    assert out.startswith("Our Headline\n\nThe Michelin stars are back")


def test_sentence_like_blurbs_inside_a_menu_go_with_it():
    menu = ("Home\nProducts\nDrive better planning with our workflow tools, built for modern teams.\n"
            "Solutions\nWin at the shelf with smarter promotional planning and execution.\nPricing\nLogin\n\n")
    out = stage(menu + "Our Headline\n\n" + ARTICLE + FOOTER).text
    assert out.startswith("Our Headline\n\nThe first paragraph")


def test_interior_share_bar_goes_but_a_list_of_company_names_stays():
    shares = "\nShare\nFacebook\nTwitter\nLinkedIn\n\n"
    companies = "\nFacebook\nGoogle\nAmazon\nMicrosoft\n\n"
    text = MENU + ARTICLE + shares + ARTICLE.replace("first", "fifth") + companies + ARTICLE.replace(
        "first", "sixth") + FOOTER
    result = stage(text)
    assert "Share\nFacebook\nTwitter" not in result.text
    assert "Facebook\nGoogle\nAmazon\nMicrosoft" in result.text
    assert "boilerplate.nav-runs" in result.counts


def test_a_related_heading_followed_by_prose_is_content():
    text = MENU + ARTICLE + "\nRelated work\n\nEarlier studies measured the same effect in mice and found it small, which is why this one used people.\n"
    out = stage(text).text
    assert "Related work\n\nEarlier studies measured" in out


@pytest.mark.parametrize(
    ("header", "lines"),
    [
        ("Schreibe einen Kommentar Antworten abbrechen",
         ["Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert", "Kommentar *", "Name *"]),
        ("Deja una respuesta Cancelar la respuesta",
         ["Tu dirección de correo electrónico no será publicada. Los campos obligatorios están marcados con *", "Comentario *", "Nombre *"]),
        ("Lascia un commento Annulla risposta",
         ["Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *", "Commento *", "Nome *"]),
        ("Leave a Reply",
         ["Fill in your details below or click an icon to log in: Logo", "You are commenting using your WordPress.com account. Log Out / Change )",
          "Connecting to %s"]),
    ],
)
def test_comment_forms_in_several_languages(header, lines):
    text = ARTICLE + "\n" + header + "\n" + "\n".join(lines) + "\n"
    result = stage(text)
    assert result.text == ARTICLE
    assert list(result.counts) == ["boilerplate.comment-form"]


def test_a_page_that_is_mostly_comments_is_kept_whole_and_reported():
    comments = "".join(
        f"Reader{n} says:\nMarch {n}, 2025 at 9:{n:02d} am\n"
        f"I disagree with most of this, and here is a long reply explaining why, point by point, number {n}.\nReply\n"
        for n in range(1, 9)
    )
    text = MENU + "A short post about nothing much, with one sentence of text in it.\n\n12 Comments\n\n" + comments
    result = stage(text)
    assert "Reader1 says:" in result.text and "Reader8 says:" in result.text
    assert any(n.rule == "boilerplate.comment-thread" and "kept as it is" in n.message for n in result.notes)


def test_repeated_menu_block_and_doubled_label_go_but_repeated_notes_stay():
    note = "[1] Daniel Wertz, “DPRK Diplomatic Relations,” issue brief, National Committee on North Korea, August 2016."
    text = ("Home\nMeal Prep\nHow It Works\nLogin\nLogin\n\nHome\nMeal Prep\nHow It Works\n\n"
            + ARTICLE + "\n" + note + "\n\n" + ARTICLE.replace("first", "second") + "\n" + note + "\n")
    result = clean_text(text, Config(select=("boilerplate.repeated-lines",)))
    assert result.text.count(note) == 2
    assert result.text.count("Login") == 1
    assert result.text.count("How It Works") == 1


def test_edits_replay_and_carry_the_removed_lines():
    text = _sample("boilerplate-blog-post.txt")
    for rule in RULES:
        ctx = Context(document_for(None), rule.id)
        out, edits = rule.apply(text, ctx)
        assert replay(text, edits) == out
        for offset, before, after in edits:
            assert after == "" and text[offset:offset + len(before)] == before
            assert offset == 0 or text[offset - 1] == "\n"
        text = out


def test_line_classes():
    info = boilerplate.line_info
    assert info("Privacy Policy").kind == boilerplate.NAV
    assert info("READ MORE ↓").kind == boilerplate.NAV
    assert info("© 2024 Example Ltd. All rights reserved.").kind == boilerplate.NAV
    assert info("February 23, 2026").kind == boilerplate.META
    assert info("5 min read").kind == boilerplate.META
    assert info("How to Prune Roses").kind == boilerplate.SHORT
    assert info("Prune roses in late winter, when the plants are dormant and the buds swell.").kind == boilerplate.PROSE
    assert info("We use cookies to improve your experience on our site. Accept to continue.").kind == boilerplate.FURNITURE
    assert info("Stock Advisor Epic Plus Fool Portfolios Podcasts Market Movers Tech News").kind == boilerplate.LINKS
    assert info("").kind == boilerplate.BLANK


def test_rule_data_files_load_and_have_no_duplicates():
    for name in ("navigation-lines.txt", "function-words.txt"):
        path = ROOT / "rules" / "boilerplate" / name
        entries = [x.strip() for x in path.read_text(encoding="utf-8").split("\n")
                   if x.strip() and not x.startswith("#")]
        assert len(entries) == len({boilerplate.normalise_line(x) for x in entries}), name
    assert "privacy policy" in boilerplate.navigation_lines()
    assert "the" in boilerplate.function_words()


def test_comment_form_prefilter_covers_every_start_pattern():
    """The prefilter skips documents early; a start pattern it does not cover would never fire."""
    options = load_ruleset().by_id()["boilerplate.comment-form"].options
    for pattern in options["start"]:
        assert any(key in pattern for key in options["prefilter"]), pattern


def test_literal_starts_cover_their_patterns():
    """Lines are only tested against header patterns when they begin with a derived literal start."""
    rules = load_ruleset().by_id()
    for rule_id, key in (("boilerplate.teaser-list", "headers"), ("boilerplate.ui-lines", "patterns"),
                         ("boilerplate.comment-form", "start")):
        patterns = tuple(rules[rule_id].options[key])
        starts = boilerplate.literal_starts(patterns)
        if starts is None:
            continue
        for sample in ("more from the daily planet", "related posts", "you might also like", "read next",
                       "leave a reply", "share on facebook", "deja una respuesta", "editor's picks"):
            if boilerplate.compile_patterns(patterns).fullmatch(sample):
                assert sample.startswith(starts), (rule_id, sample)


def test_comment_thread_prefilter_covers_every_evidence_line():
    """Lines without a prefilter key are never matched: every evidence pattern must need one."""
    options = load_ruleset().by_id()["boilerplate.comment-thread"].options
    keys = options["evidence_prefilter"]
    evidence = boilerplate.compile_patterns(tuple(options["evidence"]))
    samples = [
        "karl says:", "jane doe said:", "reply", "reply to jane", "antworten", "log in to reply", "reply to comment",
        "oldest", "newest most voted", "inline feedbacks view all comments", "3 days ago", "12 minutes ago",
        "december 18, 2025 at 1:14 pm", "03/04/2024 - 10:15", "5 likes", "2 votes", "report", "report comment",
        "permalink", "load more comments", "notify of new replies",
    ]
    for sample in samples:
        assert evidence.fullmatch(sample), sample
        assert any(key in sample for key in keys), sample
    for pattern in options["evidence"]:
        assert any(key in pattern for key in keys) or pattern.endswith(":") or ":\\d" in pattern, pattern


def test_plain_and_general_line_classes_agree():
    """The one-loop classifier for plain texts gives the same classes as line_info line by line."""
    nav, fwords = boilerplate._tables()
    texts = [_sample(name) for name in ("boilerplate-blog-post.txt", "boilerplate-comment-thread.txt",
                                        "boilerplate-news-teasers.txt")]
    texts.append("Über uns\nStraße und Fluß.\nWe use cookies to improve your experience on our site. Accept them.\n"
                 "新闻 中心\n© 2024 Example Ltd. All rights reserved.\nFebruary 23, 2026\n5 min read\n")
    for text in texts:
        assert boilerplate._is_plain(text)
        lines = tuple(text.split("\n"))
        todo = [i for i, line in enumerate(lines) if line]
        got = boilerplate._classify_plain(lines, todo, nav, fwords)
        assert got == [boilerplate._classify(lines[i], nav, fwords) for i in todo]


def test_furniture_keys_cover_the_furniture_pattern():
    """Short prose lines are searched for consent/sign-up texts only when they hold a key word."""
    for phrase in ("we use cookies", "cookie", "enable javascript", "our newsletter", "subscribe now", "sign up",
                   "unsubscribe", "privacy policy", "terms of use", "terms of service", "all rights reserved",
                   "protected by recaptcha", "to your inbox", "your browser", "your consent"):
        assert boilerplate._FURNITURE_PROSE.search(phrase), phrase
        assert any(key in phrase for key in boilerplate._FURNITURE_KEYS), phrase
    alternatives = boilerplate._FURNITURE_PROSE.pattern.count("|") + 1
    assert alternatives == 14, "a new alternative needs a key in _FURNITURE_KEYS and a phrase above"


def _drop_lines_line_by_line(text: str, drop: set[int]):
    """drop_lines as it was first written, line by line: the reference for the run-walking one."""
    from cleaner.rules import replay

    lines = text.split("\n")
    n_real = len(lines) - 1 if text.endswith("\n") else len(lines)
    kept: list[int] = []
    removed_since_kept = False
    for i in range(n_real):
        if i in drop:
            removed_since_kept = True
            continue
        if not lines[i].strip() and removed_since_kept and (not kept or not lines[kept[-1]].strip()):
            continue
        kept.append(i)
        removed_since_kept = False
    if removed_since_kept:
        while kept and not lines[kept[-1]].strip():
            kept.pop()
    gone = sorted(set(range(n_real)) - set(kept))
    starts = []
    pos = 0
    for line in lines[:n_real]:
        starts.append(pos)
        pos += len(line) + 1
    starts.append(len(text))
    edits = []
    i = 0
    while i < len(gone):
        j = i
        while j + 1 < len(gone) and gone[j + 1] == gone[j] + 1:
            j += 1
        a, b = starts[gone[i]], min(starts[gone[j] + 1], len(text))
        edits.append((a, text[a:b], ""))
        i = j + 1
    return (replay(text, edits), edits) if drop else (text, [])


def test_drop_lines_and_the_stage_dropper_agree_with_the_line_by_line_reference():
    """drop_lines walks the runs of dropped lines (told the blank lines, or not); the stage's
    dropper calls it with the blank lines it knows and records the analysis of the output."""
    import random

    from cleaner.rules import drop_lines

    rng = random.Random(5)
    for _ in range(3000):
        lines = [rng.choice(["", "", "Home", "A line of text.", " ", "Share this:"]) for _ in range(rng.randint(0, 9))]
        text = "\n".join(lines) + rng.choice(["", "\n"])
        drop = {i for i in range(-1, text.count("\n") + 2) if rng.random() < 0.35}
        want = _drop_lines_line_by_line(text, drop)
        assert drop_lines(text, drop) == want, (text, drop)
        blank = [not line.strip() for line in text.split("\n")]
        assert drop_lines(text, drop, blank) == want, (text, drop)
        shared = DocumentAnalysis()
        got = dropping.drop_analysed(text, boilerplate.analyse(text, shared), drop, shared)
        assert got == want, (text, drop)
        if got[1]:
            after = boilerplate.analyse(got[0], shared)  # the analysis the dropper recorded
            assert after[0] == tuple(got[0].split("\n"))
            assert after[1] == tuple(boilerplate.line_info(line) for line in after[0])


def _repeated_blocks_by_rescanning(cnorms, ckinds, is_label, min_block, repeat_pairs, min_block_nav):
    """repeated-lines' block search as first written: every place rescans its match (quadratic)."""
    from collections import Counter
    keys = list(zip(*[cnorms[j:] for j in range(min_block)]))
    times = Counter(keys)
    first_at, drop, k, n = {}, set(), 0, len(cnorms)
    for place in [p for p in range(len(keys)) if times[keys[p]] > 1]:
        if place < k:
            continue
        k = place
        labels = sum(is_label[k:k + min_block])
        if labels < min_block and not (repeat_pairs and labels):
            k += 1
            continue
        earlier = first_at.get(keys[k])
        if earlier is not None and earlier + min_block <= k:
            end = k + min_block
            while (end < n and earlier + (end - k) < k and (repeat_pairs or is_label[end])
                   and cnorms[end] == cnorms[earlier + (end - k)]):
                end += 1
            if ckinds[k:end].count(boilerplate.NAV) >= min_block_nav:
                drop.update(range(k, end))
                k = end
                continue
        first_at.setdefault(keys[k], k)
        k += 1
    return drop


@pytest.mark.parametrize("repeat_pairs", [True, False])
def test_repeated_lines_block_search_matches_rescanning_each_place(monkeypatch, repeat_pairs):
    # The rule remembers how far a match at each distance reached, so a long
    # stretch shown twice is not rescanned from each of its labels; on random
    # pages of few distinct lines (many repeats, long and overlapping) it must
    # drop exactly what rescanning drops.
    import random
    pool = ["Home", "Login", "Share", "Pros", "Cons", "May 3, 2024",
            "This paragraph explains the point at some length, as paragraphs do.",
            "Another paragraph follows here, with a different point to make in it."]
    captured = {}
    monkeypatch.setattr(repeats, "guarded_drop", lambda text, lines, infos, drop, ctx, share: captured.update(drop=drop) or (text, []))
    rng = random.Random(5)
    for _ in range(300):
        body = [rng.choice(pool) for _ in range(rng.randint(3, 60))]
        text = "Home\nAbout\nContact\n" + "\n".join(body + body[rng.randint(0, len(body) - 1):]) + "\n"
        analysis = boilerplate.analyse(text)
        content = analysis.content
        cnorms = [analysis.norms[i] for i in content]
        ckinds = [analysis.kinds[i] for i in content]
        is_label = [kind in (boilerplate.SHORT, boilerplate.NAV, boilerplate.META) for kind in ckinds]
        for min_block in (2, 3):
            captured.clear()
            repeats.repeated_lines(text, Context(document_for(None)), min_block=min_block, repeat_pairs=repeat_pairs, min_block_nav=1,
                                   min_nav_lines=3, max_prose_share=0.5)
            # (The first loop of the rule, a short line right after the same line, is left out of both.)
            want = {content[k] for k in _repeated_blocks_by_rescanning(cnorms, ckinds, is_label, min_block,
                                                                       repeat_pairs, 1)}
            doubled = {content[k] for k in range(1, len(cnorms)) if cnorms[k] == cnorms[k - 1] and is_label[k]}
            assert captured.get("drop", set()) == want | doubled


_CARRY_POOL = [
    "", "", "Home", "Contact", "Share this:", "© 2024 Garden Media. All rights reserved.", "March 3, 2024",
    "A line of text.", "Prune roses in late winter, when the plants are dormant.",
    "Cut each cane just above an outward-facing bud, at an angle, so that water runs off and the new shoot "
    "grows outwards, away from the centre of the bush, where the air should move freely all summer long.",
    "<p>Our roses</p> <b>are grown</b> <i>in Kent and shipped in spring, with care notes.</i>",
    "Stock Advisor Epic Plus Fool Portfolios Podcasts Retirement Planning Investing News Markets",
]


def test_the_dropper_carries_the_columns_it_knows_as_computed_afresh():
    """The analysis recorded for a shortened text keeps the columns the text it came from had
    (the kept lines', the navigation counts less the removed lines'), each equal to the column
    computed afresh."""
    import random

    rng = random.Random(7)
    columns = ("norms", "kinds", "words", "sorted_norms", "nav_counts")
    for _ in range(3000):
        lines = [rng.choice(_CARRY_POOL) for _ in range(rng.randint(0, 14))]
        text = "\n".join(lines) + rng.choice(["", "\n"])
        drop = {i for i in range(text.count("\n") + 1) if rng.random() < 0.3}
        shared = DocumentAnalysis()
        before = boilerplate.analyse(text, shared)
        for name in columns:
            getattr(before, name)
        got, edits = dropping.drop_analysed(text, before, drop, shared)
        if not edits:
            continue
        after = boilerplate.analyse(got, shared)
        fresh = boilerplate.LineAnalysis((after[0], after[1]))
        assert "sorted_before" in after.__dict__  # sorted_norms is filtered from the input's when asked
        for name in columns:
            assert name in after.__dict__ or name == "sorted_norms" or (
                name == "nav_counts" and 2 * (len(before[1]) - len(after[1])) >= len(before[1])), name
            assert getattr(after, name) == getattr(fresh, name), (name, text, drop)


def test_the_body_sum_is_the_best_stretch_of_prose_inside_the_body():
    """page-edges weighs the body by the best stretch of prose inside it, which
    is the body's own sum (every part that starts or ends it adds more than
    nothing): the sum _main_body returns, for any weights, blank lines included."""
    import random

    from cleaner.stages.boilerplate.page import _main_body

    def best_stretch(weights: list[float]) -> float:
        best = cur = 0.0
        for w in weights:
            cur += w
            if cur < 0.0:
                cur = 0.0
            elif cur > best:
                best = cur
        return best

    rng = random.Random(20)
    for _ in range(3000):
        n = rng.randint(0, 30)
        weights = [rng.choice((0.0, -4.0, -0.5, -1.0, -2.0, 0.1, -0.3, float(rng.randint(1, 80)),
                               rng.uniform(-5, 5))) for _ in range(n)]
        blank = {i for i in range(n) if weights[i] == 0.0}
        content = [i for i in range(n) if i not in blank]
        span, total = _main_body(content, weights)
        if span is None:
            continue
        s, e = span
        assert total == best_stretch(weights[s:e + 1]), (weights, span)


def test_a_code_fence_made_by_an_edit_is_seen_around_the_edit():
    """The pipeline looks for code fences once per text and then only around
    each edit: a fence an edit makes (in its new text, or where removed text is
    joined) is found there, as a scan of the whole text would find it."""
    import random

    from cleaner.pipeline import _fences_not_made

    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice("`~a\n") for _ in range(rng.randint(0, 12)))
        if "```" in text or "~~~" in text:
            continue
        cuts = sorted(rng.sample(range(len(text) + 1), k=min(len(text) + 1, 2 * rng.randint(0, 3))))
        edits = [(a, text[a:b], "".join(rng.choice("`~b") for _ in range(rng.randint(0, 2))))
                 for a, b in zip(cuts[::2], cuts[1::2])]
        new = replay(text, edits)
        rng.shuffle(edits)  # in any order
        assert _fences_not_made(new, edits) == ("```" not in new and "~~~" not in new), (text, edits)


def test_a_fenced_code_block_on_a_page_passes_through_whole():
    """A UI line inside a fenced code block stays: the pipeline finds the fence
    before the first rule that edits the page."""
    text = ("Home\nNews\nSports\nContact\n\n"
            "The council met on Monday and voted to build the new bridge over the river, after a long debate.\n"
            "```\nAdvertisement\nx = 1\n```\n")
    result = clean_text(text)
    assert "Advertisement\nx = 1\n```" in result.text

"""The spacing stage on real text: the seeds' fixes, the protected forms, and the
false edits found by reading every edit the stage made on clean web text
(bench/spacing.py), each kept here so that it cannot come back.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner.rules import STAGES, Context, document_for, load_ruleset, replay
from cleaner.stages import spacing

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEEDS = sorted((SAMPLES / "seeds").glob("*.txt"))
RULES = {r.id: r for r in load_ruleset().rules if r.stage == "spacing"}
BEFORE_SPELLING = tuple(s for s in STAGES if s != "spelling")
NO_SPACING = tuple(s for s in BEFORE_SPELLING if s != "spacing")


def stage(text: str, path: str | None = None) -> str:
    """The spacing stage alone, every rule enabled by default, in order."""
    return clean_text(text, Config(select=("spacing",)), path=path).text


# --------------------------------------------------------------------------- seeds


def _spelling_like(a: str, b: str, before: str, after: str) -> bool:
    """A difference the spelling stage makes: letters and spaces between letters."""
    letters_or_space = re.compile(r"[^\W\d_ ]*(?: [^\W\d_ ]*)*")
    return (
        letters_or_space.fullmatch(a) is not None
        and letters_or_space.fullmatch(b) is not None
        and (not before or before.isalpha() or before == " ")
        and (not after or after.isalpha() or after == " ")
    )


def _non_spelling_differences(got: str, expected: str) -> list[str]:
    """Differences between two texts that are not spelling corrections.

    Lines are aligned first (the stages before spelling must give the same
    lines), then each differing pair of lines is compared character by character.
    """
    problems = []
    got_lines, expected_lines = got.split("\n"), expected.split("\n")
    lines = difflib.SequenceMatcher(None, got_lines, expected_lines, autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        if op == "equal":
            continue
        if op != "replace" or i2 - i1 != j2 - j1:
            problems.append(f"lines {i1 + 1}-{i2} differ: {got_lines[i1:i2]!r} -> {expected_lines[j1:j2]!r}")
            continue
        for a, b in zip(got_lines[i1:i2], expected_lines[j1:j2]):
            chars = difflib.SequenceMatcher(None, a, b, autojunk=False)
            for cop, c1, c2, d1, d2 in chars.get_opcodes():
                if cop == "equal":
                    continue
                before = a[c1 - 1] if c1 > 0 else ""
                after = a[c2] if c2 < len(a) else ""
                if not _spelling_like(a[c1:c2], b[d1:d2], before, after):
                    problems.append(f"{a[max(0, c1 - 20):c2 + 20]!r} -> {b[max(0, d1 - 20):d2 + 20]!r}")
    return problems


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_seed_spacing_matches_expected_with_spelling_masked(seed):
    """Every stage but spelling: what differs from the expected file is spelling only."""
    text = seed.read_text(encoding="utf-8")
    expected = (SAMPLES / "expected" / seed.name).read_text(encoding="utf-8")
    got = clean_text(text, Config(select=BEFORE_SPELLING), path=seed.name).text
    assert _non_spelling_differences(got, expected) == []


def test_seed_check_can_fail_without_the_spacing_stage():
    """The check above is not vacuous: without spacing, seed 000 differs in punctuation."""
    seed = next(s for s in SEEDS if s.name.startswith("000"))
    expected = (SAMPLES / "expected" / seed.name).read_text(encoding="utf-8")
    got = clean_text(seed.read_text(encoding="utf-8"), Config(select=NO_SPACING), path=seed.name).text
    problems = _non_spelling_differences(got, expected)
    assert any("forces.The" in p for p in problems)
    assert any("moves ,they" in p for p in problems)


def test_seed_spacing_edits_carry_rule_ids_and_only_spacing_rules():
    seed = next(s for s in SEEDS if s.name.startswith("000"))
    result = clean_text(seed.read_text(encoding="utf-8"), Config(select=("spacing",)), path=seed.name)
    assert result.edits
    assert {e.rule for e in result.edits} <= set(RULES)
    found = {(e.rule, e.before, e.after) for e in result.edits}
    assert ("spacing.space-after-sentence", "forces.The", "forces. The") in found
    assert ("spacing.space-before-punct", "moves ,they", "moves, they") in found
    assert ("spacing.possessive", "DPRK ‘s", "DPRK’s") in found
    assert ("spacing.ellipsis-run", "war…….but", "war… but") in found


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("outside forces.The DPRK,guided by the Juche idea,is", "outside forces. The DPRK, guided by the Juche idea, is"),
        ("its own efforts .Of course", "its own efforts. Of course"),
        ("anti DPRK moves ,they planned", "anti DPRK moves, they planned"),
        ("( With the Century Volume 8)", "(With the Century Volume 8)"),
        ("vol 1 p19 )", "vol 1 p19)"),
        ("the DPRK ‘s growth", "the DPRK’s growth"),
        ("with “With the Century “ he told", "with “With the Century” he told"),
        ("in Pyongyang”to mark it, “laid flowers”", "in Pyongyang” to mark it, “laid flowers”"),
        ("after the war…….but against", "after the war… but against"),
        ("Kim Il Sung….The head", "Kim Il Sung… The head"),
        ("the early 1970s,when liberation", "the early 1970s, when liberation"),
        ("against Japanese imperialism.KPRA units fought", "against Japanese imperialism. KPRA units fought"),
    ],
)
def test_policy_fixes(text, fixed):
    assert stage(text) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "Newsweek, Nov 23, 2017; , “Trump’s axis of evil,” McClatchy",
        "In Juche 108(2019) he advanced the slogan",
        "and changed the “the name of his ruling party in 1971” (Juche 60)",
        "…I had the honor of meeting Kim Il Sung, a historic figure.",
        "other small arms…obsolete artillery…trucks…[and] Soviet tanks",
        "unite!”-This is the slogan of “our” times",
        "NCNK is a NGO, part of Mercy Corps (a 501 (c) charity) of those",
    ],
)
def test_policy_leaves_alone(text):
    assert stage(text) == text


# --------------------------------------------------------------------------- protected forms


FORMS = spacing.protected_forms()
PATTERN_EXAMPLES = [(f, ex) for f in FORMS if f.pattern for ex, _ in f.examples]


def test_protected_forms_are_documented_data():
    names = [f.name for f in FORMS]
    assert len(names) == len(set(names))
    for form in FORMS:
        assert form.description.strip() and form.examples, form.name
    # The list, each present as data.
    for name in ("url", "email", "domain", "file-name", "abbreviation", "initials", "number", "time",
                 "ellipsis-quote", "emoticon", "inline-code", "markdown-code-block"):
        assert name in names


@pytest.mark.parametrize(("form", "example"), PATTERN_EXAMPLES, ids=[f"{f.name}:{e}" for f, e in PATTERN_EXAMPLES])
def test_protected_example_matches_its_own_form(form, example):
    assert re.compile(form.pattern).fullmatch(example), f"{form.name} does not match {example!r} whole"


CONTEXTS = ["{}", "See {} now.", "It is {}.", "(about {})", "“{}”", "Word,{} and {},word"]


@pytest.mark.parametrize(("form", "example"), PATTERN_EXAMPLES, ids=[f"{f.name}:{e}" for f, e in PATTERN_EXAMPLES])
def test_protected_example_survives_the_stage(form, example):
    for context in CONTEXTS:
        text = context.format(example, example)
        out = stage(text)
        assert example in out, f"{form.name}: {text!r} became {out!r}"


@pytest.mark.parametrize(
    ("text", "path"),
    [(ex, path) for f in FORMS if not f.pattern for ex, path in f.examples],
)
def test_markdown_code_blocks_are_untouched(text, path):
    assert stage(text, path=path) == text


@pytest.mark.parametrize("path", ["notes.md", "notes.txt", None])
def test_fenced_code_is_protected_in_any_document(path):
    text = "Intro ,here.\n\n```\nf(a ,b)\nwait…….then\n```\n"
    assert stage(text, path=path) == "Intro, here.\n\n```\nf(a ,b)\nwait…….then\n```\n"


def test_user_protected_patterns_from_config():
    text = "Deploy with Acme.Cloud today."
    ctx = Context(document_for(None), "spacing.space-after-sentence", options={})
    rule = RULES["spacing.space-after-sentence"]
    assert rule.apply(text, ctx)[0] == text  # `Cloud` is no sentence starter: a name
    text = "Call ours.Then theirs."
    assert rule.apply(text, ctx)[0] == "Call ours. Then theirs."
    ctx = Context(document_for(None), rule.id, options={"protected-patterns": (r"\bours\.Then\b",)})
    assert rule.apply(text, ctx)[0] == text


# --------------------------------------------------------------------------- false edits found on clean text


@pytest.mark.parametrize(
    "text",
    [
        # code, tokenised by the HTML renderer or indented
        "sz . utf8_case_insensitive_find ( haystack , needle ) # 4",
        "        je      .L5 ; If `a` is 0",
        "typedef uint32_t codepoint_t ; void codepoint_parse ( char const * text , size_t n ) {",
        "    options.Level = LogLevel.Debug;",
        "global using System.Text;",
        "stringAppendIf( base, token, delimiter )",
        "cost = ( 1640 * 1 ) + ( 100000 * 0.01 ) = 2890",
        "git checkout .",
        "theorem name : signature := proof",
        # names with a dot or a colon inside
        "Swift's String.Index advancement is O(n)",
        "Earth.Org explores how each of these technologies helps",
        "Visit CSAdvent.Christmas for more articles",
        "As the primary language for.NET development",
        "Version 1.2.3 of node.JS and the config.JSON file",
        "Adobe (NASDAQ:ADBE) - Market cap: $149.0 billion",
        "AWS re:Invent is fully paid",
        "TL;DR: I turned a tinybox into a server",
        # markup and links
        "&quot;View Source&quot; was how you learned &lt;table&gt; tags",
        "GET /data/2.5/weather?q=London,uk&appid=*** HTTP/1.1",
        "under the Apache 2.0 license on GitHub: github.com/ashvardanian/StringZilla .",
        # found on the full pages (menus, footers, comments) of the same set
        "(615) 682 . 1622",
        "Kelsey Media . The Granary . Downs Court . Yalding Hill",
        "1 . SimpliSafe 2 . ADT 3 . Ring 4 . Wyze Cam",
        "Ben Nadel . com Navigation",
        "To stage all changes run git add . and then commit.",
        "Leki Ultratrail FX.One Superlite Review",
        "US,en",
        "tl;dr: correlation is not cognition",
        # deliberate typography
        "I know, I know . . . some people think",
        "Nothing Ear 3 : This is the flagship earbud pair",
        "………………..",
        "Vraiment ? Oui ! Il a dit : « Bonjour »",
    ],
)
def test_false_edits_found_on_clean_text_stay_fixed(text):
    assert stage(text) == text


def test_a_line_is_judged_as_itself_not_as_its_neighbour():
    """Line facts (a title, a list of separators) are worked out once per line:
    they must not carry over to the next line, nor the next line's to them."""
    title = "Leki Ultratrail FX.One Superlite Review"
    separators = "Kelsey Media . The Granary . Downs Court"
    prose = "We ruled it out.The plan failed , so we left."
    fixed = "We ruled it out. The plan failed, so we left."
    text = f"{prose}\n{title}\n{prose}\n{separators}\n{prose}\n"
    assert stage(text) == f"{fixed}\n{title}\n{fixed}\n{separators}\n{fixed}\n"


def test_a_site_at_a_line_end_does_not_lend_its_line_to_the_next():
    """A space before a stop that ends a line is judged with the next line too;
    that pair of lines must not be what the next line's sites are judged by
    (here: a lone backtick on the first line would put them "in code")."""
    text = "Press the ` key twice .\nWe went home ,then we slept.\n"
    assert stage(text) == "Press the ` key twice .\nWe went home, then we slept.\n"


def test_sentence_rule_is_stricter_in_documents_with_code():
    prose = "the file.Close example given earlier"
    assert stage(prose) == "the file. Close example given earlier"  # prose: a missing space
    technical = "Run `go vet` first.\n" + prose
    assert stage(technical) == technical  # code about: `file.Close` is a method


def test_colon_rule_is_off_by_default_and_selectable():
    text = "as follows:the first\n"
    assert clean_text(text).text == text
    assert clean_text(text, Config(select=("spacing.space-after-colon",))).text == "as follows: the first\n"


# --------------------------------------------------------------------------- contract


DIRTY = (
    "The DPRK,guided by it .Of course ( With care ) the DPRK ‘s way…….but “ quoted “ he said.”\n"
    "Wait ... what ?Nothing happened !\n"
)


def test_edits_replay_and_second_pass_is_clean():
    text = DIRTY
    for rule in RULES.values():
        out, edits = rule.apply(text, Context(document_for(None), rule.id))
        assert replay(text, edits) == out, rule.id
        offsets = [e[0] for e in edits]
        assert offsets == sorted(offsets)
        for (a, before, _), (b, _, _) in zip(edits, edits[1:]):
            assert a + len(before) <= b, f"{rule.id}: overlapping edits"
        text = out
    assert stage(text) == text


def test_edits_show_the_words_around_the_fix():
    result = clean_text("It was ruled.International help came.", Config(select=("spacing",)))
    assert [(e.rule, e.before, e.after) for e in result.edits] == [
        ("spacing.space-after-sentence", "ruled.Internationa", "ruled. Internationa")
    ]


def test_dirt_samples_clean_up_and_stay_clean():
    samples = sorted((SAMPLES / "dirt").glob("spacing-*"))
    assert samples
    for sample in samples:
        text = sample.read_text(encoding="utf-8")
        once = stage(text, path=sample.name)
        assert once != text, f"{sample.name} has no spacing dirt"
        assert stage(once, path=sample.name) == once
        # What must never change did not.
        for kept in re.findall(r"https?://\S+|\S+@\S+|\b\d[\d.,:]*\d\b|`[^`]+`", text):
            assert kept in once, f"{sample.name}: {kept!r} changed"


def test_markdown_sample_keeps_its_code():
    sample = SAMPLES / "dirt" / "spacing-readme.md"
    text = sample.read_text(encoding="utf-8")
    once = stage(text, path=sample.name)
    for line in ("$ tides --port Oban ,Mallaig", "port ,date ,high ,low", "    for row in rows :", "        print( row )"):
        assert line in once
    assert "Questions? Open an issue (with the output attached)." in once


def test_no_spacing_edit_on_the_other_dirt_samples():
    for sample in sorted((SAMPLES / "dirt").glob("*")):
        if sample.name.startswith("spacing-"):
            continue
        try:
            text = sample.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        assert stage(text, path=sample.name) == text, sample.name


def test_quotes_of_an_empty_pair_claiming_one_space_make_one_replayable_edit():
    # Both quotes of `“ ”` are glued to the space between them; two edits over
    # that one space did not replay, and safe mode refused the whole document.
    from cleaner.pipeline import clean_text
    from cleaner.rules import Context, document_for, replay
    from cleaner.stages.spacing import quote_glued

    text = "in “ ” all"
    new, edits = quote_glued(text, Context(document_for("x.txt")))
    assert new == "in “” all"
    assert edits == [(3, "“ ”", "“”")]
    assert replay(text, edits) == new
    assert clean_text("Words in “ ” all of them.\n", path="x.txt").text == "Words in “” all of them.\n"

"""The spelling stage's speed-only machinery answers exactly as the plain way does.

Indexes, bulk steps and shortcuts that make the stage cheaper on long or many
documents must not change a single edit or note: each is checked here against
the straightforward computation it replaces (``str.count``, the chunk-by-chunk
loop), on random or real text.  Speed itself is measured in ``bench/``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from itertools import accumulate, product
from pathlib import Path

from cleaner.rules import Context, document_for, load_rule_file, replay
from cleaner.stages.spelling import text as spelling_text, words as spelling_words
from cleaner.stages.spelling.lexicon import lexicon

ROOT = Path(__file__).resolve().parent.parent
RULES = {r.id: r for r in load_rule_file(ROOT / "rules" / "spelling.toml")[0]}


def words_rule(text: str) -> tuple[str, list, list]:
    ctx = Context(document_for(None), "spelling.words", [], {})
    out, edits = RULES["spelling.words"].apply(text, ctx)
    assert replay(text, edits) == out
    return out, edits, ctx.notes


def test_the_pair_index_counts_two_capitalised_words_as_str_count_does(monkeypatch):
    """A long document with many run-together candidates (``JucheKorea``) asks
    how often "Juche Korea" is written once per candidate; the one-pass index
    of capitalised word pairs must give ``str.count``'s answer every time:
    a pair inside longer words (``xJuche Koreans``), overlapping ones (``Bora
    Bora Bora``), words other than letters, any spacing."""
    import random

    monkeypatch.setattr(spelling_words, "INDEX_WORK", 0)  # index at the first question
    rng = random.Random(6)
    pieces = ["Juche", "Korea", "Koreans", "Kor", "Bora", "Bora", "Bor", "Ab", "Abc", "x", "é", "É", "K", "JUche", "."]
    gaps = [" "] * 8 + ["", "  ", "\n", "-"]
    words = ["Juche", "Korea", "Kor", "Bora", "Bor", "Abc", "Korean", "Koreans", "Xyz"]
    asked = overlaps = 0
    for _ in range(400):
        text = "".join(rng.choice(pieces) + rng.choice(gaps) for _ in range(rng.randrange(1, 40)))
        overlaps += "Bora Bora Bor" in text
        places = spelling_words._Places(text, set())
        for a in words:
            for b in words:
                assert places.pair_count(a, b) == text.count(f"{a} {b}"), (text, a, b)
                asked += 1
        assert places._pairs is not None
    assert asked == 400 * len(words) ** 2 and overlaps > 10


def test_chunks_settled_in_bulk_are_those_the_word_loop_settles(monkeypatch):
    """A text seen first settles its known words with punctuation ("world,") in
    one C-level pass; what it settles, and the stage's answer, must be what the
    chunk-by-chunk loop gives."""
    samples = Path(__file__).resolve().parent.parent / "samples"
    texts = [p.read_bytes().decode("utf-8", "replace") for p in sorted(samples.rglob("*.txt"))]
    texts.append("Some countries recieved massive help, (the) aid; “more” later. " * 3 + "The elefant, too.\n")
    seen = []
    try:
        for bulk in (0, 10**9):  # always in bulk, never
            monkeypatch.setattr(spelling_words, "BULK_SETTLE", bulk)
            settled: set[str] = set()
            monkeypatch.setattr(spelling_words, "_settled_chunks", lru_cache(lambda settings: settled))
            spelling_words.clear_caches()  # the stage's setup, with this settled set, built afresh
            seen.append(([words_rule(t) for t in texts], settled))
    finally:
        monkeypatch.undo()
        spelling_words.clear_caches()  # no later test may see this test's settled set
    assert seen[0][1] and seen[0] == seen[1]


def test_a_paragraphs_chunks_are_chunks_of_its_text():
    """The paragraph check counts a paragraph's unknown chunks among the
    text's unknown ones, which holds only if the paragraph, cut at blank
    lines as the stage cuts it, splits into chunks of the whole text (never
    half a chunk): checked at every place of random texts of words, spaces,
    single and blank lines."""
    import random

    from cleaner.stages.spelling.words import _paragraph_end, _paragraph_start

    rng = random.Random(6)
    pieces = ["word", "x", "é", ".", "“", "\n", "\n\n", "\n\n\n", " ", "  ", "\t", "\u00a0", "\u2028"]
    checked = 0
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 50)))
        chunks = set(text.split())
        for start in range(len(text)):
            paragraph = text[_paragraph_start(text, start) : _paragraph_end(text, start)]
            assert set(paragraph.split()) <= chunks, (text, start)
            checked += 1
    assert checked > 3000


def test_line_numbers_asked_in_order_are_counted_once_with_the_same_answers():
    """Markdown code lines are looked up per place; a place's line was counted
    from the text's start each time (quadratic on a long document).  Counted on
    from the last place, the answers must be ``text.count`` ones, in order or not."""
    import random

    from cleaner.stages.spelling.text import LineNumbers as _LineNumbers

    rng = random.Random(6)
    for _ in range(200):
        text = "".join(rng.choice(["a", "\n", " ", "\n\n"]) for _ in range(rng.randrange(0, 80)))
        places = sorted(rng.randrange(len(text) + 1) for _ in range(rng.randrange(1, 12)))
        if rng.random() < 0.3:
            rng.shuffle(places)
        line_of = _LineNumbers(text)
        assert [line_of(p) for p in places] == [text.count("\n", 0, p) for p in places]


def test_markdown_code_stays_at_every_place_of_a_long_text():
    """Slips and doubled words inside fenced code stay, those outside are fixed,
    all along a Markdown text with many code blocks (the places are counted
    into lines one after the other)."""
    from cleaner import Config, clean_text

    block = "We recieved it with with care.\n\n```\nrecieved = with with\n```\n\n"
    text = block * 40
    out = clean_text(text, Config(select=("spelling",)), path="notes.md").text
    assert out == "We received it with care.\n\n```\nrecieved = with with\n```\n\n" * 40


def both_rules(text: str, path: str | None = None) -> tuple[str, list, list]:
    """The two spelling rules in turn: the text, every edit, every note."""
    doc = document_for(path)
    edits, notes = [], []
    for rule_id in ("spelling.words", "spelling.doubled"):
        ctx = Context(doc, rule_id, [], {})
        out, raw = RULES[rule_id].apply(text, ctx)
        assert replay(text, raw) == out
        edits.append(raw)
        notes += ctx.notes
        text = out
    return text, edits, notes


def test_a_long_text_read_in_blocks_gets_the_answers_of_one_block(monkeypatch):
    """A long text (a dump in one file) is read a block at a time, each block
    ending at a line break, so that a pass holds one block's tokens and
    lowercase copy instead of the whole text's.  Edits and notes must be those
    of the text read whole, down to blocks of one line: a word doubled across
    a line break (which makes ``(the the)`` elsewhere a doubled word), a name
    written apart in one block and run together in another, a term counted
    over the whole text, a dump of several languages judged paragraph by
    paragraph, a Markdown file's code lines, "İ" (two characters in lowercase)."""
    samples = ROOT / "samples"
    texts = [p.read_bytes().decode("utf-8", "replace") for p in sorted(samples.rglob("*.txt"))]
    french = (
        "Il a reçu une lettre de sa mère hier soir, et il était très heureux de la lire avec ses enfants.\n\n"
        "Nous sommes partis tôt ce matin pour éviter les bouchons sur la route du littoral.\n\n"
        "Quelques voisins arrosaient leurs jardins pendant que les oiseaux chantaient doucement.\n\n"
        "Gestern Abend haben wir lange über die Zukunft unserer kleinen Bäckerei gesprochen.\n\n"
        "Die Kinder spielten fröhlich im Garten, während draußen langsam der Regen aufhörte.\n\n"
    )
    english = "We talked about the dialetics of the age with with care, and they recieved it well.\n\n"
    texts += [
        "He said the\nthe word, and (the the) again.\n",
        "The the end, with with care.\n",
        "Juche Korea\nJuche Korea and Juche Korea.\nThey wrote JucheKorea once.\n",
        "İstanbul and the the İzmir road\nwith with İİ care\n",
        "The rustc compiler, rustc again.\nThen rustc. The dialetics once.\n",
        (french * 3 + english) * 300,  # over mixed_min_chars, mostly French
    ]
    whole = [both_rules(t) for t in texts] + [both_rules(texts[0], "notes.md")]
    assert any("languages mixed" in message for _, _, message in whole[-2][2])  # the dump is judged paragraph by paragraph
    assert whole[-2][0].count("received") == 300 and "(the) again" in whole[-7][0]
    try:
        for size in (1, 60):
            for index_work in (spelling_words.INDEX_WORK, 0):  # places found by scans, or by the index
                monkeypatch.setattr(spelling_text, "BLOCK_CHARS", size)
                monkeypatch.setattr(spelling_words, "INDEX_WORK", index_work)
                spelling_words.clear_caches()  # no chunk set or token list of the whole text kept
                blocks = [both_rules(t) for t in texts] + [both_rules(texts[0], "notes.md")]
                assert blocks == whole, (size, index_work)
    finally:
        monkeypatch.undo()
        spelling_words.clear_caches()


def test_blocks_and_paragraphs_cut_the_text_as_the_plain_splits_do(monkeypatch):
    """Blocks join back into the text, each ends with a line break (the last
    aside) and cuts no token; paragraphs are ``split("\\n\\n")``'s."""
    import random

    rng = random.Random(6)
    pieces = ["word", "é", " ", "\n", "\n\n", "\n\n\n", "\t", "\u2028", "x\ny"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 60)))
        assert list(spelling_words._paragraphs(text)) == text.split("\n\n")
        monkeypatch.setattr(spelling_text, "BLOCK_CHARS", rng.choice((1, 5, 20)))
        blocks = list(spelling_text.text_blocks(text))
        assert "".join(b for _, b in blocks) == text
        assert [o for o, _ in blocks] == list(accumulate((len(b) for _, b in blocks[:-1]), initial=0))
        assert all(b.endswith("\n") for _, b in blocks[:-1])
        assert [t for _, b in blocks for t in b.split()] == text.split()


def test_a_mixed_dump_judges_only_the_paragraphs_it_needs_with_the_same_answer():
    """A long dump of several languages is judged paragraph by paragraph, but
    only paragraphs holding a chunk still to decide need judging (and others
    until one English paragraph shows the dump has English at all): the chunks
    kept, and whether any paragraph is English, are those of judging them all."""
    from cleaner.stages.spelling.words import _english_paragraph_chunks, is_english

    lex = lexicon()
    english = "We talked about the book of the age with care, and they read it well in the morning."
    slip = "We talked about the dialetics of the age with care, and they read it well in the morning."
    german = "Gestern Abend haben wir lange über die Zukunft unserer kleinen Bäckerei gesprochen."
    cases = [
        ([german, english, german], set()),  # English, but nothing to decide there
        ([german, slip, english], {"dialetics"}),
        ([german, german], {"Bäckerei"}),
        ([english, slip, german], {"dialetics", "Bäckerei", "unknown"}),
    ]
    for paragraphs, wanted in cases:
        text = "\n\n".join(paragraphs)
        rest = set(text.split()) - lex.known_forms
        judged = [(set(p.split()), is_english(set(p.split()), lex, 0.6, 8, len(set(p.split()) & rest))[0]) for p in paragraphs]
        every = {w for words, ok in judged if ok for w in words}
        expected = (any(ok for _, ok in judged), every & wanted)
        assert _english_paragraph_chunks(text, lex, 0.6, 8, rest, wanted) == expected, paragraphs
    assert expected[0] and expected[1] == {"dialetics"}


def test_a_lookup_made_where_a_place_needs_it_answers_as_one_made_at_once(monkeypatch):
    """The fuzzy lookup of a lowercase non-word waits until one of its places
    passes the checks that are the same for a fix and a note; every edit and
    note must be what deciding each word at once gives, with the lookup on and off."""
    from cleaner.stages.spelling import decisions

    samples = ROOT / "samples"
    texts = [p.read_bytes().decode("utf-8", "replace") for p in sorted(samples.rglob("*.txt"))]
    texts += [
        "We thougth about the well-knwon fact, and the knwon-good one. Goin' home, nothin' left.\n",
        "The rustc build: rustc rustc rustc, then recieved the strenght.\n\n"
        "Le chat est sur la table avec recieved beaucoup de gens.\n",
        "They said voor herhaling vatbaar stuf, and the elefant in the room was biggr.\n" * 2,
        "dramatico-musical, medico-legl, virtio-rng, elefnt-sized, an unusaul word.\n",
        # Written more often than a note looks (NOTE_PLACES), less than term_repeats (6 below).
        "They said voor herhaling blarfq vatbaar stuk.\n" * 3
        + "Then we went home after a long day at the office and a walk.\nThe blarfq and the unusaul thing are here.\n",
    ]
    plain = RULES["spelling.words"]
    rules = (plain, replace(plain, options={**plain.options, "term_repeats": 6}))
    runs = []
    try:
        for eager, fuzzy, rule in product((False, True), (True, False), rules):
            if eager:  # every word decided at once, the lookup included
                monkeypatch.setattr(
                    spelling_words, "decider",
                    lru_cache(lambda settings: lru_cache(maxsize=None)(lambda w: decisions.decide(w, settings))),
                )
            else:
                monkeypatch.undo()
            spelling_words.clear_caches()
            out = []
            for text in texts:
                ctx = Context(document_for(None), "spelling.words", [], {} if fuzzy else {"fuzzy": False})
                result, edits = rule.apply(text, ctx)
                out.append((result, edits, ctx.notes))
            runs.append(out)
    finally:
        monkeypatch.undo()
        spelling_words.clear_caches()
    assert runs[:4] == runs[4:]
    assert any(edits for _, edits, _ in runs[0]) and any(notes for _, _, notes in runs[0])


def test_fuzzy_candidates_are_those_a_plain_osa_search_finds():
    """candidates_near() screens the candidates by Indel distance before the
    OSA distance; the words it keeps, with their distances, must be those an
    OSA search of the same words keeps, in the same order."""
    import random

    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from cleaner.stages.spelling import fuzzy
    from cleaner.stages.spelling.sounds import skeleton

    lex = lexicon()
    rng = random.Random(4)
    typos = sorted(lex.table)[::400]
    words = typos + ["".join(rng.choice("aeinorst") for _ in range(rng.randint(3, 13))) for _ in range(150)]
    for word in words:
        n, limit = len(word), fuzzy._max_distance(len(word))
        for anagrams_only in (True, False):
            found = []
            searches = [(word[0], n - limit, n + limit)]
            if word[1] != word[0]:
                searches.append((word[1], n, n) if anagrams_only else (word[1], n - limit, n + limit))
            for first, shortest, longest in searches:
                near = fuzzy._of_length(lex, first, shortest, longest)
                if near:
                    found += process.extract(word, near, scorer=OSA.distance, score_cutoff=limit, limit=None)
            found.sort(key=lambda hit: hit[1])
            expected = {cand: d for cand, d, _ in found[:40]}
            alike = {w for w in lex.sounds.get(skeleton(word), "").split() if abs(len(w) - n) <= limit + 1}
            for cand in alike:
                expected.setdefault(cand, OSA.distance(word, cand))
            distance, near_alike = fuzzy.candidates_near.__wrapped__(word, lex, anagrams_only)
            assert list(distance.items()) == list(expected.items()), word
            assert near_alike == alike


def test_the_cheap_slip_check_answers_as_a_search_of_every_candidate():
    """may_have_cheap_slip() tries the few words one letter added or dropped
    (after the first letter) against the candidates of those lengths; it must
    answer as an Indel search (at most 1) over all of them does, and by sound
    as a look at every word of the skeleton's list does."""
    import random

    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    from cleaner.stages.spelling import fuzzy
    from cleaner.stages.spelling.sounds import skeleton

    lex = lexicon()
    settings = RULES["spelling.words"].settings.fuzzy
    candidates = [w for words, _ in lex.candidates_by_initial.values() for w in words]
    assert all(set(w) <= set(fuzzy._LETTERS) for w in candidates)  # the letters tried when one is added
    rng = random.Random(7)
    words = set(sorted(lex.table)[::300])
    for w in rng.sample(candidates, 600):
        i = rng.randrange(len(w))
        words |= {w, w[:i] + w[i + 1 :], w[:i] + rng.choice("aezé") + w[i:], w[:i] + rng.choice("bq") + w[i + 1 :], w[0] + w}
    words |= {"".join(rng.choice("aeinorst") for _ in range(rng.randint(2, 13))) for _ in range(300)}
    found = 0
    for word in sorted(w for w in words if w):
        n = len(word)
        near = fuzzy._of_length(lex, word[0], n - 1, n + 1)
        by_letters = bool(near) and process.extractOne(word, near, scorer=Indel.distance, score_cutoff=1) is not None
        by_ear = n >= settings.min_sound_length and any(
            w[0] == word[0] for w in lex.sounds.get(skeleton(word), "").split()
        )
        assert fuzzy.may_have_cheap_slip(word, lex, settings) == (by_ear or by_letters), word
        found += by_ear or by_letters
    assert 0 < found < len(words)


def test_sound_keys_skip_only_the_rules_that_cannot_match():
    """sounds_like() and skeleton() run a rule only on words holding its
    letters; the keys must be those every rule run in turn gives."""
    import random

    from cleaner.stages.spelling import sounds

    rng = random.Random(5)
    words = sorted(lexicon().lower_dictionary)[::20]
    words += ["".join(rng.choice("abcdeghknpqstwxyz") for _ in range(rng.randint(1, 12))) for _ in range(5000)]

    def plain(rules, word):
        for pattern, repl in rules:
            word = pattern.sub(repl, word)
        return word

    for word in words:
        assert sounds.sounds_like(word) == plain(sounds._SOUND_RULES, word), word
        assert sounds.skeleton(word) == plain(sounds._SKELETON_RULES, word), word
    assert len(words) > 10000


def test_language_words_are_each_chunks_own_as_read_one_by_one():
    """The paragraph verdicts read a text's words with C-level passes (the chunks
    that are not all letters joined and searched at once); the words must be
    those of each chunk read alone: a chunk of letters (edge punctuation
    stripped) whole, another's letter runs, none of a chunk that lost letters to
    U+FFFD, and only the first ``limit`` chunks."""
    import random

    from cleaner.language import _EDGE, _WORD, words_of

    def one_by_one(text: str, limit: int) -> list[str]:
        chunks = text[: limit * 12].lower().split()[:limit]
        whole, runs = [], []
        for chunk in chunks:
            core = chunk.strip(_EDGE)
            if core.isalpha():
                whole.append(core)
            elif "\ufffd" not in core:
                runs += _WORD.findall(core)
        return whole + runs

    rng = random.Random(20)
    pieces = ["word", "É", "l'homme", "e-mail", "x\ufffdy", "\ufffd", "—", "...", "3rd", "_a_", "İ", "ß",
              "“quoted”", " ", " ", "\n", "\n\n", "\t", ""]
    checked = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30)))
        limit = rng.choice((1, 3, 400))
        assert words_of(text, limit) == one_by_one(text, limit), (text, limit)
        checked += "\ufffd" in text and any(not w.isalpha() for w in text.split())
    assert checked > 100  # the U+FFFD case was met, among chunks that are not all letters

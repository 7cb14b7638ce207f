"""Hardening: lines longer than ftfy's segment limit, and a large file's memory.

ftfy fixes a line in one piece up to ``max_decode_length`` characters and cuts
a longer one blindly; a mojibake sequence cut in two is left broken, and its
segment is repaired one sequence at a time, many times slower.  The mojibake
rule cuts such lines itself where no sequence can span the cut.  The limit is
lowered here so that the lines stay small; bench/adversarial.py --rules
measures the real one.
"""

from __future__ import annotations

import random
from pathlib import Path

import ftfy
import pytest

from cleaner.rules import Context, document_for, load_ruleset
from cleaner.stages.encoding import fixes as enc

MOJIBAKE = load_ruleset().by_id()["encoding.mojibake"]

LIMIT = 1000


def repair(text: str, limit: int = LIMIT) -> str:
    options = dict(MOJIBAKE.options, max_decode_length=limit)
    out, _ = enc.mojibake(text, Context(document_for(None)), **options)
    return out


@pytest.mark.parametrize(
    "broken, meant",
    [
        ("cafÃ© ", "café "),  # words with ASCII letters
        ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚ Ð¼Ð¸Ñ€ ", "привет мир "),  # no ASCII letter: cut after a space
        ("â€™", "’"),  # neither letter nor space: cut before a UTF-8 lead
        ("ðŸ˜€", "😀"),
        ("voilÃ  le travail ", "voilà le travail "),  # a space that stands for U+00A0
    ],
)
@pytest.mark.parametrize("size", [LIMIT - 1, 3 * LIMIT + 7, 10 * LIMIT + 1])
def test_a_line_longer_than_ftfys_segment_is_repaired_throughout(broken, meant, size):
    count = size // len(broken) + 1
    line = broken * count
    assert repair(line + "\n") == meant * count + "\n"


def test_segments_keep_the_line_and_the_limit():
    rng = random.Random(19)
    alphabet = list("ab \u00c3\u00a9\u00c2\u00e2\u20ac\u2122\u00f0\u0178\u02dc\u20acxyz.\x1b[0m") + ["Ð", "¿"]
    for _ in range(300):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5000)))
        limit = rng.randint(10, 700)
        segments = enc._segments(line, limit)
        assert "".join(segments) == line
        assert all(0 < len(s) <= limit for s in segments)


def test_a_line_within_the_limit_is_ftfys_whole_line_repair():
    # One line mixing mojibake with correct accents: ftfy cannot re-decode the
    # whole line and repairs sequence by sequence; the rule must not cut it.
    line = "déjà vu, cafÃ© crème, naïve " * 30
    assert len(line) < LIMIT
    assert repair(line) == ftfy.fix_text(line, enc.ftfy_config(dict(MOJIBAKE.options, max_decode_length=LIMIT)))


def test_badness_near_suspects_is_ftfys_is_bad():
    """The long-line check equals ftfy's is_bad, on random mixes of the characters
    its patterns name (sparse and dense) and on real pages joined into one line."""
    from ftfy.badness import MOJIBAKE_CATEGORIES, is_bad

    known = sorted(set("".join(MOJIBAKE_CATEGORIES.values())) | set("ÂÃÎÐ€œŠš¢£ŸžВГРСΒΓΞΟβ‚Äâó√≈ØÙ×²³°à"))
    known += ["ГўВЂВ", "вЂ", "ā€", "β€"]
    plain = list("abcXYZ .,?!-'\"\t")
    rng = random.Random(20261207)
    bad = 0
    for n in range(20000):
        odd = rng.choice((0.002, 0.01, 0.3))
        text = "".join(rng.choice(known) if rng.random() < odd else rng.choice(plain) for _ in range(rng.randint(1, 120)))
        assert enc._is_bad_near_suspects(text) == is_bad(text), repr(text)
        bad += is_bad(text)
    assert 2000 < bad < 18000  # both answers are common: the comparison means something
    pages = Path(__file__).resolve().parents[2] / "shared" / "boilerplate-dev"
    lines = [line for p in sorted(pages.glob("00*.txt"))[:200] for line in p.read_text(encoding="utf-8").split("\n")]
    for i in range(0, len(lines), 500):
        joined = " ".join(lines[i : i + 500])
        assert enc._is_bad_near_suspects(joined) == is_bad(joined)


# --------------------------------------------------------------------------- a huge line in blocks

def _one_line(sentences: int) -> str:
    return "".join(f"Sentence  {i} is here .And  it goes on, word{i % 7}  word. " for i in range(sentences)) + "The end.\n"


def test_a_line_longer_than_a_block_is_cut_between_sentences_and_keeps_every_character():
    from cleaner.corpus.blocks import split_blocks

    text = "First line.\n\n" + _one_line(3000) + "\nLast  line.\n"
    chunks = [text[i:i + 997] for i in range(0, len(text), 997)]
    got = list(split_blocks(iter(chunks), "x.txt", block_chars=4096))
    pieces = [b for b in got if b.joined]
    assert len(pieces) > 10
    assert all(b.text.endswith(".\n") and b.separator == " " and len(b.text) <= 4097 for b in pieces)
    assert "".join((b.text[:-1] if b.joined else b.text) + b.separator for b in got) == text
    line_start = text.index("Sentence")
    for b in got:
        if b.first_column:
            assert text[line_start + b.first_column:].startswith(b.text[:-1] if b.joined else b.text)
            assert text[line_start + b.first_column - 1] == " "


@pytest.mark.parametrize("select", [("whitespace",), ("whitespace", "spacing", "encoding")])
def test_a_huge_line_cleaned_in_pieces_equals_whole_file_cleaning(tmp_path, monkeypatch, select):
    from functools import partial

    from cleaner.config import Config
    from cleaner.corpus import blocks
    from cleaner.files import Target
    from cleaner.pipeline import clean_text
    from cleaner.runner import RunOptions

    monkeypatch.setattr(blocks, "split_blocks", partial(blocks.split_blocks, block_chars=4096))
    text = "Top  line.\n\n" + _one_line(3000) + "\nAfter  it.\n"
    src = tmp_path / "big.txt"
    src.write_text(text, encoding="utf-8")
    report = blocks.clean_large_file(
        Target(src, "big.txt", tmp_path / "out" / "big.txt"),
        RunOptions(overrides=(("select", select),), want_edits=True),
    )
    whole = clean_text(text, Config(select=select), path="big.txt")
    assert report.status == "changed" and report.written
    assert (tmp_path / "out" / "big.txt").read_text(encoding="utf-8") == whole.text
    assert report.counts == whole.counts
    if select == ("whitespace",):  # one rule acts: its columns are the original text's
        def key(e):
            return (e.line, e.column, e.rule, e.before, e.after)
        assert sorted(map(key, report.edits)) == sorted(map(key, whole.edits))
        assert max(e.column for e in report.edits) > 100_000


# --------------------------------------------------------------------------- memory

@pytest.mark.slow
def test_a_200_mb_file_of_ordinary_lines_is_cleaned_within_a_fixed_memory_budget(tmp_path):
    """Read as a stream and cleaned block by block: the largest process of the
    run (the command and its two workers) stays far below the file's size
    (holding the file whole would take its bytes and its text, 400 MB)."""
    import subprocess
    import sys

    seeds = Path(__file__).resolve().parents[1] / "samples" / "seeds"
    unit = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir())).rstrip("\n")
    unit = unit.replace(". ", ".  ") + "\n\n"  # double spaces for the cleaning to remove
    src = tmp_path / "in" / "big.txt"
    src.parent.mkdir()
    repeats = 200_000_000 // len(unit.encode("utf-8")) + 1
    with open(src, "w", encoding="utf-8") as out:
        for _ in range(repeats):
            out.write(unit)
    size = src.stat().st_size
    assert size > 200_000_000
    command = [sys.executable, "-m", "cleaner", "run", "-q", "-j", "2", "--select", "whitespace,encoding",
               str(src.parent), "-o", str(tmp_path / "out")]
    # The run's peak (its largest process, workers included once reaped), by
    # wait4 in a small go-between: a child started from this process would
    # count this process's own resident memory at its fork (vfork) in its peak.
    measure = (
        "import os, subprocess, sys\n"
        "proc = subprocess.Popen(sys.argv[1:])\n"
        "_, status, usage = os.wait4(proc.pid, 0)\n"
        "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n"
    )
    ran = subprocess.run([sys.executable, "-c", measure, *command], capture_output=True, text=True)
    code, peak_kb = map(int, ran.stdout.split())
    assert code == 0, ran.stderr
    peak_mb = peak_kb / 1024
    cleaned = tmp_path / "out" / "big.txt"
    from cleaner import Config, clean_text

    expected_head = clean_text(unit, Config(select=("whitespace", "encoding"))).text[:-1]
    with open(cleaned, encoding="utf-8") as got:
        assert got.read(len(expected_head)) == expected_head
    assert size * 0.9 < cleaned.stat().st_size < size
    assert src.stat().st_size == size
    assert peak_mb < 350, f"peak RSS {peak_mb:.0f} MB for a {size / 1e6:.0f} MB file"

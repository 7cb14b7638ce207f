"""The whitespace stage on real text: the dirt samples and the seeds."""

from __future__ import annotations

from pathlib import Path

from cleaner import Config, clean_text
from cleaner.files import decode

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
ONLY = Config(select=("whitespace",))


def _sample(name: str) -> str:
    return decode((SAMPLES / "dirt" / name).read_bytes()).text


def test_odd_spaces_trailing_spaces_and_blank_lines():
    out = clean_text(_sample("whitespace-odd-spaces.txt"), ONLY).text
    assert out == (
        "Weather report – Monday\n"
        "\n"
        "Sunny spells with light winds.\n"
        "Temperatures up to 21 °C.\n"
    )


def test_crlf_file_becomes_lf_without_blank_lines_at_the_end():
    out = clean_text(_sample("whitespace-crlf.txt"), ONLY).text
    assert out == "Minutes of the meeting\n\nPresent: the chair, the treasurer\nApologies: none\n"


def test_markdown_keeps_hard_breaks_and_code_alignment():
    text = _sample("whitespace-markdown.md")
    out = clean_text(text, ONLY, path="whitespace-markdown.md").text
    assert "Line one ends with a hard break  \nand continues here.\n" in out
    assert "x  =  1      # aligned on purpose" in out
    assert out.startswith("# Release notes\n")
    assert "\n\n\n" not in out and out.endswith("```\n")
    # The same text as plain text: no hard breaks to keep.
    plain = clean_text(text, ONLY, path="notes.txt").text
    assert "hard break\nand" in plain


def test_seed_001_whitespace_is_the_only_dirt():
    seed = (SAMPLES / "seeds" / "001_138ec2fa2c53e2dc.txt").read_text(encoding="utf-8")
    expected = (SAMPLES / "expected" / "001_138ec2fa2c53e2dc.txt").read_text(encoding="utf-8")
    result = clean_text(seed, ONLY)
    assert result.text == expected
    assert [(e.rule, e.line) for e in result.edits] == [
        ("whitespace.odd-spaces", 5),
        ("whitespace.final-newline", 31),
    ]


def test_seeds_lose_no_words_to_whitespace_rules():
    for seed in sorted((SAMPLES / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        out = clean_text(text, ONLY).text
        assert out.split() == text.replace("\u00a0", " ").split(), seed.name


def test_indentation_and_tabs_are_kept():
    text = "def f():\n    return  1\n\tcol1\tcol2\n"
    out = clean_text(text, ONLY).text
    assert out == "def f():\n    return 1\n\tcol1\tcol2\n"


def test_zero_width_joiners_in_emoji_and_scripts_survive():
    text = "Family: 👨\u200d👩\u200d👧 and Persian: می\u200cخواهم\n"
    assert clean_text(text, ONLY).text == text


def test_empty_and_blank_documents():
    assert clean_text("", ONLY).text == ""
    assert clean_text(" \n\n \t\n", ONLY).text == ""

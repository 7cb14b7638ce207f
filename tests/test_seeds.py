"""The standing requirement: each seed through the default pipeline gives its expected file.

Byte-for-byte, on the five real scraped documents in samples/seeds, against
the hand-decided outputs in samples/expected (POLICY.md there says why).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import clean_text
from cleaner.files import decode, encode

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEEDS = sorted((SAMPLES / "seeds").glob("*.txt"))

# Seeds whose full expectation needs a stage that has not landed yet (none now).
PENDING: dict[str, str] = {}


def _param(seed: Path):
    reason = PENDING.get(seed.name[:3])
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(seed, id=seed.name[:3], marks=marks)


def test_all_seeds_are_here():
    assert len(SEEDS) == 5
    assert all((SAMPLES / "expected" / s.name).is_file() for s in SEEDS)


@pytest.mark.parametrize("seed", [_param(s) for s in SEEDS])
def test_seed_matches_expected_byte_for_byte(seed):
    expected = (SAMPLES / "expected" / seed.name).read_bytes()
    decoded = decode(seed.read_bytes())
    got = encode(clean_text(decoded.text, path=seed.name).text)
    assert got.decode("utf-8").split("\n") == expected.decode("utf-8").split("\n")
    assert got == expected


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_expected_files_are_fixed_points(seed):
    """Cleaning a clean document changes nothing: the expected files stay as they are."""
    expected = (SAMPLES / "expected" / seed.name).read_text(encoding="utf-8")
    result = clean_text(expected, path=seed.name)
    assert result.edits == []
    assert result.text == expected

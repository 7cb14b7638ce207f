"""The whole default pipeline over 1,418 real web texts: no error, and a second pass changes nothing.

Uses ../shared/boilerplate-dev (the WCXB development pages and their gold
article texts, CC-BY-4.0) when it sits beside the checkout, as it does in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import clean_text
from cleaner.files import decode

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "boilerplate-dev"
FILES = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not FILES, reason="../shared/boilerplate-dev is not beside the checkout")
def test_default_pipeline_is_idempotent_on_every_dev_text():
    not_fixed_points = []
    for path in FILES:
        once = clean_text(decode(path.read_bytes()).text, path=path.name).text
        twice = clean_text(once, path=path.name)
        if twice.text != once:
            not_fixed_points.append((path.name, sorted(twice.counts)))
    assert len(FILES) > 1000
    assert not_fixed_points == []

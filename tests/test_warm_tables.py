"""A pool that will clean a lot builds the lookup tables once, before it forks.

Each worker would otherwise look words up by bisection in the compiled files
until its own SORTED_LOOKUPS, then build the spelling lexicon's sets and
split the language profiles' lines itself.  A short run (a pre-commit call on
a few files) never builds them: bisection is cheaper for it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cleaner import batch
from cleaner.files import Target
from cleaner.runner import RunOptions

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "boilerplate-dev"

STATE = """
import json, sys
from cleaner import language
from cleaner.batch import warm_up
from cleaner.pipeline import clean_text
from cleaner.runner import RunOptions
from cleaner.stages.spelling import lexicon
warm_up(RunOptions(), None, tables=sys.argv[1] == "tables")
state = {
    "sets": [lex._sets for lex in lexicon._LOADED],
    "lines": language.profiles().packed._lines is not None,
    "cleaned": [clean_text(text).text for text in json.loads(sys.stdin.read())],
}
print(json.dumps(state))
"""


def _warmed(tables: bool, texts: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", STATE, "tables" if tables else "no"], input=json.dumps(texts),
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    return json.loads(done.stdout)


def test_warm_up_builds_the_tables_only_when_asked_and_they_clean_alike():
    pages = sorted(p for p in PAGES.glob("*.txt") if not p.name.endswith(".gold.txt"))[:3]
    texts = [p.read_text(encoding="utf-8") for p in pages] + ["The comittee recieved the letter  yesterday.\n"]
    lazy, built = _warmed(False, texts), _warmed(True, texts)
    assert lazy["sets"] == [False] and not lazy["lines"]
    assert built["sets"] == [True] and built["lines"]
    assert built["cleaned"] == lazy["cleaned"]
    assert built["cleaned"][-1] == "The committee received the letter yesterday.\n"


def _files(folder: Path, sizes: list[int]) -> list[Target]:
    folder.mkdir()
    targets = []
    for i, size in enumerate(sizes):
        path = folder / f"f{i}.txt"
        path.write_text(("word " * (size // 5 + 1))[:size], encoding="utf-8")
        targets.append(Target(path, path.name))
    return targets


def test_only_a_run_with_a_lot_to_clean_builds_the_tables(tmp_path, monkeypatch):
    made = []

    class Pool:
        def __init__(self, workers, options, first, tables=False):
            made.append(("pool", workers, tables))

    class Here:
        def __init__(self, tables=False):
            made.append(("serial", 1, tables))

    monkeypatch.setattr(batch, "LocalPool", Pool)
    monkeypatch.setattr(batch, "Serial", Here)
    monkeypatch.setattr(batch, "TABLES_BYTES_PER_WORKER", 10_000)
    few = _files(tmp_path / "few", [3_000] * 5)  # enough text for one worker, not for two
    many = _files(tmp_path / "many", [3_000] * 8)
    for jobs in (2, 1):
        batch.make_executor("local", jobs, RunOptions(), few)
        batch.make_executor("local", jobs, RunOptions(), many)
    batch.make_executor("local", 2, RunOptions(), few[:1])  # one file: cleaned here
    assert made == [("pool", 2, False), ("pool", 2, True), ("serial", 1, True), ("serial", 1, True), ("serial", 1, False)]
    assert not batch.holds_bytes(few, 15_001) and batch.holds_bytes(few, 15_000)
    # Many small files: a sample's sizes stand for the rest.
    assert batch.holds_bytes(many, 24_000, sample=2) and not batch.holds_bytes(many, 24_001, sample=2)


def test_a_serial_run_builds_the_tables_before_its_first_file(tmp_path, monkeypatch):
    built = []
    monkeypatch.setattr(batch, "build_lookup_tables", lambda config: built.append(config))
    targets = _files(tmp_path / "d", [2_000] * 3)
    reports = list(batch.Serial(tables=True).map_targets(targets, RunOptions(mode="check")))
    assert [r.display for r in reports] == ["f0.txt", "f1.txt", "f2.txt"] and len(built) == 1
    list(batch.Serial().map_targets(targets, RunOptions(mode="check")))
    assert len(built) == 1

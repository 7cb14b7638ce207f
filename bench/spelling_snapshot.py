"""Freeze the spelling stage's behaviour, and check that a speed change keeps it.

Speed work must not change a single edit or note.  ``--write`` runs the
stage's rules, one after the other, on every text of ../shared/boilerplate-dev
(raw pages and gold files, 1,418 texts), the seeds and samples/dirt/, and
stores each rule's edits and notes and the final text in
``bench/out/spelling-snapshot.json``; ``--check`` (the default) runs them again
and lists every text that differs.  Each text is run twice, with fresh caches
and then warm, and both runs must agree: the stage caches per word type and per
chunk, and a cache must never change an answer.

    /work/venv/bin/python bench/spelling_snapshot.py --write   # once, before the change
    /work/venv/bin/python bench/spelling_snapshot.py           # after each change
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

from cleaner.rules import load_rule_file
from snapshots import ROOT, corpus, run_rules

SNAP = ROOT / "bench" / "out" / "spelling-snapshot.json"


def sources() -> list[tuple[str, str]]:
    return [(name, p.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")) for name, p in corpus()]


def run(text: str, rules) -> dict:
    output, steps = run_rules(text, rules)
    record = {step["rule"]: {"edits": step["edits"], "notes": step["notes"]} for step in steps}
    record["out"] = hashlib.sha1(output.encode("utf-8")).hexdigest()
    return record


def snapshot() -> dict:
    from cleaner.stages.spelling import clear_caches

    rules = load_rule_file(ROOT / "rules" / "spelling.toml")[0]
    texts = sources()
    clear_caches()
    cold = {name: run(text, rules) for name, text in texts}
    warm = {name: run(text, rules) for name, text in texts}
    for name in cold:
        if cold[name] != warm[name]:
            print(f"cold and warm runs differ: {name}")
    return cold


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    now = snapshot()
    if args.write:
        SNAP.parent.mkdir(exist_ok=True)
        SNAP.write_text(json.dumps(now, ensure_ascii=False, indent=0), encoding="utf-8")
        edits = sum(len(r[k]["edits"]) for r in now.values() for k in r if k != "out")
        notes = sum(len(r[k]["notes"]) for r in now.values() for k in r if k != "out")
        print(f"wrote {SNAP}: {len(now)} texts, {edits} edits, {notes} notes")
        return 0
    old = json.loads(SNAP.read_text(encoding="utf-8"))
    now = json.loads(json.dumps(now, ensure_ascii=False))
    differ = [name for name in old if old[name] != now.get(name)] + [n for n in now if n not in old]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(old)} texts stored, {len(now)} run, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

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
from pathlib import Path

from cleaner.rules import Context, document_for, load_rule_file

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SNAP = ROOT / "bench" / "out" / "spelling-snapshot.json"


def sources() -> list[tuple[str, str]]:
    out = []
    for p in sorted((SHARED / "boilerplate-dev").glob("*.txt")):
        out.append(("dev/" + p.name, p.read_text(encoding="utf-8")))
    for folder, tag in ((SHARED / "seeds", "seed/"), (ROOT / "samples" / "dirt", "dirt/")):
        for p in sorted(folder.iterdir()):
            if p.is_file():
                out.append((tag + p.name, p.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")))
    return out


def run(text: str, rules) -> dict:
    doc = document_for(None)
    record = {}
    for rule in rules:
        ctx = Context(doc, rule.id)
        new, edits = rule.apply(text, ctx)
        record[rule.id] = {"edits": [list(e) for e in edits], "notes": [list(n) for n in ctx.notes]}
        text = new
    record["out"] = hashlib.sha1(text.encode("utf-8")).hexdigest()
    return record


def snapshot() -> dict:
    from cleaner.stages.spelling import _chunk_splitter, _settled_chunks, decider, initial_fix
    from cleaner.stages.spelling_fuzzy import _extra_costs, _missing_costs, sounds_like

    rules = load_rule_file(ROOT / "rules" / "spelling.toml")[0]
    texts = sources()
    for cache in (decider, initial_fix, _chunk_splitter, _settled_chunks, sounds_like, _extra_costs, _missing_costs):
        cache.cache_clear()
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

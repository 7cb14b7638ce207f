"""Freeze the boilerplate stage's behaviour, and check that a change keeps it.

Speed work on the stage must not change what it does.  ``--write`` runs every
rule of the stage, one after the other, on each input and stores the input,
every rule's edits and notes, and the final text under
``bench/out/boilerplate-snapshot/``; ``--check`` (the default) runs the stage
again on the stored inputs and reports every file whose edits, notes or output
differ.  Inputs: the pages and gold files of ../shared/boilerplate-dev, the
seeds, and samples/dirt/, each after the stages that run before boilerplate
(encoding, whitespace).  The stored input is reused on --check, so a change in
an earlier stage does not show up as a difference here.

    /work/venv/bin/python bench/boilerplate_snapshot.py --write   # once, before the change
    /work/venv/bin/python bench/boilerplate_snapshot.py           # after each change
"""

from __future__ import annotations

import argparse
import json
import sys

from cleaner import Config, clean_text
from cleaner.pipeline import select_rules
from cleaner.rules import load_ruleset
from snapshots import ROOT, corpus, run_rules

SNAP = ROOT / "bench" / "out" / "boilerplate-snapshot"


def run_stage(text: str, path: str | None) -> dict:
    rules = select_rules(load_ruleset(), Config(select=("boilerplate",)))
    output, steps = run_rules(text, rules, path)
    return {"steps": steps, "output": output}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="store the current behaviour")
    args = ap.parse_args(argv)
    if args.write:
        known = {r.stage for r in load_ruleset().rules}
        prep = Config(select=tuple(s for s in ("encoding", "whitespace") if s in known))
        SNAP.mkdir(parents=True, exist_ok=True)
        for name, path in corpus():
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            text = clean_text(text, prep, path=str(path)).text
            record = {"path": path.name, "input": text, **run_stage(text, path.name)}
            (SNAP / (name.replace("/", "-") + ".json")).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {len(corpus())} files to {SNAP}")
        return 0
    files = sorted(SNAP.glob("*.json"))
    if not files:
        print("no snapshot: run with --write first", file=sys.stderr)
        return 2
    bad = []
    changed_by_stage = 0
    for f in files:
        record = json.loads(f.read_text(encoding="utf-8"))
        now = run_stage(record["input"], record["path"])
        if record["output"] != record["input"]:
            changed_by_stage += 1
        if now["output"] != record["output"] or now["steps"] != record["steps"]:
            bad.append(f.name)
    print(f"compared {len(files)} files ({changed_by_stage} changed by the stage): "
          f"{len(bad)} differ" + (": " + ", ".join(bad[:20]) if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

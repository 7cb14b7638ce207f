"""Where the boilerplate stage spends its time: the line analysis and each rule, cold, CPU time.

    .venv/bin/python bench/boilerplate_rules.py [--rounds 3] [--limit N]

The stage is run rule by rule, as the pipeline runs it, on the text the default
pipeline hands it (the dev pages of ../shared/boilerplate-dev after encoding
and whitespace).  The line analysis every rule reads (``lines.analyse``) is
made first and timed on its own, so a rule's figure is its own work plus the
analysis of texts it makes (a rule that drops lines hands on the analysis of
its output, so that is small).  Each round starts with the line cache empty;
each figure is the minimum over the rounds.  A speed change is judged by a
ratio against a baseline (bench/ab.py, or callgrind), not by these figures.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from cleaner import Config, clean_text
from cleaner.analysis import DocumentAnalysis
from cleaner.pipeline import select_rules
from cleaner.rules import Context, document_for, load_ruleset
from cleaner.stages.boilerplate import lines

DEV = Path(__file__).resolve().parents[2] / "shared" / "boilerplate-dev"


def stage_inputs(limit: int) -> list[str]:
    files = sorted(p for p in DEV.glob("*.txt") if not p.name.endswith(".gold.txt"))
    texts = [p.read_text(encoding="utf-8") for p in files[:limit or None]]
    for stage in ("encoding", "whitespace"):
        config = Config(select=(stage,))
        texts = [clean_text(text, config).text for text in texts]
    return texts


def one_round(texts: list[str], rules) -> dict[str, float]:
    line_info_cache_clear = lines.line_info.cache_clear  # type: ignore[attr-defined]
    line_info_cache_clear()
    spent: dict[str, float] = defaultdict(float)
    for text in texts:
        doc, shared = document_for(None), DocumentAnalysis()
        start = time.process_time()
        lines.analyse(text, shared)
        spent["(line analysis)"] += time.process_time() - start
        for rule in rules:
            ctx = Context(doc, rule.id, analysis=shared)
            start = time.process_time()
            text, _ = rule.apply(text, ctx)
            spent[rule.id] += time.process_time() - start
    return spent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = ap.parse_args(argv)
    texts = stage_inputs(args.limit)
    rules = select_rules(load_ruleset(), Config(select=("boilerplate",)))
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, seconds in one_round(texts, rules).items():
            best[name] = min(best.get(name, seconds), seconds)
    mb = sum(len(text.encode()) for text in texts) / 1e6
    total = sum(best.values())
    print(f"{mb:.2f} MB, {len(texts)} pages; CPU seconds, min of {args.rounds} cold rounds")
    for name, seconds in best.items():
        print(f"{name:30s} {seconds:7.3f} {100 * seconds / total:5.1f}%")
    print(f"{'stage':30s} {total:7.3f} {mb / total:6.2f} MB/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

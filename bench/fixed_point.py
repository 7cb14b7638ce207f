"""Cost of the pipeline's fixed point (the character-level stages run again on
a text a pass changed) and of safe mode (each rule's edits replayed), as
ratios against neither, in the same process.

    python bench/fixed_point.py [--corpus ../shared/boilerplate-dev] [--repeat 3]

Prints CPU time of clean_text over every page with neither (REPASSES = 0,
safe=False), with the fixed point only, and with both (the default),
alternating runs so that the machine's load falls on all alike,
and how many pages needed a re-run and how many a third pass.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import cleaner.pipeline as pipeline
from cleaner import clean_text
from cleaner.files import decode

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "boilerplate-dev")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.glob("*.txt") if not p.name.endswith(".gold.txt"))
    texts = [decode(p.read_bytes()).text for p in files]
    default = pipeline.REPASSES
    for text in texts[:20]:
        clean_text(text)
    variants = {"neither": (0, False), "fixed point": (default, False), "fixed point + safe mode": (default, True)}
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(args.repeat):
        for name, (repasses, safe) in variants.items():
            pipeline.REPASSES = repasses
            start = time.process_time()
            for text in texts:
                clean_text(text, safe=safe)
            best[name] = min(best[name], time.process_time() - start)
    pipeline.REPASSES = 0
    once = [clean_text(t).text for t in texts]
    pipeline.REPASSES = default
    fixed = [clean_text(t).text for t in texts]
    moved = sum(a != b for a, b in zip(once, fixed))
    twice = sum(clean_text(o).text != o for o in once)
    print(f"{len(texts)} pages, CPU s: " + ", ".join(f"{name} {t:.2f} (x{t / best['neither']:.3f})" for name, t in best.items()))
    print(f"pages whose single-pass output changes on a second clean: {twice}; output differs with the fixed point: {moved}")


if __name__ == "__main__":
    main()

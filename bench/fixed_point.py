"""Cost of the pipeline's fixed point (the character-level stages run again on
a text a pass changed), as a ratio against no re-run, in the same process.

    python bench/fixed_point.py [--corpus ../shared/boilerplate-dev] [--repeat 3]

Prints CPU time of clean_text over every page with REPASSES = 0 and with the
default, alternating runs so that the machine's load falls on both alike,
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
    best = {0: float("inf"), default: float("inf")}
    for _ in range(args.repeat):
        for repasses in best:
            pipeline.REPASSES = repasses
            start = time.process_time()
            for text in texts:
                clean_text(text)
            best[repasses] = min(best[repasses], time.process_time() - start)
    pipeline.REPASSES = 0
    once = [clean_text(t).text for t in texts]
    pipeline.REPASSES = default
    fixed = [clean_text(t).text for t in texts]
    moved = sum(a != b for a, b in zip(once, fixed))
    twice = sum(clean_text(o).text != o for o in once)
    print(f"{len(texts)} pages; CPU s without re-run {best[0]:.2f}, with (REPASSES={default}) {best[default]:.2f}: "
          f"ratio {best[default] / best[0]:.3f}")
    print(f"pages whose single-pass output changes on a second clean: {twice}; output differs with the fixed point: {moved}")


if __name__ == "__main__":
    main()

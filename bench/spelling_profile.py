"""cProfile of the spelling stage, cold, on the pages as the default pipeline hands them to it.

    python bench/spelling_profile.py [--limit N] [--sort tottime] [--top 40] [--repeat 1]

Every spelling cache is cleared before the pass (``clear_caches()``), and the
rules of one page share one ``DocumentAnalysis``, as the pipeline runs them.
Also prints the CPU time of the pass without the profiler (min of --repeat).
"""

from __future__ import annotations

import argparse
import cProfile
import glob
import pstats
import time
from pathlib import Path

from cleaner import Config, clean_text
from cleaner.analysis import DocumentAnalysis
from cleaner.rules import Context, document_for, load_rule_file
from cleaner.stages.spelling import clear_caches

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = [f for f in sorted(glob.glob(f"{args.shared}/boilerplate-dev/*.txt")) if not f.endswith(".gold.txt")]
    if args.limit:
        files = files[: args.limit]
    texts = [Path(f).read_text(encoding="utf-8") for f in files]
    for stage in ("encoding", "whitespace", "boilerplate", "spacing"):
        config = Config(select=(stage,))
        texts = [clean_text(t, config).text for t in texts]
    rules = load_rule_file(ROOT / "rules" / "spelling.toml")[0]

    def stage() -> None:
        clear_caches()
        for text in texts:
            doc = document_for(None)
            shared = DocumentAnalysis()
            for rule in rules:
                text = rule.apply(text, Context(doc, rule.id, analysis=shared))[0]

    stage()  # load the lexicons
    best = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        stage()
        best = min(best, time.process_time() - start)
    print(f"{len(texts)} pages, cold stage {best:.3f} s CPU (min of {args.repeat})")
    profile = cProfile.Profile()
    profile.runcall(stage)
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()

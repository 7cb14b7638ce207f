"""Run the boilerplate stage N times, cold, for a steady cost count with perf.

On a machine shared with other jobs, times of the stage swing by 10-15% from
run to run, more than most speed changes gain.  The number of instructions the
process executes hardly moves (0.3%): this script runs the stage alone over the
prepared pages of ../shared/boilerplate-dev ``--runs`` times, each with the
stage's caches emptied first, so that the cost of one run is the difference
between two counts:

    perf stat -x, -e instructions:u /work/venv/bin/python bench/boilerplate_cost.py --runs 1
    perf stat -x, -e instructions:u /work/venv/bin/python bench/boilerplate_cost.py --runs 2

Instructions are not time (cache misses are not counted), so a change is
confirmed in time too, by bench/boilerplate.py or by alternating the old and
the new code in one process.  The prepared pages are kept in bench/out/ so the
runs do not pay for the stages before boilerplate.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import boilerplate as bench  # noqa: E402  (bench/boilerplate.py)

from cleaner import clean_text  # noqa: E402
from cleaner.stages.boilerplate.lines import line_info  # noqa: E402

PREPARED = bench.OUT / "boilerplate-prepared.pickle"


def prepared_pages(data: Path) -> list[str]:
    """The dev pages after the stages before boilerplate, prepared once."""
    if PREPARED.exists():
        return pickle.loads(PREPARED.read_bytes())
    prep = bench._prepare_config()
    texts = [clean_text(text, prep).text for _, text, _, _ in bench.load_pages(data, "all")]
    PREPARED.parent.mkdir(parents=True, exist_ok=True)
    PREPARED.write_bytes(pickle.dumps(texts))
    return texts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--data", type=Path, default=bench.DEFAULT_DATA)
    args = ap.parse_args(argv)
    texts = prepared_pages(args.data)
    run = bench.stage_runner()
    for _ in range(args.runs):
        line_info.cache_clear()
        t0 = time.process_time()
        for text in texts:
            run(text)
        print(f"{time.process_time() - t0:.3f} s CPU", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

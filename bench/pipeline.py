"""Throughput of the whole default pipeline and of each stage, on real web pages.

Reads the WCXB development pages from ../shared/boilerplate-dev (or a folder
given with --corpus).  Every figure is printed beside a baseline measured in
the same process on the same text: decoding and encoding the bytes without
cleaning (what any tool must do at least); in-process figures are CPU time.  Peak memory is the process's
maximum resident set size.  Then the command line end to end, --jobs 1 against
--jobs N, writing to a temporary --output folder.

    python bench/pipeline.py [--corpus DIR] [--limit N] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaner import Config, clean_text
from cleaner.files import decode, encode
from cleaner.rules import STAGES

ROOT = Path(__file__).resolve().parents[1]


def _best(fn, repeat: int) -> float:
    # CPU time of this process: the machine is shared, and wall time counts the neighbours' work too.
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "boilerplate-dev")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N pages")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.glob("*.txt") if not p.name.endswith(".gold.txt"))
    if args.limit:
        files = files[: args.limit]
    if not files:
        sys.exit(f"no pages in {args.corpus}")
    blobs = [p.read_bytes() for p in files]
    texts = [decode(b).text for b in blobs]
    mb = sum(len(b) for b in blobs) / 1e6
    print(f"corpus: {len(files)} pages, {mb:.1f} MB from {args.corpus}")

    for text in texts[:20]:  # load rules and lexicons before timing
        clean_text(text)

    base = _best(lambda: [encode(decode(b).text) for b in blobs], args.repeat)
    print(f"{'what':<34} {'MB/s':>8} {'x baseline time':>16}")
    print(f"{'baseline: decode + encode':<34} {mb / base:8.1f} {1.0:16.1f}")
    rows = [("default pipeline", Config())] + [(f"stage {s}", Config(select=(s,))) for s in STAGES]
    for name, config in rows:
        try:
            seconds = _best(lambda: [clean_text(t, config) for t in texts], args.repeat)
        except Exception as exc:  # a stage that is not there yet
            print(f"{name:<34} {'-':>8} {'':>16} ({type(exc).__name__}: {exc})")
            continue
        print(f"{name:<34} {mb / seconds:8.2f} {seconds / base:16.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS) of this process: {peak:.0f} MB")

    cleaner = shutil.which("cleaner", path=str(Path(sys.executable).parent))
    if cleaner is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for p in files:
            shutil.copy(p, src / p.name)
        for jobs in (1, args.jobs):
            out = Path(tmp) / f"out{jobs}"
            start = time.perf_counter()
            subprocess.run([cleaner, "run", str(src), "-o", str(out), "-q", "--jobs", str(jobs)], check=False)
            seconds = time.perf_counter() - start
            print(f"cli --jobs {jobs}: {seconds:6.2f} s, {mb / seconds:6.2f} MB/s (includes start-up and loading)")
        same = all((Path(tmp) / "out1" / p.name).read_bytes() == (Path(tmp) / f"out{args.jobs}" / p.name).read_bytes() for p in files)
        print(f"--jobs 1 and --jobs {args.jobs} outputs identical: {same}")


if __name__ == "__main__":
    main()

"""Throughput of the whole default pipeline and of each stage, on real web pages.

Reads the WCXB development pages from ../shared/boilerplate-dev (or a folder
given with --corpus).  Every figure is printed beside a baseline measured in
the same process on the same text: decoding and encoding the bytes without
cleaning (what any tool must do at least); in-process figures are CPU time.  Peak memory is the process's
maximum resident set size.  Then the command line end to end, writing to a temporary --output folder:
--jobs 1 against --jobs N and against ftfy's encoding repair alone (fix_text
with the restyling fixes off) over the same files, alternated.

    python bench/pipeline.py [--corpus DIR] [--limit N] [--repeat 3]
    python bench/pipeline.py --no-inprocess --copies 4 --cli-rounds 3 --jobs 2   # the 50 MB corpus
    python bench/ab.py /tmp/base .     # in process, against an older checkout
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
    parser.add_argument("--copies", type=int, default=1, help="end to end: the pages copied N times (4: the 50 MB corpus)")
    parser.add_argument("--cli-rounds", type=int, default=1, help="end to end: alternated rounds")
    parser.add_argument("--no-inprocess", action="store_true", help="only the command line, end to end")
    parser.add_argument("--also", action="append", default=[], help="end to end: also this checkout's cleaner (python -m cleaner, PYTHONPATH=DIR), --jobs 1")
    parser.add_argument("--no-cli", action="store_true", help="only the in-process figures")
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

    if args.no_inprocess:
        command_line(files, args)
        return
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

    if not args.no_cli:
        command_line(files, args)


# ftfy's encoding repair alone: what the issue compares `cleaner run --jobs 1` with.
FTFY_SCRIPT = """
import sys
from pathlib import Path
from ftfy import fix_text
src, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
for path in sorted(src.iterdir()):
    text = path.read_bytes().decode("utf-8")
    text = fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False,
                    fix_line_breaks=False, normalization=None)
    (out / path.name).write_bytes(text.encode("utf-8"))
"""


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, all child processes) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def command_line(files: list[Path], args) -> None:
    """End to end: `cleaner run DIR -o OUT` at --jobs 1 and --jobs N, and ftfy's
    encoding repair over the same files, alternated, ``--cli-rounds`` times;
    each figure is the minimum.  The corpus is the pages copied ``--copies`` times."""
    cleaner = shutil.which("cleaner", path=str(Path(sys.executable).parent))
    if cleaner is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for copy in range(args.copies):
            for p in files:
                (src / f"{copy}-{p.name}").write_bytes(p.read_bytes())
        mb = sum(p.stat().st_size for p in src.iterdir()) / 1e6
        script = Path(tmp) / "ftfy_encoding.py"
        script.write_text(FTFY_SCRIPT)
        commands = {
            "ftfy fix_text, encoding only": lambda out: [sys.executable, str(script), str(src), out],
            "cleaner run --jobs 1": lambda out: [cleaner, "run", str(src), "-o", out, "-q", "--jobs", "1"],
        }
        for other in args.also:
            env_cmd = ["env", f"PYTHONPATH={Path(other).resolve()}", sys.executable, "-m", "cleaner"]
            commands[f"{other}: run --jobs 1"] = lambda out, c=env_cmd: c + ["run", str(src), "-o", out, "-q", "--jobs", "1"]
        if args.jobs != 1:
            commands[f"cleaner run --jobs {args.jobs}"] = lambda out: [cleaner, "run", str(src), "-o", out, "-q", "--jobs", str(args.jobs)]
        best = {name: [float("inf"), float("inf")] for name in commands}
        loads = [os.getloadavg()[0]]
        for round_ in range(args.cli_rounds):
            for i, (name, make) in enumerate(commands.items()):
                out = str(Path(tmp) / f"out{i}")
                shutil.rmtree(out, ignore_errors=True)
                wall, cpu = _timed(make(out))
                best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
            loads.append(os.getloadavg()[0])
        print(f"\nend to end: {len(list(src.iterdir()))} files, {mb:.1f} MB ({args.copies} copies); "
              f"min of {args.cli_rounds} alternated rounds; 1-minute load average {min(loads):.1f}-{max(loads):.1f} "
              f"on {os.cpu_count()} cores")
        print(f"{'command':<32} {'wall s':>7} {'CPU s':>7} {'MB/s wall':>10} {'x ftfy wall':>12} {'x ftfy CPU':>11}")
        ftfy_wall, ftfy_cpu = best["ftfy fix_text, encoding only"]
        for name, (wall, cpu) in best.items():
            print(f"{name:<32} {wall:7.2f} {cpu:7.2f} {mb / wall:10.2f} {ftfy_wall / wall:12.2f} {ftfy_cpu / cpu:11.2f}")
        if args.jobs != 1:
            one, many = best["cleaner run --jobs 1"][0], best[f"cleaner run --jobs {args.jobs}"][0]
            print(f"--jobs {args.jobs} / --jobs 1 wall speed: x{one / many:.2f}")
            names = sorted(p.name for p in src.iterdir())
            last = len(commands) - 1
            same = all((Path(tmp) / "out1" / n).read_bytes() == (Path(tmp) / f"out{last}" / n).read_bytes() for n in names)
            print(f"--jobs 1 and --jobs {args.jobs} outputs identical: {same}")


if __name__ == "__main__":
    main()

"""Real web text on one huge line against the same text as ordinary lines,
each through ``cleaner run`` (a subprocess): CPU seconds, wall seconds and
peak memory, and the ratio of the two layouts at each size.

    python bench/long_line.py [--sizes 5 10 20] [--jobs 1] [--keep DIR]

The text is the development pages (../shared/boilerplate-dev, the pages, not
their gold texts) repeated to the size; "one line" is the same lines joined by
single spaces.  A step that is linear in a document's size but not in a
line's shows as a ratio that grows with the size; the growth columns give
each layout's time and memory at this size over the previous size's.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "boilerplate-dev"


def web_lines() -> list[str]:
    pages = [p.read_text(encoding="utf-8") for p in sorted(PAGES.glob("*.txt")) if not p.name.endswith(".gold.txt")]
    return "\n".join(pages).split("\n")


def layouts(lines: list[str], megabytes: int) -> dict[str, str]:
    wanted = megabytes * 1_000_000
    chosen, size, i = [], 0, 0
    while size < wanted:
        line = lines[i % len(lines)]
        chosen.append(line)
        size += len(line.encode("utf-8")) + 1
        i += 1
    return {"lines": "\n".join(chosen) + "\n", "one line": " ".join(chosen) + "\n"}


# Started from this process (which holds the texts), the run would count this
# process's resident memory at its fork in its own peak: a small go-between
# starts it and reports what wait4 tells of it (its workers included).
MEASURE = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(proc.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def run(folder: Path, jobs: int) -> tuple[float, float, float]:
    """(CPU s of the run and its workers, wall s, peak RSS MB of the largest process)."""
    out = folder.parent / (folder.name + "-out")
    command = [sys.executable, "-m", "cleaner", "run", "-q", "-j", str(jobs), str(folder), "-o", str(out)]
    start = time.perf_counter()
    measured = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True)
    wall = time.perf_counter() - start
    code, cpu, peak_kb = measured.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"cleaner run exited {code} on {folder}: {measured.stderr}")
    return float(cpu), wall, int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 10, 20], help="megabytes")
    parser.add_argument("--jobs", type=int, default=1, help="cleaner run -j")
    parser.add_argument("--keep", help="write the inputs and outputs here (default: a temporary folder)")
    args = parser.parse_args()
    lines = web_lines()
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(args.keep or scratch)
        print(f"{'MB':>4s} {'layout':9s} {'CPU s':>7s} {'wall s':>7s} {'MB/s':>6s} {'peak MB':>8s} "
              f"{'CPU x lines':>11s} {'RSS x lines':>11s} {'CPU growth':>10s} {'RSS growth':>10s}")
        previous: dict[str, tuple[float, float]] = {}
        for mb in args.sizes:
            figures = {}
            for name, text in layouts(lines, mb).items():
                folder = base / f"{name.replace(' ', '-')}-{mb}"
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "web.txt").write_text(text, encoding="utf-8")
                cpu, wall, rss = figures[name] = run(folder, args.jobs)
                lines_cpu, _, lines_rss = figures["lines"]
                growth = ""
                if name in previous:
                    growth = f"{cpu / previous[name][0]:10.2f} {rss / previous[name][1]:10.2f}"
                print(f"{mb:4d} {name:9s} {cpu:7.1f} {wall:7.1f} {mb / cpu:6.2f} {rss:8.0f} "
                      f"{cpu / lines_cpu:11.2f} {rss / lines_rss:11.2f} {growth}", flush=True)
                previous[name] = (cpu, rss)


if __name__ == "__main__":
    main()

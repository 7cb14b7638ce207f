"""How long `cleaner --help` takes to start, against bare Python in the same session.

Target: under 0.3 s.  The CLI imports only typer at start-up; the library,
ftfy, rapidfuzz and wordfreq load when a command needs them.  Wall time on a
shared machine is noisy, so we report medians of many runs, interleaved with
the baseline (`python -c pass`) so both see the same load, and their ratio.

    python bench/startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    exe = Path(sys.executable)
    cleaner = shutil.which("cleaner", path=str(exe.parent)) or shutil.which("cleaner")
    if cleaner is None:
        sys.exit("cleaner is not installed next to this python")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import typer'": [sys.executable, "-c", "import typer"],
        "cleaner --help": [cleaner, "--help"],
        "cleaner run --help": [cleaner, "run", "--help"],
    }
    for cmd in commands.values():  # warm the page cache
        _time(cmd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            times[name].append(_time(cmd))
    base = statistics.median(times["python -c pass"])
    print(f"{'command':<28} {'median s':>9} {'min s':>7} {'x python':>9}")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"{name:<28} {med:9.3f} {min(values):7.3f} {med / base:9.1f}")
    verdict = "OK" if statistics.median(times["cleaner --help"]) < 0.3 else "OVER TARGET"
    print(f"cleaner --help target < 0.300 s: {verdict}")


if __name__ == "__main__":
    main()

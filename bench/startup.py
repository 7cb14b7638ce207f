"""How long `cleaner --help` and `cleaner run FILE` take to start, against bare Python and codespell.

Target: under 0.3 s.  The CLI imports only typer at start-up; the library,
ftfy, rapidfuzz and wordfreq load when a command needs them.  Wall time on a
shared machine is noisy, so we report medians of many runs, interleaved with
the baseline (`python -c pass`) so both see the same load, and their ratio,
and the CPU time (user + system) of each command beside it: on a loaded
machine that is the steadier figure, and wall minus CPU is time spent waiting
(for a core, or for the disk: fixing a file in place syncs it before renaming).

`cleaner run FILE` (fixing one small page in place, a fresh writable copy
each time, as a pre-commit hook calls it) is compared with `codespell FILE`
on the same page (codespell installed in the same environment, for the bench
only: `pip install codespell`); target: at most 1.5x codespell.

    python bench/startup.py [--runs 21] [--page ../shared/boilerplate-dev/0001.txt]
    python bench/startup.py --callgrind     # instructions instead of wall time (a loaded machine)
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _time(cmd: list[str], page: Path | None = None, target: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of one run of cmd."""
    if page is not None and target is not None:
        target.unlink(missing_ok=True)
        target.write_bytes(page.read_bytes())  # a fresh, writable copy: the run changes it
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--callgrind", action="store_true", help="count instructions (valgrind) instead of timing")
    parser.add_argument("--page", type=Path, default=ROOT.parent / "shared" / "boilerplate-dev" / "0001.txt")
    args = parser.parse_args()
    exe = Path(sys.executable)
    cleaner = shutil.which("cleaner", path=str(exe.parent)) or shutil.which("cleaner")
    if cleaner is None:
        sys.exit("cleaner is not installed next to this python")
    codespell = shutil.which("codespell", path=str(exe.parent)) or shutil.which("codespell")
    tmp = Path(tempfile.mkdtemp())
    target = tmp / args.page.name
    size = len(args.page.read_bytes())
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import typer'": [sys.executable, "-c", "import typer"],
        "cleaner --help": [cleaner, "--help"],
        "cleaner run --help": [cleaner, "run", "--help"],
        "cleaner run FILE": [cleaner, "run", str(target), "-q"],
    }
    if codespell:
        commands["codespell FILE"] = [codespell, str(target)]
    # As pip install leaves it: byte-compiled (PYTHONDONTWRITEBYTECODE would
    # otherwise make every run compile cleaner's sources again).
    import cleaner

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(cleaner.__file__).parent)], check=True)
    for cmd in commands.values():  # warm the page cache
        _time(cmd, args.page, target)
    if args.callgrind:
        print(f"FILE: a copy of {args.page} ({size} bytes); instructions (valgrind --tool=callgrind), one run each")
        counts = {}
        for name, cmd in commands.items():
            target.unlink(missing_ok=True)
            target.write_bytes(args.page.read_bytes())
            out = tmp / "callgrind.out"
            done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + cmd,
                                  capture_output=True, text=True)
            counts[name] = int(re.search(r"Collected : (\d+)", done.stderr).group(1))
            print(f"{name:<28} {counts[name] / 1e6:10.0f} M instructions", flush=True)
        if codespell:
            print(f"cleaner run FILE / codespell FILE (instructions): x{counts['cleaner run FILE'] / counts['codespell FILE']:.2f}")
        shutil.rmtree(tmp)
        return
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            wall, used = _time(cmd, args.page, target)
            times[name].append(wall)
            cpu[name].append(used)
    shutil.rmtree(tmp)
    print(f"FILE: a copy of {args.page} ({size} bytes), fresh before each run; {args.runs} alternated runs")
    base = statistics.median(times["python -c pass"])
    print(f"{'command':<28} {'median s':>9} {'min s':>7} {'x python':>9} {'CPU s':>7}")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"{name:<28} {med:9.3f} {min(values):7.3f} {med / base:9.1f} {statistics.median(cpu[name]):7.3f}")
    verdict = "OK" if statistics.median(times["cleaner --help"]) < 0.3 else "OVER TARGET"
    print(f"cleaner --help target < 0.300 s: {verdict}")
    if codespell:
        ratio = statistics.median(times["cleaner run FILE"]) / statistics.median(times["codespell FILE"])
        cpu_ratio = statistics.median(cpu["cleaner run FILE"]) / statistics.median(cpu["codespell FILE"])
        verdict = "OK" if ratio <= 1.5 else "OVER TARGET"
        print(f"cleaner run FILE / codespell FILE (medians): x{ratio:.2f} wall, x{cpu_ratio:.2f} CPU; "
              f"target <= 1.5: {verdict}")


if __name__ == "__main__":
    main()

"""Corpus scale: shards against plain files, --jobs 1 against 2, Dask against the local pool, peak memory.

Builds, from the WCXB development pages in ../shared/boilerplate-dev, about
--mb MB of text twice: as plain files (one page per file) and as JSONL.gz
shards (one page per record), plus a few very large records (100 pages
each) and the same texts as plain files.  Each run is the real command
(``cleaner run DIR -o OUT -q``) in a subprocess, and every shard run has the
plain-file run of the same texts beside it in the same invocation:

- MB/s of text per core, by wall time (wall x workers) and by CPU time
  (the children's user+sys: less sensitive to other users of the machine);
- JSONL overhead = plain MB/s / JSONL MB/s - 1 (target <= 5%);
- --jobs 2 against --jobs 1 (target >= 1.8x) and Dask's two-worker
  LocalCluster against the local pool (target within 10%).

Then peak memory: the VmHWM (peak resident set) of every process of a run
cleaning one JSONL.gz shard and one plain dump of --rss-mb MB, and of half
that size, so that flat memory shows as equal peaks.  The load average is
printed before and after every run: the machine may be shared.

    python bench/corpus.py [--mb 200] [--rss-mb 1024] [--skip-speed] [--skip-rss] [--no-dask]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "boilerplate-dev"


def load_pages(folder: Path) -> list[tuple[str, str]]:
    pages = sorted(p for p in folder.glob("*.txt") if not p.name.endswith(".gold.txt"))
    return [(p.stem, p.read_text(encoding="utf-8")) for p in pages]


def build_speed_corpus(pages, mb: float, work: Path) -> tuple[Path, Path, int]:
    """The same texts as plain files and as JSONL.gz shards; returns (plain dir, shard dir, bytes of text)."""
    plain, shards = work / "plain", work / "shards"
    plain.mkdir()
    shards.mkdir()
    texts: list[tuple[str, str]] = []
    total, copy = 0, 0
    target = mb * 1e6
    # a few very large records: 100 pages each
    for n in range(3):
        big = "\n".join(text for _, text in pages[n * 100:(n + 1) * 100])
        texts.append((f"large-{n}", big))
        total += len(big.encode())
    while total < target:
        for pid, text in pages:
            texts.append((f"c{copy}-{pid}", text))
            total += len(text.encode())
            if total >= target:
                break
        copy += 1
    shard_bytes = 10e6
    shard, size, out = 0, 0.0, None
    for name, text in texts:
        (plain / f"{name}.txt").write_text(text, encoding="utf-8")
        if out is None or size >= shard_bytes:
            if out is not None:
                out.close()
            out = gzip.open(shards / f"shard-{shard:04d}.jsonl.gz", "wt", encoding="utf-8")
            shard, size = shard + 1, 0.0
        out.write(json.dumps({"id": name, "text": text, "source": "wcxb-dev"}, ensure_ascii=False) + "\n")
        size += len(text)
    out.close()
    return plain, shards, total


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], work: Path) -> tuple[float, float, tuple[float, float]]:
    """Run the command; (wall seconds, children's CPU seconds, load average before/after)."""
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    load_before = os.getloadavg()[0]
    cpu0, t0 = children_cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cleaner", "run", *args, "-o", str(out), "-q"], capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
    if done.returncode not in (0, 1):
        sys.exit(f"cleaner failed ({done.returncode}): {done.stderr[-2000:]}")
    shutil.rmtree(out, ignore_errors=True)
    return wall, cpu, (load_before, os.getloadavg()[0])


def speed(pages, mb: float, work: Path, dask: bool, only: set[str] | None = None) -> None:
    plain, shards, size = build_speed_corpus(pages, mb, work)
    mbytes = size / 1e6
    print(f"corpus: {mbytes:.0f} MB of text, {len(list(plain.iterdir()))} plain files, "
          f"{len(list(shards.iterdir()))} JSONL.gz shards ({sum(p.stat().st_size for p in shards.iterdir()) / 1e6:.0f} MB compressed)")
    setups = [("--jobs 1", ["--jobs", "1"], 1), ("--jobs 2", ["--jobs", "2"], 2)]
    if dask:
        setups.append(("dask 2 workers", ["--jobs", "2", "--executor", "dask"], 2))
    if only:
        setups = [s for s in setups if s[0].split()[-1] in only or s[0].split()[0] in only]
    results = {}
    for label, flags, workers in setups:
        for kind, folder in (("plain", plain), ("jsonl", shards)):
            wall, cpu, load = run([str(folder), *flags], work)
            results[label, kind] = (wall, cpu)
            print(f"{label:<15} {kind:<6} wall {wall:7.1f} s  {mbytes / wall / workers:5.2f} MB/s per core (wall)  "
                  f"{mbytes / cpu:5.2f} MB per CPU-second  load {load[0]:.1f} -> {load[1]:.1f}", flush=True)
    if dask and any(label.startswith("dask") for label, _, _ in setups):
        dask_startup()
    print("-- ratios (same run, same texts)")
    for label, _, _ in setups:
        (pw, pc), (jw, jc) = results[label, "plain"], results[label, "jsonl"]
        print(f"{label:<15} JSONL overhead: wall {jw / pw - 1:+.1%}, CPU {jc / pc - 1:+.1%}")
    for kind in ("plain", "jsonl"):
        parts = []
        if ("--jobs 1", kind) in results and ("--jobs 2", kind) in results:
            (w1, c1), (w2, c2) = results["--jobs 1", kind], results["--jobs 2", kind]
            parts.append(f"--jobs 2 / --jobs 1 speed-up: {w1 / w2:.2f}x (CPU per MB x{c2 / c1:.2f})")
        if ("dask 2 workers", kind) in results and ("--jobs 2", kind) in results:
            (wd, cd), (w2, c2) = results["dask 2 workers", kind], results["--jobs 2", kind]
            parts.append(f"dask / local pool time: {wd / w2:.2f}x (CPU x{cd / c2:.2f})")
        print(f"{kind:<6} " + "; ".join(parts))


DASK_STARTUP = """
import time
t0 = time.perf_counter()
from cleaner.batch import DaskExecutor, warm_up
from cleaner.runner import RunOptions
t1 = time.perf_counter()
warm_up(RunOptions(), None)
t2 = time.perf_counter()
import distributed
t3 = time.perf_counter()
executor = DaskExecutor(2)
t4 = time.perf_counter()
executor.close()
t5 = time.perf_counter()
print(f"{t1 - t0:.2f} {t2 - t1:.2f} {t3 - t2:.2f} {t4 - t3:.2f} {t5 - t4:.2f}")
"""


def dask_startup() -> None:
    """The fixed cost of a Dask run apart from cleaning (the local pool's start-up has the first two too)."""
    done = subprocess.run([sys.executable, "-c", DASK_STARTUP], capture_output=True, text=True)
    if done.returncode:
        print(f"dask start-up: failed: {done.stderr[-500:]}")
        return
    imp, warm, dask_imp, start, close = map(float, done.stdout.split()[-5:])
    print(f"dask fixed cost: import cleaner {imp:.2f} s, load the rules {warm:.2f} s (both as the local pool), "
          f"import distributed {dask_imp:.2f} s, two-worker LocalCluster start {start:.2f} s, close {close:.2f} s; "
          f"load {os.getloadavg()[0]:.1f}")


def vmhwm_of_tree(root_pid: int, peaks: dict[int, tuple[str, int]], stop: threading.Event) -> None:
    """Sample the peak RSS (VmHWM) of root_pid and all its descendants until stop."""
    while not stop.is_set():
        pids = [root_pid]
        try:
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    pids.append(int(entry))
        except OSError:
            pass
        parents = {}
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    parents[pid] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
        tree = {root_pid}
        changed = True
        while changed:
            changed = False
            for pid, ppid in parents.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    changed = True
        for pid in tree:
            try:
                with open(f"/proc/{pid}/status") as fh:
                    status = fh.read()
            except OSError:
                continue
            name = status.split("\n", 1)[0].split(":", 1)[1].strip()
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    kb = int(line.split()[1])
                    if kb > peaks.get(pid, ("", 0))[1]:
                        peaks[pid] = (name, kb)
        stop.wait(0.2)


def peak_rss(args: list[str], work: Path) -> tuple[float, list[int], tuple[float, float]]:
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "run", *args, "-o", str(out), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, tuple[str, int]] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=vmhwm_of_tree, args=(proc.pid, peaks, stop))
    watcher.start()
    err = proc.communicate()[1]
    stop.set()
    watcher.join()
    if proc.returncode not in (0, 1):
        sys.exit(f"cleaner failed: {err[-2000:]!r}")
    shutil.rmtree(out, ignore_errors=True)
    return time.perf_counter() - t0, sorted((kb // 1024 for _, kb in peaks.values()), reverse=True), (load_before, os.getloadavg()[0])


def build_big(pages, mb: float, folder: Path) -> tuple[Path, Path]:
    """One JSONL.gz shard and one plain dump, each about mb MB of text (the
    dev pages repeated; each page's JSON is made once, so 1 GB takes about a
    minute, mostly gzip)."""
    folder.mkdir(parents=True)
    shard, dump = folder / "big.jsonl.gz", folder / "big.txt"
    encoded = [(pid, json.dumps(text, ensure_ascii=False), (text + "\n").encode()) for pid, text in pages]
    total, n = 0, 0
    with gzip.open(shard, "wb", compresslevel=1) as js, open(dump, "wb") as plain:
        while total < mb * 1e6:
            pid, text_json, text_bytes = encoded[n % len(encoded)]
            js.write(f'{{"id": "{n}-{pid}", "text": {text_json}}}\n'.encode())
            plain.write(text_bytes)
            total += len(text_bytes)
            n += 1
    return shard, dump


def memory(pages, mb: float, work: Path) -> None:
    for size in (mb / 2, mb):
        folder = work / f"big-{size:.0f}"
        shard, dump = build_big(pages, size, folder)
        for label, path in (("JSONL.gz shard", shard), ("plain dump", dump)):
            for jobs in ("2",):  # the parent and two workers: every process of a pooled run
                wall, peaks, load = peak_rss([str(path), "--jobs", jobs], work)
                print(f"{size:6.0f} MB {label:<15} --jobs {jobs}: peak RSS per process {peaks} MB "
                      f"(largest {peaks[0]} MB), {size / wall:.2f} MB/s, load {load[0]:.1f} -> {load[1]:.1f}", flush=True)
        shutil.rmtree(folder)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=Path, default=PAGES)
    ap.add_argument("--mb", type=float, default=200, help="MB of text for the speed runs")
    ap.add_argument("--rss-mb", type=float, default=1024, help="MB of text in the largest memory run")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-rss", action="store_true")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask runs (no cleaner[dask])")
    ap.add_argument("--only", default="", help="comma-separated setups to run: 1, 2, dask (default: all)")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = ap.parse_args()
    pages = load_pages(args.pages)
    if not pages:
        sys.exit(f"no pages in {args.pages}")
    work = Path(tempfile.mkdtemp(prefix="cleaner-corpus-", dir=args.work))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    try:
        if not args.skip_speed:
            speed(pages, args.mb, work, dask=not args.no_dask, only=set(filter(None, args.only.split(","))) or None)
        if not args.skip_rss:
            memory(pages, args.rss_mb, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

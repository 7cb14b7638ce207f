"""The Dask executor on a two-process LocalCluster: the same output as --jobs 1, a killed worker costs nothing.

Needs the extra ``cleaner[dask]`` (CI installs it); skipped without it.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from cleaner.batch import DaskExecutor, Serial  # noqa: E402
from cleaner.files import Target  # noqa: E402
from cleaner.runner import RunOptions  # noqa: E402

DIRTY = "Hello\u00a0 world  \n\n\nThe efforts .Of the team.\n"
OPTIONS = RunOptions(overrides=(("select", ("whitespace", "spacing")),))


def make_corpus(root: Path, shards: int, records: int) -> list[Path]:
    root.mkdir(parents=True)
    paths = []
    for s in range(shards):
        path = root / f"shard-{s:02d}.jsonl.gz"
        lines = (json.dumps({"id": f"{s}-{r}", "text": DIRTY * (1 + r % 5) + f"Record {r}  of {s}.\n"}) for r in range(records))
        path.write_bytes(gzip.compress("\n".join(lines).encode() + b"\n"))
        paths.append(path)
    (root / "plain.txt").write_text(DIRTY * 3, encoding="utf-8")
    paths.append(root / "plain.txt")
    return paths


def targets_for(paths: list[Path], out: Path) -> list[Target]:
    return [Target(p.resolve(), p.name, out / p.name) for p in paths]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _rule_sets_built() -> int:
    from cleaner.rules import load_ruleset

    return load_ruleset.cache_info().misses


def test_dask_output_and_counts_equal_jobs_1_and_workers_load_rules_once(tmp_path):
    paths = make_corpus(tmp_path / "in", shards=5, records=200)
    serial = list(Serial().map_targets(targets_for(paths, tmp_path / "serial"), OPTIONS))
    executor = DaskExecutor(workers=2)
    try:
        assert executor.workers == 2
        # (a forked worker starts with this process's cache and its counts)
        before = executor.client.run(_rule_sets_built)
        reports = list(executor.map_targets(targets_for(paths, tmp_path / "dask"), OPTIONS))
        # rule files read and compiled once per worker (records and plain files then select from them)
        after = executor.client.run(_rule_sets_built)
        misses = {worker: after[worker] - before[worker] for worker in after}
    finally:
        executor.close()
    assert tree(tmp_path / "dask") == tree(tmp_path / "serial")
    assert [(r.display, r.status, r.counts, getattr(r, "documents", None)) for r in reports] == [
        (r.display, r.status, r.counts, getattr(r, "documents", None)) for r in serial
    ]
    assert sum(r.counts["spacing.space-before-punct"] for r in reports) == 5 * sum(1 + r % 5 for r in range(200)) + 3
    # Each worker process built its rule set at most once (none when forked
    # from this process after it loaded them), however many tasks it ran.
    assert len(misses) == 2 and all(m <= 1 for m in misses.values())


def test_a_worker_killed_mid_run_loses_no_task_and_leaves_no_partial_file(tmp_path):
    paths = make_corpus(tmp_path / "in", shards=8, records=1500)
    expected_dir = tmp_path / "serial"
    list(Serial().map_targets(targets_for(paths, expected_dir), OPTIONS))
    out = tmp_path / "dask"
    executor = DaskExecutor(workers=2)
    try:
        pids = executor.client.run(os.getpid)
        reports = []
        killed = None
        for report in executor.map_targets(targets_for(paths, out), OPTIONS):
            reports.append(report)
            if killed is None:
                # The first shard is back: kill a worker while it cleans a shard.
                busy = [address for address, keys in executor.client.processing().items() if keys]
                assert busy, "no worker is busy: the corpus is too small to kill one mid-run"
                killed = pids[busy[0]]
                os.kill(killed, signal.SIGKILL)
    finally:
        executor.close()
    assert killed is not None
    assert [r.status for r in reports] == ["changed"] * len(paths)
    assert tree(out) == tree(expected_dir)
    assert not [p for p in out.iterdir() if p.name.endswith(".cleaner-tmp")]


def test_the_command_runs_on_a_local_dask_cluster(tmp_path):
    make_corpus(tmp_path / "in", shards=3, records=50)
    run = [sys.executable, "-m", "cleaner", "run", "in", "--select", "whitespace,spacing"]
    one = subprocess.run([*run, "-o", "one", "--jobs", "1"], cwd=tmp_path, capture_output=True)
    two = subprocess.run([*run, "-o", "two", "--jobs", "2", "--executor", "dask"], cwd=tmp_path, capture_output=True)
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert one.stderr.splitlines()[-1] == two.stderr.splitlines()[-1]
    bad = subprocess.run([*run, "--scheduler", "tcp://127.0.0.1:1"], cwd=tmp_path, capture_output=True)
    assert bad.returncode == 2 and b"--scheduler is for --executor dask" in bad.stderr

"""A batch of targets: what cleans each one, and where the work runs.

``clean_target`` picks the cleaner for one target: a corpus shard record by
record, a large plain file block by block, any other file whole.  An
``Executor`` runs that work: ``Serial`` here, ``LocalPool`` in local worker
processes, ``DaskExecutor`` on a Dask cluster.  Every executor offers the
same two things, so another engine (Ray, say) is one more class here and no
stage or format changes:

- ``map_targets``: clean whole targets, reports in input order;
- ``document_cleaner``: clean batches of documents for one large target
  whose reading and writing stays in this process (one big shard keeps
  every worker busy).

Outputs are written by whoever cleans a target, atomically; a task lost with
its worker leaves at most a temporary file, which ``remove_temporaries``
sweeps once the run is over.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, Protocol

from .corpus import shard_format
from .corpus.blocks import LARGE_FILE_BYTES, clean_large_file
from .corpus.documents import DocumentCleaner, InPool, InProcess
from .corpus.shard import clean_shard
from .files import Target
from .pipeline import clean_text
from .runner import FileReport, RunOptions, clean_file, prepare_file, write_behind

LOST = "not cleaned: a worker process died (out of memory?)"


def is_streamed(target: Target) -> bool:
    """Cleaned as a stream of documents (a shard, or a plain file too large to hold)?"""
    if shard_format(target.source.name) is not None:
        return True
    try:
        return os.path.getsize(target.source) > LARGE_FILE_BYTES
    except OSError:
        return False


def clean_target(target: Target, options: RunOptions, cleaner: DocumentCleaner | None = None) -> FileReport:
    """Clean one target of any kind; never raises for a problem with it."""
    if shard_format(target.source.name) is not None:
        return clean_shard(target, options, cleaner)
    if is_streamed(target):
        return clean_large_file(target, options, cleaner)
    return clean_file(target, options)


def prepare_target(target: Target, options: RunOptions):
    """``clean_target`` but for the write of a plain file: (report, the write or None),
    as ``runner.prepare_file``; a streamed target is cleaned and written whole."""
    if is_streamed(target):
        return clean_target(target, options), None
    return prepare_file(target, options)


def warm_up(options: RunOptions, target: Target | None) -> None:
    """Load rules and lexicons once, so that forked workers share them."""
    try:
        config = options.config_for(target.source) if target else options.config_for(Path("."))
        clean_text("Warm up\u00a0text.\n", config, path="warm.txt")
    except Exception:
        pass  # the real run reports it per file


def remove_temporaries(targets: list[Target]) -> None:
    """Remove the temporary files of writes cut short (a worker killed mid-write)."""
    folders: dict[Path, set[str]] = {}
    for target in targets:
        destination = target.output or target.source
        folders.setdefault(destination.parent, set()).add(destination.name)
    for folder, names in folders.items():
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            if not entry.endswith(".cleaner-tmp") or not entry.startswith("."):
                continue
            stem = entry[1:-len(".cleaner-tmp")]
            if stem.rpartition(".")[0] in names:
                try:
                    os.unlink(folder / entry)
                except OSError:
                    pass


class Executor(Protocol):
    workers: int

    def map_targets(self, targets: list[Target], options: RunOptions) -> Iterator[FileReport]: ...

    def document_cleaner(self) -> DocumentCleaner: ...

    def close(self) -> None: ...


class Serial:
    workers = 1

    def map_targets(self, targets: list[Target], options: RunOptions) -> Iterator[FileReport]:
        if len(targets) < 2 or options.mode != "fix":
            for target in targets:
                yield clean_target(target, options)
            return
        # Files are written in threads while the next ones are cleaned.
        yield from write_behind(prepare_target(target, options) for target in targets)

    def document_cleaner(self) -> DocumentCleaner:
        return InProcess()

    def close(self) -> None:
        pass


class LocalPool:
    """Worker processes on this machine, forked after the rules are loaded."""

    def __init__(self, workers: int, options: RunOptions, first: Target | None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        warm_up(options, first)
        self.workers = workers
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))

    def map_targets(self, targets: list[Target], options: RunOptions) -> Iterator[FileReport]:
        from concurrent.futures.process import BrokenProcessPool

        chunksize = max(1, min(64, len(targets) // (self.workers * 8)))
        done = 0

        def cleaned():
            nonlocal done
            for item in self._pool.map(prepare_target, targets, [options] * len(targets), chunksize=chunksize):
                done += 1
                yield item

        try:
            # The workers clean; this process writes plain files, in threads,
            # so that no worker waits for the disk (fsync) with a core idle.
            yield from write_behind(cleaned())
        except BrokenProcessPool:
            # A worker was killed (out of memory, a signal): every target not
            # yet reported is an error; none is half-written (writes are atomic).
            remove_temporaries(targets[done:])
            for target in targets[done:]:
                yield FileReport(target.display, "error", LOST)

    def document_cleaner(self) -> DocumentCleaner:
        return InPool(self._pool, self.workers)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


class DaskExecutor:
    """A Dask distributed cluster: an existing scheduler, or a LocalCluster of ``workers`` processes.

    Workers clean whole targets and write their outputs themselves, so they
    must see the same files (one machine or a shared file system).  A worker
    process keeps the rules it loaded for every later task.  A task lost with
    its worker is run again elsewhere by the scheduler (up to
    ``distributed.scheduler.allowed-failures`` times); its output appears only
    once complete, as writes are atomic.
    """

    def __init__(self, workers: int, scheduler: str | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError("--executor dask needs Dask: pip install 'cleaner[dask]'") from None
        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self._client = Client(self._cluster)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)

    @property
    def client(self):
        return self._client

    def map_targets(self, targets: list[Target], options: RunOptions) -> Iterator[FileReport]:
        futures = self._client.map(clean_target, targets, options=options, pure=False)
        try:
            for target, future in zip(targets, futures):
                try:
                    yield future.result()
                except Exception as exc:  # a task that failed on every worker it was given
                    yield FileReport(target.display, "error", f"{LOST}: {type(exc).__name__}")
                future.release()
        finally:
            remove_temporaries(targets)

    def document_cleaner(self) -> DocumentCleaner:
        return InPool(self._client, self.workers)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(name: str, workers: int, options: RunOptions, targets: list[Target], scheduler: str | None = None) -> Executor:
    if name == "dask":
        return DaskExecutor(workers, scheduler)
    if workers <= 1 or not targets:
        return Serial()
    return LocalPool(min(workers, max(len(targets), 2)), options, targets[0])


def run_targets(targets: list[Target], options: RunOptions, executor: Executor) -> Iterator[FileReport]:
    """Clean targets, reports in input order.

    With at least as many targets as workers, whole targets go to the workers.
    With fewer, a shard or large file is read and written here while its
    documents are cleaned in batches by the workers; small files go whole.
    """
    if executor.workers <= 1 or len(targets) >= executor.workers:
        yield from executor.map_targets(targets, options)
        return
    for target in targets:
        if is_streamed(target):
            report = clean_target(target, options, executor.document_cleaner())
            if report.status == "error" and "BrokenProcessPool" in report.message:
                report.message = LOST
            yield report
        else:
            yield from executor.map_targets([target], options)

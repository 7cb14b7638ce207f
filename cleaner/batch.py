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
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Protocol

from .corpus import LARGE_FILE_BYTES, shard_format
from .files import FolderSyncs, Target, block_stop_signals, patient_result, process_umask
from .pipeline import build_lookup_tables, clean_text
from .runner import FileReport, RunOptions, clean_file, prepare_file, stop_pool, worker_setup

if TYPE_CHECKING:  # pragma: no cover
    from .corpus.documents import DocumentCleaner

# The corpus modules are imported where a shard or a large file needs them: a
# pre-commit call cleaning one small file never does.

LOST = "not cleaned: a worker process died (out of memory?)"
# With fewer targets than this per worker, shards are cleaned in record batches.
WHOLE_TARGETS_PER_WORKER = 4


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
        from .corpus.shard import clean_shard

        return clean_shard(target, options, cleaner)
    if is_streamed(target):
        from .corpus.blocks import clean_large_file

        return clean_large_file(target, options, cleaner)
    return clean_file(target, options)


# Files written at once while the next ones are cleaned.  A write waits mostly
# for the disk (fsync) and holds no lock meanwhile; the disk takes several
# syncs at once about as fast as one, and the core goes on cleaning.
WRITERS = 4


def cleaned_in_order(targets: list[Target], options: RunOptions) -> Iterator[FileReport]:
    """Clean targets here, reports in input order; the writes of ordinary
    files run in threads while the next files are cleaned."""
    if options.mode != "fix" or len(targets) < 2:
        for target in targets:
            yield clean_target(target, options)
        return
    from concurrent.futures import Future, ThreadPoolExecutor

    pending: deque[FileReport | Future] = deque()
    process_umask()  # read here, before the writer threads start
    folders = FolderSyncs()
    writers = ThreadPoolExecutor(WRITERS, thread_name_prefix="cleaner-write", initializer=block_stop_signals)
    try:
        for target in targets:
            if is_streamed(target):
                report, write = clean_target(target, options), None  # (writes as it streams)
            else:
                report, write = prepare_file(target, options)
            pending.append(report if write is None else writers.submit(write, folders))
            # Only a few cleaned files wait for the disk (their bytes are held meanwhile).
            while pending and (len(pending) > 2 * WRITERS or _done(pending[0])):
                yield _report(pending.popleft())
        while pending:
            yield _report(pending.popleft())
    finally:
        # On a stop, the writes begun end (each is atomic), the others are dropped.
        writers.shutdown(wait=True, cancel_futures=True)
        folders.sync()


def _done(item) -> bool:
    return isinstance(item, FileReport) or item.done()


def _report(item) -> FileReport:
    return item if isinstance(item, FileReport) else patient_result(item)


def clean_targets(targets: list[Target], options: RunOptions) -> list[FileReport]:
    """Clean a chunk of targets in order (one task of a worker pool or a cluster)."""
    return list(cleaned_in_order(targets, options))


def task_chunks(targets: list[Target], workers: int) -> list[list[Target]]:
    """The targets cut into tasks: about eight tasks per worker, at most 64 targets a task."""
    size = max(1, min(64, len(targets) // (workers * 8)))
    return [targets[i:i + size] for i in range(0, len(targets), size)]


# A run with at least this much text a worker has the lookup tables built
# before it starts (see pipeline.build_lookup_tables), a pool's before its
# workers fork: each worker would build them within its first half megabyte or
# so anyway, after looking words up by bisection until then.
TABLES_BYTES_PER_WORKER = 1_000_000


def warm_up(options: RunOptions, target: Target | None, tables: bool = False) -> None:
    """Load rules and lexicons once, so that forked workers share them; with
    ``tables``, build the lookup tables a long run needs too."""
    try:
        config = options.config_for(target.source) if target else options.config_for(Path("."))
        clean_text("Warm up\u00a0text.\n", config, path="warm.txt")
        if tables:
            build_lookup_tables(config)
    except Exception:
        pass  # the real run reports it per file


def holds_bytes(targets: list[Target], size: int, sample: int = 256) -> bool:
    """Do the targets hold at least ``size`` bytes?  Stats only as many as it
    takes, at most ``sample`` of them: the rest are counted at their average."""
    total = 0
    for target in targets[:sample]:
        try:
            total += os.path.getsize(target.source)
        except OSError:
            continue
        if total >= size:
            return True
    return len(targets) > sample and total * len(targets) >= size * sample


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
    """This process.  With ``tables``, the lookup tables are built before the
    first target (see ``warm_up``): a long run pays for building them anyway,
    and looks its first few thousand words up by bisection otherwise."""

    workers = 1

    def __init__(self, tables: bool = False):
        self._tables = tables

    def map_targets(self, targets: list[Target], options: RunOptions) -> Iterator[FileReport]:
        if self._tables and targets:
            warm_up(options, targets[0], tables=True)
            self._tables = False
        yield from cleaned_in_order(targets, options)

    def document_cleaner(self) -> DocumentCleaner:
        from .corpus.documents import InProcess

        return InProcess()

    def close(self) -> None:
        pass


class LocalPool:
    """Worker processes on this machine, forked after the rules are loaded."""

    def __init__(self, workers: int, options: RunOptions, first: Target | None, tables: bool = False):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        warm_up(options, first, tables)
        self.workers = workers
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        others = set(multiprocessing.active_children())
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context(method),
            initializer=worker_setup, initargs=(os.getpid(),),
        )
        # Ours are the children that appear with the pool (fork starts them all at the first task).
        self._workers = lambda: [p for p in multiprocessing.active_children() if p not in others]
        self._mapping: list[Target] = []  # the targets of map_targets, for a stop's cleanup

    def map_targets(self, targets: list[Target], options: RunOptions) -> Iterator[FileReport]:
        from concurrent.futures.process import BrokenProcessPool

        self._mapping = targets
        chunks = task_chunks(targets, self.workers)
        done = 0
        try:
            futures = [self._pool.submit(clean_targets, chunk, options) for chunk in chunks]
            try:
                for future in futures:
                    for report in patient_result(future):
                        done += 1
                        yield report
            finally:
                for future in futures:
                    future.cancel()
        except BrokenProcessPool:
            # A worker was killed (out of memory, a signal): every target not
            # yet reported is an error; none is half-written (writes are atomic).
            remove_temporaries(targets[done:])
            for target in targets[done:]:
                yield FileReport(target.display, "error", LOST)

    def document_cleaner(self) -> DocumentCleaner:
        from .corpus.documents import InPool

        return InPool(self._pool, self.workers)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)

    def stop(self) -> None:
        """Stop now (a stop signal): no new target starts, running workers end."""
        stop_pool(self._pool, self._workers())
        remove_temporaries(self._mapping)  # a killed worker's write cut short


class DaskExecutor:
    """A Dask distributed cluster: an existing scheduler, or a LocalCluster of ``workers`` processes.

    Workers clean whole targets and write their outputs themselves, so they
    must see the same files (one machine or a shared file system).  A worker
    process keeps the rules it loaded for every later task.  A task lost with
    its worker is run again elsewhere by the scheduler (up to
    ``distributed.scheduler.allowed-failures`` times); its output appears only
    once complete, as writes are atomic.
    """

    def __init__(self, workers: int, scheduler: str | None = None, options: RunOptions | None = None, first: Target | None = None,
                 tables: bool = False):
        import multiprocessing

        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError("--executor dask needs Dask: pip install 'cleaner[dask]'") from None
        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            # A LocalCluster's workers are forked from this process once the
            # rules are loaded here, as the local pool's are: spawned, each
            # would import Dask and cleaner and load the rules again (seconds
            # of every run).  A method set in Dask's config other than its
            # default is kept.
            warm_up(options or RunOptions(), first, tables)
            method = dask.config.get("distributed.worker.multiprocessing-method", "spawn")
            if method == "spawn" and "fork" in multiprocessing.get_all_start_methods():
                method = "fork"
            quiet = {
                # The worker's sampling profiler (every 10 ms) and its event
                # loop's 20 ms tick take the GIL from the cleaning thread; no
                # dashboard is served to show what they gather.
                "distributed.worker.profile.enabled": False,
                "distributed.admin.tick.interval": "1s",
                "distributed.admin.system-monitor.interval": "5s",
            }
            with dask.config.set({"distributed.worker.multiprocessing-method": method, **quiet}):
                self._cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
            self._client = Client(self._cluster)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)

    @property
    def client(self):
        return self._client

    def map_targets(self, targets: list[Target], options: RunOptions) -> Iterator[FileReport]:
        # Small files go in chunks, as the local pool sends them: a task per
        # file costs the scheduler more than cleaning a small file does.
        chunks = task_chunks(targets, self.workers)
        futures = self._client.map(clean_targets, chunks, options=options, pure=False)
        try:
            for chunk, future in zip(chunks, futures):
                try:
                    reports = future.result()  # Dask's client waits in short steps itself
                except Exception as exc:  # a task that failed on every worker it was given
                    reports = [FileReport(t.display, "error", f"{LOST}: {type(exc).__name__}") for t in chunk]
                future.release()
                yield from reports
        finally:
            remove_temporaries(targets)

    def document_cleaner(self) -> DocumentCleaner:
        from .corpus.documents import InPool

        return InPool(_ImpureSubmit(self._client), self.workers)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


class _ImpureSubmit:
    """A Dask client's submit for batches of documents: not hashed to name the
    task (a megabyte of text each; equal batches are still cleaned twice)."""

    def __init__(self, client):
        self._client = client

    def submit(self, fn, *args):
        return self._client.submit(fn, *args, pure=False)


def make_executor(name: str, workers: int, options: RunOptions, targets: list[Target], scheduler: str | None = None) -> Executor:
    if name == "dask":
        return DaskExecutor(workers, scheduler, options, targets[0] if targets else None,
                            tables=holds_bytes(targets, TABLES_BYTES_PER_WORKER * workers))
    if workers <= 1 or not targets or (len(targets) == 1 and not is_streamed(targets[0])):
        # One ordinary file (a pre-commit call) is cleaned here: starting
        # workers would cost more than the file.  A streamed one can use them.
        return Serial(tables=holds_bytes(targets, TABLES_BYTES_PER_WORKER))
    workers = min(workers, max(len(targets), 2))
    return LocalPool(workers, options, targets[0], tables=holds_bytes(targets, TABLES_BYTES_PER_WORKER * workers))


def run_targets(targets: list[Target], options: RunOptions, executor: Executor) -> Iterator[FileReport]:
    """Clean targets, reports in input order.

    With many targets (WHOLE_TARGETS_PER_WORKER a worker or more) whole
    targets go to the workers.  With fewer, a few shards would keep the
    workers unevenly busy: a shard or large file is read and written here
    while its documents are cleaned in batches by the workers, and the small
    files between them go to the workers whole.
    """
    if executor.workers <= 1 or len(targets) >= WHOLE_TARGETS_PER_WORKER * executor.workers:
        yield from executor.map_targets(targets, options)
        return
    small: list[Target] = []
    for target in targets:
        if not is_streamed(target):
            small.append(target)
            continue
        if small:
            yield from executor.map_targets(small, options)
            small = []
        report = clean_target(target, options, executor.document_cleaner())
        if report.status == "error" and "BrokenProcessPool" in report.message:
            report.message = LOST
        yield report
    if small:
        yield from executor.map_targets(small, options)

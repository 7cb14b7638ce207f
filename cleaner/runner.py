"""Many files: clean each one, in a process pool or in this process.

``clean_file`` is the unit of work: read, decode, clean, compare, write.  It
never raises for a problem with one file; it returns a ``FileReport`` saying
what happened, so that one bad file costs one error line and the run goes on.
The executor is kept apart from the work: ``run_files`` maps ``clean_file``
over targets with a local process pool today, and a cluster executor can map
the same function tomorrow.  Results come back in input order, so output is
identical whatever ``--jobs`` is.
"""

from __future__ import annotations

import difflib
import os
from collections import Counter, deque
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .config import Config, ConfigError, config_for
from .files import BinaryFile, Decoded, FileProblem, Target, decode, encode, write_atomic
from .pipeline import Edit, Note, Result, SelectionError, clean_text, normalise_newlines
from .rules import RuleFileError

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import Future


@dataclass(frozen=True)
class RunOptions:
    """What to do with each file; the same for every file of a run."""

    mode: str = "fix"  # "fix", "check" or "diff"
    overrides: tuple[tuple[str, object], ...] = ()  # Config fields given as flags
    config_file: str | None = None  # --config: use this file instead of searching
    want_edits: bool = False  # keep the edit list (for --explain / json)
    extra_rules: tuple[str, ...] = ()  # --rules: added to the config's extend-rules
    extra_exclude: tuple[str, ...] = ()  # --exclude: added to the config's exclude
    want_texts: bool = False  # keep the text before and after (for --report)

    def config_for(self, path: Path) -> Config:
        explicit = Path(self.config_file) if self.config_file else None
        config = config_for(path, explicit).with_overrides(**dict(self.overrides))
        if self.extra_rules:
            config = config.with_overrides(extend_rules=config.extend_rules + self.extra_rules)
        return config


@dataclass
class FileReport:
    display: str
    status: str  # "unchanged", "changed", "skipped" or "error"
    message: str = ""
    encoding: str | None = None  # set when the encoding was detected, not known
    edits: list[Edit] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    diff: str = ""
    original: str = ""  # the decoded text, with want_texts
    cleaned: str = ""  # the cleaned text, with want_texts
    written: bool = False
    bytes_in: int = 0


def unified_diff(name: str, before: str, after: str) -> str:
    """A unified diff of a document before and after cleaning, by lines."""
    lines = difflib.unified_diff(
        normalise_newlines(before).splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    # When only bytes change (encoding, byte-order mark, line endings) the
    # texts are equal: say so rather than print an empty diff.
    return "".join(lines) or f"--- a/{name}\n+++ b/{name}\n(encoding, byte-order mark or line endings change only)\n"


def clean_bytes(data: bytes, config: Config, path: str | None) -> tuple[bytes, Decoded, Result]:
    """Decode, clean and encode one document; returns (new bytes, decoded, result)."""
    decoded = decode(data)
    result = clean_text(decoded.text, config, path=path)
    newline = decoded.newline if config.line_ending == "keep" else "\n"
    return encode(result.text, newline), decoded, result


def clean_file(target: Target, options: RunOptions) -> FileReport:
    report, write = prepare_file(target, options)
    return write() if write is not None else report


def prepare_file(target: Target, options: RunOptions) -> tuple[FileReport, Callable[[], FileReport] | None]:
    """Everything of ``clean_file`` but the write: the report, and the function
    that writes the file and returns the final report (None: nothing to write)."""
    report = FileReport(target.display, "unchanged")
    try:
        config = options.config_for(target.source)
        data = target.source.read_bytes()
        report.bytes_in = len(data)
        new, decoded, result = clean_bytes(data, config, target.display)
    except BinaryFile as exc:
        report.status, report.message = "skipped", str(exc)
        if target.output is not None and options.mode == "fix":
            report.message += "; not copied to the output folder"
        return report, None
    except (FileProblem, ConfigError, SelectionError) as exc:
        report.status, report.message = "error", str(exc)
        return report, None
    except RuleFileError as exc:
        report.status, report.message = "error", "; ".join(str(p) for p in exc.problems)
        return report, None
    except OSError as exc:
        report.status, report.message = "error", f"cannot read: {exc.strerror or exc}"
        return report, None
    except Exception as exc:  # a bug must cost one file, not the run
        report.status, report.message = "error", f"internal error: {type(exc).__name__}: {exc}"
        return report, None
    if decoded.detected:
        report.encoding = decoded.encoding
    report.notes = result.notes
    report.counts = result.counts
    if options.want_edits:
        report.edits = result.edits
    if options.want_texts:
        report.original, report.cleaned = decoded.text, result.text
    changed = new != data
    report.status = "changed" if changed else "unchanged"
    if options.mode == "diff" and changed:
        report.diff = unified_diff(target.display, decoded.text, result.text)
    if options.mode != "fix":
        return report, None
    if target.output is None and not changed:
        return report, None  # never rewrite a file whose bytes stay the same
    return report, partial(_write, report, target, new)


def _write(report: FileReport, target: Target, new: bytes) -> FileReport:
    destination = target.output or target.source
    try:
        if target.output is not None:
            target.output.parent.mkdir(parents=True, exist_ok=True)
            try:
                if target.output.read_bytes() == new:
                    return report
            except OSError:
                pass
        if target.output is None and not os.stat(destination).st_mode & 0o222:
            # Replacing the file would succeed (the folder is writable), but a
            # read-only file says its owner does not want it changed.
            report.status = "error"
            report.message = "read-only file, not changed (make it writable to clean it)"
            return report
        write_atomic(destination, new)
        report.written = True
    except OSError as exc:
        report.status = "error"
        report.message = f"cannot write {destination}: {exc.strerror or exc}"
    return report


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _warm_up(options: RunOptions, targets: list[Target]) -> None:
    """Load rules and lexicons once before forking, so workers share them."""
    try:
        clean_text("Warm up\u00a0text.\n", options.config_for(targets[0].source), path="warm.txt")
    except Exception:
        pass  # the real run will report it per file


# Files written at once by --jobs 1 while the next files are cleaned: a write
# waits mostly for the disk (fsync), in a thread that holds no lock meanwhile,
# and the disk takes several syncs at once about as fast as one.
WRITERS = 4


def _run_here(targets: list[Target], options: RunOptions) -> Iterator[FileReport]:
    """Clean targets in this process, in order; their writes run in threads
    while the next files are cleaned, and reports come back in input order."""
    if options.mode != "fix" or len(targets) < 2:
        for target in targets:
            yield clean_file(target, options)
        return
    yield from write_behind(prepare_file(target, options) for target in targets)


def write_behind(prepared: Iterable[tuple[FileReport, Callable[[], FileReport] | None]]) -> Iterator[FileReport]:
    """The final reports of ``prepare_file`` results, in order; the writes run
    in WRITERS threads while the next results are made.  If making one raises,
    the reports before it are given first."""
    from concurrent.futures import ThreadPoolExecutor  # (a 30 ms import: not for one file)

    pending: deque[FileReport | Future[FileReport]] = deque()
    with ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="cleaner-write") as writers:
        source = iter(prepared)
        while True:
            try:
                report, write = next(source)
            except StopIteration:
                break
            except BaseException:
                while pending:
                    yield _report(pending.popleft())
                raise
            pending.append(report if write is None else writers.submit(write))
            # At most a few files wait for their writes (their bytes in memory).
            while pending and (len(pending) > 2 * WRITERS or _ready(pending[0])):
                yield _report(pending.popleft())
        while pending:
            yield _report(pending.popleft())


def _ready(item: FileReport | Future[FileReport]) -> bool:
    return isinstance(item, FileReport) or item.done()


def _report(item: FileReport | Future[FileReport]) -> FileReport:
    return item if isinstance(item, FileReport) else item.result()


def run_files(
    targets: list[Target],
    options: RunOptions,
    jobs: int,
) -> Iterator[FileReport]:
    """Clean targets in input order, with a process pool when it pays off."""
    if jobs <= 1 or len(targets) < 2:
        yield from _run_here(targets, options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _warm_up(options, targets)
    jobs = min(jobs, len(targets))
    chunksize = max(1, min(64, len(targets) // (jobs * 8)))
    # fork shares the already loaded rules and lexicons with the workers.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    done = 0

    def cleaned() -> Iterator[tuple[FileReport, Callable[[], FileReport] | None]]:
        nonlocal done
        # The workers clean; this process writes, in threads, so that no
        # worker waits for the disk (fsync) with a core idle.
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for item in pool.map(prepare_file, targets, [options] * len(targets), chunksize=chunksize):
                done += 1
                yield item

    try:
        yield from write_behind(cleaned())
    except BrokenProcessPool:
        # A worker was killed (out of memory, a signal): every file not yet
        # cleaned gets an error, none is left half-written (writes are atomic).
        for target in targets[done:]:
            yield FileReport(target.display, "error", "not cleaned: a worker process died (out of memory?)")

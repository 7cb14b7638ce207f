"""One file: read, decode, clean, compare, write; and what a pool worker needs.

``clean_file`` is the unit of work.  It never raises for a problem with one
file; it returns a ``FileReport`` saying what happened, so that one bad file
costs one error line and the run goes on.  The executors that map it over
many files (this process, a local pool, a Dask cluster) are in ``batch``.
"""

from __future__ import annotations

import difflib
import os
import signal
import stat
import traceback
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable

from .config import Config, ConfigError, config_for
from .files import BinaryFile, ChangedMeanwhile, Decoded, FileProblem, FolderSyncs, Target, decode, encode, remove_temp_files, write_atomic
from .pipeline import Edit, Note, Result, SelectionError, UnsafeEdit, clean_text, normalise_newlines
from .rules import RuleFileError


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
        """The settings for a file or folder: the same for every file of a folder
        given by its absolute path (a symlink has those of where it points)."""
        name = os.fspath(path)
        try:
            mode = os.lstat(name).st_mode
        except OSError:
            return self.settings_for(path)
        if stat.S_ISLNK(mode) or stat.S_ISDIR(mode) or not os.path.isabs(name):
            return self.settings_for(path)
        try:
            return _folder_settings(self, os.path.dirname(name))
        except TypeError:  # an override given as a list (library use) cannot be a cache key
            return self.settings_for(path)

    def settings_for(self, path: Path) -> Config:
        explicit = Path(self.config_file) if self.config_file else None
        config = config_for(path, explicit).with_overrides(**dict(self.overrides))
        if self.extra_rules:
            config = config.with_overrides(extend_rules=config.extend_rules + self.extra_rules)
        return config


@lru_cache(maxsize=1024)
def _folder_settings(options: RunOptions, folder: str) -> Config:
    # Looked up once per folder, not per file: resolving the path and checking
    # the overridden settings cost about 1 ms a file.
    return options.settings_for(Path(folder))


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
    internal: str = ""  # the traceback, when the error is a bug of ours (exit code 3)


# Signals that stop a run the way Ctrl-C does (SIGHUP: the terminal went away).
STOP_SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)


class Interrupted(BaseException):
    """A stop signal arrived; a BaseException, like KeyboardInterrupt, so that
    no ``except Exception`` swallows it and every ``finally`` on the way runs."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 INT, 143 TERM, 129 HUP


def _raise_interrupted(signum, frame) -> None:
    mute_pool_manager_errors()
    raise Interrupted(signum)


def install_stop_handlers() -> dict:
    """Make SIGINT, SIGTERM and SIGHUP raise Interrupted in this (main) thread;
    returns the previous handlers for restore_handlers."""
    return {s: signal.signal(s, _raise_interrupted) for s in STOP_SIGNALS}


def ignore_stop_signals() -> None:
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def restore_handlers(previous: dict) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


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


def file_identity(path: Path) -> tuple | None:
    """What says a path still holds the file that was read: not a symlink now,
    same device and inode, same size and modification time (in ns); None
    when nothing is there any more."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return (stat.S_ISLNK(st.st_mode), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def read_with_identity(path: Path) -> tuple[bytes, tuple]:
    """A file's bytes and the identity of the file they were read from; a file
    that changes while it is read is a FileProblem (cleaning it would lose
    what was being written)."""
    identity = file_identity(path)
    data = path.read_bytes()
    if file_identity(path) != identity:
        raise ChangedMeanwhile("changed by another program while being read; left as it is now")
    return data, identity


def clean_bytes(data: bytes, config: Config, path: str | None) -> tuple[bytes, Decoded, Result]:
    """Decode, clean and encode one document; returns (new bytes, decoded, result)."""
    decoded = decode(data)
    result = clean_text(decoded.text, config, path=path)
    newline = decoded.newline if config.line_ending == "keep" else "\n"
    return encode(result.text, newline), decoded, result


def clean_file(target: Target, options: RunOptions) -> FileReport:
    report, write = prepare_file(target, options)
    return write() if write is not None else report


def prepare_file(target: Target, options: RunOptions) -> tuple[FileReport, Callable[..., FileReport] | None]:
    """Everything of ``clean_file`` but the write: the report, and the function
    that writes the file and returns the final report (None: nothing to write).
    That function takes an optional ``FolderSyncs``: a batch's writes make
    their renames durable together (see ``files.FolderSyncs``)."""
    report = FileReport(target.display, "unchanged")
    try:
        config = options.config_for(target.source)
        data, identity = read_with_identity(target.source)
        report.bytes_in = len(data)
        new, decoded, result = clean_bytes(data, config, target.display)
    except BinaryFile as exc:
        report.status, report.message = "skipped", str(exc)
        if target.output is not None and options.mode == "fix":
            report.message += "; not copied to the output folder"
        return report, None
    except (FileProblem, ConfigError, SelectionError, UnsafeEdit) as exc:
        report.status, report.message = "error", str(exc)
        return report, None
    except RuleFileError as exc:
        report.status, report.message = "error", "; ".join(str(p) for p in exc.problems)
        return report, None
    except OSError as exc:
        report.status, report.message = "error", f"cannot read: {exc.strerror or exc}"
        return report, None
    except Exception as exc:  # a bug must cost one file, not the run
        _internal_error(report, exc)
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
    return report, partial(_write, report, target, new, identity)


def _internal_error(report: FileReport, exc: Exception) -> None:
    report.status, report.message = "error", f"internal error: {type(exc).__name__}: {exc}"
    report.internal = traceback.format_exc()


def _write(report: FileReport, target: Target, new: bytes, identity: tuple, folders: FolderSyncs | None = None) -> FileReport:
    """Write a cleaned file (in place, or into the output folder) atomically."""
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
        still_same = None if target.output is not None else (lambda: file_identity(destination) == identity)
        write_atomic(destination, new, still_same, folders)
        report.written = True
    except ChangedMeanwhile as exc:
        report.status, report.message = "error", str(exc)
    except OSError as exc:
        report.status = "error"
        report.message = f"cannot write {destination}: {exc.strerror or exc}"
    except Exception as exc:  # a bug must cost one file, not the run (writes may run in a thread)
        _internal_error(report, exc)
    return report


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def mute_pool_manager_errors() -> None:
    """From a stop on, errors of a process pool's manager thread are not printed.

    When the workers end (a stop signal reaches the group, or stop_pool ends
    them) that thread can trip over futures already settled and print a
    traceback; the run reports the stop itself, so that traceback is noise.
    """
    import threading

    previous = threading.excepthook
    if getattr(previous, "mutes_pool_manager", False):
        return

    def hook(args) -> None:
        if type(args.thread).__module__ != "concurrent.futures.process":
            previous(args)

    hook.mutes_pool_manager = True
    threading.excepthook = hook


# How long a pool worker has to end after SIGTERM before it is killed.  Its
# handler runs only between two bytecodes, and one regex over a long document
# can hold it for seconds; the caller removes what a killed worker leaves.
WORKER_STOP_SECONDS = 1.0


def stop_pool(pool, workers) -> None:
    """Stop a pool now: no new file is started, running workers get SIGTERM
    (their handler removes the temporary file of a write in progress), and a
    worker still running after WORKER_STOP_SECONDS is killed."""
    mute_pool_manager_errors()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:
        process.join(timeout=WORKER_STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
    remove_temp_files()


def worker_setup(parent: int) -> None:
    """In each pool worker: stop signals remove the temporary file of a write
    in progress and end the worker, and the worker dies with its parent."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _worker_stop)
    _die_with_parent(parent)


def _worker_stop(signum, frame) -> None:
    remove_temp_files(exit_code=128 + signum)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (even by
    SIGKILL), so no worker goes on cleaning files, or waits on a pipe, after
    the run is gone.  Elsewhere only the parent's own stop handling applies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        _worker_stop(signal.SIGTERM, None)

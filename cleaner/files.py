"""Files: finding them, decoding them, and writing them back without losing data.

The rules here exist because a cleaning tool is trusted with a user's corpus:
- a file that is not valid UTF-8 is decoded by detection among likely
  encodings, strictly, and the encoding assumed is reported; it is never
  decoded with replacement characters;
- binary files (a NUL byte in the first 8 KB, no UTF-16/32 byte-order mark)
  are skipped and reported;
- writes are atomic: a temporary file in the same folder, fsync, the original
  permissions, then ``os.replace``, so a crash or a full disk leaves either
  the old file or the new one, never half of one;
- folders are walked without following symlinks out of the tree, skipping
  hidden folders and what ``.gitignore`` and ``.git/info/exclude`` exclude.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fnmatch
import os
import signal
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

BINARY_SNIFF_BYTES = 8192

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# What scraped text that is not UTF-8 is in practice: Western and Central
# European Windows and ISO code pages, Mac Roman, Cyrillic, Greek, Turkish and
# the common CJK encodings.  Restricting detection to these keeps it from
# choosing an exotic code page that happens to decode.
LIKELY_ENCODINGS = (
    "cp1252", "latin_1", "iso8859_15", "mac_roman", "cp1250", "iso8859_2",
    "cp1251", "koi8_r", "cp1253", "cp1254", "gb18030", "big5", "shift_jis",
    "euc_jp", "euc_kr",
)


class FileProblem(Exception):
    """A file that cannot be cleaned; str() is the one-line reason."""


class BinaryFile(FileProblem):
    pass


class ChangedMeanwhile(FileProblem):
    """The file on disk is no longer the one that was read and cleaned."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # codec name
    detected: bool  # True when the encoding was guessed, not known
    bom: bool
    newline: str  # the file's dominant line ending: "\n", "\r\n" or "\r"


def is_binary(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return False
    return b"\x00" in data[:BINARY_SNIFF_BYTES]


def dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    if crlf >= max(cr, lf) and crlf:
        return "\r\n"
    if cr > lf:
        return "\r"
    return "\n"


def decode(data: bytes) -> Decoded:
    """Bytes to text, strictly; raise BinaryFile or FileProblem."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise FileProblem(f"starts with a {codec} byte-order mark but is not valid {codec} ({exc.reason} at byte {exc.start + len(bom)})") from None
            return Decoded(text, codec, False, True, dominant_newline(text))
    if is_binary(data):
        raise BinaryFile("binary file (NUL byte in the first 8 KB)")
    try:
        text = data.decode("utf-8")
        return Decoded(text, "utf-8", False, False, dominant_newline(text))
    except UnicodeDecodeError as exc:
        bad = exc.start
    encoding = detect_encoding(data)
    if encoding is None:
        # Say where: often one stray byte in an otherwise UTF-8 file.
        line = data.count(b"\n", 0, bad) + 1
        raise FileProblem(f"not valid UTF-8 (byte 0x{data[bad]:02X} on line {line}) and no likely encoding decodes it")
    try:
        text = data.decode(encoding)  # strict: never replacement characters
    except (UnicodeDecodeError, LookupError):
        raise FileProblem(f"not valid UTF-8 and not valid {encoding}") from None
    return Decoded(text, encoding, True, False, dominant_newline(text))


def detect_encoding(data: bytes) -> str | None:
    """The likeliest encoding of bytes that are not UTF-8, or None.

    charset-normalizer scores each candidate by how messy its decoding looks.
    Short texts often tie (``caf\\xe9`` is clean in cp1252, cp1250 and more),
    and then its order among the ties is arbitrary; we break ties by
    LIKELY_ENCODINGS, which puts the most common encodings of the web first.
    """
    from charset_normalizer import from_bytes  # only paid for files that need it

    rank = {name: n for n, name in enumerate(LIKELY_ENCODINGS)}
    best: tuple[float, int, str] | None = None
    for match in from_bytes(data, cp_isolation=list(LIKELY_ENCODINGS)):
        names = [e for e in match.could_be_from_charset if e in rank] or [match.encoding]
        name = min(names, key=lambda e: rank.get(e, len(rank)))
        key = (round(match.chaos, 2), rank.get(name, len(rank)), name)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def encode(text: str, newline: str = "\n") -> bytes:
    """Clean output: UTF-8 without BOM, with the given line ending."""
    if newline != "\n":
        text = text.replace("\n", newline)
    return text.encode("utf-8")


# Temporary files of writes in progress in this process: a stop signal's
# handler removes them (see runner), as the write's own clean-up would.  Writes
# may run in threads (see batch): the lock makes creating a temporary file and
# listing it, or renaming it and unlisting it, one step for the handler.
_LIVE_TEMPS: set[str] = set()
_TEMPS_LOCK = threading.RLock()
_STOP_SIGNALS = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}


def remove_temp_files(exit_code: int | None = None) -> None:
    """Remove the temporary files of writes still in progress in this process
    (in any thread); with exit_code, end the process right after, before
    another thread can start a write."""
    with _TEMPS_LOCK:
        for tmp in list(_LIVE_TEMPS):
            try:
                os.unlink(tmp)
            except OSError:
                pass
            _LIVE_TEMPS.discard(tmp)
        if exit_code is not None:
            os._exit(exit_code)


def block_stop_signals() -> None:
    """In a thread that writes files: stop signals go to the main thread, whose
    handler can then wait for this thread's listed temporary files."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)


# How often a main thread waiting for a worker's result wakes up.
RESULT_POLL_SECONDS = 0.25


def patient_result(future):
    """``future.result()``, waking every RESULT_POLL_SECONDS: a stop signal the
    kernel hands to one of the pool's helper threads is run by Python only when
    the main thread next runs, and a main thread asleep on a result could sleep
    through it for the whole of a long task.  Other futures (Dask's, whose client
    waits in short steps itself) are asked once."""
    from concurrent.futures import Future

    if not isinstance(future, Future):
        return future.result()
    while True:
        try:
            return future.result(timeout=RESULT_POLL_SECONDS)
        except TimeoutError:
            if future.done():
                raise  # the task's own TimeoutError


class _SignalsHeld:
    """Hold stop signals for a few system calls, so that a temporary file is
    never created without being listed, nor renamed while still listed."""

    def __enter__(self):
        self._old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS) if hasattr(signal, "pthread_sigmask") else None

    def __exit__(self, *exc):
        if self._old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self._old)


def read_fully(stream: BinaryIO, size: int) -> bytes:
    """size bytes of stream, or all that is left when less is (a pipe gives less per read)."""
    parts = []
    while size > 0:
        data = stream.read(size)
        if not data:
            break
        parts.append(data)
        size -= len(data)
    return b"".join(parts)


def write_atomic(path: Path, data: bytes, still_same: Callable[[], bool] | None = None, folders: FolderSyncs | None = None) -> None:
    """Replace path with data atomically, keeping its permissions (and owner) if it exists."""
    with atomic_output(path, still_same, folders) as fh:
        fh.write(data)


def sync_folder(folder: Path | str) -> None:
    """Make the renames in a folder durable (fsync of the folder); not possible everywhere."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


class FolderSyncs:
    """The folders of a batch of writes whose renames are made durable together.

    Each write's data is synced before its rename, so every rename is atomic
    at once; the folder's own fsync only makes the rename survive a power cut.
    Many files written into one folder need that once for the batch, not once
    a file (the second journal commit of every write): a batch calls
    ``sync()`` when it ends, and every SYNC_EVERY writes meanwhile.
    """

    SYNC_EVERY = 64

    def __init__(self) -> None:
        self._folders: set[Path] = set()
        self._writes = 0
        self._lock = threading.Lock()

    def add(self, folder: Path) -> None:
        with self._lock:
            self._folders.add(folder)
            self._writes += 1
            due = self._writes >= self.SYNC_EVERY
        if due:
            self.sync()

    def sync(self) -> None:
        with self._lock:
            folders, self._folders, self._writes = self._folders, set(), 0
        for folder in folders:
            sync_folder(folder)


_UMASK: list[int] = []


def process_umask() -> int:
    """The process's umask, read once (a run never changes it): reading it
    means setting it for a moment, and a folder made meanwhile by a write in
    another thread would get that mode.  Batches read it before their writer
    threads start."""
    with _TEMPS_LOCK:
        if not _UMASK:
            umask = os.umask(0o077)
            os.umask(umask)
            _UMASK.append(umask)
        return _UMASK[0]


@contextlib.contextmanager
def atomic_output(path: Path, still_same: Callable[[], bool] | None = None, folders: FolderSyncs | None = None) -> Iterator[BinaryIO]:
    """A file to write path's new contents into, streaming; it replaces path
    atomically when the block ends, and is removed if the block raises, so a
    reader sees the old file or the whole new one, never part of one.

    ``still_same()``, when given, is asked just before the rename whether the
    file is still the one that was read; if not, nothing is replaced and
    ``ChangedMeanwhile`` is raised.  The rename is made durable at once, or
    with the batch's other writes when ``folders`` collects them.
    """
    import tempfile  # here: a --check or --diff run writes nothing

    folder = path.parent
    owner = None
    try:
        st = os.stat(path)
        mode = stat.S_IMODE(st.st_mode)
        owner = (st.st_uid, st.st_gid)
    except FileNotFoundError:
        mode = 0o666 & ~process_umask()
    with _SignalsHeld(), _TEMPS_LOCK:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".cleaner-tmp", dir=folder)
        _LIVE_TEMPS.add(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if owner is not None and hasattr(os, "chown"):
            # The new file belongs to whoever runs cleaner: give it back to the
            # old file's owner and group (root may; others keep their own).
            try:
                os.chown(tmp, *owner)
            except OSError:
                pass
        os.chmod(tmp, mode)  # after chown, which may clear set-id bits
        if still_same is not None and not still_same():
            raise ChangedMeanwhile("changed by another program while being cleaned; left as it is now")
        with _SignalsHeld(), _TEMPS_LOCK:
            os.replace(tmp, path)
            _LIVE_TEMPS.discard(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        _LIVE_TEMPS.discard(tmp)
        raise
    if folders is None:
        sync_folder(folder)
    else:
        folders.add(folder)


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Target:
    """A file to clean: where to read it, how to name it, where to write it."""

    source: Path  # resolved path of the file to read
    display: str  # the path as the user would write it
    output: Path | None = None  # None: in place (source)


@dataclass(frozen=True)
class Skipped:
    display: str
    reason: str


class _GitIgnore:
    """The .gitignore files that apply under a folder, deepest decision wins.

    At the top of a work tree, ``.git/info/exclude`` (the repository's own
    ignore list, never committed) applies too, below that folder's .gitignore.
    """

    def __init__(self) -> None:
        self._cache: dict[Path, object | None] = {}

    def _spec(self, folder: Path):
        if folder not in self._cache:
            spec = None
            lines = _read_lines(_git_dir(folder) / "info" / "exclude") if (folder / ".git").exists() else []
            lines += _read_lines(folder / ".gitignore")
            if lines:
                import pathspec

                spec = pathspec.GitIgnoreSpec.from_lines(lines)
            self._cache[folder] = spec
        return self._cache[folder]

    def ignored(self, path: Path, is_dir: bool, top: Path) -> bool:
        """Is path ignored by a .gitignore in any folder from top down to its parent?"""
        return self.decide(self.chain(path.parent, top), path, is_dir)

    def chain(self, folder: Path, top: Path) -> list[tuple[Path, object]]:
        """The ignore lists that apply in folder: (their folder, spec), top first."""
        folders = [folder, *folder.parents]
        depth = len(top.parts)
        return [(f, spec) for f in reversed(folders) if len(f.parts) >= depth and (spec := self._spec(f)) is not None]

    def below(self, chain: list[tuple[Path, object]], folder: Path) -> list[tuple[Path, object]]:
        """The chain of a subfolder, from its parent's: a walk pays one look per folder."""
        spec = self._spec(folder)
        return chain if spec is None else [*chain, (folder, spec)]

    @staticmethod
    def decide(chain: list[tuple[Path, object]], path: Path, is_dir: bool) -> bool:
        """Deepest decision wins."""
        decision = None
        for folder, spec in chain:
            rel = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                decision = result.include
        return bool(decision)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _git_dir(top: Path) -> Path:
    """The repository folder of a work tree: ``.git``, or where a ``.git`` file points
    (a linked work tree or a submodule), or that folder's common folder."""
    dot_git = top / ".git"
    if not dot_git.is_file():
        return dot_git
    for line in _read_lines(dot_git):
        if line.startswith("gitdir:"):
            git_dir = (top / line.partition(":")[2].strip()).resolve()
            common = _read_lines(git_dir / "commondir")
            return (git_dir / common[0].strip()).resolve() if common else git_dir
    return dot_git


def _git_top(start: Path) -> Path:
    """The top of the git work tree containing start (or start itself)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _matches(name: str, rel: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel, g) for g in globs)


# (include globs, exclude globs, folder of the config file they came from or None)
Globs = tuple[tuple[str, ...], tuple[str, ...], Path | None]


def _excluded(parts: list[tuple[str, ...]], exclude: tuple[str, ...]) -> bool:
    """Does an exclude glob match the file or one of its folders?

    ``parts`` holds the path split into names, once per base it may be written
    relative to (the folder walked, the config file's folder): a glob matches
    a name (``generated``) or a relative path (``docs/generated``), as the walk
    matches folders on its way down.
    """
    for names in parts:
        for i in range(len(names)):
            if _matches(names[i], "/".join(names[: i + 1]), exclude):
                return True
    return False


def _relative_parts(path: Path, base: Path | None) -> tuple[str, ...] | None:
    if base is None:
        return None
    try:
        return path.relative_to(base).parts
    except ValueError:
        return None


def _path_problem(exc: BaseException) -> str:
    """One line for a path that cannot be looked at (the OS's words where it has them)."""
    if isinstance(exc, RuntimeError) and "loop" in str(exc).lower():
        return "symlink loop"
    if isinstance(exc, OSError):
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        if exc.errno == errno.ENAMETOOLONG:
            return "path too long"
        return exc.strerror or str(exc)
    return f"{type(exc).__name__}: {exc}"


def _link_target(path: Path) -> Path | str:
    """Where a symlink leads (resolved), or why it leads nowhere."""
    try:
        return path.resolve(strict=True)
    except FileNotFoundError:
        return "broken symlink"
    except (OSError, RuntimeError) as exc:
        return _path_problem(exc)


def output_path_of_named_file(given: Path) -> Path:
    """Where a file named on the command line (or by --files-from) goes under
    --output: at its path relative to the current folder when it is inside
    it (``./a/x.txt`` and ``$PWD/a/x.txt`` as ``a/x.txt``), so that a corpus
    named file by file, as ``find`` and ``xargs`` name it, comes out as the
    same tree; a path outside (``../x.txt``, ``/elsewhere/x.txt``) by its name."""
    if not given.is_absolute():
        rel = Path(os.path.normpath(given))
        return rel if rel.parts and rel.parts[0] != ".." else Path(given.name)
    cwd = Path(os.getcwd())
    # Lexically first; then with the folders resolved (a cwd reached through
    # a symlink), but never the file's own link, which names the file here.
    for path in (Path(os.path.normpath(given)), given.parent.resolve() / given.name):
        try:
            rel = path.relative_to(cwd)
        except ValueError:
            continue
        if rel.parts:
            return rel
    return Path(given.name)


def discover(
    paths: list[str],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    output_dir: Path | None = None,
    globs_for: Callable[[Path], Globs] | None = None,
    follow_links: bool = False,
) -> tuple[list[Target], list[Skipped], list[Skipped]]:
    """Files to clean under paths, files skipped (with why), and paths in error.

    Files named directly are cleaned even when they match no include glob or
    are git-ignored (the user asked for them), but exclude globs still apply
    to them, to the file and to its folders, so that a pre-commit hook (which
    names files) honours the project's excludes.  ``globs_for(folder)`` gives
    the globs of the config nearest to a folder (nearest wins, as for every
    setting); without it ``include`` and ``exclude`` apply everywhere.

    A symlink to a file outside the folder it is found in (the folder walked,
    or for a symlink named directly, its own folder) is cleaned, through the
    link, only with ``follow_links``.  Discovery never raises: a path that
    cannot be looked at (a symlink loop, a name too long for the system) is
    one entry in the errors and the rest goes on.
    """
    targets: list[Target] = []
    skipped: list[Skipped] = []
    errors: list[Skipped] = []
    seen: set[Path] = set()
    out_resolved = output_dir.resolve() if output_dir else None
    # An output folder in the current folder's tree is where files named one
    # by one are written (output_path_of_named_file): as the walk passes over
    # it, files named in it are not cleaned again.
    out_inside_cwd = False
    if out_resolved is not None:
        with contextlib.suppress(OSError):  # no current folder (removed): nothing is named inside it
            cwd = Path.cwd().resolve()
            out_inside_cwd = out_resolved == cwd or cwd in out_resolved.parents
    outputs: dict[Path, str] = {}
    gitignore = _GitIgnore()

    def globs(folder: Path) -> Globs:
        return globs_for(folder) if globs_for is not None else (include, exclude, None)

    def add(source: Path, display: str, rel: Path) -> None:
        if source in seen:
            return
        seen.add(source)
        out = None
        if output_dir is not None:
            out = output_dir / rel
            other = outputs.get(out)
            if other is not None:
                errors.append(Skipped(display, f"would write the same output file as {other}: {out}"))
                return
            outputs[out] = display
        targets.append(Target(source, display, out))

    def named_file(arg: str, given: Path) -> None:
        source = given.resolve()
        if given.is_symlink():
            folder = given.absolute().parent.resolve()
            if folder not in source.parents and not follow_links:
                skipped.append(Skipped(arg, "symlink to a file outside its folder, not followed (--follow-links follows it)"))
                return
        _, excl, base = globs(source.parent)
        parts = [p for p in (_relative_parts(source.parent / given.name, base),) if p]
        if not given.is_absolute() and ".." not in given.parts:
            parts.append(given.parts)
        if _matches(given.name, given.as_posix(), excl) or _excluded(parts, excl):
            skipped.append(Skipped(arg, "excluded"))
            return
        if out_inside_cwd and out_resolved in source.parents:
            # A `find .` listing made after a run with -o names its outputs too:
            # cleaned again they would nest a copy of the output in itself.
            skipped.append(Skipped(arg, "in the --output folder, not cleaned again"))
            return
        add(source, arg, output_path_of_named_file(given))

    for arg in paths:
        given = Path(arg)
        try:
            if not os.path.lexists(given):
                errors.append(Skipped(arg, "no such file or folder"))
                continue
            if given.is_symlink():
                target = _link_target(given)
                if isinstance(target, str):
                    errors.append(Skipped(arg, target))
                    continue
            if given.is_file():
                named_file(arg, given)
                continue
            if not given.is_dir():
                errors.append(Skipped(arg, "not a regular file or folder"))
                continue
            _walk(arg, given, globs, gitignore, out_resolved, follow_links, add, skipped, errors)
        except (OSError, RuntimeError, RecursionError) as exc:
            errors.append(Skipped(arg, _path_problem(exc)))
    return targets, skipped, errors


def _walk(arg, given, globs, gitignore, out_resolved, follow_links, add, skipped, errors) -> None:
    """Every file to clean under one folder named by the user, in sorted depth-first order.

    An explicit stack, not recursion (nor ``os.walk``, which recurses): a tree
    a thousand folders deep is walked like any other.  Each folder's real
    path is carried down (a folder reached here is never a symlink), so no
    path is resolved twice.
    """
    root = given.resolve()
    top = _git_top(root)
    if root != top and gitignore.ignored(root, True, top):
        top = root  # an ignored folder named by the user: only its own .gitignore files apply
    stack = [(given, root, gitignore.chain(root.parent, top) if root != top else [])]
    while stack:
        here, here_real, chain = stack.pop()
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            # A folder that cannot be listed is an error, not a silent gap.
            reason = "path too long" if exc.errno == errno.ENAMETOOLONG else exc.strerror or str(exc)
            errors.append(Skipped(here.as_posix(), f"cannot read folder: {reason}"))
            continue
        try:
            chain = gitignore.below(chain, here_real)
            incl, excl, base = globs(here_real)
        except (OSError, RuntimeError) as exc:
            errors.append(Skipped(here.as_posix(), _path_problem(exc)))
            continue
        base_parts = _relative_parts(here_real, base)

        def excluded(name: str, rel: Path) -> bool:
            if _matches(name, rel.as_posix(), excl):
                return True
            return base_parts is not None and _matches(name, "/".join(base_parts + (name,)), excl)

        below = []
        for entry in entries:
            name = entry.name
            path = here / name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    sub_real = here_real / name
                    if out_resolved is not None and sub_real == out_resolved:
                        continue
                    if gitignore.decide(chain, sub_real, True) or excluded(name, path.relative_to(given)):
                        continue
                    below.append((path, sub_real, chain))
                    continue
                rel = path.relative_to(given)
                if not _matches(name, rel.as_posix(), incl) or excluded(name, rel):
                    continue
                display = path.as_posix()
                if entry.is_symlink():
                    real = _link_target(path)
                    if isinstance(real, str):
                        skipped.append(Skipped(display, real))
                        continue
                    if not real.is_file():
                        continue  # a link to a folder: never followed
                    if root in real.parents:
                        # The walk reaches the target in its own place (unless it is
                        # excluded there): cleaning it under the link's name would
                        # make which name wins depend on sorting, and put a copy
                        # under the link's name into --output instead of the file.
                        continue
                    if not follow_links:
                        skipped.append(Skipped(display, "symlink to a file outside the folder, not followed"))
                        continue
                    add(real, display, rel)
                    continue
                real = here_real / name
                if gitignore.decide(chain, real, False):
                    continue
                if not entry.is_file(follow_symlinks=False):
                    continue
                add(real, display, rel)
            except (OSError, RuntimeError, RecursionError) as exc:
                errors.append(Skipped(path.as_posix(), _path_problem(exc)))
        stack.extend(reversed(below))

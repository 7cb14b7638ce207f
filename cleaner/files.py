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
import fnmatch
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

BINARY_SNIFF_BYTES = 8192

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
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
    for bom, codec in _BOMS:
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


def write_atomic(path: Path, data: bytes) -> None:
    """Replace path with data atomically, keeping its permissions (and owner) if it exists."""
    with atomic_output(path) as fh:
        fh.write(data)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A file to write path's new contents into, streaming; it replaces path
    atomically when the block ends, and is removed if the block raises, so a
    reader sees the old file or the whole new one, never part of one."""
    folder = path.parent
    owner = None
    try:
        st = os.stat(path)
        mode = stat.S_IMODE(st.st_mode)
        owner = (st.st_uid, st.st_gid)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".cleaner-tmp", dir=folder)
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
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable; not possible everywhere
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


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
        decision = None
        folders = [path.parent, *path.parent.parents]
        for folder in reversed(folders):
            if len(folder.parts) < len(top.parts):
                continue
            spec = self._spec(folder)
            if spec is None:
                continue
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


def discover(
    paths: list[str],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    output_dir: Path | None = None,
    globs_for: Callable[[Path], Globs] | None = None,
) -> tuple[list[Target], list[Skipped], list[Skipped]]:
    """Files to clean under paths, files skipped (with why), and paths in error.

    Files named directly are cleaned even when they match no include glob or
    are git-ignored (the user asked for them), but exclude globs still apply
    to them, to the file and to its folders, so that a pre-commit hook (which
    names files) honours the project's excludes.  ``globs_for(folder)`` gives
    the globs of the config nearest to a folder (nearest wins, as for every
    setting); without it ``include`` and ``exclude`` apply everywhere.
    """
    targets: list[Target] = []
    skipped: list[Skipped] = []
    errors: list[Skipped] = []
    seen: set[Path] = set()
    out_resolved = output_dir.resolve() if output_dir else None
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

    for arg in paths:
        given = Path(arg)
        if not os.path.lexists(given):
            errors.append(Skipped(arg, "no such file or folder"))
            continue
        if given.is_file():
            _, excl, base = globs(given.resolve().parent)
            parts = [p for p in (_relative_parts(given.resolve().parent / given.name, base),) if p]
            if not given.is_absolute() and ".." not in given.parts:
                parts.append(given.parts)
            if _matches(given.name, given.as_posix(), excl) or _excluded(parts, excl):
                skipped.append(Skipped(arg, "excluded"))
                continue
            add(given.resolve(), arg, Path(given.name))
            continue
        if not given.is_dir():
            errors.append(Skipped(arg, "not a regular file or folder"))
            continue
        root = given.resolve()
        top = _git_top(root)
        if root != top and gitignore.ignored(root, True, top):
            top = root  # an ignored folder named by the user: only its own .gitignore files apply

        def unreadable(exc: OSError) -> None:
            # A folder that cannot be listed is an error, not a silent gap.
            where = Path(exc.filename).as_posix() if exc.filename else arg
            errors.append(Skipped(where, f"cannot read folder: {exc.strerror or exc}"))

        for folder, dirs, files in os.walk(given, onerror=unreadable, followlinks=False):
            here = Path(folder)
            here_real = here.resolve()
            incl, excl, base = globs(here_real)
            base_parts = _relative_parts(here_real, base)

            def excluded(name: str, rel: Path) -> bool:
                if _matches(name, rel.as_posix(), excl):
                    return True
                return base_parts is not None and _matches(name, "/".join(base_parts + (name,)), excl)

            keep_dirs = []
            for d in sorted(dirs):
                sub = here / d
                if d.startswith(".") or sub.is_symlink():
                    continue
                sub_real = here_real / d  # not a symlink: its folder is already resolved
                if out_resolved is not None and sub_real == out_resolved:
                    continue
                if gitignore.ignored(sub_real, True, top):
                    continue
                if excluded(d, sub.relative_to(given)):
                    continue
                keep_dirs.append(d)
            dirs[:] = keep_dirs
            for name in sorted(files):
                path = here / name
                rel = path.relative_to(given)
                display = path.as_posix()
                if name.startswith("."):
                    continue
                if not _matches(name, rel.as_posix(), incl) or excluded(name, rel):
                    continue
                if path.is_symlink():
                    real = path.resolve()
                    if not path.exists():
                        skipped.append(Skipped(display, "broken symlink"))
                        continue
                    if root not in real.parents:
                        skipped.append(Skipped(display, "symlink to a file outside the folder, not followed"))
                        continue
                    # The walk reaches the target in its own place (unless it is
                    # excluded there): cleaning it under the link's name would
                    # make which name wins depend on sorting, and put a copy
                    # under the link's name into --output instead of the file.
                    continue
                real = here_real / name
                if gitignore.ignored(real, False, top):
                    continue
                if not real.is_file():
                    continue
                add(real, display, rel)
    return targets, skipped, errors

"""Files: nothing lost.  Discovery, decoding, binary files, atomic writes, symlinks.

Most tests run the real command (a subprocess of ``python -m cleaner``) on
files in tmp_path.  Failures the operating system will not produce on demand
(a full disk, a failing rename) are injected: either in-process, around
``runner.clean_file``, or into the real command through a ``sitecustomize``
module that makes chosen reads, listings and writes fail.  Real permission
errors are tested too; when the tests run as root, who bypasses permissions,
the command runs under ``setpriv`` without root's override capabilities.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from cleaner import files, runner
from cleaner.config import Config

WS = ("--select", "whitespace")
SUMMARY = re.compile(r"^cleaner: (\d+) files? seen, (\d+) (?:changed|would change), (\d+) skipped, (\d+) errors?$")
DIRTY = "Some  prose with dirt.   \n\n\n\nA second paragraph."
DIRTY_CLEANED = "Some prose with dirt.\n\nA second paragraph.\n"


@dataclass
class Ran:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def cli(*args: str, cwd: Path, env: dict | None = None, stdin: bytes = b"", prefix: list[str] = ()) -> Ran:
    proc = subprocess.run(
        [*prefix, sys.executable, "-m", "cleaner", *args],
        cwd=cwd, input=stdin, capture_output=True, env={**os.environ, **(env or {})}, timeout=120,
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return Ran(proc.returncode, proc.stdout.decode("utf-8", "replace"), err)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def summary(ran: Ran) -> tuple[int, ...]:
    found = [m for m in map(SUMMARY.match, ran.err_lines) if m]
    assert len(found) == 1, ran.err
    return tuple(int(g) for g in found[0].groups())


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


# --------------------------------------------------------------------------- discovery


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def test_git_hidden_and_gitignored_files_are_skipped(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    write(repo / ".gitignore", "*.log.txt\nbuild/\n/docs/private.txt\n")
    write(repo / "docs" / ".gitignore", "drafts/*.txt\n!drafts/final.txt\n*.tmp.md\n")
    paths = [
        "top.txt", "run.log.txt", "build/out.txt", "docs/private.txt", "docs/public.txt",
        "docs/drafts/one.txt", "docs/drafts/final.txt", "docs/notes.tmp.md", "docs/notes.md",
        ".hidden/secret.txt", "docs/.cache/c.txt", ".dotfile.txt", "a/b/c/deep.md",
    ]
    for rel in paths:
        write(repo / rel, "Dirty  line.  \n")
    write(repo / ".git" / "description.txt", "Dirty  line.  \n")
    ran = cli("run", *WS, ".", cwd=repo)
    assert ran.code == 0, ran.err
    changed = sorted(rel for rel in paths if (repo / rel).read_text() != "Dirty  line.  \n")
    assert changed == sorted(["top.txt", "docs/public.txt", "docs/drafts/final.txt", "docs/notes.md", "a/b/c/deep.md"])
    assert (repo / ".git" / "description.txt").read_text() == "Dirty  line.  \n"
    # The same files git itself would show (minus hidden ones, which cleaner always skips).
    visible = [p for p in _git(repo, "ls-files", "-co", "--exclude-standard").split() if not re.search(r"(^|/)\.", p)]
    assert sorted(visible) == changed
    assert summary(ran) == (5, 5, 0, 0)


def test_gitignore_of_the_repository_applies_when_cleaning_a_subfolder(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    write(repo / ".gitignore", "/docs/private.txt\n")
    private = write(repo / "docs" / "private.txt", "Dirty  line.  \n")
    public = write(repo / "docs" / "public.txt", "Dirty  line.  \n")
    ran = cli("run", *WS, "docs", cwd=repo)
    assert ran.code == 0, ran.err
    assert private.read_text() == "Dirty  line.  \n"
    assert public.read_text() == "Dirty line.\n"
    # Named on the command line, an ignored file is cleaned: the user asked for it.
    assert cli("run", *WS, "docs/private.txt", cwd=repo).code == 0
    assert private.read_text() == "Dirty line.\n"


def test_the_repositorys_own_exclude_file_applies_like_gitignore(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    write(repo / ".git" / "info" / "exclude", "notes/*.txt\n")
    write(repo / ".gitignore", "!notes/keep.txt\n")  # .gitignore outranks info/exclude, as in git
    scratch = write(repo / "notes" / "scratch.txt", "Dirty  line.\n")
    keep = write(repo / "notes" / "keep.txt", "Dirty  line.\n")
    ran = cli("run", *WS, ".", cwd=repo)
    assert ran.code == 0, ran.err
    assert scratch.read_text() == "Dirty  line.\n"
    assert keep.read_text() == "Dirty line.\n"
    # A linked work tree reads the exclude file of the repository it belongs to.
    _git(repo, "add", ".gitignore")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "init")
    _git(repo, "worktree", "add", "-q", str(tmp_path / "linked"))
    linked = write(tmp_path / "linked" / "notes" / "scratch.txt", "Dirty  line.\n")
    assert cli("run", *WS, ".", cwd=tmp_path / "linked").code == 0
    assert linked.read_text() == "Dirty  line.\n"


def test_an_ignored_folder_named_by_the_user_is_cleaned_with_its_own_gitignore(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    write(repo / ".gitignore", "build/\n")
    write(repo / "build" / ".gitignore", "cache/\n")
    a = write(repo / "build" / "a.txt", "Dirty  line.\n")
    cached = write(repo / "build" / "cache" / "c.txt", "Dirty  line.\n")
    ran = cli("run", *WS, ".", cwd=repo)
    assert summary(ran) == (0, 0, 0, 0)
    ran = cli("run", *WS, "build", cwd=repo)
    assert ran.code == 0, ran.err
    assert a.read_text() == "Dirty line.\n"
    assert cached.read_text() == "Dirty  line.\n"


def test_a_fifo_in_a_folder_is_not_read_and_does_not_hang(tmp_path):
    write(tmp_path / "d" / "a.txt", DIRTY)
    os.mkfifo(tmp_path / "d" / "pipe.txt")
    ran = cli("run", *WS, "d", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert (tmp_path / "d" / "a.txt").read_text() == DIRTY_CLEANED


# --------------------------------------------------------------------------- decoding


def test_utf8_bom_is_removed(tmp_path):
    f = write(tmp_path / "bom.txt", codecs.BOM_UTF8 + "Clean text.\n".encode())
    check = cli("run", *WS, "--check", "bom.txt", cwd=tmp_path)
    assert check.code == 1  # the bytes change even though the text does not
    diff = cli("run", *WS, "--diff", "bom.txt", cwd=tmp_path)
    assert diff.code == 1 and "byte-order mark" in diff.out
    assert f.read_bytes() == codecs.BOM_UTF8 + b"Clean text.\n"
    assert cli("run", *WS, "bom.txt", cwd=tmp_path).code == 0
    assert f.read_bytes() == b"Clean text.\n"


def test_crlf_and_cr_become_lf(tmp_path):
    crlf = write(tmp_path / "crlf.txt", b"First  line.\r\nSecond line.  \r\n\r\n\r\n")
    cr = write(tmp_path / "cr.txt", b"Old Mac  text.\rSecond line.\r")
    mixed = write(tmp_path / "mixed.txt", b"One.\r\nTwo.\rThree.\n")
    ran = cli("run", *WS, ".", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert crlf.read_bytes() == b"First line.\nSecond line.\n"
    assert cr.read_bytes() == b"Old Mac text.\nSecond line.\n"
    assert mixed.read_bytes() == b"One.\nTwo.\nThree.\n"


def test_line_ending_keep_keeps_crlf_and_cr(tmp_path):
    write(tmp_path / "cleaner.toml", 'line-ending = "keep"\nselect = ["whitespace"]\n')
    crlf = write(tmp_path / "crlf.txt", b"First  line.\r\nSecond line.  \r\n\r\n\r\n")
    cr = write(tmp_path / "cr.txt", b"Old Mac  text.\rSecond line.")
    clean = write(tmp_path / "clean.txt", b"Already clean.\r\n")
    before = clean.stat().st_mtime_ns
    ran = cli("run", ".", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert crlf.read_bytes() == b"First line.\r\nSecond line.\r\n"
    assert cr.read_bytes() == b"Old Mac text.\rSecond line.\r"
    assert clean.read_bytes() == b"Already clean.\r\n" and clean.stat().st_mtime_ns == before
    assert cli("run", "--check", ".", cwd=tmp_path).code == 0
    # The flag does the same without a config file.
    other = write(tmp_path / "flag" / "x.txt", b"A  b.\r\n")
    assert cli("run", *WS, "--line-ending", "keep", "--config", str(tmp_path / "none.toml"), "flag", cwd=tmp_path).code == 2
    (tmp_path / "cleaner.toml").unlink()
    assert cli("run", *WS, "--line-ending", "keep", "flag", cwd=tmp_path).code == 0
    assert other.read_bytes() == b"A b.\r\n"


CP1252_TEXT = "Der Bürgermeister ließ die Straßen räumen – „endlich“, sagten alle.  \n"


@pytest.mark.parametrize(
    "text, encoding",
    [
        (CP1252_TEXT, "cp1252"),
        ("Café crème, déjà vu, naïve façade.  \n", "cp1252"),
        ("Вчера вечером мы долго гуляли по старому городу и говорили о книгах.  \n", "cp1251"),
    ],
)
def test_legacy_encoding_is_detected_and_named_in_the_report(tmp_path, text, encoding):
    f = write(tmp_path / "old.txt", text.encode(encoding))
    ran = cli("run", *WS, "old.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert f"old.txt: not UTF-8, decoded as {encoding}" in ran.err_lines
    assert f.read_text(encoding="utf-8") == text.rstrip() + "\n"
    assert "\ufffd" not in f.read_text(encoding="utf-8")
    # The JSON report carries the encoding too.
    write(tmp_path / "again.txt", text.encode(encoding))
    report = json.loads(cli("run", *WS, "--check", "--format", "json", "again.txt", cwd=tmp_path).out)
    assert report["files"][0]["encoding"] == encoding


def test_legacy_encoding_that_needs_no_other_fix_is_still_rewritten_as_utf8(tmp_path):
    f = write(tmp_path / "latin.txt", "Clean café.\n".encode("cp1252"))
    assert cli("run", *WS, "--check", "latin.txt", cwd=tmp_path).code == 1
    assert cli("run", *WS, "latin.txt", cwd=tmp_path).code == 0
    assert f.read_bytes() == "Clean café.\n".encode("utf-8")


def test_undecodable_file_is_a_one_line_error_and_left_untouched(tmp_path):
    junk = bytes(range(128, 256)) * 16
    bad = write(tmp_path / "d" / "junk.txt", junk)
    good = write(tmp_path / "d" / "good.txt", DIRTY)
    ran = cli("run", *WS, "d", cwd=tmp_path)
    assert ran.code == 2
    errors = [line for line in ran.err_lines if line.startswith("cleaner: error:")]
    assert errors == ["cleaner: error: d/junk.txt: not valid UTF-8 (byte 0x80 on line 1) and no likely encoding decodes it"]
    assert bad.read_bytes() == junk
    assert good.read_text() == DIRTY_CLEANED  # the run went on
    assert summary(ran) == (2, 1, 0, 1)


def test_utf8_file_with_one_stray_byte_is_an_error_that_says_where(tmp_path):
    # Common in scraped corpora.  Decoding all of it as cp1252 would turn every
    # other non-ASCII character into mojibake: better refuse and say where.
    prose = "Grüße aus Köln – „endlich“, sagten alle.\n" * 4
    data = prose.encode() + b"caf\xe9 stray byte\n"
    f = write(tmp_path / "stray.txt", data)
    ran = cli("run", *WS, "stray.txt", cwd=tmp_path)
    assert ran.code == 2
    assert "cleaner: error: stray.txt: not valid UTF-8 (byte 0xE9 on line 5) and no likely encoding decodes it" in ran.err_lines
    assert f.read_bytes() == data


def test_binary_file_is_skipped_and_reported(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    binary = write(tmp_path / "d" / "image.txt", png)
    write(tmp_path / "d" / "a.txt", DIRTY)
    ran = cli("run", *WS, "d", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert "d/image.txt: skipped: binary file (NUL byte in the first 8 KB)" in ran.err_lines
    assert binary.read_bytes() == png
    assert summary(ran) == (2, 1, 1, 0)
    out = cli("run", *WS, "d", "-o", "out", cwd=tmp_path)
    assert out.code == 0
    assert "not copied to the output folder" in out.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt"]


def test_utf16_without_bom_counts_as_binary(tmp_path):
    # No byte-order mark: its NUL bytes make it binary, by the rule; it is
    # skipped and left exactly as it was, never guessed at.
    data = "Plain  English text.\n".encode("utf-16-le")
    f = write(tmp_path / "wide.txt", data)
    ran = cli("run", *WS, "wide.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert "wide.txt: skipped: binary file (NUL byte in the first 8 KB)" in ran.err_lines
    assert f.read_bytes() == data


def test_nul_after_the_first_8_kb_is_not_binary(tmp_path):
    data = ("word " * 2000).encode() + b"\n\x00tail  end\n"
    f = write(tmp_path / "late.txt", data)
    ran = cli("run", *WS, "late.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert summary(ran) == (1, 1, 0, 0)
    assert f.read_bytes().endswith(b"\x00tail end\n")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom_are_decoded_not_skipped(tmp_path, codec):
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE,
    }[codec]
    text = "Grüße  aus Köln.   \r\nZweite Zeile.\r\n"
    f = write(tmp_path / "wide.txt", bom + text.encode(codec))
    ran = cli("run", *WS, "wide.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert summary(ran) == (1, 1, 0, 0)
    assert f.read_bytes() == "Grüße aus Köln.\nZweite Zeile.\n".encode("utf-8")


def test_stdin_binary_passes_through_unchanged(tmp_path):
    data = b"GIF89a\x00\x01\x02\x03  \n"
    proc = subprocess.run([sys.executable, "-m", "cleaner", "run", "-"], input=data, capture_output=True, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0
    assert proc.stdout == data
    assert b"skipped" in proc.stderr


# --------------------------------------------------------------------------- read and write failures

# Injected into the real command: reads of files named locked* fail with EACCES,
# an fsync of a file whose name contains "fullvol" fails with ENOSPC (a full
# disk shows up at write or fsync), os.replace onto a file named noreplace*
# fails with EROFS, and listing a folder named lockeddir* fails with EACCES.
INJECT = textwrap.dedent(
    '''
    import builtins, errno, io, os

    _open = io.open

    def _guarded_open(file, mode="r", *args, **kwargs):
        name = os.path.basename(os.fsdecode(file)) if isinstance(file, (str, bytes, os.PathLike)) else ""
        if name.startswith("locked") and "r" in mode:
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(file))
        return _open(file, mode, *args, **kwargs)

    io.open = builtins.open = _guarded_open

    _fsync = os.fsync

    def _fsync_full(fd):
        try:
            name = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            name = ""
        if "fullvol" in os.path.basename(name):
            raise OSError(errno.ENOSPC, "No space left on device")
        return _fsync(fd)

    os.fsync = _fsync_full

    _replace = os.replace

    def _replace_ro(src, dst, *args, **kwargs):
        if os.path.basename(os.fsdecode(dst)).startswith("noreplace"):
            raise OSError(errno.EROFS, "Read-only file system", os.fsdecode(dst))
        return _replace(src, dst, *args, **kwargs)

    os.replace = _replace_ro

    _scandir = os.scandir

    def _scandir_locked(path="."):
        if os.path.basename(os.fsdecode(path)).startswith("lockeddir"):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return _scandir(path)

    os.scandir = _scandir_locked
    '''
)


@pytest.fixture
def faulty(tmp_path):
    """Environment for a cleaner subprocess with the faults above injected."""
    inject = tmp_path / "_inject"
    write(inject / "sitecustomize.py", INJECT)
    path = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": str(inject) + (os.pathsep + path if path else "")}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_unreadable_file_is_one_error_and_the_run_goes_on(tmp_path, faulty, jobs):
    d = tmp_path / "d"
    write(d / "a.txt", DIRTY)
    locked = write(d / "locked.txt", DIRTY)
    write(d / "z.txt", DIRTY)
    ran = cli("run", *WS, "--jobs", jobs, "d", cwd=tmp_path, env=faulty)
    assert ran.code == 2
    errors = [line for line in ran.err_lines if "error" in line and not SUMMARY.match(line)]
    assert errors == ["cleaner: error: d/locked.txt: cannot read: Permission denied"]
    assert (d / "a.txt").read_text() == DIRTY_CLEANED and (d / "z.txt").read_text() == DIRTY_CLEANED
    assert locked.read_text() == DIRTY
    assert summary(ran) == (3, 2, 0, 1)


def test_unreadable_folder_is_one_error_and_the_run_goes_on(tmp_path, faulty):
    write(tmp_path / "d" / "lockeddir" / "inside.txt", DIRTY)
    write(tmp_path / "d" / "a.txt", DIRTY)
    ran = cli("run", *WS, "d", cwd=tmp_path, env=faulty)
    assert ran.code == 2
    assert "cleaner: error: d/lockeddir: cannot read folder: Permission denied" in ran.err_lines
    assert (tmp_path / "d" / "a.txt").read_text() == DIRTY_CLEANED
    assert summary(ran) == (1, 1, 0, 1)


@pytest.fixture(scope="module")
def permissions_bind(tmp_path_factory) -> list[str]:
    """A command prefix under which file permissions hold, even for root.

    Root ignores them through the DAC-override capabilities; ``setpriv`` drops
    those from the capability bounding set of the command it runs, so a real
    chmod 000 file or read-only folder refuses root's cleaner as it would a
    user's.  Not root: no prefix is needed.  Root without a working setpriv:
    the test is skipped (the injected failures above still cover the code).
    """
    if not hasattr(os, "geteuid"):
        pytest.skip("no POSIX permissions")
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv is not available to drop the override")
    prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
    probe = tmp_path_factory.mktemp("probe") / "locked"
    probe.write_text("x")
    probe.chmod(0)
    refused = subprocess.run([*prefix, "cat", str(probe)], capture_output=True).returncode != 0
    probe.chmod(0o644)
    if not refused:
        pytest.skip("cannot run a command for which root's permission override is dropped")
    return prefix


def test_chmod_000_folder_is_one_error(tmp_path, permissions_bind):
    locked = tmp_path / "d" / "sub"
    write(locked / "inside.txt", DIRTY)
    write(tmp_path / "d" / "a.txt", DIRTY)
    locked.chmod(0)
    try:
        ran = cli("run", *WS, "d", cwd=tmp_path, prefix=permissions_bind)
    finally:
        locked.chmod(0o755)
    assert ran.code == 2
    assert "cleaner: error: d/sub: cannot read folder: Permission denied" in ran.err_lines
    assert (tmp_path / "d" / "a.txt").read_text() == DIRTY_CLEANED
    assert (locked / "inside.txt").read_text() == DIRTY


def test_chmod_000_file_is_one_error_and_the_run_goes_on(tmp_path, permissions_bind):
    write(tmp_path / "d" / "a.txt", DIRTY)
    locked = write(tmp_path / "d" / "b.txt", DIRTY)
    write(tmp_path / "d" / "c.txt", DIRTY)
    locked.chmod(0)
    try:
        ran = cli("run", *WS, "d", cwd=tmp_path, prefix=permissions_bind)
    finally:
        locked.chmod(0o644)
    assert ran.code == 2
    assert [line for line in ran.err_lines if "error:" in line] == ["cleaner: error: d/b.txt: cannot read: Permission denied"]
    assert (tmp_path / "d" / "a.txt").read_text() == DIRTY_CLEANED
    assert (tmp_path / "d" / "c.txt").read_text() == DIRTY_CLEANED
    assert locked.read_text() == DIRTY
    assert summary(ran) == (3, 2, 0, 1)


def test_read_only_folder_is_a_write_error_and_the_original_stays(tmp_path, permissions_bind):
    ro = tmp_path / "d" / "ro"
    victim = write(ro / "a.txt", DIRTY)
    write(tmp_path / "d" / "b.txt", DIRTY)
    ro.chmod(0o555)
    try:
        ran = cli("run", *WS, "d", cwd=tmp_path, prefix=permissions_bind)
        assert sorted(p.name for p in ro.iterdir()) == ["a.txt"]  # no temp file left
    finally:
        ro.chmod(0o755)
    assert ran.code == 2
    errors = [line for line in ran.err_lines if "error:" in line]
    assert len(errors) == 1 and errors[0].startswith("cleaner: error: d/ro/a.txt: cannot write ")
    assert errors[0].endswith("Permission denied")
    assert victim.read_text() == DIRTY
    assert (tmp_path / "d" / "b.txt").read_text() == DIRTY_CLEANED


def test_a_path_that_is_not_a_regular_file_is_one_error(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    write(tmp_path / "a.txt", DIRTY)
    ran = cli("run", *WS, "pipe.txt", "a.txt", cwd=tmp_path)
    assert ran.code == 2
    assert "cleaner: error: pipe.txt: not a regular file or folder" in ran.err_lines
    assert (tmp_path / "a.txt").read_text() == DIRTY_CLEANED


@pytest.mark.parametrize("name", ["fullvol.txt", "noreplace.txt"])
def test_write_failure_keeps_the_original_and_leaves_no_temp_file(tmp_path, faulty, name):
    d = tmp_path / "d"
    victim = write(d / name, DIRTY)
    victim.chmod(0o640)
    write(d / "other.txt", DIRTY)
    ran = cli("run", *WS, "d", cwd=tmp_path, env=faulty)
    assert ran.code == 2
    errors = [line for line in ran.err_lines if line.startswith("cleaner: error:")]
    assert len(errors) == 1 and errors[0].startswith(f"cleaner: error: d/{name}: cannot write ")
    assert victim.read_text() == DIRTY
    assert stat.S_IMODE(victim.stat().st_mode) == 0o640
    assert sorted(p.name for p in d.iterdir()) == sorted([name, "other.txt"])  # no temp file left
    assert (d / "other.txt").read_text() == DIRTY_CLEANED


def test_write_failure_into_output_folder_is_one_error(tmp_path, faulty):
    write(tmp_path / "src" / "fullvol.txt", DIRTY)
    write(tmp_path / "src" / "fine.txt", DIRTY)
    ran = cli("run", *WS, "src", "-o", "out", cwd=tmp_path, env=faulty)
    assert ran.code == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["fine.txt"]
    assert (tmp_path / "src" / "fullvol.txt").read_text() == DIRTY


def _target(path: Path) -> files.Target:
    return files.Target(path.resolve(), path.name)


def test_clean_file_reports_a_read_error_without_raising(tmp_path, monkeypatch):
    f = write(tmp_path / "a.txt", DIRTY)
    real = Path.read_bytes

    def refuse(self):
        if self.name == "a.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    report = runner.clean_file(_target(f), runner.RunOptions(overrides=(("select", ("whitespace",)),)))
    assert report.status == "error"
    assert report.message == "cannot read: Permission denied"
    assert "\n" not in report.message
    monkeypatch.undo()
    assert f.read_text() == DIRTY


def test_clean_file_write_failure_keeps_original_and_no_temp(tmp_path, monkeypatch):
    f = write(tmp_path / "a.txt", DIRTY)
    f.chmod(0o604)

    def no_space(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    report = runner.clean_file(_target(f), runner.RunOptions(overrides=(("select", ("whitespace",)),)))
    monkeypatch.undo()
    assert report.status == "error" and not report.written
    assert report.message == f"cannot write {f.resolve()}: No space left on device"
    assert f.read_text() == DIRTY
    assert stat.S_IMODE(f.stat().st_mode) == 0o604
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_write_atomic_replaces_keeps_mode_and_cleans_up(tmp_path, monkeypatch):
    f = write(tmp_path / "a.txt", b"old")
    f.chmod(0o751)
    inode = f.stat().st_ino
    files.write_atomic(f, b"new")
    assert f.read_bytes() == b"new"
    assert stat.S_IMODE(f.stat().st_mode) == 0o751
    assert f.stat().st_ino != inode  # a new file renamed over the old one, not rewritten in place

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(f, b"newer")
    monkeypatch.undo()
    assert f.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_write_atomic_writes_a_synced_temp_file_beside_the_target_then_renames(tmp_path, monkeypatch):
    f = write(tmp_path / "sub" / "a.txt", b"old")
    calls = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else fd))
        return real_fsync(fd)

    def replace(src, dst):
        calls.append(("replace", os.fspath(src), os.fspath(dst), Path(src).read_bytes()))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    files.write_atomic(f, b"new")
    monkeypatch.undo()
    kinds = [c[0] for c in calls]
    assert kinds.index("fsync") < kinds.index("replace")  # data on disk before the rename
    _, src, dst, data = calls[kinds.index("replace")]
    assert Path(src).parent == f.parent and Path(dst) == f  # same folder: rename is atomic
    assert data == b"new"
    if os.path.exists("/proc/self/fd"):
        assert calls[0][1] == src  # the temp file itself was synced
    assert f.read_bytes() == b"new"


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])  # 0o444: see test_read_only_file_is_an_error_and_stays_unchanged
def test_permissions_are_kept_after_a_fix(tmp_path, mode):
    f = write(tmp_path / "a.txt", DIRTY)
    f.chmod(mode)
    ran = cli("run", *WS, "a.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert f.read_text() == DIRTY_CLEANED
    assert stat.S_IMODE(f.stat().st_mode) == mode


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file to another user")
def test_owner_is_kept_after_a_fix(tmp_path):
    # Root fixing a user's checkout must not leave files the user cannot edit.
    f = write(tmp_path / "a.txt", DIRTY)
    os.chown(f, 12345, 23456)
    ran = cli("run", *WS, "a.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert f.read_text() == DIRTY_CLEANED
    assert (f.stat().st_uid, f.stat().st_gid) == (12345, 23456)


# --------------------------------------------------------------------------- symlinks


def test_symlink_to_a_file_outside_the_tree_is_not_followed(tmp_path):
    outside = write(tmp_path / "outside" / "secret.txt", DIRTY)
    write(tmp_path / "tree" / "a.txt", DIRTY)
    (tmp_path / "tree" / "link.txt").symlink_to(outside)
    (tmp_path / "tree" / "linkdir").symlink_to(tmp_path / "outside", target_is_directory=True)
    ran = cli("run", *WS, "tree", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert outside.read_text() == DIRTY
    assert "tree/link.txt: skipped: symlink to a file outside the folder, not followed" in ran.err_lines
    assert (tmp_path / "tree" / "link.txt").is_symlink()
    assert (tmp_path / "tree" / "a.txt").read_text() == DIRTY_CLEANED
    assert summary(ran) == (2, 1, 1, 0)


def test_symlink_inside_the_tree_is_cleaned_once_and_stays_a_symlink(tmp_path):
    tree = tmp_path / "tree"
    real = write(tree / "real.txt", DIRTY)
    (tree / "alias.txt").symlink_to("real.txt")  # sorts before its target
    (tree / "sub").mkdir()
    (tree / "sub" / "up.txt").symlink_to("../real.txt")
    ran = cli("run", *WS, "-v", "tree", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert summary(ran) == (1, 1, 0, 0)
    assert "fixed: tree/real.txt" in ran.err_lines
    assert real.read_text() == DIRTY_CLEANED and not real.is_symlink()
    assert (tree / "alias.txt").is_symlink() and os.readlink(tree / "alias.txt") == "real.txt"
    assert (tree / "sub" / "up.txt").is_symlink()
    # --output holds the file under its own name, once.
    real.write_text(DIRTY)
    out = cli("run", *WS, "tree", "-o", "out", cwd=tmp_path)
    assert out.code == 0, out.err
    assert snapshot(tmp_path / "out") == {"real.txt": DIRTY_CLEANED.encode()}


def test_symlink_named_directly_is_cleaned_through_and_stays_a_symlink(tmp_path):
    real = write(tmp_path / "data" / "real.txt", DIRTY)
    (tmp_path / "link.txt").symlink_to(real)
    ran = cli("run", *WS, "link.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert (tmp_path / "link.txt").is_symlink()
    assert real.read_text() == DIRTY_CLEANED


def test_broken_symlink_is_reported_and_skipped(tmp_path):
    write(tmp_path / "tree" / "a.txt", DIRTY)
    (tmp_path / "tree" / "gone.txt").symlink_to(tmp_path / "tree" / "nowhere.txt")
    ran = cli("run", *WS, "tree", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert "tree/gone.txt: skipped: broken symlink" in ran.err_lines


# --------------------------------------------------------------------------- library


def test_clean_text_returns_text_counts_and_edits_with_rules_and_lines():
    from cleaner import Config as PublicConfig, clean_text

    text = "Title\n\n\n\nFirst  line.   \nSecond\u00a0line."
    result = clean_text(text, PublicConfig(select=("whitespace",)))
    assert result.text == "Title\n\nFirst line.\nSecond line.\n"
    assert result.original == text and result.changed
    edits = {(e.rule, e.line, e.before, e.after) for e in result.edits}
    assert ("whitespace.inner-spaces", 5, "First  line.", "First line.") in edits
    assert ("whitespace.trailing", 5, "line.   ", "line.") in edits
    assert ("whitespace.odd-spaces", 6, "Second\u00a0line.", "Second line.") in edits
    assert ("whitespace.final-newline", 6, "", "\n") in edits
    assert sum(result.counts.values()) == len(result.edits)
    assert all(result.counts[e.rule] >= 1 for e in result.edits)
    assert clean_text(result.text, PublicConfig(select=("whitespace",))).edits == []


def test_clean_text_default_config_and_markdown_path():
    from cleaner import clean_text

    result = clean_text("Hello\u00a0 world  \n\n\n")
    assert result.text == "Hello world\n"
    assert isinstance(result.text, str)
    md = clean_text("Hard  \nbreak\n", Config(select=("whitespace",)), path="notes.md")
    txt = clean_text("Hard  \nbreak\n", Config(select=("whitespace",)), path="notes.txt")
    assert md.text == "Hard  \nbreak\n" and txt.text == "Hard\nbreak\n"


def test_decode_is_strict_and_reports_what_it_assumed():
    d = files.decode("naïve\r\n".encode("utf-8"))
    assert (d.text, d.encoding, d.detected, d.bom, d.newline) == ("naïve\r\n", "utf-8", False, False, "\r\n")
    d = files.decode(codecs.BOM_UTF8 + b"x\n")
    assert (d.text, d.bom, d.detected) == ("x\n", True, False)
    d = files.decode(codecs.BOM_UTF16_LE + "é\r".encode("utf-16-le"))
    assert (d.text, d.encoding, d.newline) == ("é\r", "utf-16-le", "\r")
    d = files.decode(CP1252_TEXT.encode("cp1252"))
    assert (d.text, d.encoding, d.detected) == (CP1252_TEXT, "cp1252", True)
    with pytest.raises(files.BinaryFile):
        files.decode(b"abc\x00def")
    with pytest.raises(files.FileProblem):
        files.decode(codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone surrogate half
    with pytest.raises(files.FileProblem) as info:
        files.decode(bytes(range(128, 256)) * 16)
    assert "\n" not in str(info.value)


def test_discover_mirrors_paths_for_output_and_refuses_collisions(tmp_path):
    write(tmp_path / "a" / "x.txt", "x\n")
    write(tmp_path / "b" / "x.txt", "x\n")
    out = tmp_path / "out"
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        targets, skipped, errors = files.discover(["a", "b"], ("*.txt",), (), out)
    finally:
        os.chdir(cwd)
    assert [t.display for t in targets] == ["a/x.txt"]
    assert targets[0].output == out / "x.txt"
    assert len(errors) == 1 and errors[0].display == "b/x.txt" and "same output file" in errors[0].reason


# --------------------------------------------------------------------------- include/exclude of the nearest config


def test_exclude_of_a_nested_config_applies_when_walking_from_above(tmp_path):
    write(tmp_path / "docs" / "cleaner.toml", 'select = ["whitespace"]\nexclude = ["generated"]\n')
    gen = write(tmp_path / "docs" / "generated" / "g.txt", "x  y\n")
    own = write(tmp_path / "docs" / "own.txt", "x  y\n")
    top = write(tmp_path / "top.txt", "x  y\n")
    ran = cli("run", *WS, ".", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert gen.read_text() == "x  y\n"
    assert own.read_text() == "x y\n" and top.read_text() == "x y\n"


def test_include_of_a_nested_config_applies_to_its_folder_only(tmp_path):
    write(tmp_path / "notes" / "cleaner.toml", 'select = ["whitespace"]\ninclude = ["*.rst"]\n')
    rst = write(tmp_path / "notes" / "a.rst", "x  y\n")
    txt_in_notes = write(tmp_path / "notes" / "b.txt", "x  y\n")
    txt_top = write(tmp_path / "c.txt", "x  y\n")
    rst_top = write(tmp_path / "d.rst", "x  y\n")
    assert cli("run", *WS, ".", cwd=tmp_path).code == 0
    assert rst.read_text() == "x y\n" and txt_in_notes.read_text() == "x  y\n"
    assert txt_top.read_text() == "x y\n" and rst_top.read_text() == "x  y\n"


@pytest.mark.parametrize("glob", ["generated", "docs/generated", "*.gen.txt"])
def test_files_named_directly_honour_excludes_of_their_folders(tmp_path, glob):
    # What pre-commit does: name every staged file, from the top of the repository.
    write(tmp_path / "cleaner.toml", f'select = ["whitespace"]\nexclude = ["{glob}"]\n')
    name = "docs/generated/x.gen.txt"
    gen = write(tmp_path / name, "x  y\n")
    other = write(tmp_path / "docs" / "other.txt", "x  y\n")
    ran = cli("run", *WS, name, "docs/other.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert f"{name}: skipped: excluded" in ran.err_lines
    assert gen.read_text() == "x  y\n" and other.read_text() == "x y\n"
    # From inside docs/ the glob is still read relative to the config file.
    ran = cli("run", *WS, "generated/x.gen.txt", cwd=tmp_path / "docs")
    assert "generated/x.gen.txt: skipped: excluded" in ran.err_lines
    ran = cli("run", *WS, ".", cwd=tmp_path / "docs")
    assert gen.read_text() == "x  y\n"


def test_read_only_file_is_an_error_and_stays_unchanged(tmp_path):
    from cleaner.files import Target
    from cleaner.runner import RunOptions, clean_file

    path = tmp_path / "ro.txt"
    path.write_text("dirty   text  \n", encoding="utf-8")
    path.chmod(0o444)
    report = clean_file(Target(path.resolve(), "ro.txt"), RunOptions(overrides=(("select", ("whitespace",)),)))
    assert report.status == "error" and "read-only" in report.message
    assert path.read_text(encoding="utf-8") == "dirty   text  \n"
    checked = clean_file(Target(path.resolve(), "ro.txt"), RunOptions(mode="check", overrides=(("select", ("whitespace",)),)))
    assert checked.status == "changed"


def _clean_or_die(target, options):
    """Stands in for prepare_file in a worker: dies on one file, as the OOM killer would."""
    import os as _os

    from cleaner.runner import FileReport

    if target.source.name == "f3.txt":
        _os._exit(1)
    return _REAL_PREPARE_FILE(target, options) if _REAL_PREPARE_FILE else (FileReport(target.display, "unchanged"), None)


_REAL_PREPARE_FILE = None


def test_a_worker_that_dies_costs_errors_not_a_traceback(tmp_path, monkeypatch):
    from cleaner import runner
    from cleaner.files import Target

    global _REAL_PREPARE_FILE
    _REAL_PREPARE_FILE = runner.prepare_file

    paths = []
    for n in range(6):
        p = tmp_path / f"f{n}.txt"
        p.write_text("dirty   text  \n", encoding="utf-8")
        paths.append(p)

    from cleaner import batch

    monkeypatch.setattr(batch, "prepare_file", _clean_or_die)  # a chunk of several files
    monkeypatch.setattr(runner, "prepare_file", _clean_or_die)  # one file, through clean_file
    targets = [Target(p.resolve(), p.name) for p in paths]
    options = runner.RunOptions(overrides=(("select", ("whitespace",)),))
    pool = batch.make_executor("local", 2, options, targets)
    try:
        reports = list(pool.map_targets(targets, options))
    finally:
        pool.close()
    assert len(reports) == len(targets)
    assert [r.display for r in reports] == [p.name for p in paths]
    assert any(r.status == "error" and "worker process died" in r.message for r in reports)
    assert all(p.read_text(encoding="utf-8") in ("dirty   text  \n", "dirty text\n") for p in paths)

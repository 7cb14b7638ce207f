"""Hardening: hostile trees, faults, races and signals, each injected for real.

Every test here reproduces a failure of issue 19 (a crash, a lost write, a
temporary file or a worker left behind) and fails without its fix.  The
command runs as a subprocess (``python -m cleaner``); faults the system will
not produce on demand are injected into it through a ``sitecustomize``
module, as in test_files.py.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cleaner import files, runner

WS = ("--select", "whitespace")
DIRTY = "Some  prose with dirt.   \n\n\n\nA second paragraph."
DIRTY_CLEANED = "Some prose with dirt.\n\nA second paragraph.\n"
SUMMARY = re.compile(r"^cleaner: (\d+) files? seen, (\d+) (?:changed|would change), (\d+) skipped, (\d+) errors?$")


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def cli(*args: str, cwd: Path, env: dict | None = None, stdin: bytes = b"") -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", *args],
        cwd=cwd, input=stdin, capture_output=True, env={**os.environ, **(env or {})}, timeout=300,
    )
    proc.err = proc.stderr.decode("utf-8", "replace")
    proc.err_lines = proc.err.splitlines()
    return proc


def no_traceback(ran) -> None:
    assert "Traceback" not in ran.err, ran.err


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".cleaner-tmp")]


def inject(tmp_path: Path, code: str) -> dict:
    """Environment for a cleaner subprocess that first runs code (a sitecustomize)."""
    folder = tmp_path / "_inject"
    write(folder / "sitecustomize.py", textwrap.dedent(code))
    path = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": str(folder) + (os.pathsep + path if path else "")}


# --------------------------------------------------------------------------- discovery never raises


def test_symlink_loop_in_a_folder_is_reported_and_the_rest_is_cleaned(tmp_path):
    d = tmp_path / "d"
    write(d / "a.txt", DIRTY)
    (d / "loop.txt").symlink_to("loop.txt")
    (d / "ping.txt").symlink_to("pong.txt")
    (d / "pong.txt").symlink_to("ping.txt")
    ran = cli("run", *WS, "d", cwd=tmp_path)
    no_traceback(ran)
    assert ran.returncode == 0, ran.err
    assert "d/loop.txt: skipped: symlink loop" in ran.err_lines
    assert "d/ping.txt: skipped: symlink loop" in ran.err_lines
    assert (d / "a.txt").read_text() == DIRTY_CLEANED
    assert (d / "loop.txt").is_symlink()


def test_symlink_loop_and_dangling_link_named_directly_are_one_error_each(tmp_path):
    write(tmp_path / "a.txt", DIRTY)
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    ran = cli("run", *WS, "loop.txt", "gone.txt", "a.txt", cwd=tmp_path)
    no_traceback(ran)
    assert ran.returncode == 2
    assert "cleaner: error: loop.txt: symlink loop" in ran.err_lines
    assert "cleaner: error: gone.txt: broken symlink" in ran.err_lines
    assert (tmp_path / "a.txt").read_text() == DIRTY_CLEANED
    assert not (tmp_path / "nowhere.txt").exists()


def _nest(top: Path, names: list[str]) -> Path:
    """Make nested folders without ever naming the whole path (it may be too long)."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for name in names:
            os.mkdir(name, dir_fd=fd)
            sub = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = sub
        out = os.open("f.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, DIRTY.encode())
        os.close(out)
    finally:
        os.close(fd)
    return top


def _remove_nest(top: Path, names: list[str]) -> None:
    """Remove what _nest made, bottom up and without recursion (shutil.rmtree,
    and pytest's clean-up of old tmp_path folders, recurse once per folder)."""
    fds = [os.open(top, os.O_RDONLY)]
    try:
        for name in names:
            fds.append(os.open(name, os.O_RDONLY, dir_fd=fds[-1]))
        os.unlink("f.txt", dir_fd=fds[-1])
        for name in reversed(names):
            os.close(fds.pop())
            os.rmdir(name, dir_fd=fds[-1])
    finally:
        for fd in fds:
            os.close(fd)


@pytest.fixture
def deep_tree(tmp_path):
    names = ["d"] * 985
    (tmp_path / "deep").mkdir()
    _nest(tmp_path / "deep", names)
    yield tmp_path / "deep"
    _remove_nest(tmp_path / "deep", names)


def test_a_tree_985_folders_deep_is_walked_without_recursion(tmp_path, deep_tree):
    # os.walk recursed once per folder: RecursionError, nothing cleaned.
    write(deep_tree / "top.txt", DIRTY)
    ran = cli("run", *WS, "deep", cwd=tmp_path)
    no_traceback(ran)
    assert ran.returncode == 0, ran.err[-2000:]
    assert SUMMARY.match(ran.err_lines[-1]).groups() == ("2", "2", "0", "0")
    assert (tmp_path / "deep" / "top.txt").read_text() == DIRTY_CLEANED


def test_a_path_over_4096_characters_is_one_error_and_the_run_goes_on(tmp_path):
    (tmp_path / "long").mkdir()
    _nest(tmp_path / "long", ["L" * 250] * 18)  # about 4,500 characters
    write(tmp_path / "long" / "a.txt", DIRTY)
    ran = cli("run", *WS, "long", cwd=tmp_path)
    no_traceback(ran)
    assert ran.returncode == 2
    errors = [line for line in ran.err_lines if line.startswith("cleaner: error:")]
    assert len(errors) == 1 and errors[0].endswith(": cannot read folder: path too long"), errors
    assert (tmp_path / "long" / "a.txt").read_text() == DIRTY_CLEANED


def test_a_named_symlink_to_a_file_outside_its_folder_needs_follow_links(tmp_path):
    outside = write(tmp_path / "elsewhere" / "real.txt", DIRTY)
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "link.txt").symlink_to(outside)
    ran = cli("run", *WS, "here/link.txt", cwd=tmp_path)
    no_traceback(ran)
    assert ran.returncode == 0
    assert "here/link.txt: skipped: symlink to a file outside its folder, not followed (--follow-links follows it)" in ran.err_lines
    assert outside.read_text() == DIRTY
    followed = cli("run", *WS, "--follow-links", "here/link.txt", cwd=tmp_path)
    assert followed.returncode == 0, followed.err
    assert outside.read_text() == DIRTY_CLEANED and (tmp_path / "here" / "link.txt").is_symlink()


def test_follow_links_cleans_a_walked_symlink_outside_through_the_link(tmp_path):
    outside = write(tmp_path / "elsewhere" / "real.txt", DIRTY)
    write(tmp_path / "tree" / "a.txt", DIRTY)
    (tmp_path / "tree" / "link.txt").symlink_to(outside)
    ran = cli("run", *WS, "--follow-links", "tree", cwd=tmp_path)
    assert ran.returncode == 0, ran.err
    assert outside.read_text() == DIRTY_CLEANED and (tmp_path / "tree" / "link.txt").is_symlink()


# --------------------------------------------------------------------------- exit code 3


CRASH = """
import cleaner.cli
def _boom(*args, **kwargs):
    raise ZeroDivisionError("injected")
cleaner.cli._run_paths = _boom
"""


def test_a_crash_exits_3_with_one_line_and_the_traceback_only_under_verbose(tmp_path):
    write(tmp_path / "a.txt", DIRTY)
    env = inject(tmp_path, CRASH)
    ran = cli("run", "a.txt", cwd=tmp_path, env=env)
    assert ran.returncode == 3
    assert ran.err_lines == ["cleaner: internal error: ZeroDivisionError: injected (a bug in cleaner; -v shows the traceback)"]
    loud = cli("run", "-v", "a.txt", cwd=tmp_path, env=env)
    assert loud.returncode == 3
    assert "Traceback (most recent call last):" in loud.err and loud.err_lines[-1].startswith("cleaner: internal error:")
    # --check finding changes is still 1, an I/O error still 2.
    assert cli("run", "--check", "a.txt", cwd=tmp_path).returncode == 1
    assert cli("run", "missing.txt", cwd=tmp_path).returncode == 2


RULE_CRASH = """
import cleaner.pipeline
_real = cleaner.pipeline.clean_text
def _clean(text, *args, **kwargs):
    if "CRASH" in text:
        raise KeyError("injected")
    return _real(text, *args, **kwargs)
cleaner.pipeline.clean_text = _clean
import cleaner.runner
cleaner.runner.clean_text = _clean
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bug_on_one_file_costs_that_file_and_exits_3(tmp_path, jobs):
    write(tmp_path / "d" / "a.txt", DIRTY)
    write(tmp_path / "d" / "b.txt", "CRASH  here\n")
    write(tmp_path / "d" / "c.txt", DIRTY)
    ran = cli("run", *WS, "-j", jobs, "d", cwd=tmp_path, env=inject(tmp_path, RULE_CRASH))
    no_traceback(ran)
    assert ran.returncode == 3
    assert "cleaner: error: d/b.txt: internal error: KeyError: 'injected'" in ran.err_lines
    assert (tmp_path / "d" / "a.txt").read_text() == DIRTY_CLEANED == (tmp_path / "d" / "c.txt").read_text()
    assert (tmp_path / "d" / "b.txt").read_text() == "CRASH  here\n"


# --------------------------------------------------------------------------- lost updates


def _target(path: Path) -> files.Target:
    return files.Target(path.resolve(), path.name)


OPTIONS = runner.RunOptions(overrides=(("select", ("whitespace",)),))


def _meanwhile(monkeypatch, action):
    """Run action(path) after the file is read and cleaned, before it is replaced."""
    real = runner.clean_bytes

    def clean_then_act(data, config, path):
        out = real(data, config, path)
        action()
        return out

    monkeypatch.setattr(runner, "clean_bytes", clean_then_act)


def test_a_file_appended_to_between_read_and_rename_keeps_the_append(tmp_path, monkeypatch):
    f = write(tmp_path / "a.txt", DIRTY)
    _meanwhile(monkeypatch, lambda: f.open("a").write("\nAppended by another program."))
    report = runner.clean_file(_target(f), OPTIONS)
    assert report.status == "error" and not report.written
    assert report.message == "changed by another program while being cleaned; left as it is now"
    assert f.read_text() == DIRTY + "\nAppended by another program."
    assert temp_files(tmp_path) == []


def test_a_file_replaced_between_read_and_rename_keeps_the_replacement(tmp_path, monkeypatch):
    f = write(tmp_path / "a.txt", DIRTY)

    def replace():
        write(tmp_path / "new.txt", "Another  program's version.   \n")
        os.replace(tmp_path / "new.txt", f)

    _meanwhile(monkeypatch, replace)
    report = runner.clean_file(_target(f), OPTIONS)
    assert report.status == "error"
    assert f.read_text() == "Another  program's version.   \n"
    assert temp_files(tmp_path) == []


def test_a_file_swapped_for_a_symlink_stays_a_symlink(tmp_path, monkeypatch):
    f = write(tmp_path / "a.txt", DIRTY)
    other = write(tmp_path / "other.txt", DIRTY)

    def swap():
        f.unlink()
        f.symlink_to(other.name)

    _meanwhile(monkeypatch, swap)
    report = runner.clean_file(_target(f), OPTIONS)
    assert report.status == "error"
    assert f.is_symlink() and other.read_text() == DIRTY
    assert temp_files(tmp_path) == []


def test_a_file_deleted_between_read_and_rename_is_not_brought_back(tmp_path, monkeypatch):
    f = write(tmp_path / "a.txt", DIRTY)
    _meanwhile(monkeypatch, f.unlink)
    report = runner.clean_file(_target(f), OPTIONS)
    assert report.status == "error" and not f.exists()
    assert temp_files(tmp_path) == []


RACE = """
import os
_fsync = os.fsync
def _fsync_racing(fd):
    name = os.readlink(f"/proc/self/fd/{fd}")
    base = os.path.basename(name)
    if base.startswith(".racy") and base.endswith(".cleaner-tmp"):
        original = os.path.join(os.path.dirname(name), base[1:].split(".txt")[0] + ".txt")
        with open(original, "a") as fh:
            fh.write("written meanwhile\\n")
    return _fsync(fd)
os.fsync = _fsync_racing
"""


def test_a_lost_update_is_one_error_line_and_exit_2(tmp_path):
    write(tmp_path / "d" / "a.txt", DIRTY)
    racy = write(tmp_path / "d" / "racy.txt", DIRTY)
    ran = cli("run", *WS, "d", cwd=tmp_path, env=inject(tmp_path, RACE))
    no_traceback(ran)
    assert ran.returncode == 2
    assert "cleaner: error: d/racy.txt: changed by another program while being cleaned; left as it is now" in ran.err_lines
    assert racy.read_text() == DIRTY + "written meanwhile\n"
    assert (tmp_path / "d" / "a.txt").read_text() == DIRTY_CLEANED
    assert temp_files(tmp_path) == []


# --------------------------------------------------------------------------- full disk, permissions


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A 64 KB tmpfs, where the machine lets us mount one (root in a container)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_really_full_disk_keeps_every_original_and_leaves_no_temp_file(tiny_tmpfs, tmp_path):
    big = ("A line  with a double space.   \n" * 1000).encode()  # 32 KB: its copy does not fit
    write(tiny_tmpfs / "big.txt", big)
    write(tiny_tmpfs / "small.txt", DIRTY)
    filler = tiny_tmpfs / "zfiller.bin"
    try:
        filler.write_bytes(b"\x00" * (30 * 1024))
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    ran = cli("run", *WS, "big.txt", "small.txt", cwd=tiny_tmpfs)
    no_traceback(ran)
    assert ran.returncode == 2
    assert "cleaner: error: big.txt: cannot write" in ran.err and "No space left on device" in ran.err
    assert (tiny_tmpfs / "big.txt").read_bytes() == big
    assert temp_files(tiny_tmpfs) == []


NO_SPACE = """
import errno, os
_real_fdopen = os.fdopen
def _fdopen(fd, *args, **kwargs):
    fh = _real_fdopen(fd, *args, **kwargs)
    name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
    if name.startswith(".full") and name.endswith(".cleaner-tmp"):
        def _no_space(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        fh.write = _no_space
    return fh
os.fdopen = _fdopen
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_enospc_on_write_is_one_error_and_no_temp_file(tmp_path, jobs):
    full = write(tmp_path / "d" / "full.txt", DIRTY)
    write(tmp_path / "d" / "ok.txt", DIRTY)
    ran = cli("run", *WS, "-j", jobs, "d", cwd=tmp_path, env=inject(tmp_path, NO_SPACE))
    no_traceback(ran)
    assert ran.returncode == 2
    assert f"cleaner: error: d/full.txt: cannot write {full.resolve()}: No space left on device" in ran.err_lines
    assert full.read_text() == DIRTY and (tmp_path / "d" / "ok.txt").read_text() == DIRTY_CLEANED
    assert temp_files(tmp_path) == []


# --------------------------------------------------------------------------- signals

# Every write of a temporary file waits a while, so that a signal sent once a
# temporary file exists lands while a write is in progress.
SLOW_WRITES = """
import os, time
_fsync = os.fsync
def _slow_fsync(fd):
    if os.readlink(f"/proc/self/fd/{fd}").endswith(".cleaner-tmp"):
        time.sleep(float(os.environ.get("CLEANER_TEST_FSYNC_DELAY", "2")))
    return _fsync(fd)
os.fsync = _slow_fsync
"""


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_slow_run(tmp_path: Path, jobs: str, n: int = 12):
    d = tmp_path / "d"
    for i in range(n):
        write(d / f"f{i:02d}.txt", DIRTY)
    env = {**os.environ, **inject(tmp_path, SLOW_WRITES)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "run", *WS, "-j", jobs, "d"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not temp_files(d):  # a write is in progress
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no write started"
        time.sleep(0.02)
    return proc, d


def _finish(proc) -> tuple[int, list[str]]:
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err.decode("utf-8", "replace").splitlines()


INTERRUPTED = re.compile(
    r"^cleaner: interrupted by (SIG\w+) after (\d+) of 12 files: (\d+) changed, 0 skipped, 0 errors; no file is left half-written$"
)


def _check_interrupted(d: Path, lines: list[str], name: str) -> None:
    assert "Traceback" not in "\n".join(lines), lines
    found = [m for m in map(INTERRUPTED.match, lines) if m]
    assert len(found) == 1, lines
    assert found[0].group(1) == name
    done = int(found[0].group(2))
    assert 0 <= done < 12
    assert temp_files(d) == []
    # Every file is whole: cleaned or as it was.
    assert {p.read_text() for p in d.glob("*.txt")} <= {DIRTY, DIRTY_CLEANED}


@pytest.mark.parametrize(
    "jobs, signum, to_group",
    [
        ("1", signal.SIGTERM, True),
        ("2", signal.SIGTERM, True),
        ("2", signal.SIGINT, True),
        ("2", signal.SIGTERM, False),
        ("2", signal.SIGHUP, False),
    ],
)
def test_a_stop_signal_stops_the_run_cleanly(tmp_path, jobs, signum, to_group):
    proc, d = _start_slow_run(tmp_path, jobs)
    workers = _children(proc.pid)
    if to_group:
        os.killpg(proc.pid, signum)
    else:
        os.kill(proc.pid, signum)
    code, lines = _finish(proc)
    assert code == 128 + signum
    _check_interrupted(d, lines, signal.Signals(signum).name)
    assert not [w for w in workers if _alive(w)], "a worker outlived the run"


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_stop_signal_does_not_wait_for_a_long_record_to_be_cleaned(tmp_path):
    # One record of about 12 MB keeps a worker busy for many seconds (the
    # samples, repeated); a stop must end the run now, not when it is cleaned.
    import json

    samples = Path(__file__).resolve().parents[1] / "samples"
    text = "\n\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(samples.rglob("*.txt")))
    record = {"id": "long", "text": (text + "\n\n") * (12_000_000 // len(text) + 1)}
    shard = tmp_path / "in" / "shard.jsonl"
    shard.parent.mkdir()
    shard.write_text(json.dumps(record) + "\n" + json.dumps({"id": "short", "text": "A  b.\n"}) + "\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "run", "-j", "2", "in", "-o", "out"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not any(_cpu_seconds(w) > 0.5 for w in _children(proc.pid)):  # a worker is cleaning the record
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no worker started cleaning"
        time.sleep(0.05)
    workers = _children(proc.pid)
    sent = time.monotonic()
    os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    waited = time.monotonic() - sent
    assert proc.returncode == 128 + signal.SIGTERM, err.decode()
    assert waited < 5, f"the stop waited {waited:.1f} s for the record"
    assert b"cleaner: interrupted by SIGTERM" in err
    assert not (tmp_path / "out" / "shard.jsonl").exists()
    assert temp_files(tmp_path) == []
    assert not [w for w in workers if _alive(w)], "a worker outlived the run"


def test_workers_die_with_a_parent_killed_outright(tmp_path):
    proc, d = _start_slow_run(tmp_path, "2")
    workers = _children(proc.pid)
    assert len(workers) == 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 30
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "an orphaned worker goes on"
    assert temp_files(d) == []
    assert {p.read_text() for p in d.glob("*.txt")} <= {DIRTY, DIRTY_CLEANED}


def test_a_large_file_cleaned_block_by_block_keeps_a_concurrent_append(tmp_path, monkeypatch):
    from cleaner.corpus import blocks

    line = "A line  with a double space.   \n"
    f = write(tmp_path / "big.txt", line * (blocks.LARGE_FILE_BYTES // len(line) + 10))
    real = blocks._clean_blocks

    def clean_then_append(*args, **kwargs):
        out = real(*args, **kwargs)
        with f.open("a") as fh:
            fh.write("Appended meanwhile.\n")
        return out

    monkeypatch.setattr(blocks, "_clean_blocks", clean_then_append)
    report = blocks.clean_large_file(_target(f), OPTIONS)
    assert report.status == "error" and not report.written
    assert report.message == "changed by another program while being cleaned; left as it is now"
    assert f.read_text().endswith(line + "Appended meanwhile.\n")
    assert temp_files(tmp_path) == []

"""Writes behind cleaning: a chunk of files is cleaned while earlier files are written.

``batch.cleaned_in_order`` (the whole run with --jobs 1, one task of a worker
pool or a Dask cluster otherwise) hands each cleaned file's write to a
thread; these tests hold a write on the disk and check what happens around it.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from cleaner import batch, files, runner
from cleaner.files import Target
from cleaner.runner import RunOptions

DIRTY = "dirty   text  \n"
CLEAN = "dirty text\n"
OPTIONS = RunOptions(overrides=(("select", ("whitespace",)),))


def _targets(folder: Path, n: int, output: Path | None = None) -> list[Target]:
    folder.mkdir(parents=True, exist_ok=True)
    targets = []
    for i in range(n):
        path = folder / f"f{i}.txt"
        path.write_text(DIRTY + f"{i}  \n", encoding="utf-8")
        targets.append(Target(path.resolve(), path.name, output / path.name if output else None))
    return targets


def test_the_next_files_are_cleaned_while_a_write_waits_for_the_disk(tmp_path, monkeypatch):
    targets = _targets(tmp_path / "d", 6)
    release = threading.Event()
    real_fsync, real_prepare = os.fsync, runner.prepare_file
    prepared: list[str] = []
    first_sync: list[list[str]] = []

    def fsync(fd):
        if not first_sync:
            first_sync.append(list(prepared))
            assert release.wait(30), "the held write was never released"
        real_fsync(fd)

    def prepare(target, options):
        prepared.append(target.display)
        if len(prepared) == 4:
            release.set()  # the disk answers once three more files are cleaned
        return real_prepare(target, options)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(batch, "prepare_file", prepare)
    reports = list(batch.cleaned_in_order(targets, OPTIONS))
    assert [r.display for r in reports] == [t.display for t in targets]
    assert all(r.status == "changed" and r.written for r in reports)
    assert all(t.source.read_text(encoding="utf-8") == CLEAN + f"{i}\n" for i, t in enumerate(targets))
    assert len(prepared) == 6 and first_sync[0][:1] == ["f0.txt"]
    assert files._LIVE_TEMPS == set()


def test_a_write_that_fails_in_a_thread_is_that_files_error_and_the_rest_are_written(tmp_path, monkeypatch):
    out = tmp_path / "out"
    targets = _targets(tmp_path / "d", 5, output=out)
    real_replace = os.replace

    def replace(src, dst, *a, **k):
        if str(dst).endswith("f2.txt"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", replace)
    reports = list(batch.cleaned_in_order(targets, OPTIONS))
    assert [(r.display, r.status) for r in reports] == [
        ("f0.txt", "changed"), ("f1.txt", "changed"), ("f2.txt", "error"), ("f3.txt", "changed"), ("f4.txt", "changed"),
    ]
    assert "cannot write" in reports[2].message and "No space left" in reports[2].message
    assert sorted(p.name for p in out.iterdir()) == ["f0.txt", "f1.txt", "f3.txt", "f4.txt"]  # no temporary file left
    assert all(t.source.read_text(encoding="utf-8").startswith(DIRTY) for t in targets)  # inputs untouched


def test_a_lost_update_is_still_caught_when_the_write_runs_in_a_thread(tmp_path, monkeypatch):
    targets = _targets(tmp_path / "d", 4)
    real_prepare = runner.prepare_file

    def prepare_then_append(target, options):
        prepared = real_prepare(target, options)
        if target.display == "f1.txt":
            with open(target.source, "a", encoding="utf-8") as fh:
                fh.write("appended by an editor\n")
        return prepared

    monkeypatch.setattr(batch, "prepare_file", prepare_then_append)
    reports = list(batch.cleaned_in_order(targets, OPTIONS))
    assert [r.status for r in reports] == ["changed", "error", "changed", "changed"]
    assert "changed by another program" in reports[1].message
    assert targets[1].source.read_text(encoding="utf-8").endswith("appended by an editor\n")
    assert targets[2].source.read_text(encoding="utf-8") == CLEAN + "2\n"


def test_a_stop_while_writes_wait_ends_them_whole_and_drops_the_rest(tmp_path, monkeypatch):
    """What a stop signal does with --jobs 1: the consumer stops (Interrupted in
    the main thread); the writes begun finish (each atomic), the queued ones
    are dropped, and no temporary file is left."""
    targets = _targets(tmp_path / "d", 12)
    real_fsync, real_prepare = os.fsync, runner.prepare_file
    release = threading.Event()

    def slow_fsync(fd):
        assert release.wait(30)
        real_fsync(fd)

    def prepare(target, options):
        if target.display == "f8.txt":
            release.set()  # nine writes wait (2 * WRITERS + 1): the oldest must end now
        return real_prepare(target, options)

    monkeypatch.setattr(os, "fsync", slow_fsync)
    monkeypatch.setattr(batch, "prepare_file", prepare)
    reports = batch.cleaned_in_order(targets, OPTIONS)
    first = next(reports)
    assert (first.display, first.status) == ("f0.txt", "changed"), first.message
    reports.close()
    texts = [t.source.read_text(encoding="utf-8") for t in targets]
    assert texts[0] == CLEAN + "0\n"
    assert all(text in (DIRTY + f"{i}  \n", CLEAN + f"{i}\n") for i, text in enumerate(texts))
    assert not [p for p in (tmp_path / "d").iterdir() if p.name.endswith(".cleaner-tmp")]
    assert files._LIVE_TEMPS == set()


def _record_syncs(monkeypatch) -> list[tuple[str, str]]:
    """(kind, path) of every fsync and rename, in order."""
    calls: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def replace(src, dst, *a, **k):
        real_replace(src, dst, *a, **k)
        calls.append(("replace", os.fspath(dst)))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return calls


def test_a_batch_syncs_its_output_folder_once_after_its_last_rename(tmp_path, monkeypatch):
    out = tmp_path / "out"
    targets = _targets(tmp_path / "d", 6, output=out)
    calls = _record_syncs(monkeypatch)
    reports = list(batch.cleaned_in_order(targets, OPTIONS))
    monkeypatch.undo()
    assert all(r.status == "changed" and r.written for r in reports)
    renames = [i for i, (kind, _) in enumerate(calls) if kind == "replace"]
    folder_syncs = [i for i, call in enumerate(calls) if call == ("fsync", str(out))]
    file_syncs = [path for kind, path in calls if kind == "fsync" and path.endswith(".cleaner-tmp")]
    assert len(renames) == 6 and len(file_syncs) == 6  # each file's data synced before its rename
    assert len(folder_syncs) == 1 and folder_syncs[0] > max(renames)  # the renames made durable together, at the end
    assert sorted(p.name for p in out.iterdir()) == [f"f{i}.txt" for i in range(6)]


def test_one_file_written_alone_syncs_its_folder_at_once(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    calls = _record_syncs(monkeypatch)
    files.write_atomic(f, b"new")
    monkeypatch.undo()
    assert [kind for kind, _ in calls] == ["fsync", "replace", "fsync"] and calls[-1][1] == str(tmp_path)


def test_a_long_batch_syncs_its_folder_every_so_many_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(files.FolderSyncs, "SYNC_EVERY", 4)
    out = tmp_path / "out"
    targets = _targets(tmp_path / "d", 10, output=out)
    calls = _record_syncs(monkeypatch)
    list(batch.cleaned_in_order(targets, OPTIONS))
    monkeypatch.undo()
    assert calls.count(("fsync", str(out))) == 3  # after 4 and 8 writes, and at the end
    assert calls[-1] == ("fsync", str(out))


def test_writer_threads_never_set_the_umask(tmp_path, monkeypatch):
    # Reading the umask means setting it for a moment; done in a writer thread,
    # a folder another writer makes meanwhile would get that mode.
    monkeypatch.setattr(files, "_UMASK", [])
    real_umask = os.umask
    callers: list[str] = []

    def umask(mask):
        callers.append(threading.current_thread().name)
        return real_umask(mask)

    monkeypatch.setattr(os, "umask", umask)
    out = tmp_path / "out"
    targets = _targets(tmp_path / "d", 6, output=out)
    reports = list(batch.cleaned_in_order(targets, OPTIONS))
    monkeypatch.undo()
    assert all(r.status == "changed" and r.written for r in reports)
    assert callers and not [name for name in callers if name.startswith("cleaner-write")]
    current = real_umask(0o077)
    real_umask(current)
    assert {p.stat().st_mode & 0o777 for p in out.iterdir()} == {0o666 & ~current}

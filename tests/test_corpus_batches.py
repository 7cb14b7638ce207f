"""Shell batches and resumable runs: --files-from, --shard I/N, --resume; blocks of large files.

The command runs for real (a subprocess of ``python -m cleaner``).
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from cleaner.config import Config
from cleaner.corpus import blocks
from cleaner.corpus.blocks import clean_large_file, split_blocks
from cleaner.corpus.selection import part_of
from cleaner.files import Target
from cleaner.pipeline import clean_text
from cleaner.runner import RunOptions

DIRTY = "Hello\u00a0 world  \n\n\nThe efforts .Of the team.\n"
SELECT = ["--select", "whitespace,spacing"]


def cleaner(*args, cwd=None, input=None):
    return subprocess.run(
        [sys.executable, "-m", "cleaner", "run", *map(str, args)],
        cwd=cwd, input=input, capture_output=True, check=False,
    )


def make_corpus(root: Path, n: int = 12) -> list[str]:
    names = []
    for i in range(n):
        sub = root / f"part{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        if i % 2:
            path = sub / f"s{i}.jsonl.gz"
            path.write_bytes(gzip.compress(json.dumps({"text": DIRTY + str(i)}).encode() + b"\n"))
        else:
            path = sub / f"f{i}.txt"
            path.write_text(DIRTY + str(i) + "\n", encoding="utf-8")
        names.append(path.relative_to(root).as_posix())
    return sorted(names)


def outputs(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_files_from_reads_lines_or_nul_separated_paths(tmp_path):
    names = make_corpus(tmp_path / "c")
    listed = names[:5]
    (tmp_path / "list.txt").write_text("".join(f"c/{n}\n" for n in listed) + "\n", encoding="utf-8")
    done = cleaner("--files-from", "list.txt", "-o", "out", *SELECT, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert outputs(tmp_path / "out") == sorted(f"c/{n}" for n in listed)
    nul = b"\0".join(f"c/{n}".encode() for n in names[5:8]) + b"\0"
    done = cleaner("--files-from", "-", "-0", "-o", "out0", *SELECT, cwd=tmp_path, input=nul)
    assert done.returncode == 0, done.stderr
    assert outputs(tmp_path / "out0") == sorted(f"c/{n}" for n in names[5:8])
    missing = cleaner("--files-from", "nope.txt", cwd=tmp_path)
    assert missing.returncode == 2 and b"--files-from nope.txt" in missing.stderr


def test_shards_of_a_run_split_the_files_with_no_overlap_and_no_gap(tmp_path):
    names = make_corpus(tmp_path / "c", 30)
    parts = []
    for i in range(4):
        done = cleaner("c", "-o", f"out{i}", "--shard", f"{i}/4", *SELECT, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        parts.append(outputs(tmp_path / f"out{i}") if (tmp_path / f"out{i}").exists() else [])
    together = sorted(n for part in parts for n in part)
    assert together == names  # every file once
    assert all(parts) and len({len(p) for p in parts}) > 1 or len(parts) == 4
    # Stable: the part of a path is a function of the path alone.
    assert [part_of(f"c/{n}", 4) for n in names] == [part_of(f"c/{n}", 4) for n in names]
    assert {f"c/{n}" for n in parts[2]} == {f"c/{n}" for n in names if part_of(f"c/{n}", 4) == 2}
    bad = cleaner("c", "--shard", "4/4", cwd=tmp_path)
    assert bad.returncode == 2 and b"--shard '4/4'" in bad.stderr


def test_resume_passes_over_finished_outputs_and_redoes_the_rest(tmp_path):
    names = make_corpus(tmp_path / "c", 6)
    assert cleaner("c", "-o", "out", *SELECT, cwd=tmp_path).returncode == 0
    out = tmp_path / "out"
    # An interrupted run: one output missing, one left as a temporary file.
    gone = out / names[0]
    gone.unlink()
    (gone.parent / f".{gone.name}.abc123.cleaner-tmp").write_bytes(b"half")
    stamp = {n: (out / n).stat().st_mtime_ns for n in names[1:]}
    done = cleaner("c", "-o", "out", "--resume", *SELECT, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert b"5 already done (--resume)" in done.stderr
    assert gone.exists()
    assert {n: (out / n).stat().st_mtime_ns for n in names[1:]} == stamp  # not rewritten
    # An input changed after its output was written is cleaned again.
    src = tmp_path / "c" / names[1]
    os.utime(src, ns=(stamp[names[1]] + 10**9, stamp[names[1]] + 10**9))
    again = cleaner("c", "-o", "out", "--resume", *SELECT, cwd=tmp_path)
    assert b"5 already done" in again.stderr or b"4 already done" in again.stderr
    assert (out / names[1]).stat().st_mtime_ns != stamp[names[1]]
    no_output = cleaner("c", "--resume", cwd=tmp_path)
    assert no_output.returncode == 2 and b"--resume needs --output" in no_output.stderr


# --------------------------------------------------------------------------- files named one by one, into -o


CLEAN = clean_text(DIRTY, Config(select=("whitespace", "spacing"))).text


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_files_named_one_by_one_in_find_order_are_mirrored_into_the_output(tmp_path):
    for folder in ("a", "b", "a/deep"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "x.txt").write_text(DIRTY, encoding="utf-8")
    # find's order (not sorted), with its ./ prefix, and one absolute path under the cwd
    listing = f"./b/x.txt\n./a/deep/x.txt\n{tmp_path / 'a' / 'x.txt'}\n"
    done = cleaner("--files-from", "-", "-o", "out", *SELECT, cwd=tmp_path, input=listing.encode())
    assert done.returncode == 0, done.stderr
    assert tree(tmp_path / "out") == {n: CLEAN.encode() for n in ("a/deep/x.txt", "a/x.txt", "b/x.txt")}
    # One file named directly still lands at out/<its name>; named twice, once.
    (tmp_path / "page.txt").write_text(DIRTY, encoding="utf-8")
    done = cleaner("page.txt", "./page.txt", str(tmp_path / "page.txt"), "-o", "out1", *SELECT, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert tree(tmp_path / "out1") == {"page.txt": CLEAN.encode()}
    assert b"1 file seen, 1 changed" in done.stderr


def test_a_path_outside_the_current_folder_keeps_its_name_and_a_collision_is_an_error(tmp_path):
    work = tmp_path / "work"
    (work / "a").mkdir(parents=True)
    (work / "a" / "x.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "y.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "other" / "x.txt").write_text(DIRTY + "other\n", encoding="utf-8")
    done = cleaner("../other/y.txt", "a/../../other/x.txt", "a/x.txt", "-o", "out", *SELECT, cwd=work)
    assert done.returncode == 0, done.stderr
    assert sorted(tree(work / "out")) == ["a/x.txt", "x.txt", "y.txt"]
    assert tree(work / "out")["x.txt"].endswith(b"other\n")
    # Outside the cwd, two files of one name would write the same output: an error, nothing lost.
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "y.txt").write_text(DIRTY, encoding="utf-8")
    done = cleaner(str(tmp_path / "other" / "y.txt"), "../more/y.txt", "-o", "out2", *SELECT, cwd=work)
    assert done.returncode == 2
    assert b"../more/y.txt: would write the same output file as" in done.stderr
    assert tree(work / "out2") == {"y.txt": CLEAN.encode()}
    # An output folder above the current folder is no reason to pass over the files named.
    done = cleaner("a/x.txt", "-o", "..", *SELECT, cwd=work)
    assert done.returncode == 0 and b"skipped:" not in done.stderr, done.stderr
    assert (tmp_path / "a" / "x.txt").read_bytes() == CLEAN.encode()


def test_batches_shards_and_resume_of_a_listing_give_the_tree_of_one_run(tmp_path):
    names = make_corpus(tmp_path / "c", 12)
    for n in names:  # the same names in two folders
        twin = tmp_path / "d" / n
        twin.parent.mkdir(parents=True, exist_ok=True)
        twin.write_bytes((tmp_path / "c" / n).read_bytes())
    listed = [f"./c/{n}" for n in reversed(names)] + [f"d/{n}" for n in names]
    assert cleaner(*listed, "-o", "one", *SELECT, cwd=tmp_path).returncode == 0
    whole = tree(tmp_path / "one")
    assert sorted(whole) == sorted([f"c/{n}" for n in names] + [f"d/{n}" for n in names])
    # xargs: two invocations with half the list each
    half = len(listed) // 2
    for part in (listed[:half], listed[half:]):
        done = cleaner("--files-from", "-", "-o", "two", *SELECT, cwd=tmp_path, input="\n".join(part).encode())
        assert done.returncode == 0, done.stderr
    assert tree(tmp_path / "two") == whole
    # N machines: --shard I/N of the same listing
    for i in range(3):
        done = cleaner("--files-from", "-", "-o", "shards", "--shard", f"{i}/3", *SELECT, cwd=tmp_path, input="\n".join(listed).encode())
        assert done.returncode == 0, done.stderr
    assert tree(tmp_path / "shards") == whole
    # a rerun finds every output at its mirrored place
    done = cleaner("--files-from", "-", "-o", "two", "--resume", *SELECT, cwd=tmp_path, input="\n".join(listed).encode())
    assert done.returncode == 0 and f"{len(listed)} already done".encode() in done.stderr, done.stderr
    # a listing made after the run (find .) names the outputs too: they are not cleaned into themselves
    again = cleaner("two/c/" + names[0], "c/" + names[0], "-o", "two", "--resume", *SELECT, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert b"in the --output folder, not cleaned again" in again.stderr
    assert tree(tmp_path / "two") == whole


def test_a_parquet_shard_named_by_its_path_is_mirrored(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    (tmp_path / "p" / "q").mkdir(parents=True)
    pq.write_table(pa.table({"id": [1, 2], "text": [DIRTY, "fine\n"]}), tmp_path / "p" / "q" / "s.parquet")
    done = cleaner("./p/q/s.parquet", "-o", "out", *SELECT, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert outputs(tmp_path / "out") == ["p/q/s.parquet"]
    assert pq.read_table(tmp_path / "out" / "p" / "q" / "s.parquet").column("text").to_pylist() == [CLEAN, "fine\n"]


# --------------------------------------------------------------------------- large plain files


def test_blocks_are_cut_after_a_paragraph_and_keep_every_character():
    text = "".join(f"Paragraph {i} line one.\nline two.\n" + "\n" * (1 + i % 3) for i in range(400))
    chunks = [text[i:i + 97] for i in range(0, len(text), 97)]
    got = list(split_blocks(iter(chunks), "x.txt", block_chars=500))
    assert len(got) > 10
    assert "".join(b.text + b.separator for b in got) == text
    assert all(b.text.endswith(".\n") and b.separator.strip("\n") == "" for b in got[:-1])
    assert all(len(b.text) < 1000 for b in got)
    line = 0
    for b in got:
        assert b.first_line == line
        line += b.text.count("\n") + len(b.separator)


def test_a_large_file_cleaned_in_blocks_equals_whole_file_cleaning(tmp_path, monkeypatch):
    monkeypatch.setattr(blocks, "BLOCK_CHARS", 4096)
    docs = [f"Item {i}:  it  is\u00a0here .And there.\n\n\n\nSecond paragraph  {i}.   \n\n" for i in range(2000)]
    text = "".join(docs)
    src = tmp_path / "big.txt"
    src.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    config = Config(select=("whitespace", "spacing"))
    options = RunOptions(overrides=(("select", ("whitespace", "spacing")),), want_edits=True)
    report = clean_large_file(Target(src, "big.txt", tmp_path / "out" / "big.txt"), options)
    whole = clean_text(text, config, path="big.txt")
    assert report.status == "changed" and report.written
    assert (tmp_path / "out" / "big.txt").read_text(encoding="utf-8") == whole.text
    assert report.counts == whole.counts
    assert sorted(report.edits, key=lambda e: (e.line, e.rule)) == sorted(whole.edits, key=lambda e: (e.line, e.rule))


def test_a_large_file_in_place_is_rewritten_only_when_it_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(blocks, "BLOCK_CHARS", 4096)
    clean = "".join(f"Paragraph {i}.\n\n" for i in range(3000)).rstrip("\n") + "\n"
    src = tmp_path / "big.txt"
    src.write_text(clean, encoding="utf-8")
    inode = src.stat().st_ino
    options = RunOptions(overrides=(("select", ("whitespace", "spacing")),))
    report = clean_large_file(Target(src, "big.txt"), options)
    assert report.status == "unchanged" and not report.written and src.stat().st_ino == inode
    src.write_text(clean + "Tail  end.\n", encoding="utf-8")
    report = clean_large_file(Target(src, "big.txt"), options)
    assert report.status == "changed" and src.read_text(encoding="utf-8") == clean + "Tail end.\n"
    assert [p.name for p in tmp_path.iterdir()] == ["big.txt"]


def test_a_bad_byte_late_in_a_large_file_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(blocks, "READ_BYTES", 4096)
    src = tmp_path / "big.txt"
    src.write_bytes(("Text  here.\n\n" * 2000).encode() + b"\xff\xfe bad\n")
    report = clean_large_file(Target(src, "big.txt", tmp_path / "out" / "big.txt"), RunOptions())
    assert report.status == "error" and "not valid utf-8 at byte 26000" in report.message
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_the_command_cleans_a_file_over_the_threshold_in_blocks(tmp_path):
    para = "A line with  two spaces and a\u00a0no-break space.\nAnother line .It ends.\n\n"
    text = para * (blocks.LARGE_FILE_BYTES // len(para) + 100)
    src = tmp_path / "dump.txt"
    src.write_text(text, encoding="utf-8")
    assert src.stat().st_size > blocks.LARGE_FILE_BYTES
    done = cleaner(src, "-o", tmp_path / "out", *SELECT)
    assert done.returncode == 0, done.stderr
    expected = clean_text(para, Config(select=("whitespace", "spacing"))).text
    got = (tmp_path / "out" / "dump.txt").read_text(encoding="utf-8")
    assert got == (expected.rstrip("\n") + "\n\n") * (text.count(para) - 1) + expected


# --------------------------------------------------------------------------- large plain text on stdin


class _Pipe(io.RawIOBase):
    """A stream that, like a pipe, gives at most a few bytes per read."""

    def __init__(self, data: bytes, most: int = 999):
        self._data = memoryview(data)
        self._most = most

    def read(self, size: int = -1) -> bytes:
        size = self._most if size < 0 else min(size, self._most)
        part, self._data = bytes(self._data[:size]), self._data[size:]
        return part


STREAM_TEXT = "".join(
    f"Item {i}:  it\u00a0is h\u00e9re .And \u201cthere\u201d \u2014 caf\u00e9 cr\u00e8me.   \n\n\n\nSecond paragraph  {i}.\n\n"
    for i in range(1500)
)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(STREAM_TEXT.replace("\n", "\r\n").encode("utf-8"), id="utf-8-crlf"),
        pytest.param(STREAM_TEXT.replace("\u201c", '"').replace("\u201d", '"').replace("\u2014", "-").encode("cp1252"), id="cp1252"),
        pytest.param(codecs.BOM_UTF16_LE + STREAM_TEXT.encode("utf-16-le"), id="utf-16-bom"),
        pytest.param(STREAM_TEXT.encode("utf-8").replace(b"\n\n\n\n", b"  "), id="one-long-line"),
    ],
)
@pytest.mark.parametrize("mode", ["fix", "diff"])
def test_a_large_stream_is_cleaned_as_a_file_of_the_same_bytes(tmp_path, monkeypatch, data, mode):
    """Blocks of a stream read in small pieces (a multi-byte character or a
    CRLF split between two reads) are the blocks of the file."""
    monkeypatch.setattr(blocks, "READ_BYTES", 4096)
    monkeypatch.setattr(blocks, "split_blocks", partial(blocks.split_blocks, block_chars=4096))
    src = tmp_path / "big.txt"
    src.write_bytes(data)
    options = RunOptions(mode=mode, overrides=(("select", ("whitespace", "spacing")),), want_edits=True)
    config = options.config_for(src)
    file_report = clean_large_file(Target(src, "big.txt", tmp_path / "out" / "big.txt"), options)
    out, diffs = io.BytesIO(), io.StringIO()
    head = data[:5000]
    report = blocks.clean_large_stream(
        head, _Pipe(data[len(head):]), "big.txt", out if mode == "fix" else None, diffs if mode == "diff" else None, config, options
    )
    assert file_report.status == report.status == "changed"
    assert (report.encoding, report.counts, report.edits, report.bytes_in) == (file_report.encoding, file_report.counts, file_report.edits, len(data))
    if mode == "fix":
        assert out.getvalue() == (tmp_path / "out" / "big.txt").read_bytes()
    else:
        assert len(file_report.diff.split("\n--- a/big.txt:")) > 5  # one diff per changed block
        assert diffs.getvalue() == file_report.diff and report.diff == ""  # written as they come, not held


def test_a_bad_byte_late_in_a_large_stream_ends_the_output_where_it_says(monkeypatch):
    monkeypatch.setattr(blocks, "READ_BYTES", 4096)
    monkeypatch.setattr(blocks, "split_blocks", partial(blocks.split_blocks, block_chars=4096))
    good = ("Text  here.\n\n" * 3000).encode()
    data = good + b"\xff\xfe bad\n"
    options = RunOptions(overrides=(("select", ("whitespace",)),))
    out = io.BytesIO()
    report = blocks.clean_large_stream(data[:4096], _Pipe(data[4096:], 5000), "-", out, None, options.config_for(Path(".")), options)
    assert report.status == "error" and "not valid utf-8 at byte" in report.message
    line = int(report.message.rpartition("the output stops after input line ")[2])
    assert 0 < line < 6000
    # what was written is the cleaned text of the input's first lines, nothing less or more
    assert out.getvalue() == ("Text here.\n\n" * (line // 2)).encode()


def test_plain_stdin_over_the_threshold_streams_through_the_block_cleaner(tmp_path):
    """``cleaner run -`` (a pipe) and ``cleaner run FILE -o`` agree on the same bytes."""
    para = (
        "Caf\u00e9  line with\u00a0spaces.\r\nAnother line .It ends \u2014 \U0001F600.\r\n\r\n\r\n"
        + "A clean paragraph of plain prose, written once and repeated to make the input large.\r\n" * 20 + "\r\n"
    )
    raw = (para * (blocks.LARGE_FILE_BYTES // len(para.encode()) + 50)).encode("utf-8")
    assert len(raw) > blocks.LARGE_FILE_BYTES
    (tmp_path / "big.txt").write_bytes(raw)
    piped = cleaner("-", *SELECT, cwd=tmp_path, input=raw)
    assert piped.returncode == 0, piped.stderr
    assert cleaner("big.txt", "-o", "out", *SELECT, cwd=tmp_path).returncode == 0
    assert piped.stdout == (tmp_path / "out" / "big.txt").read_bytes()
    assert piped.stdout.count(b"\r\n") == 0 and piped.stdout.startswith("Caf\u00e9 line with spaces.\nAnother line. It".encode())
    diff = cleaner("-", "--diff", *SELECT, cwd=tmp_path, input=raw)
    assert diff.returncode == 1 and diff.stdout.startswith(b"--- a/-:1\n")


@pytest.mark.slow
def test_plain_stdin_of_32_mb_is_cleaned_within_a_fixed_memory_budget(tmp_path):
    """Whole, 32 MB of text on stdin would take its bytes, its text and the
    analyses (about 55 times its size); in blocks the command stays small."""
    unit = "".join(f"Line {i} of a dump, mostly clean text.\n" for i in range(50)) + "One  dirty\u00a0line.\n\n\n"
    src = tmp_path / "dump.txt"
    with open(src, "w", encoding="utf-8") as fh:
        for _ in range(32_000_000 // len(unit) + 1):
            fh.write(unit)
    size = src.stat().st_size
    command = [sys.executable, "-m", "cleaner", "run", "-", "--select", "whitespace"]
    # The command's own peak, by wait4; its stdin is a pipe fed by cat, as in zstdcat | cleaner run -.
    measure = (
        "import os, subprocess, sys\n"
        "src, out = sys.argv[1], sys.argv[2]\n"
        "feed = subprocess.Popen(['cat', src], stdout=subprocess.PIPE)\n"
        "proc = subprocess.Popen(sys.argv[3:], stdin=feed.stdout, stdout=open(out, 'wb'))\n"
        "feed.stdout.close()\n"
        "_, status, usage = os.wait4(proc.pid, 0)\n"
        "feed.wait()\n"
        "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n"
    )
    cleaned = tmp_path / "clean.txt"
    ran = subprocess.run([sys.executable, "-c", measure, str(src), str(cleaned), *command], capture_output=True, text=True)
    code, peak_kb = map(int, ran.stdout.split())
    assert code == 0, ran.stderr
    expected = clean_text(unit, Config(select=("whitespace",))).text
    with open(cleaned, encoding="utf-8") as got:
        assert got.read(len(expected)) == expected
    assert size * 0.9 < cleaned.stat().st_size < size
    assert peak_kb / 1024 < 150, f"peak RSS {peak_kb / 1024:.0f} MB for {size / 1e6:.0f} MB on stdin"


DEV_PAGES = Path(__file__).resolve().parents[2] / "shared" / "boilerplate-dev"


@pytest.mark.slow
@pytest.mark.skipif(not DEV_PAGES.is_dir(), reason="../shared/boilerplate-dev is not beside the checkout")
def test_the_dev_dump_in_blocks_is_whole_file_cleaning_but_for_whole_page_rules(tmp_path):
    """The 12.5 MB dump of the 709 development pages, cleaned in 1 MB blocks.

    Without the boilerplate stage (whose page-edge, tail and repeat rules judge
    a whole page) and the spelling stage (whose evidence is per document), the
    blocked output is byte for byte the whole-file output.  With them it is not
    (README, Cleaning a corpus, says what differs)."""
    pages = sorted(p for p in DEV_PAGES.glob("*.txt") if not p.name.endswith(".gold.txt"))
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    src = tmp_path / "dump.txt"
    src.write_text(text, encoding="utf-8")
    assert src.stat().st_size > 12_000_000
    ignore = ("boilerplate", "spelling")
    report = clean_large_file(Target(src, "dump.txt", tmp_path / "out" / "dump.txt"), RunOptions(overrides=(("ignore", ignore),)))
    whole = clean_text(text, Config(ignore=ignore), path="dump.txt")
    assert report.status == "changed"
    assert (tmp_path / "out" / "dump.txt").read_text(encoding="utf-8") == whole.text
    assert report.counts == whole.counts


from cleaner.corpus.documents import clean_documents  # noqa: E402  (before a test replaces it)


def _clean_and_say_where(config, documents, want_edits):
    """clean_documents, with the cleaning process's id in each result's notes."""
    from cleaner.pipeline import Note

    results = clean_documents(config, documents, want_edits)
    for result in results:
        result.notes.append(Note("where", 0, str(os.getpid())))
    return results


def test_one_large_shard_is_cleaned_in_batches_by_every_worker_in_order(tmp_path, monkeypatch):
    from cleaner import batch
    from cleaner.corpus import documents

    src = tmp_path / "one.jsonl.gz"
    lines = [json.dumps({"n": n, "text": f"Record {n}:  " + DIRTY * (1 + n % 7)}) for n in range(3000)]
    src.write_bytes(gzip.compress("\n".join(lines).encode() + b"\n"))
    options = RunOptions(overrides=(("select", ("whitespace", "spacing")),), want_edits=True)
    serial = list(batch.run_targets([Target(src, "one.jsonl.gz", tmp_path / "serial" / "one.jsonl.gz")], options, batch.Serial()))
    monkeypatch.setattr(documents, "BATCH_CHARS", 20_000)
    monkeypatch.setattr(documents, "clean_documents", _clean_and_say_where)
    pool = batch.LocalPool(2, options, None)
    try:
        pooled = list(batch.run_targets([Target(src, "one.jsonl.gz", tmp_path / "pool" / "one.jsonl.gz")], options, pool))
    finally:
        pool.close()
    assert pooled[0].status == "changed", pooled[0].message
    assert (tmp_path / "pool" / "one.jsonl.gz").read_bytes() == (tmp_path / "serial" / "one.jsonl.gz").read_bytes()
    assert pooled[0].counts == serial[0].counts and pooled[0].documents == 3000
    where = {note.message for record in pooled[0].records for note in record.notes if note.rule == "where"}
    assert len(where) == 2 and str(os.getpid()) not in where  # both workers, not this process


def test_one_small_file_is_cleaned_without_starting_workers(tmp_path):
    # A pre-commit call names one page: a pool of workers would cost more than
    # the page.  A shard named alone still goes to the workers, record batch by batch.
    from cleaner.batch import LocalPool, Serial, make_executor

    page = tmp_path / "page.txt"
    page.write_text("A page  of text.\n")
    shard = tmp_path / "docs.jsonl"
    shard.write_text('{"text": "A record  of text."}\n')
    options = RunOptions()
    assert isinstance(make_executor("local", 2, options, [Target(page, "page.txt")]), Serial)
    pool = make_executor("local", 2, options, [Target(shard, "docs.jsonl")])
    try:
        assert isinstance(pool, LocalPool)
    finally:
        pool.close()

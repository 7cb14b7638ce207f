"""Corpus shards: JSON Lines (plain, gzip, zstd) and Parquet, one document per record.

The command runs for real (a subprocess of ``python -m cleaner``) on shards
written here; what comes out is read back record by record.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zstandard

DIRTY = "Hello\u00a0 world  \n\n\nThe efforts .Of the team.\n"
CLEAN = "Hello world\n\nThe efforts. Of the team.\n"
SELECT = ["--select", "whitespace,spacing"]


def cleaner(*args, cwd=None, input=None):
    return subprocess.run(
        [sys.executable, "-m", "cleaner", "run", *map(str, args)],
        cwd=cwd, input=input, capture_output=True, check=False,
    )


def write_shard(path: Path, lines: list[bytes]) -> None:
    data = b"".join(line + b"\n" for line in lines)
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    elif path.name.endswith(".zst"):
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)


def read_shard(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        return gzip.decompress(data)
    if path.name.endswith(".zst"):
        return zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()
    return data


def records(*objs, **dumps) -> list[bytes]:
    return [json.dumps(o, **dumps).encode() if not isinstance(o, bytes) else o for o in objs]


@pytest.mark.parametrize("name", ["s.jsonl", "s.jsonl.gz", "s.jsonl.zst", "s.json.gz"])
def test_each_record_is_a_document_and_everything_else_is_kept(tmp_path, name):
    src = tmp_path / "in" / name
    src.parent.mkdir()
    write_shard(src, records(
        {"id": 7, "text": DIRTY, "meta": {"url": "https://example.org/ä", "score": 0.25}, "tags": ["a", "b"]},
        {"text": "Already clean.\n", "z": None},
        {"meta": {"lang": "en"}, "text": "Second  dirty record.\n", "after": True},
    ))
    done = cleaner(src.parent, "-o", tmp_path / "out", *SELECT)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out" / name
    assert out.exists()
    # The same compression: the output decompresses with the input's format.
    lines = read_shard(out).split(b"\n")
    assert lines[-1] == b"" and len(lines) == 4
    got = [json.loads(line) for line in lines[:3]]
    assert got[0] == {"id": 7, "text": CLEAN, "meta": {"url": "https://example.org/ä", "score": 0.25}, "tags": ["a", "b"]}
    assert list(got[0]) == ["id", "text", "meta", "tags"]
    assert list(got[2]) == ["meta", "text", "after"] and got[2]["text"] == "Second dirty record.\n"
    # An unchanged record is written back byte for byte.
    assert lines[1] == json.dumps({"text": "Already clean.\n", "z": None}).encode()
    assert b"records in shards" in done.stderr and b"2 changed" in done.stderr


def test_a_changed_record_keeps_its_own_layout(tmp_path):
    src = tmp_path / "s.jsonl"
    compact = json.dumps({"text": DIRTY, "k": "é"}, separators=(",", ":"), ensure_ascii=False).encode()
    spaced_ascii = json.dumps({"text": DIRTY, "k": "é"}).encode()  # Python's default: ", " and \\u escapes
    write_shard(src, [compact, spaced_ascii])
    assert cleaner(src, *SELECT).returncode == 0
    first, second = src.read_bytes().splitlines()
    assert first == json.dumps({"text": CLEAN, "k": "é"}, separators=(",", ":"), ensure_ascii=False).encode()
    assert second == json.dumps({"text": CLEAN, "k": "é"}).encode()


def test_bad_records_are_written_unchanged_reported_and_the_run_goes_on(tmp_path):
    src = tmp_path / "bad.jsonl.gz"
    bad = [b"not json at all", b'{"id": 1, "body": "no text field"}', b'{"text": 42}', b"[1, 2]", b'{"text": "caf\xe9"}']
    write_shard(src, records({"text": DIRTY}, *bad, {"text": "Last  one.\n"}))
    done = cleaner(src, "-o", tmp_path / "out", *SELECT)
    assert done.returncode == 2
    err = done.stderr.decode()
    for line_no in (2, 3, 4, 5, 6):
        assert f"bad.jsonl.gz:{line_no}: " in err
    assert "bad.jsonl.gz:2: not JSON" in err and "bad.jsonl.gz:3: no 'text' field" in err
    assert "bad.jsonl.gz:4: 'text' is int, not a string" in err and "bad.jsonl.gz:6: not valid UTF-8" in err
    lines = read_shard(tmp_path / "out" / "bad.jsonl.gz").splitlines()
    assert lines[1:6] == bad
    assert json.loads(lines[0])["text"] == CLEAN and json.loads(lines[6])["text"] == "Last one.\n"


@pytest.mark.parametrize("name", ["t.jsonl.gz", "t.jsonl.zst"])
def test_a_truncated_stream_is_an_error_and_nothing_is_written(tmp_path, name):
    full = tmp_path / ("full" + name[1:])
    write_shard(full, records(*({"text": DIRTY + str(n) * 200} for n in range(300))))
    src = tmp_path / "in" / name
    src.parent.mkdir()
    data = full.read_bytes()
    src.write_bytes(data[: len(data) // 2])
    done = cleaner(src.parent, "-o", tmp_path / "out", *SELECT)
    assert done.returncode == 2
    assert f"{src.parent.name}/{name}: " in done.stderr.decode() and "truncated" in done.stderr.decode()
    assert not (tmp_path / "out" / name).exists()
    assert not [p for p in (tmp_path / "out").rglob("*")] or not list((tmp_path / "out").glob(".*cleaner-tmp"))
    # In place: the shard is left exactly as it was.
    before = src.read_bytes()
    assert cleaner(src, *SELECT).returncode == 2
    assert src.read_bytes() == before
    assert [p.name for p in src.parent.iterdir()] == [name]


def test_in_place_a_shard_is_replaced_atomically_only_when_it_changes(tmp_path):
    clean = tmp_path / "clean.jsonl.gz"
    dirty = tmp_path / "dirty.jsonl.gz"
    write_shard(clean, records({"text": "Fine.\n"}))
    write_shard(dirty, records({"text": DIRTY}))
    os.chmod(dirty, 0o640)
    clean_inode, clean_bytes = clean.stat().st_ino, clean.read_bytes()
    dirty_inode = dirty.stat().st_ino
    assert cleaner(clean, dirty, *SELECT).returncode == 0
    assert clean.stat().st_ino == clean_inode and clean.read_bytes() == clean_bytes
    assert dirty.stat().st_ino != dirty_inode  # a new file renamed over the old one
    assert oct(dirty.stat().st_mode & 0o777) == oct(0o640)
    assert json.loads(read_shard(dirty))["text"] == CLEAN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.jsonl.gz", "dirty.jsonl.gz"]


def test_the_output_is_reproducible_byte_for_byte(tmp_path):
    src = tmp_path / "in" / "s.jsonl.gz"
    src.parent.mkdir()
    write_shard(src, records(*({"text": DIRTY, "n": n} for n in range(50))))
    assert cleaner(src.parent, "-o", tmp_path / "a", *SELECT).returncode == 0
    time.sleep(1.1)  # a gzip header with a time stamp would differ
    assert cleaner(src.parent, "-o", tmp_path / "b", *SELECT).returncode == 0
    assert (tmp_path / "a" / "s.jsonl.gz").read_bytes() == (tmp_path / "b" / "s.jsonl.gz").read_bytes()


def test_text_field_reaches_a_nested_field_from_the_flag_or_the_config(tmp_path):
    src = tmp_path / "s.jsonl"
    write_shard(src, records({"doc": {"body": DIRTY, "title": "T"}, "text": "Other  field.\n"}))
    assert cleaner(src, "--text-field", "doc.body", *SELECT).returncode == 0
    got = json.loads(src.read_bytes())
    assert got == {"doc": {"body": CLEAN, "title": "T"}, "text": "Other  field.\n"}
    (tmp_path / "cleaner.toml").write_text('text-field = "text"\n', encoding="utf-8")
    assert cleaner(src, *SELECT).returncode == 0
    assert json.loads(src.read_bytes())["text"] == "Other field.\n"
    (tmp_path / "cleaner.toml").write_text("text-field = 3\n", encoding="utf-8")
    done = cleaner(src, *SELECT)
    assert done.returncode == 2 and b"text-field: expected a non-empty string" in done.stderr


def test_reports_name_records_by_shard_and_line_or_by_id(tmp_path):
    src = tmp_path / "s.jsonl.gz"
    write_shard(src, records({"id": "doc-a", "text": "Fine.\n"}, {"id": "doc-b", "text": DIRTY}))
    explained = cleaner(src.name, "--explain", "--check", *SELECT, cwd=tmp_path)
    assert explained.returncode == 1
    assert b"s.jsonl.gz:2:4:5 spacing.space-before-punct:" in explained.stdout
    assert b"would change: s.jsonl.gz" in explained.stdout
    by_id = cleaner(src.name, "--diff", "--id-field", "id", *SELECT, cwd=tmp_path)
    assert by_id.returncode == 1
    assert b"--- a/doc-b\n+++ b/doc-b\n" in by_id.stdout
    as_json = json.loads(cleaner(src.name, "--format", "json", "--check", *SELECT, cwd=tmp_path).stdout)
    shard = as_json["files"][0]
    assert shard["documents"] == 2 and shard["documents_changed"] == 1
    assert [r["path"] for r in shard["records"]] == ["s.jsonl.gz:2"]
    assert shard["counts"]["spacing.space-before-punct"] == 1
    assert as_json["summary"]["records"] == {"documents": 2, "changed": 1, "problems": 0}
    assert gzip.decompress(src.read_bytes()).count(b"\n") == 2  # --check wrote nothing


def test_annotate_adds_rule_counts_and_what_was_removed(tmp_path):
    src = tmp_path / "s.jsonl"
    write_shard(src, records({"text": DIRTY}, {"text": "Fine.\n"}))
    assert cleaner(src, "--annotate", "cleaning", *SELECT).returncode == 0
    first, second = (json.loads(line) for line in src.read_bytes().splitlines())
    assert first["cleaning"] == {
        "counts": {"spacing.space-before-punct": 1, "whitespace.blank-lines": 1, "whitespace.inner-spaces": 1,
                   "whitespace.odd-spaces": 1, "whitespace.trailing": 1},
        "lines_removed": 1,
        "chars_removed": len(DIRTY) - len(CLEAN),
    }
    assert second == {"text": "Fine.\n", "cleaning": {"counts": {}, "lines_removed": 0, "chars_removed": 0}}


def test_stdin_jsonl_is_a_streaming_filter(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "run", "-", "--format-in", "jsonl", *SELECT],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    proc.stdin.write(json.dumps({"text": DIRTY}).encode() + b"\n")
    proc.stdin.flush()
    # The first record comes out while stdin is still open: nothing waits for the end.
    first = proc.stdout.readline()
    assert json.loads(first)["text"] == CLEAN
    proc.stdin.write(b"oops\n" + json.dumps({"text": "b  c\n"}).encode() + b"\n")
    proc.stdin.close()
    rest = proc.stdout.read()
    assert proc.wait() == 2
    assert rest == b'oops\n{"text": "b c\\n"}\n'
    assert b"-:2: not JSON" in proc.stderr.read()


def test_format_in_is_only_for_stdin(tmp_path):
    (tmp_path / "a.txt").write_text("x\n", encoding="utf-8")
    done = cleaner(tmp_path / "a.txt", "--format-in", "jsonl")
    assert done.returncode == 2 and b"--format-in is for stdin" in done.stderr


def test_parquet_row_groups_schema_and_codec_are_kept(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({
        "id": ["a", "b", "c", "d", "e"],
        "text": [DIRTY, "Fine.\n", None, "x  y\n", "Fine too.\n"],
        "score": [0.5, 1.0, 2.0, None, 3.0],
    })
    src = tmp_path / "in" / "p.parquet"
    src.parent.mkdir()
    pq.write_table(table, src, row_group_size=2, compression="zstd")
    done = cleaner(src.parent, "-o", tmp_path / "out", "--id-field", "id", "--explain", *SELECT)
    assert done.returncode == 2  # the null text
    assert b"p.parquet:3: 'text' is null" in done.stderr
    assert b"d:1:1 whitespace.inner-spaces" in done.stdout
    out = pq.ParquetFile(tmp_path / "out" / "p.parquet")
    assert out.schema_arrow == pq.ParquetFile(src).schema_arrow
    assert out.num_row_groups == 3 and [out.metadata.row_group(i).num_rows for i in range(3)] == [2, 2, 1]
    assert out.metadata.row_group(0).column(0).compression == "ZSTD"
    got = out.read().to_pydict()
    assert got["text"] == [CLEAN, "Fine.\n", None, "x y\n", "Fine too.\n"]
    assert got["id"] == table.column("id").to_pylist() and got["score"] == table.column("score").to_pylist()
    # In place and nothing to change: not rewritten.
    clean = tmp_path / "out" / "p.parquet"
    inode = clean.stat().st_ino
    assert cleaner(clean, *SELECT).returncode == 2
    assert clean.stat().st_ino == inode


def test_memory_does_not_grow_with_the_shard(tmp_path):
    """Records are streamed: four times the records, about the same peak of traced memory."""
    import tracemalloc

    from cleaner.corpus.shard import clean_shard
    from cleaner.files import Target
    from cleaner.runner import RunOptions

    from cleaner.pipeline import clean_text
    from cleaner.config import Config

    options = RunOptions(overrides=(("select", ("whitespace",)),))
    clean_text(DIRTY, Config(select=("whitespace",)))  # rules loaded before memory is traced
    peaks = []
    for n in (300, 1200):
        src = tmp_path / f"s{n}.jsonl.gz"
        write_shard(src, records(*({"id": i, "text": DIRTY * 4} for i in range(n))))
        tracemalloc.start()
        report = clean_shard(Target(src, src.name, tmp_path / "out" / src.name), options)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert report.documents == n and report.status == "changed"
    assert peaks[1] < 1.3 * peaks[0], peaks


def test_a_record_gets_no_final_newline_and_a_clean_record_stays_unchanged(tmp_path):
    # A record's text is not a file: adding a newline would change nearly every
    # record of a clean corpus.  A record that already ends in one keeps it.
    import subprocess, sys
    shard = tmp_path / "s.jsonl"
    shard.write_text('{"text": "Clean text"}\n{"text": "Dirty  text"}\n{"text": "Ends in a newline\\n"}\n')
    ran = subprocess.run([sys.executable, "-m", "cleaner", "run", str(shard), "-o", str(tmp_path / "out")],
                         capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "out" / "s.jsonl").read_text().splitlines() == [
        '{"text": "Clean text"}', '{"text": "Dirty text"}', '{"text": "Ends in a newline\\n"}'
    ]
    assert "1 changed" in ran.stderr

"""The command line, run for real: a subprocess of ``python -m cleaner`` on files in tmp_path.

These tests pin the CLI conventions users know from ruff, black and codespell:
what is written and what is not, what goes to stdout and stderr, exit codes,
configuration and rule-file errors.  Other stages change while these tests
stand, so the only dirt used here is whitespace, and exact outputs are
checked with ``--select whitespace`` (or a config that selects it).
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

WS = ("--select", "whitespace")
EXPLAIN_LINE = re.compile(r'^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+) (?P<rule>[a-z]+\.[a-z0-9-]+): "(?P<before>.*)" -> "(?P<after>.*)"$')
SUMMARY = re.compile(r"^cleaner: (\d+) files? seen, (\d+) (?:changed|would change), (\d+) skipped, (\d+) errors?$")

DIRTY = "The river  runs north.   \nIt\u00a0floods in spring.\n\n\n\nFarmers plant late.  "
DIRTY_CLEANED = "The river runs north.\nIt floods in spring.\n\nFarmers plant late.\n"
CLEAN = "A clean paragraph of prose.\n\nAnother one follows it.\n"


@dataclass
class Ran:
    code: int
    out: str
    err: str
    stdout: bytes

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def cli(*args: str, cwd: Path, stdin: bytes | None = None, env: dict | None = None) -> Ran:
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", *args],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return Ran(proc.returncode, proc.stdout.decode("utf-8", "replace"), err, proc.stdout)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def age(path: Path) -> tuple[int, int]:
    """Backdate a file so that any rewrite shows in its mtime; return (inode, mtime_ns)."""
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def ident(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def summary(ran: Ran) -> tuple[int, int, int, int]:
    found = [m for m in map(SUMMARY.match, ran.err_lines) if m]
    assert len(found) == 1, ran.err
    return tuple(int(g) for g in found[0].groups())  # type: ignore[return-value]


# --------------------------------------------------------------------------- fixing in place


def test_fix_in_place_writes_only_files_whose_bytes_change(tmp_path):
    dirty = write(tmp_path / "docs" / "dirty.txt", DIRTY)
    clean = write(tmp_path / "docs" / "clean.md", CLEAN)
    clean_id = age(clean)
    ran = cli("run", *WS, "docs", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert dirty.read_text(encoding="utf-8") == DIRTY_CLEANED
    assert clean.read_text(encoding="utf-8") == CLEAN
    assert ident(clean) == clean_id  # not rewritten, not even with the same bytes
    assert summary(ran) == (2, 1, 0, 0)
    assert ran.out == ""  # stdout carries results only; a plain fix has none

    # A second run finds nothing to do and touches nothing.
    dirty_id = age(dirty)
    again = cli("run", *WS, "docs", cwd=tmp_path)
    assert again.code == 0
    assert summary(again) == (2, 0, 0, 0)
    assert ident(dirty) == dirty_id and ident(clean) == clean_id


def test_default_pipeline_fixes_whitespace_dirt(tmp_path):
    # No --select: the full default pipeline, on ordinary prose whose only dirt
    # is whitespace (so that what other stages do cannot matter).
    first = "The river that runs through the old town  floods almost every spring, when the snow melts."
    second = "Farmers on both banks have learned to\u00a0plant their fields late in the season."
    dirty = write(tmp_path / "a.txt", f"\n{first}   \n\n\n\n{second}")
    ran = cli("run", "a.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert dirty.read_text(encoding="utf-8") == f"{first}\n\n{second}\n".replace("  ", " ").replace("\u00a0", " ")


def test_folders_are_recursive_and_include_exclude_globs_apply(tmp_path):
    write(tmp_path / "t" / "a.txt", "a  b\n")
    write(tmp_path / "t" / "deep" / "er" / "b.md", "c  d\n")
    write(tmp_path / "t" / "code.py", "x  =  1\n")  # not in the default include globs
    write(tmp_path / "t" / "notes.rst", "e  f\n")
    write(tmp_path / "t" / "skip" / "c.txt", "g  h\n")
    ran = cli("run", *WS, "t", "--exclude", "skip", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert (tmp_path / "t" / "a.txt").read_text() == "a b\n"
    assert (tmp_path / "t" / "deep" / "er" / "b.md").read_text() == "c d\n"
    assert (tmp_path / "t" / "code.py").read_text() == "x  =  1\n"
    assert (tmp_path / "t" / "notes.rst").read_text() == "e  f\n"
    assert (tmp_path / "t" / "skip" / "c.txt").read_text() == "g  h\n"
    ran = cli("run", *WS, "t", "--include", "*.rst", cwd=tmp_path)
    assert (tmp_path / "t" / "notes.rst").read_text() == "e f\n"
    assert (tmp_path / "t" / "code.py").read_text() == "x  =  1\n"
    assert summary(ran) == (1, 1, 0, 0)


def test_a_file_named_directly_is_cleaned_whatever_its_name(tmp_path):
    # pre-commit passes files by name, e.g. a README without a suffix.
    readme = write(tmp_path / "README", "Read  me.   \n")
    ran = cli("run", *WS, "README", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert readme.read_text() == "Read me.\n"


# --------------------------------------------------------------------------- --output


def test_output_dir_mirrors_the_input_tree_and_leaves_inputs_alone(tmp_path):
    src = tmp_path / "src"
    write(src / "a.txt", DIRTY)
    write(src / "sub" / "b.md", CLEAN)
    write(src / "sub" / "deeper" / "c.txt", "x  y\n")
    before = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}
    ran = cli("run", *WS, "src", "-o", "out", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert {p: p.read_bytes() for p in src.rglob("*") if p.is_file()} == before
    out = tmp_path / "out"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "a.txt", "sub/b.md", "sub/deeper/c.txt",
    ]
    assert (out / "a.txt").read_text(encoding="utf-8") == DIRTY_CLEANED
    assert (out / "sub" / "b.md").read_text(encoding="utf-8") == CLEAN  # unchanged files are copied too
    assert (out / "sub" / "deeper" / "c.txt").read_text() == "x y\n"


def test_output_inside_the_input_tree_does_not_clean_its_own_output(tmp_path):
    src = tmp_path / "src"
    write(src / "a.txt", DIRTY)
    write(src / "sub" / "b.txt", "x  y\n")
    first = cli("run", *WS, "src", "--output", "src/cleaned", cwd=tmp_path)
    assert first.code == 0, first.err
    assert summary(first) == (2, 2, 0, 0)
    second = cli("run", *WS, "src", "--output", "src/cleaned", cwd=tmp_path)
    assert second.code == 0, second.err
    assert summary(second) == (2, 2, 0, 0)  # the same two inputs, not their copies
    files = sorted(p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file())
    assert files == ["a.txt", "cleaned/a.txt", "cleaned/sub/b.txt", "sub/b.txt"]
    assert (src / "a.txt").read_text(encoding="utf-8") == DIRTY
    assert (src / "cleaned" / "a.txt").read_text(encoding="utf-8") == DIRTY_CLEANED


def test_output_cannot_be_combined_with_check(tmp_path):
    write(tmp_path / "a.txt", DIRTY)
    ran = cli("run", "a.txt", "-o", "out", "--check", cwd=tmp_path)
    assert ran.code == 2
    assert len(ran.err_lines) == 1
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- stdin


def test_stdin_to_stdout(tmp_path):
    ran = cli("run", *WS, "-", cwd=tmp_path, stdin=DIRTY.encode("utf-8"))
    assert ran.code == 0, ran.err
    assert ran.stdout == DIRTY_CLEANED.encode("utf-8")
    assert list(tmp_path.iterdir()) == []


def test_stdin_filename_makes_markdown_keep_hard_breaks(tmp_path):
    text = "Roses are red,  \nviolets are blue.  \n".encode()
    md = cli("run", *WS, "-", "--stdin-filename", "poem.md", cwd=tmp_path, stdin=text)
    txt = cli("run", *WS, "-", "--stdin-filename", "poem.txt", cwd=tmp_path, stdin=text)
    assert md.code == txt.code == 0
    assert md.stdout == b"Roses are red,  \nviolets are blue.\n"  # hard break kept, trailing at the end not
    assert txt.stdout == b"Roses are red,\nviolets are blue.\n"


def test_stdin_filename_finds_the_config_for_that_path(tmp_path):
    write(tmp_path / "keep" / "cleaner.toml", 'select = ["whitespace"]\nignore = ["whitespace.trailing"]\n')
    text = b"Two  spaces and trailing.   \n"
    ran = cli("run", "-", "--stdin-filename", "keep/doc.txt", cwd=tmp_path, stdin=text)
    assert ran.code == 0, ran.err
    assert ran.stdout == b"Two spaces and trailing.   \n"


def test_stdin_check_and_diff_write_nothing_to_stdout_but_results(tmp_path):
    check = cli("run", *WS, "-", "--check", cwd=tmp_path, stdin=b"x  \n")
    assert check.code == 1 and check.stdout == b""
    ok = cli("run", *WS, "-", "--check", cwd=tmp_path, stdin=b"x\n")
    assert ok.code == 0 and ok.stdout == b""
    diff = cli("run", *WS, "-", "--diff", "--stdin-filename", "n.txt", cwd=tmp_path, stdin=b"x  \n")
    assert diff.code == 1
    assert diff.out.splitlines()[:2] == ["--- a/n.txt", "+++ b/n.txt"]
    assert "-x  " in diff.out.splitlines() and "+x" in diff.out.splitlines()


def test_stdin_cannot_be_mixed_with_paths_or_output(tmp_path):
    write(tmp_path / "a.txt", "x\n")
    ran = cli("run", "-", "a.txt", cwd=tmp_path, stdin=b"x\n")
    assert ran.code == 2 and len(ran.err_lines) == 1
    ran = cli("run", "-", "-o", "out", cwd=tmp_path, stdin=b"x  \n")
    assert ran.code == 2 and len(ran.err_lines) == 1 and ran.stdout == b""
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- --check, --diff


def test_check_exits_1_and_writes_nothing(tmp_path):
    dirty = write(tmp_path / "d" / "dirty.txt", DIRTY)
    clean = write(tmp_path / "d" / "clean.txt", CLEAN)
    ids = age(dirty), age(clean)
    ran = cli("run", *WS, "--check", "d", cwd=tmp_path)
    assert ran.code == 1
    assert ran.out.splitlines() == ["would change: d/dirty.txt"]
    assert (ident(dirty), ident(clean)) == ids
    assert dirty.read_text(encoding="utf-8") == DIRTY
    assert summary(ran) == (2, 1, 0, 0)
    ok = cli("run", *WS, "--check", "d/clean.txt", cwd=tmp_path)
    assert ok.code == 0 and ok.out == ""


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path):
    dirty = write(tmp_path / "dirty.txt", "Line one.  \nLine two.\n")
    write(tmp_path / "clean.txt", CLEAN)
    before = age(dirty)
    ran = cli("run", *WS, "--diff", ".", cwd=tmp_path)
    assert ran.code == 1
    assert ran.out.splitlines() == [
        "--- a/dirty.txt",
        "+++ b/dirty.txt",
        "@@ -1,2 +1,2 @@",
        "-Line one.  ",
        "+Line one.",
        " Line two.",
    ]
    assert ident(dirty) == before and dirty.read_text() == "Line one.  \nLine two.\n"
    assert cli("run", *WS, "--diff", "clean.txt", cwd=tmp_path).code == 0


def test_check_and_diff_together_print_the_diff_and_write_nothing(tmp_path):
    f = write(tmp_path / "a.txt", DIRTY)
    before = age(f)
    ran = cli("run", *WS, "--check", "--diff", "a.txt", cwd=tmp_path)
    assert ran.code == 1
    assert ran.out == cli("run", *WS, "--diff", "a.txt", cwd=tmp_path).out
    assert ran.out.startswith("--- a/a.txt\n+++ b/a.txt\n") and "+The river runs north.\n" in ran.out
    assert ident(f) == before and f.read_text(encoding="utf-8") == DIRTY


# --------------------------------------------------------------------------- --select, --ignore


def test_select_by_rule_id(tmp_path):
    f = write(tmp_path / "a.txt", "Two  spaces and trailing.   \n")
    assert cli("run", "--select", "whitespace.trailing", "a.txt", cwd=tmp_path).code == 0
    assert f.read_text() == "Two  spaces and trailing.\n"


def test_select_by_stage_and_ignore_by_id(tmp_path):
    f = write(tmp_path / "a.txt", "Two  spaces and trailing.   \n\n\n")
    ran = cli("run", "--select", "whitespace", "--ignore", "whitespace.inner-spaces", "a.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert f.read_text() == "Two  spaces and trailing.\n"


def test_comma_separated_and_repeated_selectors(tmp_path):
    f = write(tmp_path / "a.txt", "Two  spaces and trailing.   \n\n\n")
    ran = cli(
        "run", "--select", "whitespace.trailing,whitespace.final-newline", "--select", "whitespace.inner-spaces",
        "a.txt", cwd=tmp_path,
    )
    assert ran.code == 0, ran.err
    assert f.read_text() == "Two spaces and trailing.\n"


def test_ignore_a_whole_stage(tmp_path):
    f = write(tmp_path / "a.txt", "Two  spaces and trailing.   \n")
    before = age(f)
    ran = cli("run", "--select", "whitespace", "--ignore", "whitespace", "a.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert ident(f) == before


@pytest.mark.parametrize("flag", ["--select", "--ignore"])
@pytest.mark.parametrize("selector", ["whitespace.no-such-rule", "nostage", "whitespace.trailing,bogus"])
def test_unknown_selector_is_one_line_and_exit_2(tmp_path, flag, selector):
    f = write(tmp_path / "a.txt", DIRTY)
    ran = cli("run", flag, selector, "a.txt", cwd=tmp_path)
    assert ran.code == 2
    assert len(ran.err_lines) == 1, ran.err
    bad = selector.split(",")[-1]
    assert bad in ran.err and ran.err.startswith("cleaner: error:")
    assert f.read_text(encoding="utf-8") == DIRTY


# --------------------------------------------------------------------------- --explain, --format json


def test_explain_prints_each_edit_with_original_line_numbers(tmp_path):
    text = "\n\nTitle\n\n\n\nFirst  line of the body. \nSecond\u00a0line.\n\n\n"
    write(tmp_path / "a.txt", text)
    ran = cli("run", *WS, "--explain", "a.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    parsed = [EXPLAIN_LINE.match(line) for line in ran.out.splitlines()]
    assert parsed and all(parsed), ran.out
    edits = {(m["line"], m["rule"], m["before"], m["after"]) for m in parsed}
    assert all(m["file"] == "a.txt" for m in parsed)
    # Lines 7 and 8 of the file as the user has it, although leading and inner
    # blank lines are removed by rules that run at the same time.
    # Each edit shows the words around it, so the reader can find it.
    assert ("7", "whitespace.inner-spaces", "First  line", "First line") in edits
    assert ("7", "whitespace.trailing", "body. ", "body.") in edits
    assert ("8", "whitespace.odd-spaces", "Second\\u00a0line.", "Second line.") in edits
    assert ("1", "whitespace.leading-blank-lines", "\\n\\n", "") in edits
    assert (tmp_path / "a.txt").read_text() == "Title\n\nFirst line of the body.\nSecond line.\n"


def test_explain_under_check_writes_nothing(tmp_path):
    f = write(tmp_path / "a.txt", "x  y\n")
    ran = cli("run", *WS, "--explain", "--check", "a.txt", cwd=tmp_path)
    assert ran.code == 1
    assert 'a.txt:1:1 whitespace.inner-spaces: "x  y" -> "x y"' in ran.out.splitlines()
    assert f.read_text() == "x  y\n"


def test_format_json_is_a_parseable_report_with_edits(tmp_path):
    write(tmp_path / "a.txt", "A line.\n\n\n\nThe  end.  \n")
    write(tmp_path / "b.txt", CLEAN)
    ran = cli("run", *WS, "--format", "json", "--check", ".", cwd=tmp_path)
    assert ran.code == 1
    report = json.loads(ran.out)
    assert report["summary"] == {"seen": 2, "changed": 1, "skipped": 0, "errors": 0}
    by_path = {f["path"]: f for f in report["files"]}
    assert by_path["b.txt"]["status"] == "unchanged" and by_path["b.txt"]["edits"] == []
    a = by_path["a.txt"]
    assert a["status"] == "changed"
    assert {"rule": "whitespace.inner-spaces", "line": 5, "before": "The  end.", "after": "The end."} in a["edits"]
    assert {"rule": "whitespace.trailing", "line": 5, "before": "end.  ", "after": "end."} in a["edits"]
    assert a["counts"]["whitespace.blank-lines"] == 1
    assert sum(a["counts"].values()) == len(a["edits"])
    assert (tmp_path / "a.txt").read_text() == "A line.\n\n\n\nThe  end.  \n"


def test_format_json_from_stdin_carries_the_output(tmp_path):
    ran = cli("run", *WS, "--format", "json", "-", cwd=tmp_path, stdin=b"x  \n")
    report = json.loads(ran.out)
    assert report["output"] == "x\n"
    assert report["files"][0]["edits"] == [{"rule": "whitespace.trailing", "line": 1, "before": "x  ", "after": "x"}]


def test_format_json_from_stdin_stays_json_for_binary_and_undecodable_input(tmp_path):
    binary = cli("run", "--format", "json", "-", cwd=tmp_path, stdin=b"GIF89a\x00\x01 data")
    assert binary.code == 0
    report = json.loads(binary.out)
    assert report["files"][0]["status"] == "skipped" and "binary" in report["files"][0]["message"]
    assert "output" not in report
    junk = cli("run", "--format", "json", "-", cwd=tmp_path, stdin=bytes(range(128, 256)) * 8)
    assert junk.code == 2 and len(junk.err_lines) == 1
    report = json.loads(junk.out)
    assert report["files"][0]["status"] == "error" and "not valid UTF-8" in report["files"][0]["message"]


# --------------------------------------------------------------------------- -q, -v, summary, exit codes


def _mixed_folder(root: Path) -> None:
    write(root / "dirty.txt", DIRTY)
    write(root / "clean.txt", CLEAN)
    write(root / "image.txt", b"GIF89a\x00\x01\x02 not text")
    write(root / "junk.txt", bytes(range(128, 256)) * 8)  # decodes as nothing likely


def test_summary_line_and_exit_2_on_a_file_error(tmp_path):
    _mixed_folder(tmp_path / "m")
    ran = cli("run", *WS, "m", cwd=tmp_path)
    assert ran.code == 2
    assert summary(ran) == (4, 1, 1, 1)
    assert ran.err_lines[-1] == "cleaner: 4 files seen, 1 changed, 1 skipped, 1 error"
    assert (tmp_path / "m" / "dirty.txt").read_text(encoding="utf-8") == DIRTY_CLEANED


def test_quiet_prints_only_errors(tmp_path):
    _mixed_folder(tmp_path / "m")
    ran = cli("run", *WS, "-q", "m", cwd=tmp_path)
    assert ran.code == 2
    assert len(ran.err_lines) == 1 and ran.err_lines[0].startswith("cleaner: error: m/junk.txt: ")
    (tmp_path / "m" / "junk.txt").unlink()
    (tmp_path / "m" / "dirty.txt").write_text(DIRTY, encoding="utf-8")
    ran = cli("run", *WS, "--quiet", "m", cwd=tmp_path)
    assert ran.code == 0 and ran.err == "" and ran.out == ""


def test_verbose_names_every_file(tmp_path):
    write(tmp_path / "m" / "dirty.txt", DIRTY)
    write(tmp_path / "m" / "clean.txt", CLEAN)
    ran = cli("run", *WS, "-v", "m", cwd=tmp_path)
    assert ran.code == 0
    assert "fixed: m/dirty.txt" in ran.err_lines
    assert "unchanged: m/clean.txt" in ran.err_lines
    quiet_default = cli("run", *WS, "m", cwd=tmp_path)
    assert quiet_default.err_lines == ["cleaner: 2 files seen, 0 changed, 0 skipped, 0 errors"]


def test_exit_codes(tmp_path):
    write(tmp_path / "clean.txt", CLEAN)
    write(tmp_path / "dirty.txt", DIRTY)
    assert cli("run", *WS, "--check", "clean.txt", cwd=tmp_path).code == 0
    assert cli("run", *WS, "--check", "dirty.txt", cwd=tmp_path).code == 1
    assert cli("run", *WS, "--diff", "dirty.txt", cwd=tmp_path).code == 1
    assert cli("run", *WS, "dirty.txt", cwd=tmp_path).code == 0  # fixed
    assert cli("run", *WS, "--check", "dirty.txt", cwd=tmp_path).code == 0
    missing = cli("run", *WS, "no-such-file.txt", "clean.txt", cwd=tmp_path)
    assert missing.code == 2
    assert "cleaner: error: no-such-file.txt: no such file or folder" in missing.err_lines
    assert cli("run", "--jobs", "0", "clean.txt", cwd=tmp_path).code == 2  # usage
    assert cli("run", "--no-such-flag", "clean.txt", cwd=tmp_path).code == 2
    assert cli("run", cwd=tmp_path).code == 2


def test_help_and_version(tmp_path):
    ran = cli("--help", cwd=tmp_path)
    assert ran.code == 0 and "run" in ran.out and "rules" in ran.out
    ran = cli("run", "--help", cwd=tmp_path)
    assert ran.code == 0 and "--check" in ran.out and "--stdin-filename" in ran.out
    ran = cli("--version", cwd=tmp_path)
    assert ran.code == 0 and re.fullmatch(r"cleaner \d+\.\d+\.\d+\S*\n", ran.out)


def test_installed_console_script_runs(tmp_path):
    script = Path(sys.executable).with_name("cleaner")
    if not script.exists():
        pytest.skip("no cleaner script next to this Python")
    write(tmp_path / "a.txt", "x  \n")
    proc = subprocess.run([str(script), "run", *WS, "a.txt"], cwd=tmp_path, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a.txt").read_text() == "x\n"


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_file_name_that_is_not_utf8_is_printed_as_its_bytes(tmp_path, encoding):
    # Python sees such a name with lone surrogates; printing it must not crash,
    # whatever encoding stdout has (PYTHONIOENCODING is common in CI).
    name = b"caf\xe9 \xe2\x80\x94 notes.txt"
    with open(os.path.join(os.fsencode(tmp_path), name), "wb") as fh:
        fh.write("Caf\u00e9  menu.\n".encode())
    ran = cli("run", *WS, "--explain", "--check", ".", cwd=tmp_path, env={"PYTHONIOENCODING": encoding})
    assert ran.code == 1, ran.err
    # The undecodable byte goes out as it came in; a character the stream
    # cannot encode is escaped.
    shown = name if encoding == "utf-8" else b"caf\xe9 \\u2014 notes.txt"
    cafe = "Caf\u00e9".encode() if encoding == "utf-8" else b"Caf\\u00e9"
    assert ran.stdout.startswith(shown + b':1:1 whitespace.inner-spaces: "' + cafe + b'  menu." -> "' + cafe + b' menu."\n')


def test_json_report_stays_valid_utf8_with_a_file_name_that_is_not(tmp_path):
    name = b"caf\xe9.txt"
    with open(os.path.join(os.fsencode(tmp_path), name), "wb") as fh:
        fh.write(b"x  y\n")
    ran = cli("run", *WS, "--format", "json", "--check", ".", cwd=tmp_path, env={"PYTHONIOENCODING": "utf-8"})
    assert ran.code == 1, ran.err
    report = json.loads(ran.stdout.decode("utf-8"))  # strict: valid UTF-8
    assert os.fsencode(report["files"][0]["path"]) == name


# --------------------------------------------------------------------------- --jobs


def _many_files(root: Path, n: int = 80) -> None:
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
    for i in range(n):
        sub = root / f"part{i % 4}"
        lines = []
        for j in range(i % 7 + 2):
            line = " ".join(words[(i + j + k) % len(words)] for k in range(5)).capitalize() + f" {i}-{j}."
            if (i + j) % 3 == 0:
                line = line.replace(" ", "  ", 1)
            if (i + j) % 4 == 0:
                line += "  "
            if (i * j) % 5 == 1:
                line = line.replace(" ", "\u00a0", 1)
            lines.append(line)
            if (i + j) % 6 == 0:
                lines += ["", "", ""]
        text = "\n".join(lines) + ("\n" if i % 2 else "\n\n\n")
        write(sub / f"doc{i:03}.{'md' if i % 5 == 0 else 'txt'}", text)


def test_jobs_2_gives_exactly_the_output_of_jobs_1(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    _many_files(one)
    _many_files(two)
    check1 = cli("run", *WS, "--jobs", "1", "--check", "--explain", ".", cwd=one)
    check2 = cli("run", *WS, "--jobs", "2", "--check", "--explain", ".", cwd=two)
    assert check1.code == check2.code == 1
    assert check1.out == check2.out and check1.err == check2.err
    assert check1.out.count("would change:") > 40
    json1 = cli("run", *WS, "-j", "1", "--format", "json", ".", cwd=one)
    json2 = cli("run", *WS, "-j", "2", "--format", "json", ".", cwd=two)
    assert json1.code == json2.code == 0
    assert json1.out == json2.out
    files1 = {p.relative_to(one): p.read_bytes() for p in one.rglob("*") if p.is_file()}
    files2 = {p.relative_to(two): p.read_bytes() for p in two.rglob("*") if p.is_file()}
    assert files1 == files2 and len(files1) == 80
    assert cli("run", *WS, "--check", ".", cwd=two).code == 0


def test_jobs_2_equals_jobs_1_with_the_full_pipeline_on_the_samples(tmp_path):
    # Whatever the stages do today: splitting documents over processes must not
    # change it (state carried from one document to the next would).
    import shutil

    samples = Path(__file__).resolve().parents[1] / "samples"
    if not samples.is_dir():
        pytest.skip("no samples folder next to the tests")
    shutil.copytree(samples, tmp_path / "samples")
    one = cli("run", "-j", "1", "--check", "--explain", "samples", cwd=tmp_path)
    two = cli("run", "-j", "2", "--check", "--explain", "samples", cwd=tmp_path)
    assert (one.code, one.out, one.err) == (two.code, two.out, two.err)
    assert summary(one)[0] >= 5


def test_progress_bar_only_on_a_terminal_and_never_in_ci(tmp_path):
    import pty

    _many_files(tmp_path / "many", 60)

    def stderr_on_a_tty(env: dict) -> bytes:
        master, slave = pty.openpty()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "cleaner", "run", *WS, "--check", "many"],
                cwd=tmp_path, stdout=subprocess.PIPE, stderr=slave, env=env,
            )
            os.close(slave)
            chunks = []
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if not select.select([master], [], [], 1)[0]:
                    if proc.poll() is not None:
                        break
                    continue
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO: the child closed its end
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            proc.communicate(timeout=120)
            return b"".join(chunks)
        finally:
            os.close(master)

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    assert b"60/60 files" in stderr_on_a_tty(env)
    assert b"files" in stderr_on_a_tty({**env, "CI": "true"})  # the summary, but
    assert b"60/60 files" not in stderr_on_a_tty({**env, "CI": "true"})  # no bar
    piped = cli("run", *WS, "--check", "many", cwd=tmp_path)
    assert "\r" not in piped.err and "/60 files" not in piped.err


# --------------------------------------------------------------------------- configuration


def test_config_from_pyproject_tool_cleaner(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.cleaner]\nselect = ["whitespace"]\nignore = ["whitespace.trailing"]\n')
    f = write(tmp_path / "docs" / "a.txt", "Two  spaces.  \n")
    ran = cli("run", "docs", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert f.read_text() == "Two spaces.  \n"


def test_pyproject_without_tool_cleaner_is_not_a_config(tmp_path):
    write(tmp_path / "cleaner.toml", 'select = ["whitespace"]\nignore = ["whitespace.trailing"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n[tool.other]\nkey = 1\n')
    f = write(tmp_path / "sub" / "a.txt", "Two  spaces.  \n")
    assert cli("run", "sub", cwd=tmp_path).code == 0
    assert f.read_text() == "Two spaces.  \n"


def test_nearest_config_wins_and_cleaner_toml_beats_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.cleaner]\nselect = ["whitespace"]\nignore = ["whitespace.trailing"]\n')
    top = write(tmp_path / "top.txt", "Top  file.  \n")
    deep = write(tmp_path / "a" / "b" / "deep.txt", "Deep  file.  \n")
    write(tmp_path / "a" / "cleaner.toml", 'select = ["whitespace"]\nignore = ["whitespace.inner-spaces"]\n')
    # In one folder, cleaner.toml wins over pyproject.toml.
    write(tmp_path / "c" / "pyproject.toml", '[tool.cleaner]\nselect = ["whitespace"]\nignore = ["whitespace.inner-spaces"]\n')
    write(tmp_path / "c" / "cleaner.toml", 'select = ["whitespace"]\nignore = ["whitespace.trailing"]\n')
    side = write(tmp_path / "c" / "side.txt", "Side  file.  \n")
    ran = cli("run", ".", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert top.read_text() == "Top file.  \n"
    assert deep.read_text() == "Deep  file.\n"
    assert side.read_text() == "Side file.  \n"


def test_flags_override_config(tmp_path):
    write(tmp_path / "cleaner.toml", 'select = ["whitespace"]\nignore = ["whitespace.trailing"]\nline-ending = "keep"\n')
    f = write(tmp_path / "a.txt", b"Two  spaces.  \r\nNext.\r\n")
    ran = cli("run", "--select", "whitespace.trailing", "--line-ending", "lf", "a.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    # --select replaces the config's select, --line-ending its line-ending.
    assert f.read_bytes() == b"Two  spaces.  \nNext.\n"
    f.write_bytes(b"Two  spaces.  \r\nNext.\r\n")
    ran = cli("run", "--ignore", "whitespace.inner-spaces", "a.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    # --ignore replaces the config's ignore; the config's line-ending still holds.
    assert f.read_bytes() == b"Two  spaces.\r\nNext.\r\n"


def test_explicit_config_file(tmp_path):
    write(tmp_path / "cleaner.toml", 'select = ["whitespace"]\n')
    write(tmp_path / "alt.toml", 'select = ["whitespace.trailing"]\n')
    f = write(tmp_path / "a.txt", "Two  spaces.  \n")
    assert cli("run", "--config", "alt.toml", "a.txt", cwd=tmp_path).code == 0
    assert f.read_text() == "Two  spaces.\n"


@pytest.mark.parametrize("where", ["cleaner.toml", "pyproject.toml", "nested"])
def test_unknown_config_key_is_one_line_naming_the_file(tmp_path, where):
    f = write(tmp_path / "a.txt", DIRTY)
    g = write(tmp_path / "sub" / "b.txt", DIRTY)
    if where == "cleaner.toml":
        cfg = write(tmp_path / "cleaner.toml", 'select = ["whitespace"]\nselcet = ["whitespace"]\n')
    elif where == "pyproject.toml":
        cfg = write(tmp_path / "pyproject.toml", '[tool.cleaner]\nselcet = ["whitespace"]\n')
    else:  # only the config of a subfolder is wrong: still nothing is written
        cfg = write(tmp_path / "sub" / "cleaner.toml", 'selcet = ["whitespace"]\n')
    ran = cli("run", ".", cwd=tmp_path)
    assert ran.code == 2
    assert len(ran.err_lines) == 1, ran.err
    assert str(cfg) in ran.err and "selcet" in ran.err
    assert f.read_text(encoding="utf-8") == DIRTY and g.read_text(encoding="utf-8") == DIRTY


def test_unknown_key_in_a_stage_table_is_one_line_naming_the_file(tmp_path):
    f = write(tmp_path / "a.txt", DIRTY)
    cfg = write(tmp_path / "cleaner.toml", '[whitespace]\nkeep-tabz = true\n')
    ran = cli("run", *WS, "a.txt", cwd=tmp_path)
    assert ran.code == 2
    assert len(ran.err_lines) == 1 and str(cfg) in ran.err and "keep-tabz" in ran.err
    assert f.read_text(encoding="utf-8") == DIRTY


def test_unknown_selector_in_a_config_file_names_the_file(tmp_path):
    f = write(tmp_path / "sub" / "a.txt", DIRTY)
    cfg = write(tmp_path / "sub" / "cleaner.toml", 'ignore = ["whitespace.no-such-rule"]\n')
    ran = cli("run", ".", cwd=tmp_path)
    assert ran.code == 2
    assert ran.err_lines == [f"cleaner: error: {cfg}: unknown rule or stage 'whitespace.no-such-rule' (see 'cleaner rules')"]
    # A bad flag is not blamed on the file, and a good flag does not hide the file's mistake.
    ran = cli("run", "--select", "nostage", "sub", cwd=tmp_path)
    assert ran.code == 2 and len(ran.err_lines) == 2
    assert ran.err_lines[0].startswith(f"cleaner: error: {cfg}: ")
    assert ran.err_lines[1] == "cleaner: error: unknown rule or stage 'nostage' (see 'cleaner rules')"
    assert f.read_text(encoding="utf-8") == DIRTY


def test_bad_config_values_are_one_line(tmp_path):
    write(tmp_path / "a.txt", DIRTY)
    for body in (
        'line-ending = "crlf"\n',
        "select = 3\n",
        "select = [\n",
        '[spelling]\nprotected-words-file = "no-such-list.txt"\n',
    ):
        write(tmp_path / "cleaner.toml", body)
        ran = cli("run", "a.txt", cwd=tmp_path)
        assert ran.code == 2 and len(ran.err_lines) == 1 and "cleaner.toml" in ran.err, (body, ran.err)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == DIRTY


# --------------------------------------------------------------------------- rule files

BAD_RULES = '''
[[rule]]
id = "whitespace.user-bad-regex"
kind = "regex"
description = "An unbalanced group."
pattern = "(unclosed"
replace = ""
examples = [{ input = "(unclosed", output = "" }]

[[rule]]
id = "whitespace.user-bad-kind"
kind = "telepathy"
description = "No such kind."

[[rule]]
id = "whitespace.user-bad-key"
kind = "literal"
description = "A key literal rules do not have."
map = { "teh" = "the" }
colour = "red"
examples = [{ input = "teh", output = "the" }]

[[rule]]
id = "whitespace.user-dup"
kind = "literal"
description = "First of two with this id."
map = { "recieve" = "receive" }
examples = [{ input = "recieve", output = "receive" }]

[[rule]]
id = "whitespace.user-dup"
kind = "literal"
description = "Second of two with this id."
map = { "wierd" = "weird" }
examples = [{ input = "wierd", output = "weird" }]
'''

GOOD_RULES = '''
[[rule]]
id = "whitespace.user-tabs"
kind = "regex"
description = "A tab between words becomes a space (a user's own rule)."
pattern = '(?<=\\S)\\t+(?=\\S)'
replace = " "
examples = [{ input = "a\\tb", output = "a b" }]
unchanged = ["\\tindented", "a b"]
'''


def _assert_bad_rule_report(ran: Ran, rule_file: str) -> None:
    assert ran.code == 2
    lines = ran.err_lines
    assert len(lines) == 4, ran.err
    assert all(line.startswith("cleaner: error: ") and rule_file in line for line in lines)
    joined = "\n".join(lines)
    assert "whitespace.user-bad-regex: pattern: bad regex" in joined
    assert "whitespace.user-bad-kind: kind: unknown kind 'telepathy'" in joined
    assert "whitespace.user-bad-key: colour: unknown key" in joined
    assert "whitespace.user-dup: id: duplicate" in joined


def test_bad_rule_file_via_rules_flag_reports_every_error(tmp_path):
    write(tmp_path / "bad.toml", BAD_RULES)
    f = write(tmp_path / "a.txt", DIRTY)
    ran = cli("run", "--rules", "bad.toml", "a.txt", cwd=tmp_path)
    _assert_bad_rule_report(ran, "bad.toml")
    assert f.read_text(encoding="utf-8") == DIRTY


@pytest.mark.parametrize("nested", [False, True])
def test_bad_rule_file_via_extend_rules_reports_every_error(tmp_path, nested):
    folder = tmp_path / "sub" if nested else tmp_path
    write(folder / "rules" / "mine.toml", BAD_RULES)
    write(folder / "cleaner.toml", 'extend-rules = ["rules/mine.toml"]\n')
    f = write(tmp_path / "a.txt", DIRTY)
    g = write(tmp_path / "sub" / "b.txt", DIRTY)
    ran = cli("run", ".", cwd=tmp_path)
    _assert_bad_rule_report(ran, str(folder / "rules" / "mine.toml"))
    assert f.read_text(encoding="utf-8") == DIRTY and g.read_text(encoding="utf-8") == DIRTY


def test_missing_rule_file_is_one_line(tmp_path):
    write(tmp_path / "a.txt", DIRTY)
    ran = cli("run", "--rules", "nowhere.toml", "a.txt", cwd=tmp_path)
    assert ran.code == 2 and len(ran.err_lines) == 1 and "nowhere.toml" in ran.err


def _latin1(text: str) -> bytes:
    return text.encode("latin-1")


def test_a_rule_file_that_is_not_utf8_is_one_line_naming_it(tmp_path):
    """A rule file saved in Latin-1: exit 2 and one line (not an internal error, 3), nothing cleaned."""
    rules = _latin1(GOOD_RULES.replace('description = "A tab', 'description = "Caf\u00e9: a tab'))
    assert b"\xe9" in rules
    write(tmp_path / "mine.toml", rules)
    write(tmp_path / "cfg" / "rules" / "mine.toml", rules)
    write(tmp_path / "cfg" / "cleaner.toml", 'extend-rules = ["rules/mine.toml"]\n')
    f = write(tmp_path / "a.txt", DIRTY)
    g = write(tmp_path / "cfg" / "b.txt", DIRTY)
    line = rules[: rules.index(b"\xe9")].count(b"\n") + 1
    for args, named in (
        (("run", "--rules", "mine.toml", "a.txt"), "mine.toml"),
        (("run", "cfg"), str(tmp_path / "cfg" / "rules" / "mine.toml")),
        (("rules", "check", "mine.toml"), "mine.toml"),
        (("rules", "--rules", "mine.toml"), "mine.toml"),
    ):
        ran = cli(*args, cwd=tmp_path)
        assert ran.code == 2, (args, ran.err)
        assert len(ran.err_lines) == 1 and ran.err.startswith("cleaner: error: "), (args, ran.err)
        assert ran.err.rstrip().endswith(f"{named}: not valid UTF-8 (byte 0xE9 on line {line})"), (args, ran.err)
    assert f.read_text(encoding="utf-8") == DIRTY and g.read_text(encoding="utf-8") == DIRTY


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("cleaner.toml", _latin1('select = ["whitespace"]\n# caf\u00e9\n'), "not valid UTF-8 (byte 0xE9 on line 2)"),
        ("pyproject.toml", _latin1('[project]\nname = "caf\u00e9"\n'), "not valid UTF-8 (byte 0xE9 on line 2)"),
        ("pyproject.toml", b"tool = 1\n[tool2]\n", None),  # no [tool] table: no settings of ours, no crash
        ("pyproject.toml", b"[tool]\ncleaner = 1\n", "[tool.cleaner] must be a table"),
        ("cleaner.toml", b'spelling = {protected-words-file = "words.txt"}\n', "spelling.protected-words-file: cannot read"),
    ],
    ids=["cleaner.toml-latin-1", "pyproject-latin-1", "pyproject-tool-not-a-table", "pyproject-cleaner-not-a-table", "words-file-latin-1"],
)
def test_a_config_file_that_cannot_be_read_is_one_line_naming_it(tmp_path, name, content, says):
    write(tmp_path / name, content)
    write(tmp_path / "words.txt", _latin1("caf\u00e9\n"))
    f = write(tmp_path / "a.txt", DIRTY)
    ran = cli("run", *WS, "a.txt", cwd=tmp_path)
    if says is None:
        assert ran.code == 0, ran.err
        return
    assert ran.code == 2 and len(ran.err_lines) == 1, ran.err
    assert ran.err.startswith(f"cleaner: error: {tmp_path / name}: ") and says in ran.err
    if b"words.txt" in content:
        assert ran.err.rstrip().endswith("words.txt: not valid UTF-8 (byte 0xE9 on line 1)")
    assert f.read_text(encoding="utf-8") == DIRTY
    shown = cli("--show-config", "a.txt", cwd=tmp_path)
    assert shown.code == 2 and says in shown.err


def test_user_rules_run_via_flag_and_via_config(tmp_path):
    write(tmp_path / "mine.toml", GOOD_RULES)
    f = write(tmp_path / "a.txt", "Tab\tinside.\n")
    ran = cli("run", "--rules", "mine.toml", "--select", "whitespace.user-tabs", "--explain", "a.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert f.read_text() == "Tab inside.\n"
    assert ran.out.splitlines() == ['a.txt:1:4 whitespace.user-tabs: "\\t" -> " "']
    write(tmp_path / "cfg" / "cleaner.toml", 'extend-rules = ["../mine.toml"]\nselect = ["whitespace.user-tabs"]\n')
    g = write(tmp_path / "cfg" / "b.txt", "Tab\tinside.\n")
    assert cli("run", "cfg", cwd=tmp_path).code == 0
    assert g.read_text() == "Tab inside.\n"


def test_rules_lists_every_rule(tmp_path):
    ran = cli("rules", cwd=tmp_path)
    assert ran.code == 0, ran.err
    ids = [line.split()[0] for line in ran.out.splitlines()]
    for rid in ("whitespace.trailing", "whitespace.inner-spaces", "whitespace.final-newline"):
        assert rid in ids
    assert all(re.fullmatch(r"[a-z]+\.[a-z0-9-]+", rid) for rid in ids)
    rows = json.loads(cli("rules", "--format", "json", cwd=tmp_path).out)
    assert [r["id"] for r in rows] == ids
    assert all(set(r) >= {"id", "kind", "enabled", "description"} for r in rows)
    write(tmp_path / "mine.toml", GOOD_RULES)
    with_user = cli("rules", "--rules", "mine.toml", cwd=tmp_path)
    assert "whitespace.user-tabs" in with_user.out
    write(tmp_path / "bad.toml", BAD_RULES)
    _assert_bad_rule_report(cli("rules", "--rules", "bad.toml", cwd=tmp_path), "bad.toml")


def test_rules_check_validates_a_user_rule_file(tmp_path):
    write(tmp_path / "good.toml", GOOD_RULES)
    ok = cli("rules", "check", "good.toml", cwd=tmp_path)
    assert ok.code == 0, ok.err
    assert ok.out.strip() == "good.toml: 1 rules OK"
    write(tmp_path / "bad.toml", BAD_RULES)
    _assert_bad_rule_report(cli("rules", "check", "bad.toml", cwd=tmp_path), "bad.toml")


def test_rules_check_runs_the_examples_and_rejects_builtin_ids(tmp_path):
    write(tmp_path / "wrong.toml", GOOD_RULES.replace('output = "a b"', 'output = "a  b"'))
    ran = cli("rules", "check", "wrong.toml", cwd=tmp_path)
    assert ran.code == 2
    assert len(ran.err_lines) == 1 and "whitespace.user-tabs: examples:" in ran.err
    write(tmp_path / "clash.toml", GOOD_RULES.replace("whitespace.user-tabs", "whitespace.trailing"))
    ran = cli("rules", "check", "clash.toml", cwd=tmp_path)
    assert ran.code == 2 and "whitespace.trailing: id: duplicate of a built-in rule id" in ran.err
    ran = cli("rules", "check", "no-such.toml", cwd=tmp_path)
    assert ran.code == 2 and len(ran.err_lines) == 1


def test_rules_check_reports_each_file(tmp_path):
    write(tmp_path / "good.toml", GOOD_RULES)
    write(tmp_path / "bad.toml", BAD_RULES)
    ran = cli("rules", "check", "good.toml", "bad.toml", cwd=tmp_path)
    assert ran.code == 2
    assert ran.out.splitlines() == ["good.toml: 1 rules OK"]
    assert len(ran.err_lines) == 4 and all("bad.toml" in line for line in ran.err_lines)


def test_explain_lists_edits_in_line_order_not_rule_order(tmp_path):
    # odd-spaces (line 2) runs before inner-spaces (lines 1 and 3): in rule
    # order the edits would come out as lines 2, 1, 3, 3.
    write(tmp_path / "a.txt", "one  two\nthree\u00a0four\nfive  six")
    ran = cli("run", *WS, "--explain", "--check", "a.txt", cwd=tmp_path)
    lines = [int(EXPLAIN_LINE.match(line)["line"]) for line in ran.out.splitlines() if EXPLAIN_LINE.match(line)]
    assert len(lines) == 4
    assert lines == sorted(lines)


# --------------------------------------------------------------------------- review: statistics, jsonl, explain, rules, config (issue 21)

NOTE_RULES = '''
[[rule]]
id = "spelling.user-table"
kind = "word_table"
description = "A user's own misspellings; a row with two corrections is only reported."
table = "typos.csv"
examples = [{ input = "recieve it", output = "receive it" }]
'''


def _note_setup(tmp_path: Path) -> None:
    write(tmp_path / "typos.csv", "recieve,receive\nbuisness,business,busyness\n")
    write(tmp_path / "mine.toml", NOTE_RULES)


def test_statistics_prints_per_rule_totals_after_the_run(tmp_path):
    write(tmp_path / "a.txt", "x  y   \n")
    write(tmp_path / "b.txt", "p  q\nr  s\n")
    ran = cli("run", *WS, "--check", "--statistics", ".", cwd=tmp_path)
    assert ran.code == 1
    stats = [line.split() for line in ran.out.splitlines() if not line.startswith("would change")]
    assert stats == [["3", "whitespace.inner-spaces", "in", "2", "files"], ["1", "whitespace.trailing", "in", "1", "file"]]
    # With --format json, stdout stays one JSON document and the totals go to stderr.
    ran = cli("run", *WS, "--check", "--statistics", "--format", "json", ".", cwd=tmp_path)
    json.loads(ran.out)
    assert any(line.split()[:2] == ["3", "whitespace.inner-spaces"] for line in ran.err_lines)


def test_format_jsonl_is_one_object_per_file_with_columns(tmp_path):
    write(tmp_path / "a.txt", "x  y\n")
    write(tmp_path / "b.txt", "Fine.\n")
    write(tmp_path / "c.txt", b"\x00binary")
    ran = cli("run", *WS, "--check", "--format", "jsonl", "--jobs", "1", ".", cwd=tmp_path)
    assert ran.code == 1
    docs = [json.loads(line) for line in ran.out.splitlines()]
    assert [(d["path"], d["status"]) for d in docs] == [("a.txt", "changed"), ("b.txt", "unchanged"), ("c.txt", "skipped")]
    assert docs[0]["edits"] == [{"rule": "whitespace.inner-spaces", "line": 1, "column": 1, "before": "x  y", "after": "x y"}]
    assert docs[0]["counts"] == {"whitespace.inner-spaces": 1}
    assert (tmp_path / "a.txt").read_text() == "x  y\n"


def test_explain_shows_columns_cuts_long_lines_and_keeps_notes_for_notes_flag(tmp_path):
    _note_setup(tmp_path)
    long_line = "word " * 100 + "we recieve the buisness plan " + "tail " * 100
    write(tmp_path / "a.txt", long_line.rstrip() + "\n")
    args = ("run", "--rules", "mine.toml", "--select", "spelling.user-table", "--check", "--explain", "a.txt")
    ran = cli(*args, cwd=tmp_path)
    assert ran.code == 1
    line = next(l for l in ran.out.splitlines() if "spelling.user-table" in l)
    assert line.startswith("a.txt:1:504 spelling.user-table: ")
    assert '"recieve" -> "receive"' in line
    assert "note" not in ran.out
    for flag in ("--notes", "-v"):
        with_notes = cli(*args, flag, cwd=tmp_path)
        assert "a.txt:1 spelling.user-table: note: 'buisness' is ambiguous: business or busyness" in with_notes.out.splitlines()
    # A long before (a user's rule that removes a long run) is cut to its two ends.
    write(tmp_path / "strip.toml", GOOD_RULES.replace("user-tabs", "user-markup").replace(
        "'(?<=\\S)\\t+(?=\\S)'", "'\\[\\[[^]]*\\]\\] '").replace('replace = " "', 'replace = ""').replace(
        'input = "a\\tb", output = "a b"', 'input = "[[x]] a", output = "a"').replace('"\\tindented", ', ""))
    write(tmp_path / "b.txt", "Before [[" + "markup " * 60 + "]] after.\n")
    ran = cli("run", "--rules", "strip.toml", "--select", "whitespace.user-markup", "--check", "--explain", "b.txt", cwd=tmp_path)
    assert ran.code == 1, ran.err
    (edit,) = [m for m in map(EXPLAIN_LINE.match, ran.out.splitlines()) if m]
    assert edit["column"] == "8" and edit["after"] == ""
    assert edit["before"].startswith("[[markup markup") and edit["before"].endswith("markup ]] ")
    assert "…" in edit["before"] and len(edit["before"]) < 200


def test_cut_around_change_keeps_the_change_and_some_context():
    from cleaner.cli import cut_around_change

    line = "x" * 200 + " teh " + "y" * 200
    before, after = cut_around_change(line, line.replace("teh", "the"))
    # 30 characters either side of the part that differs ("eh" / "he")
    assert before == "…" + "x" * 28 + " teh " + "y" * 29 + "…"
    assert after == "…" + "x" * 28 + " the " + "y" * 29 + "…"
    assert cut_around_change("short", "shirt") == ("short", "shirt")


def test_version_has_a_short_flag(tmp_path):
    from cleaner import __version__

    assert cli("-V", cwd=tmp_path).out == f"cleaner {__version__}\n"
    assert cli("--version", cwd=tmp_path).out == f"cleaner {__version__}\n"


def test_rules_rule_id_prints_one_rule_with_its_examples(tmp_path):
    ran = cli("rules", "whitespace.trailing", cwd=tmp_path)
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert lines[0] == "whitespace.trailing"
    assert "stage whitespace" in lines[1] and "on by default" in lines[1]
    assert "Spaces and tabs at the end of a line go." in " ".join(l.strip() for l in lines)
    assert '    "end   \\nnext\\t\\n" -> "end\\nnext\\n"' in lines
    assert cli("rules", "show", "whitespace.trailing", cwd=tmp_path).out == ran.out
    # A user's rule file, and a mistyped id.
    write(tmp_path / "mine.toml", GOOD_RULES)
    assert cli("rules", "whitespace.user-tabs", "--rules", "mine.toml", cwd=tmp_path).out.startswith("whitespace.user-tabs\n")
    bad = cli("rules", "whitespace.trailng", cwd=tmp_path)
    assert bad.code == 2 and bad.out == ""
    assert bad.err_lines == ["cleaner: error: unknown rule 'whitespace.trailng' (did you mean 'whitespace.trailing'?) (see 'cleaner rules')"]
    assert cli("rules", "check", "mine.toml", cwd=tmp_path).out == "mine.toml: 1 rules OK\n"


def test_did_you_mean_for_rule_ids_config_keys_and_rule_file_keys(tmp_path):
    write(tmp_path / "a.txt", "x  y\n")
    ran = cli("run", "--select", "whitespace.trailng", "a.txt", cwd=tmp_path)
    assert ran.code == 2 and "(did you mean 'whitespace.trailing'?)" in ran.err
    write(tmp_path / "cleaner.toml", 'ignor = ["spelling"]\n')
    ran = cli("run", "a.txt", cwd=tmp_path)
    assert ran.code == 2 and "unknown setting 'ignor' (did you mean 'ignore'?)" in ran.err
    write(tmp_path / "cleaner.toml", '[spelling]\nfuzy = false\n')
    ran = cli("run", "a.txt", cwd=tmp_path)
    assert ran.code == 2 and "unknown setting spelling.'fuzy' (did you mean 'fuzzy'?)" in ran.err
    (tmp_path / "cleaner.toml").unlink()
    write(tmp_path / "mine.toml", GOOD_RULES.replace("pattern =", "patern =", 1))
    ran = cli("rules", "check", "mine.toml", cwd=tmp_path)
    assert ran.code == 2 and "patern: unknown key for kind 'regex' (did you mean 'pattern'?)" in ran.err
    assert (tmp_path / "a.txt").read_text() == "x  y\n"


def test_config_values_are_checked_for_type(tmp_path):
    f = write(tmp_path / "a.txt", "x  y\n")
    write(tmp_path / "pyproject.toml", '[tool.cleaner.spelling]\nfuzzy = "false"\n')
    ran = cli("run", "a.txt", cwd=tmp_path)
    assert ran.code == 2
    assert ran.err_lines == [f'cleaner: error: {tmp_path / "pyproject.toml"}: spelling.fuzzy: expected true or false, not the string "false"']
    write(tmp_path / "pyproject.toml", '[tool.cleaner.spelling]\nprotected-words = "Juche"\ncorrections = ["teh"]\n')
    ran = cli("run", "a.txt", cwd=tmp_path)
    assert ran.code == 2 and "spelling.corrections: expected a table of strings" in ran.err
    write(tmp_path / "pyproject.toml", "[tool.cleaner]\nselect = { whitespace = true }\n")
    ran = cli("run", "a.txt", cwd=tmp_path)
    assert ran.code == 2 and "select: expected a string or a list of strings" in ran.err
    assert f.read_text() == "x  y\n"


def test_bad_protected_pattern_is_one_config_error_before_any_file(tmp_path):
    for i in range(27):
        write(tmp_path / "corpus" / f"sub{i % 3}" / f"{i}.txt", "The end .It was.\n")
    write(tmp_path / "corpus" / "cleaner.toml", "[spacing]\nprotected-patterns = ['\\bACME-(\\d+\\b']\n")
    ran = cli("run", "corpus", cwd=tmp_path)
    assert ran.code == 2
    config = tmp_path / "corpus" / "cleaner.toml"
    assert len(ran.err_lines) == 1, ran.err
    assert ran.err_lines[0].startswith(f"cleaner: error: {config}: spacing.protected-patterns: bad regex '\\\\bACME-(\\\\d+\\\\b': missing )")
    assert "internal error" not in ran.err
    assert all(p.read_text() == "The end .It was.\n" for p in (tmp_path / "corpus").rglob("*.txt"))


def test_show_config_names_the_file_and_the_settings_in_force(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.cleaner]\nignore = ["spelling"]\n[tool.cleaner.spelling]\nfuzzy = false\n')
    write(tmp_path / "docs" / "cleaner.toml", 'select = ["whitespace"]\n')
    write(tmp_path / "docs" / "a.md", "x\n")
    write(tmp_path / "b.txt", "x\n")
    ran = cli("--show-config", "b.txt", cwd=tmp_path)
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert lines[0] == f"# b.txt: settings from {tmp_path / 'pyproject.toml'}"
    assert 'ignore = ["spelling"]' in lines and "[spelling]" in lines and "fuzzy = false" in lines
    assert "#   whitespace.trailing" in lines and "#   spelling.words" not in lines
    near = cli("--show-config", "docs/a.md", cwd=tmp_path).out.splitlines()
    assert near[0] == f"# docs/a.md: settings from {tmp_path / 'docs' / 'cleaner.toml'}"
    assert 'select = ["whitespace"]' in near and "#   spacing.space-after-sentence" not in near
    write(tmp_path / "cleaner.toml", "fuzzy = 1\n")
    bad = cli("--show-config", "b.txt", cwd=tmp_path)
    assert bad.code == 2 and "unknown setting 'fuzzy'" in bad.err


def test_report_folder_is_written_with_check_and_reports_a_bad_folder(tmp_path):
    f = write(tmp_path / "corpus" / "a.txt", "x  y\n")
    write(tmp_path / "corpus" / "b.txt", "Fine.\n")
    ran = cli("run", *WS, "--check", "--report", "review", "corpus", cwd=tmp_path)
    assert ran.code == 1, ran.err
    assert f.read_text() == "x  y\n"
    assert f"cleaner: report written to {Path('review') / 'index.html'}" in ran.err_lines
    assert sorted(p.name for p in (tmp_path / "review" / "d").iterdir()) == ["1.html"]
    index = (tmp_path / "review" / "index.html").read_text(encoding="utf-8")
    assert "corpus/a.txt" in index and "corpus/b.txt" not in index and "whitespace.inner-spaces" in index
    # Fix mode, into an earlier report's folder: replaced, and the file is fixed.
    ran = cli("run", *WS, "--report", "review", "corpus", cwd=tmp_path)
    assert ran.code == 0 and f.read_text() == "x y\n"
    # A folder holding other files is never overwritten.
    write(tmp_path / "notes" / "mine.txt", "mine\n")
    ran = cli("run", *WS, "--check", "--report", "notes", "corpus", cwd=tmp_path)
    assert ran.code == 2 and "folder is not empty and holds no earlier cleaner report" in ran.err
    assert (tmp_path / "notes" / "mine.txt").read_text() == "mine\n"
    assert cli("run", "--report", "r", "-", cwd=tmp_path, stdin=b"x\n").code == 2


def test_rules_listing_fits_the_terminal_width(monkeypatch):
    import io

    from cleaner.cli import _list_rules
    from cleaner.rules import load_ruleset

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    rules = load_ruleset().rules
    for columns in (80, 120):
        out = Terminal()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setenv("COLUMNS", str(columns))
        _list_rules(rules)
        lines = out.getvalue().splitlines()
        assert len(lines) == len(rules)
        assert max(len(line) for line in lines) <= columns - 1
        assert any(line.endswith("…") for line in lines)


def test_shell_completion_is_offered(tmp_path):
    ran = cli("--help", cwd=tmp_path)
    assert "--install-completion" in ran.out and "--show-completion" in ran.out and "-V, --version" in ran.out

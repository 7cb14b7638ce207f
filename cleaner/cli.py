"""The command line: parse arguments, call the library, print what happened.

Conventions follow ruff, black and codespell, which users already know:
fix in place by default, ``--check`` and ``--diff`` write nothing and exit 1
when something would change, exit 2 for usage, configuration and I/O errors.
Messages go to stderr; stdout carries only results (cleaned text from stdin,
diffs, explanations, JSON), so the tool composes in shell pipelines.

Heavy modules are imported inside the commands so ``cleaner --help`` is fast.
No ``from __future__ import annotations`` here: typer reads every command's
type hints at each call, and hints kept as strings are compiled again each time.
"""

import os
import sys
from enum import Enum
from typing import Annotated, Optional

import typer
import typer.core

from . import __version__

INTERNAL_ERROR = 3  # a bug of ours, not the input's: distinct from 1 (changes found) and 2 (errors)

app = typer.Typer(
    name="cleaner",
    help="Turn dirty scraped text into clean UTF-8.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _RulesGroup(typer.core.TyperGroup):
    """`cleaner rules RULE_ID` is `cleaner rules show RULE_ID`: a rule id is not a subcommand."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "show", self.commands["show"], args
        return super().resolve_command(ctx, args)


rules_app = typer.Typer(
    help="List the rules (cleaner rules), show one (cleaner rules RULE_ID), or check a rule file.",
    add_completion=False, rich_markup_mode=None, cls=_RulesGroup,
)
app.add_typer(rules_app, name="rules")


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class FormatIn(str, Enum):
    text = "text"
    jsonl = "jsonl"


class ExecutorName(str, Enum):
    local = "local"
    dask = "dask"


class LineEnding(str, Enum):
    lf = "lf"
    keep = "keep"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


def _show_config(path: Optional[str]) -> None:
    if path is None:
        return
    from pathlib import Path

    from .config import ConfigError
    from .explain_config import describe_config
    from .rules import RuleFileError

    try:
        sys.stdout.write(describe_config(Path(path)))
    except ConfigError as exc:
        _err(f"cleaner: error: {exc}")
        raise typer.Exit(2)
    except RuleFileError as exc:
        for problem in exc.problems:
            _err(f"cleaner: error: {problem}")
        raise typer.Exit(2)
    raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        Optional[bool], typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = None,
    show_config: Annotated[
        Optional[str],
        typer.Option("--show-config", metavar="PATH", callback=_show_config, is_eager=True,
                     help="Print which config file applies to PATH and the settings and rules in force there, then exit."),
    ] = None,
) -> None:
    """Turn dirty scraped text into clean UTF-8."""


def _count(n: int, noun: str) -> str:
    """'1 file', '2 files': the summary line is read by people."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def _split(values: Optional[list[str]]) -> Optional[tuple[str, ...]]:
    if not values:
        return None
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def show(s: str) -> str:
    """A string quoted for one line of output, with invisible characters escaped."""
    out = []
    for ch in s:
        if ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch == " " or ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


@app.command()
def run(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Files and folders to clean; '-' reads stdin and writes stdout.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if any file would change. Combines with --explain, --diff, --format and --report.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff; write nothing; exit 1 if any file would change.")] = False,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write cleaned copies into this folder, mirroring the input tree.")] = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Rule ids or stage names to run (comma-separated or repeated).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Rule ids or stage names not to run.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Print each edit as 'file:line:column rule-id: before -> after'. Files are still written: add --check to only look.")] = False,
    notes: Annotated[bool, typer.Option("--notes", help="Print the notes: things reported, not changed (with --explain, -v does too).")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="Print per-rule totals (edits, files) at the end of the run.")] = False,
    report_dir: Annotated[Optional[str], typer.Option("--report", help="Write a static HTML report of the run into this folder (open its index.html). Files are still written: add --check to only look.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Report format: text, json (one object at the end) or jsonl (one object per file, streamed). Files are still written: add --check to only look.")] = Format.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also name every file changed (and, with --explain, print notes).")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")] = None,
    include: Annotated[Optional[list[str]], typer.Option("--include", help="Globs of files to clean in folders (replaces the default *.txt, *.md, ...).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", help="Globs of files or folders to leave alone (added to config).")] = None,
    stdin_filename: Annotated[Optional[str], typer.Option("--stdin-filename", help="Name of the file read from stdin, for config and messages.")] = None,
    rules: Annotated[Optional[list[str]], typer.Option("--rules", help="Extra rule file (repeatable).")] = None,
    line_ending: Annotated[Optional[LineEnding], typer.Option("--line-ending", help="lf: write LF; keep: keep each file's line endings.")] = None,
    config: Annotated[Optional[str], typer.Option("--config", help="Use this cleaner.toml or pyproject.toml instead of searching.")] = None,
    # Corpus options (cleaner.corpus, cleaner.batch): shards, batches, clusters.
    text_field: Annotated[Optional[str], typer.Option("--text-field", help="Corpus: the record field holding the text (default text; a.b for nested).")] = None,
    id_field: Annotated[Optional[str], typer.Option("--id-field", help="Corpus: the record field naming a record in reports (default shard:LINE).")] = None,
    annotate: Annotated[Optional[str], typer.Option("--annotate", help="Corpus: add this field to each record: its rule counts, lines and characters removed.")] = None,
    format_in: Annotated[FormatIn, typer.Option("--format-in", help="Corpus: what stdin ('-') holds: text or jsonl records.")] = FormatIn.text,
    files_from: Annotated[Optional[str], typer.Option("--files-from", help="Corpus: read paths from this file ('-': stdin), one per line.")] = None,
    null: Annotated[bool, typer.Option("-0", "--null", help="Corpus: --files-from paths are NUL-separated (find -print0).")] = False,
    shard: Annotated[Optional[str], typer.Option("--shard", help="Corpus: clean only part I of N (0 <= I < N) of the files, split by path hash.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Corpus: with -o, pass over files whose output is already written.")] = False,
    executor: Annotated[ExecutorName, typer.Option("--executor", help="Corpus: where to run: local processes, or a Dask cluster (pip install 'cleaner[dask]').")] = ExecutorName.local,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Corpus: address of a running Dask scheduler (default: a local cluster of --jobs workers).")] = None,
    follow_links: Annotated[bool, typer.Option("--follow-links", help="Clean the files that symlinks outside the folder (or a named symlink's own folder) point to.")] = False,
) -> None:
    """Clean files in place (or into --output), or check them."""
    from pathlib import Path

    from .runner import RunOptions

    paths, batch = _corpus_arguments(paths, output, format_in, files_from, null, shard, resume, executor, scheduler)

    if output and (check or diff):
        _err("cleaner: error: --output writes files; it cannot be used with --check or --diff")
        raise typer.Exit(2)
    if "-" in paths and len(paths) > 1:
        _err("cleaner: error: '-' (stdin) cannot be mixed with other paths")
        raise typer.Exit(2)
    if paths == ["-"] and output:
        _err("cleaner: error: '-' writes the cleaned text to stdout; it cannot be used with --output")
        raise typer.Exit(2)
    if report_dir and paths == ["-"]:
        _err("cleaner: error: --report needs files or folders, not '-' (stdin)")
        raise typer.Exit(2)
    mode = "diff" if diff else "check" if check else "fix"
    overrides = dict(
        select=_split(select),
        ignore=_split(ignore),
        line_ending=line_ending.value if line_ending else None,
        include=tuple(include) if include else None,
        text_field=text_field,
        id_field=id_field,
        annotate=annotate,
    )
    options = RunOptions(
        mode=mode,
        overrides=tuple((k, v) for k, v in overrides.items() if v is not None),
        config_file=config,
        want_edits=explain or fmt is not Format.text or bool(report_dir),
        want_texts=bool(report_dir),
        extra_rules=tuple(str(Path(r).resolve()) for r in rules or ()),
        extra_exclude=tuple(exclude or ()),
    )
    # Settings and rules are checked once, up front: a bad rule file or an
    # unknown --select is a usage error, not one error per file.
    first = Path(stdin_filename or ".") if paths == ["-"] else _config_anchor(Path(paths[0]))
    problems = _config_problems(options, first)
    if problems:
        for problem in problems:
            _err(f"cleaner: error: {problem}")
        raise typer.Exit(2)
    cfg = options.config_for(first)

    shown = _Shown(explain=explain, notes=notes or (verbose and explain), statistics=statistics)
    if paths == ["-"]:
        if format_in is FormatIn.jsonl:
            raise typer.Exit(_run_stdin_jsonl(options, cfg, stdin_filename, shown, fmt))
        raise typer.Exit(_run_stdin(options, cfg, stdin_filename, shown, fmt, quiet))
    raise typer.Exit(_run_paths(paths, options, cfg, output, shown, fmt, quiet, verbose, jobs, report_dir, batch, follow_links))


def _config_anchor(path):
    """Where to look for the settings of a path: the path itself, or its folder
    when it cannot be resolved (a symlink loop, a name too long), which
    discovery then reports as that path's error."""
    try:
        path.resolve()
        path.is_dir()
        return path
    except (OSError, RuntimeError):
        return path.absolute().parent


def _corpus_arguments(paths, output, format_in, files_from, null, shard, resume, executor, scheduler):
    """The paths to clean (with --files-from) and the batch settings, or exit 2 on a usage error."""
    paths = list(paths or [])
    if files_from is not None:
        from .corpus.selection import read_path_list

        try:
            if files_from == "-":
                paths += read_path_list(sys.stdin.buffer, null)
            else:
                with open(files_from, "rb") as fh:
                    paths += read_path_list(fh, null)
        except OSError as exc:
            _err(f"cleaner: error: --files-from {files_from}: {exc.strerror or exc}")
            raise typer.Exit(2)
    problem = None
    if not paths:
        problem = "no files or folders given" + (" (--files-from listed none)" if files_from is not None else "")
    elif resume and not output:
        problem = "--resume needs --output (in place, a file is its own output)"
    elif format_in is FormatIn.jsonl and paths != ["-"]:
        problem = "--format-in is for stdin ('-'); shards are told by their names"
    elif scheduler and executor is not ExecutorName.dask:
        problem = "--scheduler is for --executor dask"
    part = None
    if problem is None and shard is not None:
        from .corpus.selection import SelectionProblem, parse_part

        try:
            part = parse_part(shard)
        except SelectionProblem as exc:
            problem = str(exc)
    if problem is not None:
        _err(f"cleaner: error: {problem}")
        raise typer.Exit(2)
    return paths, dict(part=part, resume=resume, executor=executor.value, scheduler=scheduler)


def _config_problems(options, path) -> list[str]:
    """What is wrong with the settings and rules that apply to path: one line each."""
    from pathlib import Path

    from .config import ConfigError, config_for
    from .pipeline import SelectionError, active_rules, select_rules
    from .rules import RuleFileError, load_ruleset

    try:
        config = options.config_for(path)
        active_rules(config)
    except ConfigError as exc:
        return [str(exc)]
    except RuleFileError as exc:
        return [str(problem) for problem in exc.problems]
    except SelectionError as exc:
        # Name the config file when its own select/ignore is at fault, not a flag.
        explicit = Path(options.config_file) if options.config_file else None
        in_file = config_for(Path(path), explicit).with_overrides(extend_rules=config.extend_rules)
        if in_file.source:
            try:
                select_rules(load_ruleset(config.extend_rules), in_file)
            except SelectionError as file_exc:
                lines = [f"{in_file.source}: {file_exc}"]
                return lines + ([str(exc)] if str(exc) != str(file_exc) else [])
        return [str(exc)]
    return []


class _Shown:
    """What a run prints besides its summary: --explain, --notes, --statistics."""

    def __init__(self, explain: bool = False, notes: bool = False, statistics: bool = False):
        self.explain = explain
        self.notes = notes
        self.statistics = statistics
        self.rule_edits: dict[str, int] = {}
        self.rule_files: dict[str, int] = {}

    def count(self, report) -> None:
        for rule, n in report.counts.items():
            self.rule_edits[rule] = self.rule_edits.get(rule, 0) + n
            self.rule_files[rule] = self.rule_files.get(rule, 0) + 1


# --explain cuts a long before/after to this much context around the change.
_EXPLAIN_CONTEXT = 30


def cut_around_change(before: str, after: str, context: int = _EXPLAIN_CONTEXT) -> tuple[str, str]:
    """A long before and after cut to the part that differs, with context and '…' where cut."""
    if len(before) <= 2 * context + 20 and len(after) <= 2 * context + 20:
        return before, after
    limit = min(len(before), len(after))
    prefix = 0
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    lo = max(0, prefix - context)

    def cut(s: str) -> str:
        changed_end = len(s) - suffix
        hi = min(len(s), changed_end + context)
        if changed_end - prefix > 4 * context:  # a long run removed or added: its two ends
            piece = s[lo:prefix + 2 * context] + "…" + s[changed_end - context:hi]
        else:
            piece = s[lo:hi]
        return ("…" if lo > 0 else "") + piece + ("…" if hi < len(s) else "")

    return cut(before), cut(after)


def _print_edits(report, out, shown: _Shown) -> None:
    # Rules report in running order; a reader goes through a file by line.
    if shown.explain:
        for edit in sorted(report.edits, key=lambda e: (e.line, e.column)):
            before, after = cut_around_change(edit.before, edit.after)
            out.write(f"{report.display}:{edit.line}:{edit.column} {edit.rule}: {show(before)} -> {show(after)}\n")
    if shown.notes:
        for note in sorted(report.notes, key=lambda n: n.line):
            out.write(f"{report.display}:{note.line} {note.rule}: note: {note.message}\n")


def _print_statistics(shown: _Shown, out) -> None:
    """Per-rule totals, most edits first, as ruff --statistics prints them."""
    if not shown.rule_edits:
        out.write("no edits\n")
        return
    width = max(len(r) for r in shown.rule_edits)
    for rule, n in sorted(shown.rule_edits.items(), key=lambda item: (-item[1], item[0])):
        files = shown.rule_files[rule]
        out.write(f"{n:>7}  {rule:<{width}}  in {_count(files, 'file')}\n")


def _json(doc) -> str:
    """A JSON document that is valid UTF-8 even when a file name is not.

    Undecodable bytes of a name are lone surrogates in Python; written as
    ``\\udcXX`` escapes they stay valid JSON, and ``os.fsencode`` of the parsed
    name gives the original bytes back.
    """
    import json
    import re

    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return re.sub("[\udc80-\udcff]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _jsonl(doc) -> str:
    """One JSON object on one line (for --format jsonl), valid UTF-8 like _json."""
    import json
    import re

    text = json.dumps(doc, ensure_ascii=False) + "\n"
    return re.sub("[\udc80-\udcff]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _report_json(report, columns: bool = False) -> dict:
    return {
        "path": report.display,
        "status": report.status,
        "message": report.message or None,
        "encoding": report.encoding,
        "counts": dict(sorted(report.counts.items())),
        "edits": [
            {"rule": e.rule, "line": e.line, **({"column": e.column} if columns else {}), "before": e.before, "after": e.after}
            for e in report.edits
        ],
        "notes": [{"rule": n.rule, "line": n.line, "message": n.message} for n in report.notes],
        **({"diff": report.diff} if report.diff else {}),
        **_shard_json(report, columns),
    }


def _shard_json(report, columns: bool) -> dict:
    """A shard's own fields in a JSON report: its records, those changed, its bad records."""
    if not hasattr(report, "documents"):
        return {}
    return {
        "documents": report.documents,
        "documents_changed": report.documents_changed,
        "problems": report.problems,
        "records": [_report_json(r, columns) for r in report.records],
    }


def _run_stdin_jsonl(options, cfg, stdin_filename, shown, fmt) -> int:
    """JSON Lines on stdin, cleaned records on stdout as they come (a filter)."""
    from .corpus.documents import InProcess
    from .corpus.reports import ShardReport
    from .corpus.shard import clean_jsonl_stream

    report = ShardReport(stdin_filename or "-", "unchanged")
    out = sys.stdout.buffer if options.mode == "fix" and fmt is Format.text else None
    clean_jsonl_stream(sys.stdin.buffer, out, report, cfg, options, InProcess(), flush=True)
    for problem in report.problems:
        _err(f"cleaner: error: {problem}")
    if fmt is Format.json:
        sys.stdout.write(_json({"files": [_report_json(report)]}))
    elif fmt is Format.jsonl:
        sys.stdout.write(_jsonl(_report_json(report, columns=True)))
    else:
        _print_shard_records(report, options, shown, sys.stderr if options.mode == "fix" else sys.stdout)
    if report.problems:
        return 2
    return 1 if report.status == "changed" and options.mode != "fix" else 0


def _print_shard_records(report, options, shown, out) -> None:
    """--explain and --diff for the records of a shard, each named shard:LINE (or its id)."""
    for record in getattr(report, "records", ()):
        _print_edits(record, out, shown)
        if options.mode == "diff":
            out.write(record.diff)


def _run_stdin(options, cfg, stdin_filename, shown, fmt, quiet) -> int:
    from .corpus import LARGE_FILE_BYTES
    from .files import BinaryFile, FileProblem, read_fully
    from .pipeline import UnsafeEdit
    from .runner import FileReport, clean_bytes

    name = stdin_filename or "-"
    data = read_fully(sys.stdin.buffer, LARGE_FILE_BYTES + 1)
    if len(data) > LARGE_FILE_BYTES:
        return _run_stdin_blocks(data, options, cfg, name, shown, fmt, quiet)
    report = FileReport(name, "unchanged")
    try:
        new, decoded, result = clean_bytes(data, cfg, stdin_filename)
    except BinaryFile as exc:
        report.status, report.message = "skipped", str(exc)
        if fmt is Format.json:  # the report, not the bytes: stdout must stay JSON
            sys.stdout.write(_json({"files": [_report_json(report)]}))
            return 0
        if fmt is Format.jsonl:
            sys.stdout.write(_jsonl(_report_json(report, columns=True)))
            return 0
        # A filter must not lose data: binary input passes through untouched.
        if not quiet:
            _err(f"{name}: skipped: {exc}; passed through unchanged")
        if options.mode == "fix":
            sys.stdout.buffer.write(data)
        return 0
    except UnsafeEdit as exc:
        # Safe mode refused the output: the input goes through untouched.
        _err(f"cleaner: error: {name}: {exc}")
        if options.mode == "fix" and fmt is Format.text:
            sys.stdout.buffer.write(data)
        return 2
    except FileProblem as exc:
        _err(f"cleaner: error: {name}: {exc}")
        if fmt is not Format.text:
            report.status, report.message = "error", str(exc)
            doc = _report_json(report, columns=fmt is Format.jsonl)
            sys.stdout.write(_json({"files": [doc]}) if fmt is Format.json else _jsonl(doc))
        return 2
    changed = new != data
    report.status = "changed" if changed else "unchanged"
    report.edits, report.notes, report.counts = result.edits, result.notes, result.counts
    if decoded.detected:
        report.encoding = decoded.encoding
        if not quiet:
            _err(f"{name}: not UTF-8, decoded as {decoded.encoding}")
    if options.mode == "diff" and changed:
        from .runner import unified_diff

        report.diff = unified_diff(name, result.original, result.text)
    shown.count(report)
    if fmt is Format.json:
        doc = {"files": [_report_json(report)]}
        if options.mode == "fix":
            doc["output"] = new.decode("utf-8")
        sys.stdout.write(_json(doc))
    elif fmt is Format.jsonl:
        doc = _report_json(report, columns=True)
        if options.mode == "fix":
            doc["output"] = new.decode("utf-8")
        sys.stdout.write(_jsonl(doc))
    else:
        _print_edits(report, sys.stderr if options.mode == "fix" else sys.stdout, shown)
        if options.mode == "fix":
            sys.stdout.buffer.write(new)
        elif options.mode == "diff":
            sys.stdout.write(report.diff)
    if shown.statistics:
        # stdout carries the cleaned text or JSON here: totals go to stderr.
        _print_statistics(shown, sys.stderr if options.mode == "fix" or fmt is not Format.text else sys.stdout)
    return 1 if changed and options.mode != "fix" else 0


def _run_stdin_blocks(head, options, cfg, name, shown, fmt, quiet) -> int:
    """Plain text on stdin larger than a large file: cleaned block by block as
    such a file is, each block written to stdout (its diff, with --diff) as
    soon as it is cleaned, so memory stays flat however much is piped in."""
    import io

    from .corpus.blocks import clean_large_stream
    from .files import BinaryFile, FileProblem
    from .runner import FileReport

    text_out = fmt is Format.text
    # --format json|jsonl holds the cleaned text for the report's "output", as for a small stdin.
    out = (sys.stdout.buffer if text_out else io.BytesIO()) if options.mode == "fix" else None
    diff_out = sys.stdout if options.mode == "diff" and text_out else None
    try:
        report = clean_large_stream(head, sys.stdin.buffer, name, out, diff_out, cfg, options)
    except BinaryFile as exc:
        report = FileReport(name, "skipped", str(exc))
        if not text_out:
            doc = _report_json(report, columns=fmt is Format.jsonl)
            sys.stdout.write(_json({"files": [doc]}) if fmt is Format.json else _jsonl(doc))
            return 0
        if not quiet:
            _err(f"{name}: skipped: {exc}; passed through unchanged")
        if options.mode == "fix":  # a filter must not lose data
            sys.stdout.buffer.write(head)
            while data := sys.stdin.buffer.read(1 << 20):
                sys.stdout.buffer.write(data)
        return 0
    except FileProblem as exc:  # at the start: nothing written
        report = FileReport(name, "error", str(exc))
    if report.status == "error":
        _err(f"cleaner: error: {name}: {report.message}")
    if report.encoding and not quiet:
        _err(f"{name}: not UTF-8, decoded as {report.encoding}")
    shown.count(report)
    if text_out:
        _print_edits(report, sys.stderr if options.mode == "fix" else sys.stdout, shown)
    else:
        doc = _report_json(report, columns=fmt is Format.jsonl)
        if fmt is Format.json:
            doc = {"files": [doc]}
        if options.mode == "fix" and report.status != "error":
            doc["output"] = out.getvalue().decode("utf-8")
        sys.stdout.write(_json(doc) if fmt is Format.json else _jsonl(doc))
    if shown.statistics:
        _print_statistics(shown, sys.stderr if options.mode == "fix" or not text_out else sys.stdout)
    if report.status == "error":
        return 2
    return 1 if report.status == "changed" and options.mode != "fix" else 0


class _Progress:
    """A one-line progress bar on stderr, only for people watching a terminal."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.done = 0
        self.enabled = enabled

    def step(self) -> None:
        if not self.enabled:
            return
        self.done += 1
        if self.done % 10 and self.done != self.total:
            return
        width = 30
        filled = width * self.done // self.total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def _run_paths(paths, options, cfg, output, shown, fmt, quiet, verbose, jobs, report_dir=None, batch=None, follow_links=False) -> int:
    from pathlib import Path

    from .batch import make_executor, run_targets
    from .files import discover
    from .runner import Interrupted, default_jobs, ignore_stop_signals, install_stop_handlers, restore_handlers

    out_dir = Path(output) if output else None

    def globs_for(folder: Path):
        """Include and exclude globs of the config nearest to folder (nearest wins)."""
        try:
            near = options.config_for(folder)
        except Exception:  # a bad config: reported below, before any file is touched
            near = cfg
        base = Path(near.source).parent if near.source else None
        return near.include, near.exclude + options.extra_exclude, base

    targets, skipped, missing = discover(
        paths, cfg.include, cfg.exclude + options.extra_exclude, out_dir, globs_for, follow_links=follow_links
    )
    batch = batch or dict(part=None, resume=False, executor="local", scheduler=None)
    if batch["part"] is not None:
        from .corpus.selection import in_part

        targets = in_part(targets, *batch["part"])
    resumed = 0
    if batch["resume"]:
        from .corpus.selection import already_done

        todo = [t for t in targets if not already_done(t)]
        resumed, targets = len(targets) - len(todo), todo
    # A cleaner.toml deeper in the tree than the first path has settings of its
    # own; check them all before touching any file, so that a bad one is one
    # report with a line per problem, not an error repeated for every file.
    problems: list[str] = []
    folders = set()
    for target in targets:
        if target.source.parent not in folders:
            folders.add(target.source.parent)
            problems += [p for p in _config_problems(options, target.source) if p not in problems]
    if problems:
        for problem in problems:
            _err(f"cleaner: error: {problem}")
        return 2
    for problem in missing:
        _err(f"cleaner: error: {problem.display}: {problem.reason}")
    if not quiet:
        for skip in skipped:
            _err(f"{skip.display}: skipped: {skip.reason}")
    progress = _Progress(
        len(targets),
        enabled=not quiet and fmt is Format.text and len(targets) >= 50 and sys.stderr.isatty() and not os.environ.get("CI"),
    )
    counts = {"seen": len(targets) + len(skipped) + resumed, "changed": 0, "skipped": len(skipped), "errors": len(missing)}
    records = {"documents": 0, "changed": 0, "problems": 0}
    try:
        executor = make_executor(batch["executor"], jobs or default_jobs(), options, targets, batch["scheduler"])
    except Exception as exc:  # no Dask installed, no scheduler at that address
        _err(f"cleaner: error: --executor {batch['executor']}: {exc}")
        return 2
    html_report = _open_report(report_dir, cfg, targets) if report_dir else None
    report_failed = False
    if html_report is not None:
        from .runner import FileReport

        for problem in missing:
            html_report.add(FileReport(problem.display, "error", problem.reason))
        for skip in skipped:
            html_report.add(FileReport(skip.display, "skipped", skip.reason))
    json_files = []
    internal = done = 0
    reports = _reports(run_targets(targets, options, executor), executor)
    previous = install_stop_handlers()
    try:
        for report in reports:
            done += 1
            if getattr(report, "internal", ""):
                internal += 1
                if verbose:
                    _err(report.internal)
            progress.step()
            shown.count(report)
            if html_report is not None:
                for document in [report, *getattr(report, "records", ())]:
                    if html_report is not None:
                        html_report = _add_to_report(html_report, document)
                report_failed = html_report is None
            if hasattr(report, "documents"):
                records["documents"] += report.documents
                records["changed"] += report.documents_changed
                records["problems"] += len(report.problems)
                for problem in report.problems:
                    progress.close()
                    _err(f"cleaner: error: {problem}")
            if report.status == "error":
                counts["errors"] += 1
                progress.close()
                _err(f"cleaner: error: {report.display}: {report.message}")
            elif report.status == "skipped":
                counts["skipped"] += 1
                if not quiet:
                    progress.close()
                    _err(f"{report.display}: skipped: {report.message}")
            elif report.status == "changed":
                counts["changed"] += 1
            if report.encoding and not quiet:
                progress.close()
                _err(f"{report.display}: not UTF-8, decoded as {report.encoding}")
            if fmt is Format.json:
                json_files.append(_report_json(report))
                continue
            if fmt is Format.jsonl:
                sys.stdout.write(_jsonl(_report_json(report, columns=True)))
                sys.stdout.flush()
                continue
            _print_edits(report, sys.stdout, shown)
            _print_shard_records(report, options, shown, sys.stdout)
            if report.status == "changed":
                if options.mode == "diff":
                    sys.stdout.write(report.diff)
                elif options.mode == "check":
                    sys.stdout.write(f"would change: {report.display}\n")
                elif verbose:
                    progress.close()
                    _err(f"fixed: {report.display}")
            elif verbose and report.status == "unchanged":
                _err(f"unchanged: {report.display}")
    except Interrupted as stop:
        ignore_stop_signals()  # a second Ctrl-C must not cut the clean-up short
        getattr(executor, "stop", executor.close)()  # workers end now; their temporary files go with them
        reports.close()
        progress.close()
        if fmt is Format.json:
            sys.stdout.write(_json({"files": json_files, "summary": counts, "interrupted": stop.name}))
        _err(
            f"cleaner: interrupted by {stop.name} after {done} of {_count(len(targets), 'file')}: "
            f"{counts['changed']} {'changed' if options.mode == 'fix' else 'would change'}, {counts['skipped']} skipped, "
            f"{_count(counts['errors'], 'error')}; no file is left half-written"
        )
        return stop.exit_code
    finally:
        restore_handlers(previous)
    progress.close()
    changed_word = "would change" if options.mode != "fix" else "changed"
    summary = (
        f"{_count(counts['seen'], 'file')} seen, {counts['changed']} {changed_word}, "
        f"{counts['skipped']} skipped, {_count(counts['errors'], 'error')}"
    )
    if records["documents"] or records["problems"]:
        summary += (
            f"; {_count(records['documents'], 'record')} in shards, {records['changed']} {changed_word}, "
            f"{_count(records['problems'], 'bad record')}"
        )
    if resumed:
        summary += f"; {resumed} already done (--resume)"
    if fmt is Format.json:
        extra = {"records": records} if records["documents"] or records["problems"] else {}
        sys.stdout.write(_json({"files": json_files, "summary": {**counts, **extra, **({"resumed": resumed} if resumed else {})}}))
    elif not quiet:
        _err(f"cleaner: {summary}")
    if shown.statistics:
        # stdout is JSON with --format json/jsonl: the totals go to stderr then.
        _print_statistics(shown, sys.stdout if fmt is Format.text else sys.stderr)
    if html_report is not None:
        index = _finish_report(html_report, counts, options.mode)
        if index is None:
            return 2
        if not quiet:
            _err(f"cleaner: report written to {index}")
    if internal:
        return INTERNAL_ERROR
    if counts["errors"] or report_failed or records["problems"]:
        return 2
    if options.mode != "fix" and counts["changed"]:
        return 1
    return 0


def _reports(reports, executor):
    """The reports of a run; the executor (pool, cluster) is shut down when they end."""
    from .runner import Interrupted

    try:
        yield from reports
    except Interrupted:
        # A stop signal: the workers end now; a close would first wait for their tasks.
        getattr(executor, "stop", executor.close)()
        raise
    finally:
        executor.close()


def _open_report(folder, cfg, targets):
    """The HTML report (cleaner.report) for a run, or exit 2 when its folder cannot be used."""
    from pathlib import Path

    from .report import HtmlReport, ReportError
    from .rules import load_ruleset

    descriptions = {r.id: r.description for r in load_ruleset(cfg.extend_rules).rules}
    try:
        return HtmlReport(Path(folder), descriptions)
    except ReportError as exc:
        _err(f"cleaner: error: {exc}")
        raise typer.Exit(2)


def _add_to_report(html_report, report):
    """Add one file to the report; None (after an error line) when the report cannot be written."""
    from .report import ReportError

    try:
        html_report.add(report)
    except ReportError as exc:
        _err(f"cleaner: error: {exc}")
        return None
    return html_report


def _finish_report(html_report, counts, mode):
    from .report import ReportError

    try:
        return html_report.finish(counts, mode)
    except ReportError as exc:
        _err(f"cleaner: error: {exc}")
        return None


@rules_app.callback(invoke_without_command=True)
def rules_list(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="Listing format.")] = Format.text,
    rules: Annotated[Optional[list[str]], typer.Option("--rules", help="Also list the rules of this file.")] = None,
) -> None:
    """List every rule: id, kind, whether it is on by default, and what it does."""
    if ctx.invoked_subcommand is not None:
        return
    import json

    ruleset = _ruleset_or_exit(rules)
    if fmt is Format.json:
        rows = [
            {"id": r.id, "kind": r.kind, "enabled": r.enabled, "description": r.description, "source": r.source}
            for r in ruleset.rules
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    _list_rules(ruleset.rules)


def _ruleset_or_exit(rules: Optional[list[str]]):
    """The built-in rules plus the user's rule files; every problem printed, exit 2, when one is bad."""
    from .rules import RuleFileError, load_ruleset

    try:
        return load_ruleset(tuple(rules or ()))
    except RuleFileError as exc:
        for problem in exc.problems:
            _err(f"cleaner: error: {problem}")
        raise typer.Exit(2)


def _list_rules(rules) -> None:
    width = max((len(r.id) for r in rules), default=10)
    # On a terminal each rule takes one line of its width; piped, 100 characters of description.
    room = 100
    if sys.stdout.isatty():
        import shutil

        room = max(20, shutil.get_terminal_size().columns - (width + 2 + 10 + 2 + 3 + 2) - 1)
    for r in rules:
        first = " ".join(r.description.split())
        if len(first) > room:
            first = first[: room - 1] + "…"
        sys.stdout.write(f"{r.id:<{width}}  {r.kind:<10}  {'on ' if r.enabled else 'off'}  {first}\n")


@rules_app.command("show")
def rules_show(
    rule_ids: Annotated[list[str], typer.Argument(help="Rule ids (or stage names) to show.")],
    rules: Annotated[Optional[list[str]], typer.Option("--rules", help="Also look in this rule file.")] = None,
) -> None:
    """Show rules: id, stage, kind, whether on by default, description and examples."""
    from .rules import STAGES
    from .suggest import did_you_mean

    ruleset = _ruleset_or_exit(rules)
    by_id = {r.id: r for r in ruleset.rules}
    bad = 0
    for n, rule_id in enumerate(rule_ids):
        if rule_id in STAGES:
            _list_rules([r for r in ruleset.rules if r.stage == rule_id])
            continue
        rule = by_id.get(rule_id)
        if rule is None:
            hint = did_you_mean(rule_id, list(by_id) + list(STAGES))
            _err(f"cleaner: error: unknown rule {rule_id!r}{hint} (see 'cleaner rules')")
            bad += 1
            continue
        if n:
            sys.stdout.write("\n")
        sys.stdout.write(_describe_rule(rule))
    raise typer.Exit(2 if bad else 0)


def _describe_rule(rule) -> str:
    import shutil
    import textwrap

    width = min(100, shutil.get_terminal_size().columns) if sys.stdout.isatty() else 80
    state = "on by default" if rule.enabled else "off by default (run it with --select " + rule.id + ")"
    lines = [rule.id, f"  stage {rule.stage}, kind {rule.kind}, {state}", f"  from {rule.source}", ""]
    for paragraph in rule.description.strip().split("\n\n"):
        lines += textwrap.wrap(" ".join(paragraph.split()), width, initial_indent="  ", subsequent_indent="  ")
    if rule.examples:
        lines += ["", "  changes:"]
        lines += [f"    {show(ex.input)} -> {show(ex.output)}" for ex in rule.examples]
    if rule.unchanged:
        lines += ["", "  leaves alone:"]
        lines += [f"    {show(ex.input)}" for ex in rule.unchanged]
    return "\n".join(lines) + "\n"


@rules_app.command("check")
def rules_check(
    paths: Annotated[list[str], typer.Argument(help="Rule files to validate.")],
) -> None:
    """Validate rule files: keys, kinds, regexes, ids, and that their examples hold."""
    from .rules import check_examples, load_rule_file, load_ruleset

    builtin = {r.id for r in load_ruleset().rules}
    bad = 0
    for path in paths:
        rules, problems = load_rule_file(path)
        lines = [str(p) for p in problems]
        for rule in rules:
            if rule.id in builtin:
                lines.append(f"{path}: {rule.id}: id: duplicate of a built-in rule id")
            for failure in check_examples(rule):
                lines.append(f"{path}: {rule.id}: examples: {failure}")
        for line in lines:
            _err(f"cleaner: error: {line}")
        bad += len(lines)
        if not lines:
            sys.stdout.write(f"{path}: {len(rules)} rules OK\n")
    raise typer.Exit(2 if bad else 0)


def _unencodable(exc: UnicodeEncodeError) -> tuple[bytes, int]:
    """Output error handler: a file name's undecodable bytes go out as they came in.

    Names that are not valid UTF-8 reach Python as lone surrogates
    (surrogateescape); anything else the terminal cannot encode is escaped.
    """
    chunk = exc.object[exc.start:exc.end]
    if all(0xDC80 <= ord(ch) <= 0xDCFF for ch in chunk):
        return bytes(ord(ch) - 0xDC00 for ch in chunk), exc.end
    return "".join(f"\\u{ord(ch):04x}" for ch in chunk).encode("ascii"), exc.end


def main() -> None:
    import codecs

    codecs.register_error("cleaner-output", _unencodable)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="cleaner-output")
        except (AttributeError, ValueError):  # not a text stream we may reconfigure
            pass
    try:
        app()
    except Exception as exc:  # SystemExit and KeyboardInterrupt pass through
        _report_crash(exc)
        sys.exit(INTERNAL_ERROR)


def _report_crash(exc: Exception) -> None:
    """A bug: one line, the traceback only when asked for (-v)."""
    if any(arg in ("-v", "--verbose") for arg in sys.argv[1:]):
        import traceback

        _err("".join(traceback.format_exception(exc)))
    _err(f"cleaner: internal error: {type(exc).__name__}: {exc} (a bug in cleaner; -v shows the traceback)")

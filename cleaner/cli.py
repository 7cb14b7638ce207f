"""The command line: parse arguments, call the library, print what happened.

Conventions follow ruff, black and codespell, which users already know:
fix in place by default, ``--check`` and ``--diff`` write nothing and exit 1
when something would change, exit 2 for usage, configuration and I/O errors.
Messages go to stderr; stdout carries only results (cleaned text from stdin,
diffs, explanations, JSON), so the tool composes in shell pipelines.

Heavy modules are imported inside the commands so ``cleaner --help`` is fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from . import __version__

INTERNAL_ERROR = 3  # a bug of ours, not the input's: distinct from 1 (changes found) and 2 (errors)

app = typer.Typer(
    name="cleaner",
    help="Turn dirty scraped text into clean UTF-8.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="List the rules, or check a rule file.", add_completion=False, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")


class Format(str, Enum):
    text = "text"
    json = "json"


class LineEnding(str, Enum):
    lf = "lf"
    keep = "keep"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
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
    paths: Annotated[list[str], typer.Argument(help="Files and folders to clean; '-' reads stdin and writes stdout.")],
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if any file would change.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff; write nothing; exit 1 if any file would change.")] = False,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write cleaned copies into this folder, mirroring the input tree.")] = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Rule ids or stage names to run (comma-separated or repeated).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Rule ids or stage names not to run.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Print each edit as 'file:line rule-id: before -> after'.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Report format.")] = Format.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also name every file changed.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")] = None,
    include: Annotated[Optional[list[str]], typer.Option("--include", help="Globs of files to clean in folders (replaces the default *.txt, *.md, ...).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", help="Globs of files or folders to leave alone (added to config).")] = None,
    stdin_filename: Annotated[Optional[str], typer.Option("--stdin-filename", help="Name of the file read from stdin, for config and messages.")] = None,
    rules: Annotated[Optional[list[str]], typer.Option("--rules", help="Extra rule file (repeatable).")] = None,
    line_ending: Annotated[Optional[LineEnding], typer.Option("--line-ending", help="lf: write LF; keep: keep each file's line endings.")] = None,
    config: Annotated[Optional[str], typer.Option("--config", help="Use this cleaner.toml or pyproject.toml instead of searching.")] = None,
    follow_links: Annotated[bool, typer.Option("--follow-links", help="Clean the files that symlinks outside the folder (or a named symlink's own folder) point to.")] = False,
) -> None:
    """Clean files in place (or into --output), or check them."""
    from pathlib import Path

    from .runner import RunOptions

    if check and diff:
        _err("cleaner: error: --check and --diff cannot be used together")
        raise typer.Exit(2)
    if output and (check or diff):
        _err("cleaner: error: --output writes files; it cannot be used with --check or --diff")
        raise typer.Exit(2)
    if "-" in paths and len(paths) > 1:
        _err("cleaner: error: '-' (stdin) cannot be mixed with other paths")
        raise typer.Exit(2)
    if paths == ["-"] and output:
        _err("cleaner: error: '-' writes the cleaned text to stdout; it cannot be used with --output")
        raise typer.Exit(2)
    mode = "check" if check else "diff" if diff else "fix"
    overrides = dict(
        select=_split(select),
        ignore=_split(ignore),
        line_ending=line_ending.value if line_ending else None,
        include=tuple(include) if include else None,
    )
    options = RunOptions(
        mode=mode,
        overrides=tuple((k, v) for k, v in overrides.items() if v is not None),
        config_file=config,
        want_edits=explain or fmt is Format.json,
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

    if paths == ["-"]:
        raise typer.Exit(_run_stdin(options, cfg, stdin_filename, explain, fmt, quiet))
    raise typer.Exit(_run_paths(paths, options, cfg, output, explain, fmt, quiet, verbose, jobs, follow_links))


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


def _config_problems(options, path) -> list[str]:
    """What is wrong with the settings and rules that apply to path: one line each."""
    from pathlib import Path

    from .config import ConfigError, config_for
    from .pipeline import SelectionError, _active_rules, select_rules
    from .rules import RuleFileError, load_ruleset

    try:
        config = options.config_for(path)
        _active_rules(config)
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


def _print_edits(report, out) -> None:
    # Rules report in running order; a reader goes through a file by line.
    for edit in sorted(report.edits, key=lambda e: e.line):
        out.write(f"{report.display}:{edit.line} {edit.rule}: {show(edit.before)} -> {show(edit.after)}\n")
    for note in report.notes:
        out.write(f"{report.display}:{note.line} {note.rule}: note: {note.message}\n")


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


def _report_json(report) -> dict:
    return {
        "path": report.display,
        "status": report.status,
        "message": report.message or None,
        "encoding": report.encoding,
        "counts": dict(sorted(report.counts.items())),
        "edits": [{"rule": e.rule, "line": e.line, "before": e.before, "after": e.after} for e in report.edits],
        "notes": [{"rule": n.rule, "line": n.line, "message": n.message} for n in report.notes],
        **({"diff": report.diff} if report.diff else {}),
    }


def _run_stdin(options, cfg, stdin_filename, explain, fmt, quiet) -> int:
    from .files import BinaryFile, FileProblem
    from .pipeline import UnsafeEdit
    from .runner import FileReport, clean_bytes

    name = stdin_filename or "-"
    data = sys.stdin.buffer.read()
    report = FileReport(name, "unchanged")
    try:
        new, decoded, result = clean_bytes(data, cfg, stdin_filename)
    except BinaryFile as exc:
        report.status, report.message = "skipped", str(exc)
        if fmt is Format.json:  # the report, not the bytes: stdout must stay JSON
            sys.stdout.write(_json({"files": [_report_json(report)]}))
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
        if options.mode == "fix" and fmt is not Format.json:
            sys.stdout.buffer.write(data)
        return 2
    except FileProblem as exc:
        _err(f"cleaner: error: {name}: {exc}")
        if fmt is Format.json:
            report.status, report.message = "error", str(exc)
            sys.stdout.write(_json({"files": [_report_json(report)]}))
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
    if fmt is Format.json:
        doc = {"files": [_report_json(report)]}
        if options.mode == "fix":
            doc["output"] = new.decode("utf-8")
        sys.stdout.write(_json(doc))
    else:
        if explain:
            _print_edits(report, sys.stderr if options.mode == "fix" else sys.stdout)
        if options.mode == "fix":
            sys.stdout.buffer.write(new)
        elif options.mode == "diff":
            sys.stdout.write(report.diff)
    return 1 if changed and options.mode != "fix" else 0


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


def _run_paths(paths, options, cfg, output, explain, fmt, quiet, verbose, jobs, follow_links=False) -> int:
    from pathlib import Path

    from .files import discover
    from .runner import Interrupted, default_jobs, ignore_stop_signals, install_stop_handlers, restore_handlers, run_files

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
    counts = {"seen": len(targets) + len(skipped), "changed": 0, "skipped": len(skipped), "errors": len(missing)}
    counts_internal = 0
    done = 0
    json_files = []
    reports = None
    previous = install_stop_handlers()
    try:
        reports = run_files(targets, options, jobs or default_jobs())
        for report in reports:
            done += 1
            progress.step()
            if report.internal:
                counts_internal += 1
                if verbose:
                    _err(report.internal)
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
            if explain:
                _print_edits(report, sys.stdout)
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
        if reports is not None:
            reports.close()  # stops the workers; their temporary files go with them
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
    if fmt is Format.json:
        sys.stdout.write(_json({"files": json_files, "summary": counts}))
    elif not quiet:
        _err(f"cleaner: {summary}")
    if counts_internal:
        return INTERNAL_ERROR
    if counts["errors"]:
        return 2
    if options.mode != "fix" and counts["changed"]:
        return 1
    return 0


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

    from .rules import RuleFileError, load_ruleset

    try:
        ruleset = load_ruleset(tuple(rules or ()))
    except RuleFileError as exc:
        for problem in exc.problems:
            _err(f"cleaner: error: {problem}")
        raise typer.Exit(2)
    if fmt is Format.json:
        rows = [
            {"id": r.id, "kind": r.kind, "enabled": r.enabled, "description": r.description, "source": r.source}
            for r in ruleset.rules
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    width = max((len(r.id) for r in ruleset.rules), default=10)
    for r in ruleset.rules:
        first = " ".join(r.description.split())
        if len(first) > 100:
            first = first[:99] + "…"
        sys.stdout.write(f"{r.id:<{width}}  {r.kind:<10}  {'on ' if r.enabled else 'off'}  {first}\n")


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

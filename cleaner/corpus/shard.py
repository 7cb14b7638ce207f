"""Clean one shard: read it as a stream, clean each record, write it back atomically.

Output mirrors input: the same format, compression, record order and one
record out per record in.  In place, a shard is replaced only when a byte
changes; with an output folder the cleaned shard is always written.  The
output is written to a temporary file beside its destination and renamed
when the last record is in, so an interrupted run, a truncated input stream
or a full disk leaves no partial shard.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from ..config import Config, ConfigError
from ..files import FileProblem, Target, atomic_output
from ..pipeline import SelectionError
from ..rules import RuleFileError
from ..runner import RunOptions
from . import shard_format
from .documents import DocumentCleaner, InProcess, clean_in_order
from .jsonl import LineWriter, format_problem, read_lines
from .records import FieldPath, record_config
from .reports import ShardReport, record_report, writable_destination
from .streams import TruncatedStream, compression_of, open_read, open_write


class _Unchanged(Exception):
    """Nothing changed in an in-place run: the shard is not rewritten."""


def _fields(config: Config) -> tuple[FieldPath, FieldPath | None]:
    return FieldPath(config.text_field), FieldPath(config.id_field) if config.id_field else None


def clean_jsonl_stream(
    source: BinaryIO,
    out: BinaryIO | None,
    report: ShardReport,
    config: Config,
    options: RunOptions,
    cleaner: DocumentCleaner,
    flush: bool = False,
) -> None:
    """Clean JSON Lines from source into out (None: write nothing), filling report.

    ``flush``: flush out after every line (a filter in a pipeline)."""
    config = record_config(config)
    text_field, id_field = _fields(config)
    lines = read_lines(source, report.display, text_field, id_field)
    writer = LineWriter(out, text_field, config.annotate, config.line_ending == "keep")
    want_records = options.want_edits or options.want_texts or options.mode == "diff"
    for line, result in clean_in_order(lines, _document_of, cleaner, config, options.want_edits):
        if line.problem is not None:
            report.problems.append(format_problem(report.display, line))
        if result is not None:
            report.documents += 1
            report.counts.update(result.counts)
        if writer.write(line, result):
            report.status = "changed"
            if result is not None and result.text != line.text:
                report.documents_changed += 1
                if want_records:
                    report.records.append(record_report(line.name, line.text, result, options))
        if flush and out is not None:
            out.flush()


def _document_of(item):
    return item.document()


def clean_shard(target: Target, options: RunOptions, cleaner: DocumentCleaner | None = None) -> ShardReport:
    """Clean one shard file; never raises for a problem with the shard."""
    report = ShardReport(target.display, "unchanged")
    cleaner = cleaner or InProcess()
    try:
        config = options.config_for(target.source)
        report.bytes_in = os.path.getsize(target.source)
        kind = shard_format(target.source.name)
        if kind == "parquet":
            from .parquet import clean_parquet

            clean_parquet(target, report, config, options, cleaner)
        else:
            _clean_jsonl_file(target, report, config, options, cleaner)
    except TruncatedStream as exc:
        report.status, report.message = "error", f"{exc}; no output written"
    except (FileProblem, ConfigError, SelectionError) as exc:
        report.status, report.message = "error", str(exc)
    except RuleFileError as exc:
        report.status, report.message = "error", "; ".join(str(p) for p in exc.problems)
    except OSError as exc:
        report.status, report.message = "error", f"{exc.filename or target.display}: {exc.strerror or exc}"
    except Exception as exc:  # a bug must cost one shard, not the run
        report.status, report.message = "error", f"internal error: {type(exc).__name__}: {exc}"
    if report.status == "error":
        report.records = []
    return report


def _clean_jsonl_file(target: Target, report: ShardReport, config: Config, options: RunOptions, cleaner) -> None:
    compression = compression_of(target.source.name)
    with open(target.source, "rb") as raw:
        source = open_read(raw, compression)
        if options.mode != "fix":
            clean_jsonl_stream(source, None, report, config, options, cleaner)
            return
        destination = writable_destination(target)
        try:
            with atomic_output(destination) as out_raw:
                out = open_write(out_raw, compression)
                clean_jsonl_stream(source, out, report, config, options, cleaner)
                out.close()
                if target.output is None and report.status == "unchanged":
                    raise _Unchanged
        except _Unchanged:
            return
        report.written = True

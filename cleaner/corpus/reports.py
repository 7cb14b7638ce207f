"""What cleaning a shard reports, and where its output goes."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..files import FileProblem, Target
from ..pipeline import Result
from ..runner import FileReport, RunOptions, unified_diff


@dataclass
class ShardReport(FileReport):
    """A FileReport for a shard: per-record counts, problems and reports."""

    documents: int = 0
    documents_changed: int = 0
    problems: list[str] = field(default_factory=list)  # one line per bad record
    records: list[FileReport] = field(default_factory=list)  # changed records, when edits or diffs are wanted


def record_report(name: str, before: str, result: Result, options: RunOptions) -> FileReport:
    record = FileReport(name, "changed", counts=result.counts, edits=result.edits, notes=result.notes)
    if options.want_texts:
        record.original, record.cleaned = before, result.text
    if options.mode == "diff":
        record.diff = unified_diff(name, before, result.text)
    return record


def writable_destination(target: Target) -> Path:
    """Where a cleaned shard goes; FileProblem when it must not be replaced."""
    if target.output is not None:
        target.output.parent.mkdir(parents=True, exist_ok=True)
        return target.output
    if not os.stat(target.source).st_mode & 0o222:
        raise FileProblem("read-only file, not changed (make it writable to clean it)")
    return target.source

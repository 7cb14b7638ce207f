"""JSON Lines shards: one JSON object per line, plain, gzip or zstd.

Each line is read, its record parsed and its text handed on; each is written
back in the same place in the same order: unchanged records as the bytes they
came in as, changed ones re-serialised in their own layout (records.py).
Lines that are not records (not JSON, no text field, a text that is not a
string, not UTF-8) are written back as they came and reported with their
line number.  Empty lines pass through and are not records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Iterator

from ..files import dominant_newline
from ..pipeline import Result
from .records import DEFAULT_STYLE, FieldPath, RecordProblem, dump, parse_record, record_name, style_of


@dataclass
class Line:
    number: int  # 1-based line number in the decompressed shard
    raw: bytes  # the line as read, with its line break
    name: str  # how reports name the record
    record: dict | None = None
    text: str | None = None
    problem: str | None = None

    def document(self) -> tuple[str, str] | None:
        return (self.name, self.text) if self.text is not None else None


def read_lines(stream: BinaryIO, display: str, text_field: FieldPath, id_field: FieldPath | None) -> Iterator[Line]:
    for number, raw in enumerate(stream, 1):
        fallback = f"{display}:{number}"
        if not raw.strip():
            yield Line(number, raw, fallback)
            continue
        try:
            record, text = parse_record(raw, text_field)
        except RecordProblem as exc:
            yield Line(number, raw, fallback, problem=str(exc))
            continue
        yield Line(number, raw, record_name(record, id_field, fallback), record, text)


def annotation(original: str, result: Result) -> dict:
    """What --annotate adds to a record: its rule counts and how much went."""
    cleaned = result.text
    return {
        "counts": dict(sorted(result.counts.items())),
        "lines_removed": original.count("\n") - cleaned.count("\n"),
        "chars_removed": len(original) - len(cleaned),
    }


class LineWriter:
    """Writes lines back: as read, or re-serialised when cleaning changed them."""

    def __init__(self, out: BinaryIO | None, text_field: FieldPath, annotate: str | None, keep_newlines: bool):
        self.out = out
        self.text_field = text_field
        self.annotate = annotate
        self.keep_newlines = keep_newlines
        self.shard_style: tuple[str, str, bool] | None = None

    def new_text(self, line: Line, result: Result) -> str:
        text = result.text
        if self.keep_newlines and line.text is not None:
            newline = dominant_newline(line.text)
            if newline != "\n":
                text = text.replace("\n", newline)
        return text

    def line_bytes(self, line: Line, result: Result | None) -> bytes:
        if result is None or line.record is None:
            return line.raw
        text = self.new_text(line, result)
        if text == line.text and self.annotate is None:
            return line.raw
        style = style_of(line.raw, line.record)
        if style is not None and self.shard_style is None:
            self.shard_style = style
        style = style or self.shard_style or DEFAULT_STYLE
        record = line.record
        self.text_field.set(record, text)
        if self.annotate is not None:
            record[self.annotate] = annotation(line.text, result)
        ending = line.raw[len(line.raw.rstrip(b"\r\n")):]
        return dump(record, style) + ending

    def write(self, line: Line, result: Result | None) -> bool:
        """Write one line; True when its bytes changed."""
        data = self.line_bytes(line, result)
        if self.out is not None:
            self.out.write(data)
        return data != line.raw


def format_problem(display: str, line: Line) -> str:
    return f"{display}:{line.number}: {line.problem}"


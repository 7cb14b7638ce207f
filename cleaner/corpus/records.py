"""One JSON record: find its text, put the cleaned text back, write it out.

A record that is cleaned but unchanged is written back as the very bytes it
came in as.  A changed record is serialised again: keys keep their order
(``json.loads`` keeps it), values are the values read, and the layout follows
the record's own: compact (``{"a":1,"b":2}``, as orjson, datatrove and Dolma
write) or Python's default spacing (``{"a": 1, "b": 2}``), with non-ASCII
characters as they were (UTF-8, or ``\\uXXXX`` escapes when the record used
them).  A record whose layout is neither (indented, odd spacing) is written
compact with UTF-8.  Numbers are written as Python writes them (``1e5``
becomes ``100000.0``) in changed records only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from ..config import Config

# (item separator, key separator, ensure_ascii), most common first.
STYLES = (
    (",", ":", False),
    (", ", ": ", False),
    (",", ":", True),
    (", ", ": ", True),
)
DEFAULT_STYLE = STYLES[0]


class RecordProblem(Exception):
    """A record that cannot be cleaned; it is written out unchanged.  str() is the reason."""


@dataclass(frozen=True)
class FieldPath:
    """A field of a record, by a dotted path: ``text`` or ``content.body``."""

    dotted: str

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.dotted.split("."))

    def get(self, record: object) -> object:
        value = record
        for part in self.parts:
            if not isinstance(value, dict) or part not in value:
                raise KeyError(self.dotted)
            value = value[part]
        return value

    def set(self, record: dict, value: object) -> None:
        *parents, last = self.parts
        for part in parents:
            record = record[part]
        record[last] = value


def parse_record(line: bytes, text_field: FieldPath) -> tuple[dict, str]:
    """The record of one JSONL line and its text; RecordProblem if it has none."""
    try:
        record = json.loads(line)
    except UnicodeDecodeError as exc:
        raise RecordProblem(f"not valid UTF-8 (byte {exc.start + 1})") from None
    except json.JSONDecodeError as exc:
        raise RecordProblem(f"not JSON ({exc.msg}, column {exc.colno})") from None
    except RecursionError:
        raise RecordProblem("not JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise RecordProblem(f"not a JSON object but {type(record).__name__}")
    try:
        text = text_field.get(record)
    except KeyError:
        raise RecordProblem(f"no {text_field.dotted!r} field") from None
    if not isinstance(text, str):
        raise RecordProblem(f"{text_field.dotted!r} is {json.dumps(text)[:40] if text is None else type(text).__name__}, not a string")
    return record, text


def style_of(line: bytes, record: dict) -> tuple[str, str, bool] | None:
    """The layout that writes record back as line, if one of STYLES does."""
    body = line.rstrip(b"\r\n")
    for item_sep, key_sep, ascii_only in STYLES:
        try:
            if dump(record, (item_sep, key_sep, ascii_only)) == body:
                return item_sep, key_sep, ascii_only
        except UnicodeEncodeError:
            continue
    return None


def dump(record: dict, style: tuple[str, str, bool]) -> bytes:
    item_sep, key_sep, ascii_only = style
    text = json.dumps(record, ensure_ascii=ascii_only, separators=(item_sep, key_sep))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (a "\ud800" escape in the input) has no UTF-8 form:
        # written as an escape, as it came.
        return json.dumps(record, ensure_ascii=True, separators=(item_sep, key_sep)).encode("ascii")


def record_name(record: dict | None, id_field: FieldPath | None, fallback: str) -> str:
    """How reports name a record: its id field's value when asked and present."""
    if id_field is None or record is None:
        return fallback
    try:
        value = id_field.get(record)
    except KeyError:
        return fallback
    return value if isinstance(value, str) else json.dumps(value)


# A record's text is a document inside a file, not a file: it gets no final
# newline (which would change nearly every record of a clean corpus).
NOT_FOR_RECORDS = ("whitespace.final-newline",)


def record_config(config: Config) -> Config:
    """The config records are cleaned with: the file-level rules left out."""
    missing = tuple(rule for rule in NOT_FOR_RECORDS if rule not in config.ignore)
    return replace(config, ignore=config.ignore + missing) if missing else config

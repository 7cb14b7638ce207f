"""Parquet shards (the optional extra ``cleaner[parquet]``, pyarrow): one row, one document.

A shard is read and written one row group at a time, so memory holds one row
group, and the output has the input's row groups, schema, column order and
compression codec; only the text column's values change.  The text column is
a top-level string column (``--text-field``); a row whose text is null is
left as it is and reported.  ``--annotate FIELD`` adds FIELD as a string
column holding each row's annotation as JSON (null for rows not cleaned):
the one change to the schema, made only when asked.
"""

from __future__ import annotations

import json

from ..config import Config
from ..files import FileProblem, Target, atomic_output
from ..runner import RunOptions
from .documents import DocumentCleaner, clean_in_order
from .jsonl import annotation
from .records import record_config
from .reports import record_report, writable_destination


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise FileProblem("Parquet needs pyarrow: pip install 'cleaner[parquet]'") from None
    return pyarrow, pyarrow.parquet


def _compression(metadata) -> str | None:
    if metadata.num_row_groups == 0 or metadata.num_columns == 0:
        return None
    codec = metadata.row_group(0).column(0).compression
    return None if codec == "UNCOMPRESSED" else codec.lower()


def clean_parquet(target: Target, report, config: Config, options: RunOptions, cleaner: DocumentCleaner) -> None:
    config = record_config(config)
    pa, pq = _pyarrow()
    try:
        shard = pq.ParquetFile(target.source)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FileProblem(f"not a readable Parquet file: {exc}") from None
    schema = shard.schema_arrow
    column = config.text_field
    if column not in schema.names:
        raise FileProblem(f"no {column!r} column (columns: {', '.join(schema.names)})")
    if not (pa.types.is_string(schema.field(column).type) or pa.types.is_large_string(schema.field(column).type)):
        raise FileProblem(f"column {column!r} is {schema.field(column).type}, not a string column")
    out_schema = schema
    if config.annotate:
        if config.annotate in schema.names:
            out_schema = schema.remove(schema.get_field_index(config.annotate))
        out_schema = out_schema.append(pa.field(config.annotate, pa.string()))
    if options.mode != "fix":
        _clean_groups(shard, None, report, config, options, cleaner, pa)
        return
    destination = writable_destination(target)
    try:
        with atomic_output(destination) as out:
            with pq.ParquetWriter(out, out_schema, compression=_compression(shard.metadata) or "none") as writer:
                _clean_groups(shard, writer, report, config, options, cleaner, pa)
            if target.output is None and report.status == "unchanged":
                raise _Unchanged  # never rewrite a shard whose rows stay the same
    except _Unchanged:
        return
    report.written = True


class _Unchanged(Exception):
    pass


def _clean_groups(shard, writer, report, config: Config, options: RunOptions, cleaner: DocumentCleaner, pa) -> None:
    schema = shard.schema_arrow
    column = config.text_field
    text_type = schema.field(column).type
    id_column = config.id_field if config.id_field in schema.names else None
    want_records = options.want_edits or options.want_texts or options.mode == "diff"
    row = 0
    for group in range(shard.num_row_groups):
        table = shard.read_row_group(group)
        texts = table.column(column).to_pylist()
        ids = table.column(id_column).to_pylist() if id_column else None
        items = []
        for i, text in enumerate(texts):
            name = f"{report.display}:{row + i + 1}"
            if ids is not None and ids[i] is not None:
                name = ids[i] if isinstance(ids[i], str) else json.dumps(ids[i])
            items.append((row + i + 1, name, text))
        new_texts, notes = [], []
        for (number, name, text), result in clean_in_order(items, _document_of, cleaner, config, options.want_edits):
            if result is None:
                report.problems.append(f"{report.display}:{number}: {column!r} is null")
                new_texts.append(text)
                notes.append(None)
                continue
            report.documents += 1
            report.counts.update(result.counts)
            notes.append(json.dumps(annotation(text, result), ensure_ascii=False) if config.annotate else None)
            new_texts.append(result.text)
            if result.text != text:
                report.status = "changed"
                report.documents_changed += 1
                if want_records:
                    report.records.append(record_report(name, text, result, options))
        if config.annotate:
            report.status = "changed"
        if writer is not None:
            index = table.schema.get_field_index(column)
            table = table.set_column(index, schema.field(column), pa.array(new_texts, type=text_type))
            if config.annotate:
                if config.annotate in table.schema.names:
                    table = table.remove_column(table.schema.get_field_index(config.annotate))
                table = table.append_column(pa.field(config.annotate, pa.string()), pa.array(notes, type=pa.string()))
            writer.write_table(table, row_group_size=max(1, len(table)))
        row += len(texts)


def _document_of(item):
    _, name, text = item
    return (name, text) if isinstance(text, str) else None

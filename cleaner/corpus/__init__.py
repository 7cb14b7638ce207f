"""Corpus shards: JSON Lines (plain, gzip, zstd) and Parquet, one document per record.

``shard_format(name)`` tells a shard from a plain file by its name;
``clean_shard`` cleans one shard as a stream, writing its output atomically;
``clean_large_file`` cleans a plain file too large to hold whole, block by
block.  The command line reaches them through ``cleaner.batch``.
"""

from __future__ import annotations

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".json.gz", ".json.zst")
PARQUET_SUFFIXES = (".parquet",)
# A plain file larger than this is cleaned as a stream of blocks (cleaner.corpus.blocks).
LARGE_FILE_BYTES = 4 << 20


def shard_format(name: str) -> str | None:
    """'jsonl', 'parquet' or None (a plain file), by the file's name."""
    lower = name.lower()
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return None

"""Which targets a run cleans: paths from a list, one part of N, and what is already done.

``--files-from`` reads paths one per line (or NUL-separated, as ``find
-print0`` writes them).  ``--shard I/N`` keeps the targets whose path hashes
to part I of N (I from 0 to N-1): a stable split, the same on every machine
given the same command line, so N machines clean a corpus with no overlap
and no gap.  ``--resume`` passes over targets whose output already exists and
is not older than the input: outputs appear only when complete (writes are
atomic), so an interrupted run is resumed where it stopped.
"""

from __future__ import annotations

import hashlib
import os
from typing import BinaryIO

from ..files import Target


class SelectionProblem(ValueError):
    """A --files-from or --shard value that cannot be used; str() is the reason."""


def read_path_list(stream: BinaryIO, nul: bool) -> list[str]:
    """Paths, one per line or NUL-separated; empty entries are passed over."""
    data = stream.read()
    parts = data.split(b"\0") if nul else data.splitlines()
    return [os.fsdecode(p) for p in parts if p.strip(b"\r\n" if nul else b" \t\r\n")]


def parse_part(value: str) -> tuple[int, int]:
    """'I/N' as (I, N), with 0 <= I < N."""
    index, sep, count = value.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        raise SelectionProblem(f"--shard {value!r}: expected I/N, e.g. 0/4") from None
    if not sep or n < 1 or not 0 <= i < n:
        raise SelectionProblem(f"--shard {value!r}: I must be from 0 to N-1")
    return i, n


def part_of(name: str, count: int) -> int:
    """Which of count parts a path belongs to: by a hash that is the same on every machine."""
    digest = hashlib.sha256(os.fsencode(name)).digest()
    return int.from_bytes(digest[:8], "big") % count


def in_part(targets: list[Target], index: int, count: int) -> list[Target]:
    return [t for t in targets if part_of(t.display, count) == index]


def already_done(target: Target) -> bool:
    """Has a previous run written this target's output (complete, as writes are atomic)?"""
    if target.output is None:
        return False
    try:
        return os.stat(target.output).st_mtime >= os.stat(target.source).st_mtime
    except OSError:
        return False

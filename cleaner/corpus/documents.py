"""Cleaning many small documents in order, in this process or in a worker pool.

A shard is read as a stream of items; each item carries one document's text
(or none, for a record that cannot be cleaned).  Items are grouped into
batches of about BATCH_CHARS characters; a batch is cleaned by a
``DocumentCleaner`` (here, or in a pool's worker) and comes back in order,
with at most ``in_flight`` batches outstanding, so memory stays flat however
long the shard is, and one large shard keeps every worker busy.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Iterable, Iterator, Protocol, TypeVar

from ..config import Config
from ..files import patient_result
from ..pipeline import Result, clean_text

BATCH_CHARS = 1 << 20
BATCH_ITEMS = 2048

Item = TypeVar("Item")


class Pending(Protocol):
    def result(self, timeout: float | None = None) -> list[Result]: ...


class DocumentCleaner(Protocol):
    """Cleans a batch of (name, text) documents, maybe elsewhere; results in order."""

    in_flight: int

    def submit(self, config: Config, documents: list[tuple[str, str]], want_edits: bool) -> Pending: ...


def clean_documents(config: Config, documents: list[tuple[str, str]], want_edits: bool) -> list[Result]:
    """Clean each (name, text); the unit of work a pool worker runs for a batch."""
    results = []
    for name, text in documents:
        result = clean_text(text, config, path=name)
        if not want_edits:
            result.edits = []  # not needed: smaller to send back from a worker
        results.append(result)
    return results


class _Done:
    def __init__(self, results: list[Result]):
        self._results = results

    def result(self, timeout: float | None = None) -> list[Result]:
        return self._results


class InProcess:
    """Clean batches right here, one at a time."""

    in_flight = 0

    def submit(self, config: Config, documents: list[tuple[str, str]], want_edits: bool) -> Pending:
        return _Done(clean_documents(config, documents, want_edits))


class InPool:
    """Clean batches in a concurrent.futures executor (a local process pool)."""

    def __init__(self, executor, workers: int):
        self._executor = executor
        self.in_flight = 2 * workers

    def submit(self, config: Config, documents: list[tuple[str, str]], want_edits: bool) -> Pending:
        return self._executor.submit(clean_documents, config, documents, want_edits)


def clean_in_order(
    items: Iterable[Item],
    document_of: Callable[[Item], tuple[str, str] | None],
    cleaner: DocumentCleaner,
    config: Config,
    want_edits: bool,
) -> Iterator[tuple[Item, Result | None]]:
    """(item, result) for every item in input order; result None for an item with no document."""
    pending: deque = deque()
    batch: list[Item] = []
    documents: list[tuple[str, str]] = []
    size = 0
    # In this process a batch gains nothing: clean each item as it comes, so
    # a filter writes its first record before it has read the last.
    max_items = BATCH_ITEMS if cleaner.in_flight else 1

    def finish(entry) -> Iterator[tuple[Item, Result | None]]:
        items_, job = entry
        results = iter(patient_result(job))
        for item in items_:
            yield item, (next(results) if document_of(item) is not None else None)

    for item in items:
        batch.append(item)
        document = document_of(item)
        if document is not None:
            documents.append(document)
            size += len(document[1])
        if size >= BATCH_CHARS or len(batch) >= max_items:
            pending.append((batch, cleaner.submit(config, documents, want_edits)))
            batch, documents, size = [], [], 0
            while len(pending) > cleaner.in_flight:
                yield from finish(pending.popleft())
    if batch:
        pending.append((batch, cleaner.submit(config, documents, want_edits)))
    while pending:
        yield from finish(pending.popleft())

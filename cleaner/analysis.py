"""What the rules share about one document: facts about its text, and memos.

The pipeline makes one ``DocumentAnalysis`` per document; every rule's
``Context`` carries it as ``ctx.analysis``.  It holds two kinds of things:

- facts about the current text (its lines, its tokens, the language of each
  paragraph), each computed on first need by one function and reused by every
  rule until the text changes;
- memos: named, typed values that one rule leaves for a later one (the
  boilerplate stage hands on the classes of the lines it kept).

Both are keys declared once, at module level, by the module that owns them
(``Fact`` and ``Memo``), so what one rule tells the next is a name a reader can
search for, not a module global keyed by object identity.  This module
imports nothing from cleaner: core and stage modules import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Fact(Generic[T]):
    """A fact about a text, computed from the text alone by ``compute``."""

    name: str
    compute: Callable[[str], T]

    def __repr__(self) -> str:
        return f"Fact({self.name!r})"


@dataclass(frozen=True, eq=False)
class Memo(Generic[T]):
    """A named slot for what one rule hands to a later one; ``initial()`` is its first value."""

    name: str
    initial: Callable[[], T]

    def __repr__(self) -> str:
        return f"Memo({self.name!r})"


class DocumentAnalysis:
    """Facts about the current text of one document, and the memos its rules leave."""

    __slots__ = ("_text", "_facts", "_memos")

    def __init__(self) -> None:
        self._text: str | None = None
        self._facts: dict[Fact[Any], Any] = {}
        self._memos: dict[Memo[Any], Any] = {}

    def fact(self, fact: Fact[T], text: str) -> T:
        """``fact.compute(text)``, computed once while the text stays the same."""
        if text is not self._text:
            # A rule that changes nothing hands on the very text it got; an
            # equal text keeps its facts too (only an equal length can be equal).
            known = self._text
            if known is None or len(known) != len(text) or known != text:
                self._facts = {}
            self._text = text
        facts = self._facts
        if fact in facts:
            return facts[fact]
        value = facts[fact] = fact.compute(text)
        return value

    def memo(self, memo: Memo[T]) -> T:
        """The memo's value, made by ``memo.initial()`` on first use."""
        memos = self._memos
        if memo in memos:
            return memos[memo]
        value = memos[memo] = memo.initial()
        return value

    def put(self, memo: Memo[T], value: T) -> None:
        self._memos[memo] = value

"""Spelling: reading a text in blocks, its tokens, its Markdown code lines and line numbers.

Shared by the stage's two rules; the second often gets the first one's text
back unchanged, so the per-text results are cached for the last two texts.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import chain

from ...markdown import code_lines

# A long text (a whole dump in one file) is read in blocks of about this many
# characters, each ending with a line break: a pass then holds the lists and
# copies of one block (its tokens, its lowercase form), not of the whole text.
# A short text is one block.
BLOCK_CHARS = 1 << 20


def is_one_block(text: str) -> bool:
    return len(text) <= BLOCK_CHARS


def text_blocks(text: str):
    """(offset, block) pieces of the text, each but the last ending with a line
    break, so that no token, and nothing that stays within a line, is cut.
    A text without line breaks is one block."""
    n = len(text)
    if n <= BLOCK_CHARS:
        yield 0, text
        return
    start = 0
    while start < n:
        cut = text.find("\n", start + BLOCK_CHARS - 1) + 1 or n
        yield start, text[start:cut]
        start = cut


@lru_cache(maxsize=2)
def block_tokens(text: str) -> list[str]:
    """The text (a block of it) split at whitespace, shared by the two rules
    (the second often gets the first one's text back unchanged).  A list,
    read only (a tuple would cost a copy of every token reference)."""
    return text.split()


@lru_cache(maxsize=2)
def markdown_code_lines(text: str) -> list[bool]:
    """Which lines of a Markdown text are code, shared by the two rules likewise
    (read only)."""
    return code_lines(text.split("\n"))


class LineNumbers:
    """The 0-based line of each offset asked for.  Offsets asked in increasing
    order are counted from the last one, so a long text is counted once in all,
    not from its start for every place; one asked out of order is counted afresh."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 0

    def __call__(self, pos: int) -> int:
        if pos < self.pos:
            self.pos = self.line = 0
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


@lru_cache(maxsize=2)
def chunk_set(text: str) -> frozenset[str]:
    """The text's distinct chunks, shared likewise."""
    return frozenset(chain.from_iterable(block_tokens(block) for _, block in text_blocks(text)))

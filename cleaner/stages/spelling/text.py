"""Spelling: reading a text in blocks, its tokens, its Markdown code lines and line numbers.

Shared by the stage's two rules through the document's analysis (``TEXT_TOKENS``).
"""

from __future__ import annotations

from itertools import chain

from ...analysis import Fact
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


class TextTokens:
    """A text split at whitespace: its tokens a block at a time, its distinct
    chunks and its Markdown code lines, each made on first need.

    Shared by the stage's two rules through the document's analysis
    (``TEXT_TOKENS``): the second often gets the first one's text back
    unchanged, and then reads the same split.  Only a text of one block keeps
    its token list; a longer one is split a block at a time whenever asked,
    so that no list of the whole text's tokens is held.  Read only."""

    __slots__ = ("text", "_tokens", "_chunks", "_code_lines")

    def __init__(self, text: str) -> None:
        self.text = text
        self._tokens: list[str] | None = None
        self._chunks: frozenset[str] | None = None
        self._code_lines: list[bool] | None = None

    def token_lists(self):
        """The tokens of each block of the text (``text_blocks``) in turn."""
        if is_one_block(self.text):
            if self._tokens is None:
                self._tokens = self.text.split()
            yield self._tokens
            return
        for _, block in text_blocks(self.text):
            yield block.split()

    @property
    def chunks(self) -> frozenset[str]:
        """The text's distinct chunks."""
        if self._chunks is None:
            self._chunks = frozenset(chain.from_iterable(self.token_lists()))
        return self._chunks

    @property
    def code_lines(self) -> list[bool]:
        """Which lines of the text, read as Markdown, are code."""
        if self._code_lines is None:
            self._code_lines = code_lines(self.text.split("\n"))
        return self._code_lines


TEXT_TOKENS: Fact[TextTokens] = Fact("spelling.tokens", TextTokens)


def chunk_set(text: str) -> frozenset[str]:
    """The text's distinct chunks."""
    return TextTokens(text).chunks

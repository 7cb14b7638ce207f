"""Whitespace: odd spaces, trailing spaces, runs of spaces and blank lines.

Scraped text carries no-break spaces from HTML `&nbsp;`, spaces padded for
layout, and blank lines stacked by block elements.  None of that is content.
Indentation is: Markdown and code depend on it, so leading spaces are kept,
and in Markdown the two trailing spaces of a hard line break and everything in
a code block keep their spacing.
"""

from __future__ import annotations

import re

from ..markdown import code_lines
from ..rules import Context, RawEdit, edits_in_context, replay

# No-break, en/em and other typographic spaces.  U+3000 (ideographic space) is
# left alone: CJK text uses it on purpose, for indentation among other things.
ODD_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f"
_ODD = re.compile(f"[{ODD_SPACES}]")
_ODD_OR_LEADING = re.compile(rf"(^[ \t{ODD_SPACES}]*[{ODD_SPACES}][ \t{ODD_SPACES}]*)|[{ODD_SPACES}]", re.M)
_TRAILING = re.compile(r"[ \t]+$", re.M)
_INNER = re.compile(r"(?<=\S) {2,}(?=\S)")


def odd_spaces(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """Odd spaces become plain spaces; at the start of a line, with the run they begin, they go."""
    if text.isascii() or _ODD.search(text) is None:
        return text, []
    spans = [(m.start(), m.end(), "" if m.group(1) is not None else " ") for m in _ODD_OR_LEADING.finditer(text)]
    return _apply(text, spans)


def trailing(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """Trailing spaces and tabs go, except a Markdown hard break (two spaces)."""
    if " \n" not in text and "\t\n" not in text and not text.endswith((" ", "\t")):
        return text, []
    if _TRAILING.search(text) is None:
        return text, []
    if not ctx.doc.markdown:
        return _apply(text, [(m.start(), m.end(), "") for m in _TRAILING.finditer(text)])
    lines = list(_markdown_lines(text))
    spans = []
    for i, (offset, line, is_code) in enumerate(lines):
        m = _TRAILING.search(line)
        if m is None:
            continue
        following = lines[i + 1][1] if i + 1 < len(lines) else ""
        hard_break = (
            not is_code
            and line[: m.start()].strip()
            and m.group(0).startswith("  ")
            and "\t" not in m.group(0)
            and following.strip()
        )
        keep = "  " if hard_break else ""
        if m.group(0) != keep:
            spans.append((offset + m.start(), offset + m.end(), keep))
    return _apply(text, spans)


def inner_spaces(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """A run of spaces between two non-space characters becomes one space."""
    if "  " not in text or _INNER.search(text) is None:
        return text, []
    if not ctx.doc.markdown:
        return _apply(text, [(m.start(), m.end(), " ") for m in _INNER.finditer(text)])
    spans = [
        (offset + m.start(), offset + m.end(), " ")
        for offset, line, is_code in _markdown_lines(text)
        if not is_code
        for m in _INNER.finditer(line)
    ]
    return _apply(text, spans)


def final_newline(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """Exactly one newline at the end: trailing blank lines go, a missing one is added."""
    body = len(text.rstrip("\n"))
    if body == 0 or text[body:] == "\n":
        return text, []  # empty stays empty; already right
    edit = (body, text[body:], "\n")
    return text[:body] + "\n", [edit]


def _apply(text: str, spans: list[tuple[int, int, str]]) -> tuple[str, list[RawEdit]]:
    """Replace spans; each edit shows the words around it, so --explain can be found."""
    if not spans:
        return text, []
    edits = edits_in_context(text, spans)
    return replay(text, edits), edits


def _markdown_lines(text: str):
    """(offset, line, is_code) for each line of a Markdown document."""
    lines = text.split("\n")
    offset = 0
    for line, is_code in zip(lines, code_lines(lines)):
        yield offset, line, is_code
        offset += len(line) + 1


FIXERS = {
    "whitespace.odd-spaces": odd_spaces,
    "whitespace.trailing": trailing,
    "whitespace.inner-spaces": inner_spaces,
    "whitespace.final-newline": final_newline,
}

# Settings read from [tool.cleaner.whitespace]: none.
OPTIONS: dict[str, str] = {}

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
from ..rules import Context, RawEdit

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
    edits: list[RawEdit] = []
    for m in _ODD_OR_LEADING.finditer(text):
        old = m.group(0)
        new = "" if m.group(1) is not None else " "
        edits.append((m.start(), old, new))
    return _replay(text, edits), edits


def trailing(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """Trailing spaces and tabs go, except a Markdown hard break (two spaces)."""
    if " \n" not in text and "\t\n" not in text and not text.endswith((" ", "\t")):
        return text, []
    if _TRAILING.search(text) is None:
        return text, []
    if not ctx.doc.markdown:
        edits = [(m.start(), m.group(0), "") for m in _TRAILING.finditer(text)]
        return _replay(text, edits), edits
    lines = text.split("\n")
    code = code_lines(lines)
    edits = []
    offset = 0
    for i, line in enumerate(lines):
        m = _TRAILING.search(line)
        if m:
            keep = ""
            body = line[: m.start()]
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if (
                not code[i]
                and body.strip()
                and m.group(0).startswith("  ")
                and "\t" not in m.group(0)
                and nxt.strip()
            ):
                keep = "  "
            if m.group(0) != keep:
                edits.append((offset + m.start(), m.group(0), keep))
        offset += len(line) + 1
    return _replay(text, edits), edits


def inner_spaces(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """A run of spaces between two non-space characters becomes one space."""
    if "  " not in text or _INNER.search(text) is None:
        return text, []
    if not ctx.doc.markdown:
        edits = [(m.start(), m.group(0), " ") for m in _INNER.finditer(text)]
        return _replay(text, edits), edits
    lines = text.split("\n")
    code = code_lines(lines)
    edits = []
    offset = 0
    for i, line in enumerate(lines):
        if not code[i]:
            edits.extend((offset + m.start(), m.group(0), " ") for m in _INNER.finditer(line))
        offset += len(line) + 1
    return _replay(text, edits), edits


def final_newline(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """Exactly one newline at the end: trailing blank lines go, a missing one is added."""
    body = len(text.rstrip("\n"))
    if body == 0 or text[body:] == "\n":
        return text, []  # empty stays empty; already right
    edit = (body, text[body:], "\n")
    return text[:body] + "\n", [edit]


def _replay(text: str, edits: list[RawEdit]) -> str:
    if not edits:
        return text
    out = []
    pos = 0
    for offset, before, after in edits:
        out.append(text[pos:offset])
        out.append(after)
        pos = offset + len(before)
    out.append(text[pos:])
    return "".join(out)


FIXERS = {
    "whitespace.odd-spaces": odd_spaces,
    "whitespace.trailing": trailing,
    "whitespace.inner-spaces": inner_spaces,
    "whitespace.final-newline": final_newline,
}

# Settings read from [tool.cleaner.whitespace]: none.
OPTIONS: dict[str, str] = {}

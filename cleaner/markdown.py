"""Which parts of a Markdown document are code, which no stage may touch.

Fenced blocks (``` or ~~~, closed by a fence of the same character at least as
long), indented blocks (four spaces or a tab, after a blank line or another code
line) and inline code spans (a run of backticks up to a run as long, within a
paragraph).  The pipeline undoes any change a rule makes inside them
(``edits_outside_code``); in a plain text only closed fenced blocks count.  A list item's indented
continuation is a known false positive: it is then left as it is, which is the
safe side to err on.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from difflib import SequenceMatcher

from .analysis import Fact

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def code_lines(lines: list[str]) -> list[bool]:
    mask = [False] * len(lines)
    fence: str | None = None
    prev_blank = True
    prev_code = False
    for i, line in enumerate(lines):
        if fence is not None:
            mask[i] = True
            m = _FENCE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                fence = None
            prev_blank, prev_code = False, True
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)
            mask[i] = True
            prev_blank, prev_code = False, True
            continue
        blank = not line.strip()
        if not blank and (line.startswith("    ") or line.startswith("\t")) and (prev_blank or prev_code):
            mask[i] = True
            prev_code = True
        elif not blank:
            prev_code = False
        prev_blank = blank
    return mask


# An inline code span: a run of backticks, then text up to a run of exactly as
# many (CommonMark), within one paragraph (no blank line inside).
_INLINE_CODE = re.compile(r"(?<![`\\])(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)


def code_spans(text: str, inline: bool = True) -> list[tuple[int, int]]:
    """(start, end) of every piece of Markdown code in text, sorted: fenced and
    indented blocks (whole lines, line break included) and, if ``inline``, inline code spans."""
    spans: list[tuple[int, int]] = []
    lines = text.split("\n")
    offset = 0
    block_start = None
    for line, is_code in zip(lines, code_lines(lines)):
        if is_code and block_start is None:
            block_start = offset
        elif not is_code and block_start is not None:
            spans.append((block_start, offset))
            block_start = None
        offset += len(line) + 1
    if block_start is not None:
        spans.append((block_start, len(text)))
    if inline and "`" in text:
        inline = []
        for m in _INLINE_CODE.finditer(text):
            if not _inside(spans, m.start()):
                inline.append((m.start(), m.end()))
        spans = sorted(spans + inline)
    return spans


def closed_fences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each fenced block that has its closing fence: the code
    a plain text may hold (its indented lines and backticks are not Markdown,
    and a fence left open may be a stray one)."""
    spans = []
    lines = text.split("\n")
    offset = 0
    fence: str | None = None
    start = 0
    for line in lines:
        m = _FENCE.match(line)
        if fence is None:
            if m:
                fence, start = m.group(1), offset
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
            spans.append((start, min(offset + len(line) + 1, len(text))))
            fence = None
        offset += len(line) + 1
    return spans


# The code of a Markdown document (blocks and inline spans), and of a plain text.
CODE_SPANS: Fact[list[tuple[int, int]]] = Fact("markdown.code-spans", code_spans)
CODE_BLOCKS: Fact[list[tuple[int, int]]] = Fact("markdown.closed-fences", closed_fences)


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def edits_outside_code(spans: list[tuple[int, int]], edits: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """The edits with every change that touches a code span undone.

    An edit shows the words around its change, so one that only borders a code
    span is narrowed to its changes (a character diff of before and after), and
    only the changes that overlap code, or insert strictly inside it, are undone."""
    kept = []
    for offset, before, after in edits:
        if not _touches(spans, offset, offset + len(before)):
            kept.append((offset, before, after))
            continue
        out = []
        for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
            if op != "equal" and _touches(spans, offset + i1, offset + i2):
                out.append(before[i1:i2])
            else:
                out.append(after[j1:j2])
        narrowed = "".join(out)
        if narrowed != before:
            kept.append((offset, before, narrowed))
    return kept


def _touches(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does [start, end) overlap a span (or, empty, fall strictly inside one)?"""
    i = bisect_right(spans, (end, float("inf"))) - 1
    while i >= 0:
        s, e = spans[i]
        if (s < end and start < e) if end > start else (s < start < e):
            return True
        if e <= start:
            return False
        i -= 1
    return False

"""Which lines of a Markdown document are code, where spacing must not be touched.

Only what the line-based stages need: fenced blocks (``` or ~~~, closed by a
fence of the same character at least as long) and indented blocks (four spaces
or a tab, after a blank line or another code line).  A list item's indented
continuation is a known false positive: it is then left as it is, which is the
safe side to err on.
"""

from __future__ import annotations

import re

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

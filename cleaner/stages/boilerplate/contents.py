"""Boilerplate: a page's table of contents.

Web pages put a "Table of Contents" / "In this article" / "Jump to" box above
the article: a header and the article's own headings, each a link.  In a text
dump those headings then stand twice, once in the box and once above their
section.  The box is furniture; the headings in the article stay.  An entry
counts only when the same line (numbering aside) comes again further down, so
a list that merely follows a "Contents" heading is never touched.  Only on web
pages: the rule runs after the page's menus are trimmed, so a navigation label
or two left is the evidence (``min_nav_lines``); a report's or a book's contents
page, in a document with no navigation label at all, is the author's.
"""

from __future__ import annotations

import re

from ...rules import Context, RawEdit
from .dropping import guarded_drop
from .lines import BLANK, analyse, compile_patterns, is_web_page

# "1.", "2)", "1.2", "•", "-", "–" before an entry or a heading.
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*[.):]?|[•·*–—-])\s+")


def _bare(norm: str) -> str:
    return _NUMBERING.sub("", norm)


def contents_list(text: str, ctx: Context, *, headers: list[str], toggles: list[str], min_nav_lines: int,
                  min_entries: int, max_entry_words: int,
                  max_prose_share: float) -> tuple[str, list[RawEdit]]:
    """A contents header and the entries under it that the page repeats further down.

    The box runs from a line matching ``headers`` through the entries (lines
    of at most ``max_entry_words`` words that stand again, whole, later in the
    page) and ``toggles`` ("Show", "Hide"); it needs ``min_entries`` entries.
    """
    header_re = compile_patterns(tuple(headers))
    if header_re is None:
        return text, []
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    if not is_web_page(analysis, min_nav_lines):
        return text, []
    norms = analysis.norms
    starts = [i for i in analysis.content if analysis.words[i] <= 8 and header_re.fullmatch(norms[i])]
    if not starts:
        return text, []
    toggle_set = frozenset(toggles)
    bare = [_bare(norm) if norm else "" for norm in norms]
    # Where each line (numbering aside) stands last: an entry must come again below.
    last_at = {line: i for i, line in enumerate(bare) if line}
    drop: set[int] = set()
    for i in starts:
        if i in drop:
            continue
        entries: list[int] = []
        for j in range(i + 1, len(lines)):
            info = infos[j]
            if info.kind == BLANK:
                continue
            if norms[j] in toggle_set or (info.words <= max_entry_words and last_at.get(bare[j], j) > j):
                entries.append(j)
                continue
            break
        if sum(1 for j in entries if norms[j] not in toggle_set) >= min_entries:
            drop.add(i)
            drop.update(entries)
    return guarded_drop(text, lines, infos, drop, ctx, max_prose_share)

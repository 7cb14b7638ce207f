"""Boilerplate: a stretch of the page rendered twice.

Pages render some of their text twice (a desktop and a mobile layout, a tab
panel and its accordion, an article repeated under a "print" or "amp" block),
and a text dump then holds the same paragraphs twice in a row of lines.  A
single repeated line may be the author's (a refrain, a repeated note), and
boilerplate.repeated-lines leaves prose alone; but a run of several lines,
paragraphs among them, that repeats an earlier run line for line is a second
rendering.  The first copy stays.  Only on web pages: the rule runs after the
page's menus are trimmed, so a navigation label left is the evidence
(``min_nav_lines``).
"""

from __future__ import annotations

from .boilerplate import Context, RawEdit, _guarded_drop, _is_web_page, analyse


def repeated_block(text: str, ctx: Context, *, min_lines: int = 3, min_words: int = 100, min_nav_lines: int = 1,
                   max_prose_share: float = 0.5) -> tuple[str, list[RawEdit]]:
    """Drop a run of at least ``min_lines`` lines and ``min_words`` words that repeats an earlier run."""
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    # A legal notice is no evidence here: licence files repeat whole licence
    # texts on purpose, and carry copyright lines, not menus.
    if not _is_web_page(analysis, min_nav_lines, legal_cap=0):
        return text, []
    content = analysis.content
    norms = [analysis.norms[i] for i in content]
    words = [analysis.words[i] for i in content]
    first_at: dict[str, int] = {}
    for k, norm in enumerate(norms):
        first_at.setdefault(norm, k)
    drop: set[int] = set()
    k = 0
    n = len(norms)
    while k < n:
        e = first_at[norms[k]]
        if e < k:
            size = 0
            while k + size < n and e + size < k and norms[k + size] == norms[e + size]:
                size += 1
            if size >= min_lines and sum(words[k:k + size]) >= min_words:
                drop.update(content[k:k + size])
                k += size
                continue
        k += 1
    return _guarded_drop(text, lines, infos, drop, ctx, max_prose_share)

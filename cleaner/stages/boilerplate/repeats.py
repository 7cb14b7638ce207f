"""Boilerplate: what the page shows twice: a menu rendered again, a short line doubled, a stretch of text repeated.

Menus, tab panels and mobile layouts are rendered twice in a page's text dump.
A single repeated line may be the author's (a refrain, a repeated note), so
``repeated_lines`` takes only lines that are not prose; a run of several
lines, paragraphs among them, that repeats an earlier run line for line is a
second rendering (``repeated_block``): the first copy stays.  Only on web
pages, where menus repeat; a poem's refrain is not touched.
"""

from __future__ import annotations

from collections import Counter
from itertools import accumulate, compress
from operator import and_, or_

from ...rules import Context, RawEdit
from .dropping import guarded_drop
from .lines import META, NAV, SHORT, analyse, is_web_page

_LABEL_KINDS = frozenset((SHORT, NAV, META))
_ONCE = 1


def repeated_lines(text: str, ctx: Context, *, min_nav_lines: int, min_block: int,
                   repeat_pairs: bool, min_block_nav: int, max_prose_share: float) -> tuple[str, list[RawEdit]]:
    """A block of short lines shown again (menus rendered twice), and a short line doubled.

    Only lines that are not prose: a repeated paragraph or note is the
    author's, and stays.  Only on web pages, where menus repeat; a poem's
    refrain is not touched.
    """
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    if not is_web_page(analysis, min_nav_lines):
        return text, []
    content = analysis.content
    norms, kinds = analysis.norms, analysis.kinds
    cnorms = list(map(norms.__getitem__, content))
    ckinds = list(map(kinds.__getitem__, content))
    is_label = list(map(_LABEL_KINDS.__contains__, ckinds))
    n_content = len(content)
    drop: set[int] = set()
    # A short line right after the same line.
    for k in compress(range(1, n_content), map(str.__eq__, cnorms, cnorms[1:])):
        if is_label[k]:
            drop.add(content[k])
    # A block of >= min_block short lines that already appeared, in order.
    first_at: dict[tuple[str, ...], int] = {}
    # Only where the same min_block lines come twice can a block repeat: the
    # other places are passed over (the blocks seen there recur nowhere).
    keys = list(zip(*[cnorms[j:] for j in range(min_block)]))
    times = Counter(keys)
    nav_before = None  # navigation labels before each content line, when first needed
    reach: dict[int, int] = {}  # how far the lines matched, by distance to the first copy
    # A block of labels; with repeat_pairs, also a label and its paragraph
    # shown again (a glossary or a tab panel rendered twice).  The other
    # places are passed over in C: in a long dump, most places that repeat
    # are paragraphs.
    if repeat_pairs and min_block == 2:
        may_start = map(or_, is_label, is_label[1:])  # the common case, without a tuple per place
    else:
        labels_at = map(sum, zip(*[is_label[j:] for j in range(min_block)]))
        may_start = map(bool, labels_at) if repeat_pairs else map(min_block.__le__, labels_at)
    k = 0
    for place in compress(range(len(keys)), map(and_, may_start, map(_ONCE.__lt__, map(times.__getitem__, keys)))):
        if place < k:
            continue
        k = place
        key = keys[k]
        earlier = first_at.get(key)
        if earlier is not None and earlier + min_block <= k:
            # A long stretch shown twice (and kept: no navigation label in
            # it) is met again at each of its labels, at the same distance
            # from its first copy: the lines up to where the last look at
            # that distance stopped match already, so it goes on from there.
            # Without it, the look is quadratic in the stretch.
            distance = k - earlier
            end = max(k + min_block, reach.get(distance, 0))
            while (end < n_content and earlier + (end - k) < k
                   and (repeat_pairs or is_label[end])
                   and cnorms[end] == cnorms[earlier + (end - k)]):
                end += 1
            reach[distance] = end
            if nav_before is None:
                nav_before = list(accumulate(map(NAV.__eq__, ckinds), initial=0))
            # A menu shown twice has a navigation label in it; the same
            # "Pros / Cons" under each product of a comparison does not.
            if nav_before[end] - nav_before[k] >= min_block_nav:
                drop.update(content[k:end])
                k = end
                continue
        first_at.setdefault(key, k)
        k += 1
    return guarded_drop(text, lines, infos, drop, ctx, max_prose_share)




def repeated_block(text: str, ctx: Context, *, min_lines: int, min_words: int, min_nav_lines: int,
                   max_prose_share: float) -> tuple[str, list[RawEdit]]:
    """Drop a run of at least ``min_lines`` lines and ``min_words`` words that repeats an earlier run."""
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    # A legal notice is no evidence here: licence files repeat whole licence
    # texts on purpose, and carry copyright lines, not menus.
    if not is_web_page(analysis, min_nav_lines, legal_cap=0):
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
    return guarded_drop(text, lines, infos, drop, ctx, max_prose_share)

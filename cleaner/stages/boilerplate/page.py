"""Boilerplate: the shape of the page: menus above the article, footers below it, runs of labels inside.

The article body is the stretch of the page with the most running prose net
of navigation labels; what stands above and below it goes when it holds
little prose.  Only on web pages (several navigation labels): a README, a poem
or a letter carries none.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import compress

from ...rules import Context, RawEdit
from .article_end import article_end_line, headline_line
from .dropping import guarded_drop
from .lines import BLANK, FURNITURE, LINKS, META, NAV, PROSE, SHORT, LineAnalysis, analyse, is_web_page

# --------------------------------------------------------------------------- page structure


def _line_weights(analysis: LineAnalysis, weights: dict[int, float], blurb_words: int,
                  nav_blurb_words: int = 0) -> list[float]:
    """How much each line counts for the article body: prose words, or a penalty.

    A short prose line standing between two non-prose lines is a menu entry's
    blurb or a teaser title as often as a paragraph: it counts for nothing.
    """
    kinds = analysis.kinds
    content = analysis.content
    table = [0.0] * 7
    for kind, weight in weights.items():
        if kind != FURNITURE:
            table[kind] = weight
    table[BLANK] = table[PROSE] = 0.0
    out = list(map(table.__getitem__, kinds))
    ckinds = list(map(kinds.__getitem__, content))
    n_content = len(content)
    furniture_weight = weights[FURNITURE]
    words = analysis.words  # (a column: cheaper to read than the LineInfo field)
    for k in compress(range(n_content), map(_PROSE_OR_FURNITURE.__contains__, ckinds)):
        i = content[k]
        n = words[i]
        if ckinds[k] == FURNITURE:
            out[i] = furniture_weight * n
            continue
        if n < blurb_words:
            prev = ckinds[k - 1] if k else BLANK
            nxt = ckinds[k + 1] if k + 1 < n_content else BLANK
            if prev != PROSE and nxt != PROSE:
                continue
        elif n < nav_blurb_words:
            # Longer blurbs count for nothing only among navigation labels.
            prev = ckinds[k - 1] if k else BLANK
            nxt = ckinds[k + 1] if k + 1 < n_content else BLANK
            if prev != PROSE and nxt != PROSE:
                near = ckinds[max(0, k - 2):k] + ckinds[k + 1:k + 3]
                if NAV in near or LINKS in near:
                    continue
        out[i] = float(n)
    return out


_PROSE_OR_FURNITURE = frozenset((PROSE, FURNITURE))




def _main_body(content: list[int], line_weights: list[float]) -> tuple[tuple[int, int] | None, float]:
    """The run of lines with the most prose net of furniture (maximum-sum segment), and its sum.

    The sum is also the best stretch of prose inside the run (what ``prose``
    in ``page_edges`` finds there): every part of the run that starts it adds
    more than nothing, every part that ends it too.
    """
    best = cur = 0.0
    best_span: tuple[int, int] | None = None
    start = 0
    for i in content:
        if cur <= 0:
            start, cur = i, 0.0
        cur += line_weights[i]
        if cur > best:
            best, best_span = cur, (start, i)
    return best_span, best


def page_edges(text: str, ctx: Context, *, min_nav_lines: int, nav_weight: float,
               meta_weight: float, short_weight: float, furniture_weight: float,
               links_weight: float, min_edge_nav: int, max_edge_prose_share: float,
               blurb_words: int, nav_blurb_words: int, max_header_lines: int,
               min_intro_words: float, menu_blurbs_nav: int, max_headline_prose_share: float,
               article_end: dict | None,
               max_prose_share: float) -> tuple[str, list[RawEdit]]:
    """Navigation above the article and footers below it.

    The article body is the stretch of the page with the most running prose net
    of navigation labels.  Above it, everything up to the last navigation line
    goes (menus, with their one-line blurbs); the lines between that and the
    body (headline, byline, date) stay.  Below it, everything goes.  Only on pages with several navigation labels, and
    only when the trimmed edge holds little prose compared with the body.
    With ``article_end`` options, the page below the first heading of the
    furniture under the article ("About the Author", "Related Posts") goes
    too, and the body is looked for above it (article_end.py).
    """
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    if not is_web_page(analysis, min_nav_lines):
        return text, []
    weights = {NAV: nav_weight, META: meta_weight, SHORT: short_weight, FURNITURE: furniture_weight,
               LINKS: links_weight}
    line_weights = _line_weights(analysis, weights, blurb_words, nav_blurb_words)
    limit = len(infos)
    content = analysis.content
    if article_end:
        end = article_end_line(analysis, **article_end)
        if end is not None:
            limit = end
            content = content[:bisect_left(content, end)]
    span, body_prose = _main_body(content, line_weights)
    if span is None:
        return text, []
    s, e = span
    kinds = analysis.kinds

    def prose(region: range) -> float:
        # The best stretch of prose in the region, net of the labels inside
        # it: menu blurbs interleaved with labels add up to little.
        best = cur = 0.0
        for w in line_weights[region.start:region.stop]:
            cur += w
            if cur < 0.0:
                cur = 0.0
            elif cur > best:
                best = cur
        return best

    strong = (NAV, FURNITURE, LINKS)
    if menu_blurbs_nav:
        # A menu whose entries carry one-line blurbs adds up like prose and
        # can join the body: when everything in the body above its first
        # paragraph is short lines with navigation labels among them, the
        # body starts at that paragraph.
        first = next((i for i in content if s <= i <= e and kinds[i] == PROSE
                      and infos[i].words >= blurb_words), None)
        if first is not None and first > s:
            head = kinds[s:first]
            if head.count(NAV) >= menu_blurbs_nav and prose(range(s, first)) <= max_edge_prose_share * body_prose:
                s = first

    def trimmable(region: range) -> bool:
        part = kinds[region.start:region.stop]
        navs = part.count(NAV)
        evidence = navs + part.count(FURNITURE) + part.count(LINKS)
        lines_in = len(part) - part.count(BLANK)
        return (navs >= min_edge_nav or (lines_in <= 2 and evidence)) and \
            prose(region) <= max_edge_prose_share * body_prose

    drop: set[int] = set()
    last_strong = next((i for i in range(s - 1, -1, -1) if kinds[i] in strong), None)
    if last_strong is not None:
        # The headline, byline and date sit just above the body: keep at most
        # max_header_lines lines there; above them, the menus go.
        above = [i for i in range(last_strong + 1, s) if kinds[i] != BLANK]
        cut = last_strong + 1
        if len(above) > max_header_lines:
            cut = above[-max_header_lines]
        # An introduction set apart from the body by a long list (a paragraph
        # or two, then the list of places it introduces) is article all the
        # same: the cut stops above the first paragraph cluster of its size,
        # keeping the header lines right above it.
        run = 0.0
        for i in range(cut):
            # (A blank line weighs 0.0: it leaves the run as it is.)
            run += line_weights[i]
            if run < 0.0:
                run = 0.0
            if run >= min_intro_words:
                start = i
                while start > 0 and line_weights[start - 1] >= 0:
                    start -= 1
                header = []
                for h in range(start - 1, -1, -1):
                    if infos[h].kind in strong or len(header) == max_header_lines:
                        break
                    if infos[h].kind != BLANK:
                        header.append(h)
                cut = min(cut, header[-1] if header else start)
                break
        if trimmable(range(0, cut)):
            drop.update(range(0, cut))
    if max_headline_prose_share:
        # The headline repeats the page's <title> (the first line): above it,
        # when that holds little of the page's prose, there are only menus.
        h = headline_line(analysis)
        if h is not None:
            sentence_words = analysis.sentence_words
            if kinds[:h].count(NAV) >= min_edge_nav and \
                    sum(sentence_words[:h]) <= max_headline_prose_share * sum(sentence_words):
                drop.update(range(0, h))
    # Below the body, every prefix of what follows adds nothing to it (that is
    # where the best stretch ends): the footer starts right there.
    below = next((i for i in range(e + 1, limit) if kinds[i] != BLANK), None)
    # (Where the page is cut at the article's end, the labels under the cut
    # count as evidence too, for short lines: a paragraph there stays.)
    if below is not None and (trimmable(range(below, limit)) or
                              limit < len(infos) and trimmable(range(below, len(infos))) and
                              not any(kinds[i] == PROSE and infos[i].words >= blurb_words
                                      for i in range(below, limit))):
        drop.update(range(below, limit))
    if limit < len(infos):
        drop.update(range(limit, len(infos)))
        weights = analysis.sentence_words
        total = sum(weights)
        if total and sum(weights[i] for i in drop) > max_prose_share * total:
            # Cut there, the page would lose most of its prose: the page's
            # shape alone decides.
            return page_edges(
                text, ctx, min_nav_lines=min_nav_lines, nav_weight=nav_weight, meta_weight=meta_weight,
                short_weight=short_weight, furniture_weight=furniture_weight, links_weight=links_weight,
                min_edge_nav=min_edge_nav, max_edge_prose_share=max_edge_prose_share, blurb_words=blurb_words,
                nav_blurb_words=nav_blurb_words, max_header_lines=max_header_lines, min_intro_words=min_intro_words,
                menu_blurbs_nav=menu_blurbs_nav, max_headline_prose_share=max_headline_prose_share, article_end=None,
                max_prose_share=max_prose_share)
    return guarded_drop(text, lines, infos, drop, ctx, max_prose_share)


def nav_runs(text: str, ctx: Context, *, min_nav_lines: int, min_run_nav: int,
             min_nav_share: float, max_kept_lines: int, max_prose_share: float) -> tuple[str, list[RawEdit]]:
    """Runs of navigation labels inside the page: share bars, tag clouds, menus.

    A run is a stretch of lines with no running prose in it (blank lines do
    not end it; consent and sign-up texts belong to it).  It goes when at
    least min_nav_share of its lines are navigation labels, metadata, flattened link
    lists, consent texts or immediate repeats, and at least two are
    navigation labels.  Up to ``max_kept_lines`` short lines that end the run
    right above a paragraph stay: that is where a headline and byline sit.
    """
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    if not is_web_page(analysis, min_nav_lines):
        return text, []
    drop: set[int] = set()

    def close(run: list[int], before_prose: bool = False) -> None:
        navs = list(map(kinds.__getitem__, run)).count(NAV)
        if navs < min_run_nav:
            return
        furniture = navs + sum(
            1 for k, j in enumerate(run)
            if infos[j].kind in (META, FURNITURE, LINKS) or (k and infos[j].norm == infos[run[k - 1]].norm)
        )
        if navs >= min_run_nav and furniture >= min_nav_share * len(run):
            if before_prose:
                # A headline and byline between a menu and the first paragraph stay.
                keep = 0
                while keep < min(len(run) - 1, max_kept_lines) and infos[run[-1 - keep]].kind in (SHORT, META):
                    keep += 1
                run = run[:len(run) - keep]
            drop.update(run)

    # The runs lie between paragraphs: walk from paragraph to paragraph.
    content, kinds = analysis.content, analysis.kinds
    start = 0
    for k in compress(range(len(content)), map(PROSE.__eq__, map(kinds.__getitem__, content))):
        close(content[start:k], before_prose=True)
        start = k + 1
    close(content[start:])
    return guarded_drop(text, lines, infos, drop, ctx, max_prose_share)



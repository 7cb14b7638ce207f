"""Boilerplate: furniture found by its words: UI lines, comment forms, teaser lists, comment threads.

These rules start from a line that names what follows ("Leave a Reply",
"Related Posts", "3 thoughts on ...") and take the lines that may belong to it;
the patterns come from the rule file.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import compress

from ...rules import Context, RawEdit, normalise_line
from .dropping import drop_analysed, guarded_drop
from .lines import (
    LINKS, META, NAV, PROSE, SHORT, analyse, compile_patterns, fullmatching, lines_holding, lines_starting,
    literal_starts, mentions,
)


# Headers, labels and form lines are short; longer lines are not tested.
_HEADER_CHARS = 120


def phrase_lines(text: str, ctx: Context, *, lines: list[str], patterns: list[str],
                 max_pattern_chars: int) -> tuple[str, list[RawEdit]]:
    """Whole lines that are furniture wherever they stand ("Advertisement", "Share this:").

    The line is compared whole, after trimming, single-spacing and
    casefolding, so the same words inside a sentence are never touched.
    ``patterns`` are tried on lines of up to ``max_pattern_chars`` characters
    (a cookie banner's text is a paragraph long).
    """
    phrases = _phrase_set(tuple(lines))
    pattern = compile_patterns(tuple(patterns))
    starts = literal_starts(tuple(patterns)) if patterns else ()
    analysis = analyse(text, ctx.analysis)
    norms = analysis.norms
    drop = set()
    found = {norm for norm in phrases.intersection(norms) if norm and len(norm) <= _HEADER_CHARS}
    if found:
        drop.update(compress(range(len(norms)), map(found.__contains__, norms)))
    if pattern is not None:
        candidates = lines_starting(analysis, starts, max_pattern_chars)
        if candidates:
            hits = fullmatching(pattern, [norms[i] for i in candidates])
            drop.update(i for i in candidates if norms[i] in hits)
    return drop_analysed(text, analysis, drop, ctx.analysis)


@lru_cache(maxsize=64)
def _phrase_set(lines: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalise_line(x) for x in lines)


def anchored_block(text: str, ctx: Context, *, start: list[str], body: list[str], end: list[str],
                   max_lines: int, prefilter: list[str],
                   max_prose_share: float) -> tuple[str, list[RawEdit]]:
    """A start line and the lines that may follow it (a comment form, a sign-up box).

    The block runs from a line matching ``start`` through lines matching
    ``body`` (blank lines allowed); with ``end`` patterns it must reach an end
    line within ``max_lines``, otherwise it ends at its last body line.
    """
    start_re = compile_patterns(tuple(start))
    body_re = compile_patterns(tuple(body))
    end_re = compile_patterns(tuple(end))
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    n = len(lines)
    prefixes = literal_starts(tuple(start))
    norms = analysis.norms
    # The prefilter is tried on the few lines with a literal start, not on the
    # whole text: scanning a page for a dozen words costs more than the rule.
    starts = [i for i in lines_starting(analysis, prefixes, _HEADER_CHARS)
              if mentions(norms[i], prefilter) and start_re.fullmatch(norms[i])]
    if not starts:
        return text, []
    drop: set[int] = set()
    for i in starts:
        if i in drop:
            continue
        last = i
        closed = False
        for j in range(i + 1, min(n, i + max_lines)):
            norm = infos[j].norm
            if not norm:
                continue
            if len(norm) > 2 * _HEADER_CHARS:
                break
            if end_re is not None and end_re.fullmatch(norm):
                last, closed = j, True
                break
            if body_re is not None and body_re.fullmatch(norm):
                last = j
                continue
            break
        if end_re is not None and not closed:
            continue
        drop.update(range(i, last + 1))
    return guarded_drop(text, lines, infos, drop, ctx, max_prose_share)



def teaser_list(text: str, ctx: Context, *, headers: list[str], end: list[str], self_evident: list[str],
                max_item_words: int, max_summary_words: int, max_lines: int,
                max_prose_share: float) -> tuple[str, list[RawEdit]]:
    """A "More From ..." / "Related posts" / "Most Read" header and the teasers under it.

    A teaser is a short title line, a date or reading-time line, a snippet next
    to such a date, a one-paragraph summary between two titles, or a line the
    list has already shown (lists often render each teaser twice).  The list ends at the first line that is none of those,
    or with an end line such as "More Articles" (which goes too).  A header
    followed directly by prose is a heading of the article and stays.
    """
    header_re = compile_patterns(tuple(headers))
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    if header_re is None:
        return text, []
    starts = literal_starts(tuple(headers))
    norms = analysis.norms
    # Every header begins with one of the literal starts (``literal_starts``).
    candidates = lines_starting(analysis, starts, _HEADER_CHARS)
    header_norms = fullmatching(header_re, [norms[i] for i in candidates]) if candidates else None
    if not header_norms:
        return text, []
    header_order = [i for i in candidates if norms[i] in header_norms]
    header_lines = set(header_order)
    end_re = compile_patterns(tuple(end))
    self_evident_re = compile_patterns(tuple(self_evident))
    n = len(lines)
    nonblank = analysis.content
    drop: set[int] = set()
    i = 0
    while i < n:
        h = bisect_left(header_order, i)
        if h == len(header_order):
            break
        i = header_order[h]
        seen: set[str] = set()
        items: list[int] = []
        evidence = 0
        closed = False
        content = nonblank[bisect_right(nonblank, i):bisect_left(nonblank, i + 1 + max_lines)]
        pairs = 0
        titles: set[int] = set()
        summaries: set[int] = set()
        for k, j in enumerate(content):
            info = infos[j]
            nxt = infos[content[k + 1]] if k + 1 < len(content) else None
            prev = infos[content[k - 1]] if k > 0 else None
            if end_re is not None and 0 < len(norms[j]) <= _HEADER_CHARS and end_re.fullmatch(norms[j]):
                items.append(j)
                evidence += 1
                closed = True
                break
            if j in header_lines:
                break  # the next list starts: let the outer loop take it
            repeated = info.norm in seen
            # A snippet sits next to its date; after the last date, only an
            # unfinished (truncated) line still belongs to the list.
            dated = info.kind == META or (nxt is not None and nxt.kind == META) or (
                prev is not None and prev.kind == META and not info.terminal)
            # A title: short, and not a finished sentence.
            short = info.words <= max_item_words and (
                info.kind in (SHORT, NAV, LINKS) or (info.kind == PROSE and not info.terminal))
            # "You may also be interested in the following articles:"
            lead_in = k == 0 and info.norm.endswith(":") and info.words <= 20
            # A one-paragraph summary under a teaser's title, before the next title.
            summary = (
                info.kind == PROSE and info.words <= max_summary_words and k > 0
                and content[k - 1] in titles
                and nxt is not None and (nxt.kind in (SHORT, NAV, META, LINKS) or not nxt.terminal)
            )
            if k > 0 and info.norm.endswith(":") and not (repeated or dated):
                break  # "Here are the main features:" leads into the article's own list
            if not (repeated or dated or short or lead_in or summary):
                # The article resumes with prose: the heading just above it and
                # a paragraph taken for a summary are the article's, not teasers.
                if info.kind == PROSE and not closed:
                    while items and items[-1] in titles and infos[items[-1]].kind != META:
                        items.pop()
                        if items and items[-1] in summaries:
                            items.pop()
                break
            if repeated or info.kind == META:
                evidence += 1
            if summary:
                summaries.add(j)
                pairs += 1
                if pairs == 2:
                    evidence += 1
            seen.add(info.norm)
            items.append(j)
            if short:
                titles.add(j)
        reaches_end = bool(items) and items[-1] == content[-1] if content else False
        # "Related Posts" or "More From X" names what follows; a bare
        # "Related" or "Recommended" heading needs dates, repeats or an end line.
        named = self_evident_re is not None and self_evident_re.search(norms[i]) is not None
        if len(items) >= 2 and (evidence or closed or reaches_end or named):
            drop.add(i)
            drop.update(items)
            i = items[-1] + 1
        else:
            i += 1
    return guarded_drop(text, lines, infos, drop, ctx, max_prose_share)


def comment_thread(text: str, ctx: Context, *, headers: list[str], evidence: list[str],
                   evidence_prefilter: list[str], min_evidence: int, window: int, tail_lines: int, max_line_words: int,
                   max_prose_share: float) -> tuple[str, list[RawEdit]]:
    """Readers' comments under the article: "3 thoughts on ...", "12 Comments", "Jane says:".

    The thread starts at a comments header (or at its first comment line)
    that is followed, within ``window`` lines, by at least ``min_evidence``
    lines only comment threads have: "Reply", "Jane says:", "2 years ago",
    "December 18, 2025 at 1:14 pm", "Newest Oldest".  It ends after the last
    such line and the comment text under it.  Comments are prose, so the safety
    check still applies: a page that is mostly comments is left whole.
    """
    header_re = compile_patterns(tuple(headers))
    evidence_re = compile_patterns(tuple(evidence))
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    # Headers and evidence lines are a few words long; the comments themselves
    # are not looked at until a thread is found.
    norms = analysis.norms
    words = analysis.words
    content = analysis.content  # non-blank lines have a word at least
    short = list(compress(content, map(max_line_words.__ge__, map(words.__getitem__, content))))
    if evidence_prefilter:
        # Only lines holding a word every evidence line holds are matched.
        distinct = list(set(map(norms.__getitem__, short)))
        matching = fullmatching(evidence_re, [distinct[k] for k in lines_holding(distinct, evidence_prefilter)])
    else:
        matching = fullmatching(evidence_re, [norms[i] for i in short])
    hits = [i for i in short if norms[i] in matching] if matching else []
    if len(hits) < min_evidence:
        return text, []
    position = {i: k for k, i in enumerate(content)}
    hit_set = set(hits)
    for k, i in enumerate(content):
        if infos[i].words <= 3 * max_line_words and header_re.fullmatch(infos[i].norm):
            needed = min_evidence
        elif i in hit_set:
            # A thread without a header starts at its first comment's
            # "says:", date or "Reply" line; it needs one more line of evidence.
            needed = min_evidence + 1
        else:
            continue
        ahead = content[k + 1:k + 1 + window]
        if sum(1 for j in ahead if j in hit_set) < needed:
            continue
        # Follow the thread while evidence keeps coming.
        last = i
        for j in content[k + 1:]:
            if j in hit_set:
                last = j
            elif position[j] - position[last] > window:
                break
        stop = position[last] + 1
        while stop < len(content) and stop - position[last] <= tail_lines and infos[content[stop]].kind != NAV:
            stop += 1
        end = content[stop - 1]
        drop = set(range(i, end + 1))
        return guarded_drop(text, lines, infos, drop, ctx, max_prose_share)
    return text, []



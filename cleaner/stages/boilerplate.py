"""Boilerplate: remove page furniture from text dumps of web pages, keep the article.

A crawler's text dump of a page holds the article between menus, share buttons,
cookie notices, comment forms, "More From" teaser lists and footers.  No single
line feature tells those apart from content: "Privacy Policy" is furniture on
its own line and content in a sentence about privacy, and a menu entry with a
one-sentence description looks like prose.  So the rules here work from
structure first: whole-line phrases, anchored blocks (a header and the lines that
may follow it), and the shape of the page (navigation runs at the top and the
bottom, around a body of running prose).  Line features (length, word count,
terminal punctuation, share of function words, navigation labels) are evidence
read together with the neighbouring lines, never alone the reason a long
sentence-like line goes.

Removing a paragraph of the article is the one mistake users do not forgive, so
each fixer checks what it is about to remove: when it would take most of the
document's prose, it removes nothing and leaves a note.  Documents that are not
web pages (a README, a poem, a letter, code) carry no navigation labels; the
structural rules need several of them before they act at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..rules import Context, RawEdit, builtin_rules_dir, drop_lines, normalise_line

# --------------------------------------------------------------------------- data


@lru_cache(maxsize=None)
def _word_list(name: str) -> frozenset[str]:
    """A data file of rules/boilerplate/: one normalised entry per line, '#' comments."""
    path = builtin_rules_dir() / "boilerplate" / name
    entries = set()
    for raw in path.read_text(encoding="utf-8").split("\n"):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        entries.add(normalise_line(raw))
    return frozenset(entries)


def navigation_lines() -> frozenset[str]:
    return _word_list("navigation-lines.txt")


def function_words() -> frozenset[str]:
    return _word_list("function-words.txt")


@lru_cache(maxsize=256)
def _compile_all(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """Patterns from a rule's options as one alternation, matched on a whole normalised line."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# --------------------------------------------------------------------------- line features

_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_TERMINAL = re.compile(r"""[.!?;:。！？…]["'”’»)\]]*$""")
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# A line that is only a date, a time, a reading time, a count or a byline stub:
# the metadata that teaser lists and page headers are made of.
_META = re.compile(
    r"(?:(?:updated|published|posted|last updated)(?: on)?:? )?"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,? )?"
    rf"(?:(?:{_MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTHS})\.?,? \d{{4}}"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\.?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\.?)"
    r"(?:,? (?:at )?\d{1,2}:\d{2}(?: ?[ap]\.?m\.?)?(?: [a-z]{2,4})?)?"
    r"|\d{1,2}:\d{2}(?: ?[ap]\.?m\.?)?"
    r"|\d+ (?:min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?) (?:read|ago|listen)"
    r"|\d+ (?:min(?:ute)?s?|hours?|days?) \| .*"
    r"|(?:\d+ )?(?:comments?|replies|responses|likes?|shares?|views?)(?: \d+)?"
    r"|by [\w.'’-]+(?: [\w.'’-]+){0,3}"
    r"|(?:posted|filed) (?:in|under):? .{0,60}|tags?: .{0,80}|categor(?:y|ies): .{0,80}"
    r"|[|/•·—–*-]|\d{1,3}"
)
_NAV_PATTERN = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}|[\w&.,' -]{0,60}).{0,80}"
    r"|.{0,80}all rights reserved\.?"
    r"|(?:share|post|pin) (?:on|to|via) [\w+ ]{2,20}"
    r"|click to (?:share|email|print).{0,60}"
    r"|(?:follow|like) us on [\w+ ]{2,30}"
    r"|(?:home|startseite|accueil|inicio|início) ?[>»›/|] ?.{0,200}"
    r"|page \d+ of \d+|(?:next|previous) (?:post|article|page|story)|[«‹<] ?(?:previous|older).*|(?:next|newer).* ?[»›>]"
)
# Prose that is page furniture all the same: consent banners, sign-up pitches.
_FURNITURE_PROSE = re.compile(
    r"\b(?:cookies?|javascript|newsletter|subscribe|sign up|unsubscribe|privacy policy|terms of (?:use|service)"
    r"|all rights reserved|recaptcha|your inbox|your browser|consent)\b"
)

BLANK, NAV, META, SHORT, PROSE, FURNITURE = range(6)


@dataclass(frozen=True)
class LineInfo:
    kind: int
    words: int
    norm: str


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def classify(line: str, nav: frozenset[str], fwords: frozenset[str]) -> LineInfo:
    """What a line looks like on its own: a label, metadata, a short line or prose."""
    norm = normalise_line(line)
    if not norm:
        return LineInfo(BLANK, 0, norm)
    words = _words(norm)
    n = len(words)
    cjk = len(_CJK.findall(norm))
    if cjk:
        n = max(n, cjk // 2)
    if norm in nav or _NAV_PATTERN.fullmatch(norm):
        return LineInfo(NAV, n, norm)
    if _META.fullmatch(norm):
        return LineInfo(META, n, norm)
    terminal = _TERMINAL.search(norm) is not None
    share = sum(w in fwords for w in words) / len(words) if words else 0.0
    prose = (
        (n >= 10 and (terminal or share >= 0.2))
        or (n >= 6 and terminal and share >= 0.15)
        or cjk >= 30
    )
    if prose:
        if n < 60 and _FURNITURE_PROSE.search(norm):
            return LineInfo(FURNITURE, n, norm)
        return LineInfo(PROSE, n, norm)
    return LineInfo(SHORT, n, norm)


def classify_lines(lines: list[str]) -> list[LineInfo]:
    nav, fwords = navigation_lines(), function_words()
    return [classify(line, nav, fwords) for line in lines]


def _prose_words(infos: list[LineInfo], indices) -> int:
    return sum(infos[i].words for i in indices if infos[i].kind == PROSE)


def _sentence_words(infos: list[LineInfo]) -> list[int]:
    """Words of each line that reads as finished prose, counting a repeated line once.

    What the safety check weighs: a truncated teaser snippet or a second copy
    of a line is not a paragraph the reader would miss.
    """
    seen: set[str] = set()
    out = []
    for info in infos:
        if info.kind == PROSE and info.norm not in seen and _TERMINAL.search(info.norm):
            out.append(info.words)
            seen.add(info.norm)
        else:
            out.append(0)
    return out


def _guarded_drop(text: str, lines_: list[str], infos: list[LineInfo], drop: set[int], ctx: Context,
                  max_prose_share: float) -> tuple[str, list[RawEdit]]:
    """Drop lines, unless that would take most of the document's prose: then note it."""
    if not drop:
        return text, []
    weights = _sentence_words(infos)
    total = sum(weights)
    removed = sum(weights[i] for i in drop)
    if total and removed > max_prose_share * total:
        first = min(drop)
        offset = sum(len(x) + 1 for x in lines_[:first])
        ctx.note(offset, f"kept as it is: removing {len(drop)} lines would take "
                         f"{removed} of the document's {total} words of prose")
        return text, []
    return drop_lines(text, drop)


def _is_web_page(infos: list[LineInfo], min_nav_lines: int) -> bool:
    return sum(1 for i in infos if i.kind == NAV) >= min_nav_lines


# --------------------------------------------------------------------------- anchored blocks


def teaser_list(text: str, ctx: Context, *, headers: list[str], end: list[str],
                max_item_words: int = 15, max_lines: int = 200,
                max_prose_share: float = 0.5) -> tuple[str, list[RawEdit]]:
    """A "More From ..." / "Related posts" / "Most Read" header and the teasers under it.

    A teaser is a short title line, a date or reading-time line, a snippet next
    to such a date, or a line the list has already shown (lists often render
    each teaser twice).  The list ends at the first line that is none of those,
    or with an end line such as "More Articles" (which goes too).  A header
    followed directly by prose is a heading of the article and stays.
    """
    header_re = _compile_all(tuple(headers))
    lines = text.split("\n")
    norms = [normalise_line(x) for x in lines]
    if header_re is None or not any(n and header_re.fullmatch(n) for n in norms):
        return text, []
    end_re = _compile_all(tuple(end))
    infos = classify_lines(lines)
    n = len(lines)
    drop: set[int] = set()
    i = 0
    while i < n:
        if not (norms[i] and header_re.fullmatch(norms[i])):
            i += 1
            continue
        seen: set[str] = set()
        items: list[int] = []
        evidence = 0
        closed = False
        content = [j for j in range(i + 1, min(n, i + 1 + max_lines)) if norms[j]]
        for k, j in enumerate(content):
            info = infos[j]
            nxt = infos[content[k + 1]] if k + 1 < len(content) else None
            prev = infos[content[k - 1]] if k > 0 else None
            if end_re is not None and end_re.fullmatch(norms[j]):
                items.append(j)
                evidence += 1
                closed = True
                break
            if header_re.fullmatch(norms[j]):
                break  # the next list starts: let the outer loop take it
            repeated = norms[j] in seen
            # A snippet sits next to its date; after the last date, only an
            # unfinished (truncated) line still belongs to the list.
            dated = info.kind == META or (nxt is not None and nxt.kind == META) or (
                prev is not None and prev.kind == META and not _TERMINAL.search(norms[j]))
            short = info.kind in (SHORT, NAV) and info.words <= max_item_words
            if not (repeated or dated or short):
                break
            if repeated or info.kind == META:
                evidence += 1
            seen.add(norms[j])
            items.append(j)
        reaches_end = bool(items) and items[-1] == content[-1] if content else False
        if len(items) >= 2 and (evidence or closed or reaches_end):
            drop.add(i)
            drop.update(items)
            i = items[-1] + 1
        else:
            i += 1
    return _guarded_drop(text, lines, infos, drop, ctx, max_prose_share)


# --------------------------------------------------------------------------- page structure


def _main_body(infos: list[LineInfo], weights: dict[int, float], blurb_words: int) -> tuple[int, int] | None:
    """The run of lines with the most prose net of furniture (maximum-sum segment)."""
    best = cur = 0.0
    best_span: tuple[int, int] | None = None
    start = None
    content = [i for i, info in enumerate(infos) if info.kind != BLANK]
    isolated = set()
    for k, i in enumerate(content):
        # A short prose line between two non-prose lines is a menu entry's
        # blurb as often as a paragraph: it does not make a body on its own.
        if infos[i].kind == PROSE and infos[i].words < blurb_words:
            prev = infos[content[k - 1]].kind if k else BLANK
            nxt = infos[content[k + 1]].kind if k + 1 < len(content) else BLANK
            if prev != PROSE and nxt != PROSE:
                isolated.add(i)
    for i in content:
        info = infos[i]
        if i in isolated:
            w = 0.0
        elif info.kind == PROSE:
            w = info.words
        else:
            w = weights[info.kind] * (info.words if info.kind == FURNITURE else 1)
        if start is None or cur <= 0:
            start, cur = i, 0.0
        cur += w
        if cur > best:
            best, best_span = cur, (start, i)
    return best_span


def page_edges(text: str, ctx: Context, *, min_nav_lines: int = 3, nav_weight: float = -3.0,
               meta_weight: float = -1.0, short_weight: float = -0.5, furniture_weight: float = -1.0,
               min_edge_nav: int = 2, max_edge_prose_share: float = 0.25, blurb_words: int = 25,
               max_prose_share: float = 0.5) -> tuple[str, list[RawEdit]]:
    """Navigation above the article and footers below it.

    The article body is the stretch of the page with the most running prose net
    of navigation labels.  Above it, everything up to the last navigation line
    goes (menus, with their one-line blurbs); the lines between that and the
    body (headline, byline, date) stay.  Below it, everything from the first
    navigation line on goes.  Only on pages with several navigation labels, and
    only when the trimmed edge holds little prose compared with the body.
    """
    lines = text.split("\n")
    infos = classify_lines(lines)
    if not _is_web_page(infos, min_nav_lines):
        return text, []
    weights = {NAV: nav_weight, META: meta_weight, SHORT: short_weight, FURNITURE: furniture_weight}
    span = _main_body(infos, weights, blurb_words)
    if span is None:
        return text, []
    s, e = span
    body_prose = _prose_words(infos, range(s, e + 1))
    strong = (NAV, FURNITURE)
    drop: set[int] = set()
    top = [i for i in range(s) if infos[i].kind in strong]
    if top:
        region = range(0, top[-1] + 1)
        navs = sum(1 for i in region if infos[i].kind == NAV)
        if (navs >= min_edge_nav or len([i for i in region if infos[i].kind != BLANK]) <= 2) and \
                _prose_words(infos, region) <= max_edge_prose_share * body_prose:
            drop.update(region)
    bottom = [i for i in range(e + 1, len(infos)) if infos[i].kind in strong]
    if bottom:
        region = range(bottom[0], len(infos))
        navs = sum(1 for i in region if infos[i].kind == NAV)
        if (navs >= min_edge_nav or len([i for i in region if infos[i].kind != BLANK]) <= 2) and \
                _prose_words(infos, region) <= max_edge_prose_share * body_prose:
            drop.update(region)
    return _guarded_drop(text, lines, infos, drop, ctx, max_prose_share)


def nav_runs(text: str, ctx: Context, *, min_nav_lines: int = 3, min_run_nav: int = 2,
             min_nav_share: float = 0.5, max_prose_share: float = 0.5) -> tuple[str, list[RawEdit]]:
    """Runs of navigation labels inside the page: share bars, tag clouds, menus.

    A run is a stretch of lines with no prose in it (blank lines do not end
    it).  It goes when at least half of its lines are navigation labels,
    metadata or immediate repeats, and at least two are navigation labels.
    """
    lines = text.split("\n")
    infos = classify_lines(lines)
    if not _is_web_page(infos, min_nav_lines):
        return text, []
    drop: set[int] = set()
    run: list[int] = []

    def close(run: list[int]) -> None:
        if not run:
            return
        navs = sum(1 for j in run if infos[j].kind == NAV)
        furniture = navs + sum(
            1 for k, j in enumerate(run)
            if infos[j].kind == META or (k and infos[j].norm == infos[run[k - 1]].norm)
        )
        if navs >= min_run_nav and furniture >= min_nav_share * len(run):
            drop.update(run)

    for i, info in enumerate(infos):
        if info.kind == BLANK:
            continue
        if info.kind in (PROSE, FURNITURE):
            close(run)
            run = []
        else:
            run.append(i)
    close(run)
    return _guarded_drop(text, lines, infos, drop, ctx, max_prose_share)


def repeated_lines(text: str, ctx: Context, *, min_nav_lines: int = 3, min_block: int = 2,
                   max_prose_share: float = 0.5) -> tuple[str, list[RawEdit]]:
    """A block of short lines shown again (menus rendered twice), and a short line doubled.

    Only lines that are not prose: a repeated paragraph or note is the
    author's, and stays.  Only on web pages, where menus repeat; a poem's
    refrain is not touched.
    """
    lines = text.split("\n")
    infos = classify_lines(lines)
    if not _is_web_page(infos, min_nav_lines):
        return text, []
    content = [i for i, info in enumerate(infos) if info.kind != BLANK]
    drop: set[int] = set()
    # A short line right after the same line.
    for a, b in zip(content, content[1:]):
        if infos[b].kind in (SHORT, NAV, META) and infos[a].norm == infos[b].norm:
            drop.add(b)
    # A block of >= min_block short lines that already appeared, in order.
    first_at: dict[tuple[str, ...], int] = {}
    k = 0
    while k + min_block <= len(content):
        window = content[k:k + min_block]
        if any(infos[j].kind not in (SHORT, NAV, META) for j in window):
            k += 1
            continue
        key = tuple(infos[j].norm for j in window)
        earlier = first_at.get(key)
        if earlier is not None and earlier + min_block <= k:
            end = k + min_block
            while (end < len(content) and earlier + (end - k) < k
                   and infos[content[end]].kind in (SHORT, NAV, META)
                   and infos[content[end]].norm == infos[content[earlier + (end - k)]].norm):
                end += 1
            drop.update(content[k:end])
            k = end
            continue
        first_at.setdefault(key, k)
        k += 1
    return _guarded_drop(text, lines, infos, drop, ctx, max_prose_share)


FIXERS = {
    "boilerplate.teaser-list": teaser_list,
    "boilerplate.page-edges": page_edges,
    "boilerplate.nav-runs": nav_runs,
    "boilerplate.repeated-lines": repeated_lines,
}

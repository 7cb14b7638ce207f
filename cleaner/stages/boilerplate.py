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

Speed: every distinct line of a page is classified once (short lines are
remembered across pages), the rules read shared columns of that analysis
(norms, kinds, word counts), and a rule that drops lines hands the next rule
the analysis of its output, with the columns read so far.  Work over every
line is done by C-level calls (map, compress, set and dict lookups, bisection
in the sorted distinct lines); Python-level loops visit the few lines that
matter (paragraphs, candidates with a literal start, places where lines
repeat).  Users clean whole dumps stored as one file, so no step may cost more
than linear time in the document (bench/boilerplate.py --long times the pages
as one document): a rule that drops lines hands on its sorted distinct lines
filtered rather than sorted again, and a stretch shown twice is matched once
per distance to its first copy.  Only two analyses are kept: on a long dump
each holds a copy of it.  bench/boilerplate_snapshot.py checks that a speed change leaves every
edit, note and output as it was; bench/boilerplate_cost.py counts what a run
costs steadily enough to compare small changes on a busy machine.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from functools import cached_property, lru_cache
from itertools import accumulate, chain, compress, filterfalse, repeat
from operator import and_, is_, itemgetter, or_, sub
from typing import NamedTuple

from ..analysis import DocumentAnalysis, Memo
from ..rules import Context, RawEdit, builtin_rules_dir, drop_line_runs, normalise_line, replay

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


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str]]:
    return navigation_lines(), function_words()


_ALTERNATIVES = re.compile(r"\(([\w' ]+(?:\|[\w' ]+)*)\)")
_LITERAL = re.compile(r"[\w' ]*")


def _top_level_bar(pattern: str) -> bool:
    """Whether the pattern has a '|' outside any group or character class."""
    depth, escaped, in_class = 0, False, False
    for c in pattern:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
    return False


@lru_cache(maxsize=256)
def _starts(patterns: tuple[str, ...]) -> tuple[str, ...] | None:
    """Literal starts that every line matching one of the patterns begins with.

    Lets a rule skip the regex for lines that cannot match; None when some
    pattern does not begin with literal text.
    """
    out: list[str] = []
    for pattern in patterns:
        m = _ALTERNATIVES.match(pattern)
        heads = m.group(1).split("|") if m else [""]
        rest = pattern[m.end():] if m else pattern
        if _top_level_bar(rest):
            return None  # 'a|b': a line may begin either way
        lit = _LITERAL.match(rest).group(0)
        if len(lit) < len(rest) and rest[len(lit)] in "?*{":
            lit = lit[:-1]  # the last character is optional
        for head in heads:
            start = head + lit if (not m or rest[:1] not in "?*{") else ""
            if not start:
                return None
            out.append(start)
    return tuple(out)


@lru_cache(maxsize=256)
def _compile_all(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """Patterns from a rule's options as one alternation, matched on a whole normalised line."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# --------------------------------------------------------------------------- line features

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
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
    r"(?:©|\(c\)|copyright\b).{0,120}"
    r"|(?:share|post|pin) (?:on|to|via) [\w+ ]{2,20}"
    r"|click to (?:share|email|print).{0,60}"
    r"|(?:read more|continue reading|learn more|read the (?:full )?(?:story|article|review))\b.{0,120}"
    r"|skip to (?:main )?(?:content|navigation|footer|search).{0,60}"
    r"|.{1,80} (?:open|close|toggle) (?:sub-?)?(?:navigation|menu)(?: (?:open|close) (?:sub-?)?(?:navigation|menu))?"
    r"|(?:follow|like) us on [\w+ ]{2,30}"
    r"|(?:home|startseite|accueil|inicio|início) ?[>»›/|] ?.{0,200}"
    r"|page \d+ of \d+|(?:(?:next|prev|previous) (?:post|article|page|story) ?){1,2}|[«‹<] ?(?:previous|older).*|(?:next|newer).* ?[»›>]"
)
# Cheap tests that let most lines skip the two patterns above: the first
# word (or character, or ending) of every line they can match.
_NAV_FIRST = frozenset((
    "©", "(c)", "copyright", "share", "post", "pin", "click", "skip", "home", "startseite", "accueil", "inicio",
    "início", "page", "next", "prev", "previous", "newer", "older", "read", "continue", "learn", "follow", "like",
))
_META_FIRST = frozenset((
    "by", "posted", "filed", "tag", "tags", "category", "categories", "comment", "comments", "reply", "replies",
    "response", "responses", "like", "likes", "share", "shares", "view", "views", "updated", "published", "last",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "mon,", "tue,", "wed,", "thu,", "fri,", "sat,", "sun,", "monday,", "tuesday,",
    "wednesday,", "thursday,", "friday,", "saturday,", "sunday,",
))
_META_ENDS = ("ago", "read", "listen", "am", "pm", "a.m.", "p.m.", "est", "edt", "pst", "pdt", "cst", "cdt", "gmt",
              "utc", "bst", "cet", "cest", "et", "pt", "ct")
_META_TAILS = frozenset(end[-1] for end in _META_ENDS)
_NAV_TAILS = frozenset(" ↓→»›▼▲>…+")
# Prose that is page furniture all the same: consent banners, sign-up pitches.
_FURNITURE_PROSE = re.compile(
    r"\b(?:cookies?|javascript|newsletter|subscribe|sign up|unsubscribe|privacy policy|terms of (?:use|service)"
    r"|all rights reserved|recaptcha|your inbox|your browser|consent)\b"
)


# Line classes.  LINKS: a run of link texts flattened onto one line ("Stock
# Advisor Epic Plus Fool Portfolios Podcasts ..."), capitalised words with
# hardly a function word among them.
BLANK, NAV, META, SHORT, PROSE, FURNITURE, LINKS = range(7)
_CLOSERS = "\"'”’»)]*"
_CODE_MARKS = re.compile(r"[\[\]{}=;]|-->|::")
_TERMINAL_CHARS = frozenset(".!?;:。！？…")
# Labels, dates and menu entries are short; longer lines skip those tests.
_LABEL_CHARS = 160



class LineInfo(NamedTuple):
    kind: int
    words: int
    norm: str
    terminal: bool


_BLANK_INFO = LineInfo(BLANK, 0, "", False)


_new_info = tuple.__new__  # builds a LineInfo without the Python-level constructor
# Words whose presence (in the casefolded line) every _FURNITURE_PROSE match needs.
_FURNITURE_KEYS = ("cookie", "javascript", "newsletter", "subscribe", "sign", "privacy", "terms", "rights",
                   "recaptcha", "inbox", "browser", "consent")


def _classify(line: str, nav: frozenset[str], fwords: frozenset[str]) -> LineInfo:
    """The class of one line (see ``line_info``); any whitespace."""
    stripped = line.strip()
    if not stripped:
        return _BLANK_INFO
    # The whitespace stage has single-spaced the line already, as a rule.
    if "  " in stripped or "\t" in stripped:
        stripped = " ".join(stripped.split())
    norm = stripped.casefold()
    size = len(norm)
    parts = norm.split()
    n = len(parts)
    cjk = 0
    # Chinese, Japanese and Korean write few spaces: count their characters
    # as words, on lines that look short by spaces.
    if n < 10 and not norm.isascii():
        cjk = len(_CJK.findall(norm))
        if cjk:
            n = max(n, cjk // 2)
    tail = norm.rstrip(_CLOSERS)
    terminal = bool(tail) and tail[-1] in _TERMINAL_CHARS
    if size <= _LABEL_CHARS:
        first = parts[0].rstrip(",.:;!?")
        if norm in nav or norm.rstrip(" ↓→»›▼▲>…+") in nav or "all rights reserved" in norm or (
                n <= 30 and (first in _NAV_FIRST or norm[0] in "©«‹<" or norm[-1] in "»›>"
                             or "navigation" in norm or "menu" in norm) and _NAV_PATTERN.fullmatch(norm)):
            return _new_info(LineInfo, (NAV, n, norm, terminal))
        if n <= 12 and (norm[-1].isdigit() or norm[0].isdigit() or first in _META_FIRST or size == 1
                        or norm.endswith(_META_ENDS)) and _META.fullmatch(norm):
            return _new_info(LineInfo, (META, n, norm, terminal))
    fcount = -1
    if n >= 8 and not terminal and not cjk:
        fcount = sum(map(fwords.__contains__, parts))
        if fcount <= 0.12 * n:
            capitals = sum(1 for w in stripped.split() if w[:1].isupper())
            # Table rows ("a | b | c") and code ("A[Query] --> B") are content.
            if capitals >= 0.6 * n and norm.count("|") < 2 and not _CODE_MARKS.search(norm):
                return _new_info(LineInfo, (LINKS, n, norm, terminal))
    if cjk >= 30 or (n >= 10 and terminal):
        prose = True
    elif n >= 6:
        if fcount < 0:
            fcount = sum(map(fwords.__contains__, parts))
        share = fcount / n
        prose = share >= 0.2 if n >= 10 else (terminal and share >= 0.15)
    else:
        prose = False
    if prose:
        if n < 60 and _FURNITURE_PROSE.search(norm):
            return _new_info(LineInfo, (FURNITURE, n, norm, terminal))
        return _new_info(LineInfo, (PROSE, n, norm, terminal))
    return _new_info(LineInfo, (SHORT, n, norm, terminal))


# Classes of lines seen lately, by line.  Pages repeat their menus and labels,
# and sites their footers; long lines (paragraphs) seldom repeat and would hold
# memory, so only lines up to _CACHED_CHARS long are kept, at most _CACHE_SIZE
# of them; the cache is emptied when full.
_LINE_CACHE: dict[str, LineInfo] = {"": _BLANK_INFO}
_CACHED_CHARS = 200
_CACHE_SIZE = 1 << 14


def _cache_clear() -> None:
    """Empty the per-line caches (the bench measures cold runs)."""
    _LINE_CACHE.clear()
    _LINE_CACHE[""] = _BLANK_INFO
    _MATCHES.clear()


def line_info(line: str) -> LineInfo:
    """What a line looks like on its own: a label, metadata, a short line or prose."""
    info = _LINE_CACHE.get(line)
    if info is None:
        info = _classify(line, *_tables())
        if len(line) <= _CACHED_CHARS:
            if len(_LINE_CACHE) >= _CACHE_SIZE:
                _cache_clear()
            _LINE_CACHE[line] = info
    return info


line_info.cache_clear = _cache_clear  # type: ignore[attr-defined]

# Every character str.split() takes for whitespace, but the space and the newline.
_ODD_SPACES_ASCII = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f"
_ODD_SPACES = _ODD_SPACES_ASCII + "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _is_plain(text: str) -> bool:
    """No whitespace in the text but single spaces and newlines."""
    if "  " in text:
        return False
    odd = _ODD_SPACES_ASCII if text.isascii() else _ODD_SPACES
    return not any(c in text for c in odd)


def _classify_plain(lines: tuple[str, ...], missing: list[int],
                    nav: frozenset[str], fwords: frozenset[str]) -> list[LineInfo]:
    """``_classify`` of the lines at ``missing`` of a plain text, in one loop.

    In a plain text (only single spaces) a line needs no re-spacing, and its
    words are counted by its spaces and split at single spaces.
    Same result as ``_classify`` (tests/test_boilerplate.py compares them).
    """
    new, info_type = _new_info, LineInfo
    nav_first, meta_first, meta_ends = _NAV_FIRST, _META_FIRST, _META_ENDS
    # Last characters a line needs for the stripped or suffix tests to matter.
    nav_tails, meta_tails = _NAV_TAILS, _META_TAILS
    nav_fullmatch, meta_fullmatch = _NAV_PATTERN.fullmatch, _META.fullmatch
    cjk_findall, code_search = _CJK.findall, _CODE_MARKS.search
    terminal_chars, label_chars, closers = _TERMINAL_CHARS, _LABEL_CHARS, _CLOSERS
    in_fwords = fwords.__contains__
    blank = _BLANK_INFO
    norms = list(map(str.casefold, map(str.strip, map(lines.__getitem__, missing))))
    counts = list(map(str.count, norms, repeat(" ")))
    out: list[LineInfo] = []
    append = out.append
    pending: list[int] = []  # short prose lines: furniture or not, decided below
    for k, norm in enumerate(norms):
        if not norm:
            append(blank)
            continue
        n = counts[k] + 1
        size = len(norm)
        cjk = 0
        if n < 10 and not norm.isascii():
            cjk = len(cjk_findall(norm))
            if cjk:
                n = max(n, cjk // 2)
        terminal = norm.rstrip(closers)[-1:] in terminal_chars
        if size <= label_chars:
            first = norm.partition(" ")[0].rstrip(",.:;!?")
            if norm in nav or (norm[-1] in nav_tails and norm.rstrip(" ↓→»›▼▲>…+") in nav) \
                    or "all rights reserved" in norm or (
                    n <= 30 and (first in nav_first or norm[0] in "©«‹<" or norm[-1] in "»›>"
                                 or "navigation" in norm or "menu" in norm) and nav_fullmatch(norm)):
                append(new(info_type, (NAV, n, norm, terminal)))
                continue
            if n <= 12 and (norm[-1].isdigit() or norm[0].isdigit() or first in meta_first or size == 1
                            or (norm[-1] in meta_tails and norm.endswith(meta_ends))) and meta_fullmatch(norm):
                append(new(info_type, (META, n, norm, terminal)))
                continue
        if n < 6:
            # Too few words for prose or a link list (a CJK line counting 30
            # characters would count 15 words).
            append(new(info_type, (SHORT, n, norm, terminal)))
            continue
        fcount = -1
        if n >= 8 and not terminal and not cjk:
            fcount = sum(map(in_fwords, norm.split(" ")))
            if fcount <= 0.12 * n:
                capitals = sum(1 for w in lines[missing[k]].strip().split(" ") if w[:1].isupper())
                if capitals >= 0.6 * n and norm.count("|") < 2 and not code_search(norm):
                    append(new(info_type, (LINKS, n, norm, terminal)))
                    continue
        if cjk >= 30 or (n >= 10 and terminal):
            prose = True
        elif n >= 6:
            if fcount < 0:
                fcount = sum(map(in_fwords, norm.split(" ")))
            share = fcount / n
            prose = share >= 0.2 if n >= 10 else (terminal and share >= 0.15)
        else:
            prose = False
        if prose:
            if n < 60:
                pending.append(k)
            append(new(info_type, (PROSE, n, norm, terminal)))
        else:
            append(new(info_type, (SHORT, n, norm, terminal)))
    if pending:
        # Consent banners and sign-up pitches: only lines holding one of the
        # words every such match needs are searched.
        joined = "\n".join([norms[k] for k in pending])
        keys = [key for key in _FURNITURE_KEYS if key in joined]
        if keys:
            search = _FURNITURE_PROSE.search
            for k in pending:
                norm = norms[k]
                for key in keys:
                    if key in norm:
                        if search(norm):
                            info = out[k]
                            out[k] = new(info_type, (FURNITURE, info.words, norm, info.terminal))
                        break
    return out


def _classify_lines(text: str, lines: tuple[str, ...]) -> tuple[LineInfo, ...]:
    """``line_info`` of every line, with document-wide shortcuts."""
    cache = _LINE_CACHE
    infos = list(map(cache.get, lines))
    missing = list(compress(range(len(infos)), map(is_, infos, repeat(None))))
    if not missing:
        return tuple(infos)
    # A line the page shows twice is classified once (the first index wins).
    first_at = dict(zip(map(lines.__getitem__, reversed(missing)), reversed(missing)))
    todo = list(first_at.values())
    nav, fwords = _tables()
    new_infos = None
    if _is_plain(text):
        new_infos = _classify_plain(lines, todo, nav, fwords)
    if new_infos is None:
        new_infos = [_classify(lines[i], nav, fwords) for i in todo]
    found = dict(zip(first_at, new_infos))
    # Short lines are remembered (menus, footers, labels repeat from page to
    # page); the cache is emptied when full.  Long lines are in it only while
    # the page's classes are read out.
    if len(cache) + len(found) > _CACHE_SIZE:
        known = {line: info for line, info in zip(lines, infos) if info is not None}
        _cache_clear()
        cache.update(known)
    cache.update(found)
    infos = tuple(map(cache.__getitem__, lines))
    deque(map(cache.__delitem__, compress(found, map(_CACHED_CHARS.__lt__, map(len, found)))), 0)
    return infos


_get_norm = itemgetter(2)
_get_kind = itemgetter(0)
_get_words = itemgetter(1)
_get_first, _get_end = itemgetter(0), itemgetter(1)


def _lines_starting(analysis: "Analysis", prefixes: tuple[str, ...] | None, max_chars: int) -> list[int]:
    """Indices of the non-empty lines of at most max_chars that begin with one of the prefixes."""
    norms = analysis.norms
    if prefixes is None:
        return [i for i, norm in enumerate(norms) if norm and len(norm) <= max_chars]
    # The lines beginning with a prefix sit together in the sorted distinct
    # lines, a bisection away: a few steps per prefix instead of a test per line.
    index = analysis.sorted_norms
    found = set()
    for prefix in prefixes:
        k = bisect_left(index, prefix)
        while k < len(index) and index[k].startswith(prefix):
            if len(index[k]) <= max_chars:
                found.add(index[k])
            k += 1
    if not found:
        return []
    return list(compress(range(len(norms)), map(found.__contains__, norms)))


# Whole-line matches of a pattern, by line: pages and sites repeat their
# short lines.  Bounded; emptied when full.
_MATCHES: dict[re.Pattern[str], dict[str, bool]] = {}


def _fullmatching(pattern: re.Pattern[str], norms) -> set[str]:
    """The distinct lines among ``norms`` that ``pattern`` matches whole."""
    memo = _MATCHES.get(pattern)
    if memo is None or len(memo) > 1 << 15:
        memo = _MATCHES[pattern] = {}
    get = memo.get
    fullmatch = pattern.fullmatch
    out = set()
    for norm in set(norms):
        hit = get(norm)
        if hit is None:
            hit = memo[norm] = fullmatch(norm) is not None
        if hit:
            out.add(norm)
    return out


class Analysis(tuple):
    """``(lines, infos)`` of a text, with per-document figures computed once on demand."""

    @cached_property
    def nav_counts(self) -> tuple[int, int]:
        """(navigation lines, of which legal notices): the evidence that this is a web page."""
        nav = [info.norm for info in self[1] if info.kind == NAV]
        return len(nav), sum(1 for norm in nav if _LEGAL_NOTICE.search(norm))

    @cached_property
    def norms(self) -> list[str]:
        return list(map(_get_norm, self[1]))

    @cached_property
    def kinds(self) -> list[int]:
        return list(map(_get_kind, self[1]))

    @cached_property
    def content(self) -> list[int]:
        """Indices of the non-blank lines."""
        return list(compress(range(len(self[1])), map(BLANK.__ne__, self.kinds)))

    @cached_property
    def sorted_norms(self) -> list[str]:
        """The distinct lines, sorted: the lines with a given start are a bisection away."""
        return sorted(set(self.norms))

    @cached_property
    def words(self) -> list[int]:
        return list(map(_get_words, self[1]))

    @cached_property
    def sentence_words(self) -> list[int]:
        return _sentence_words(self)


# The last two line analyses of the document, by text: what one rule of this
# stage hands to the next.  Rules that change nothing hand the same text to
# the next rule; a rule that drops lines records the analysis of its output
# (the kept lines keep their classes), so no text is classified twice.  Two
# are enough (the text a rule reads and the one it makes; ``settled`` holds
# the analysis of its input itself), and each entry holds a whole text: on a
# long dump, every one more is a copy of the dump in memory.
RECENT_ANALYSES: Memo[list[tuple[str, Analysis]]] = Memo("boilerplate.recent-analyses", list)
_RECENT_SIZE = 2


def _recent(text: str, shared: DocumentAnalysis) -> Analysis | None:
    # Found by identity, as a rule hands on the very text it got or made;
    # then by equality.  A dict would hash every new text whole.
    recent = shared.memo(RECENT_ANALYSES)
    for known, analysis in recent:
        if known is text:
            return analysis
    for known, analysis in recent:
        if len(known) == len(text) and known == text:
            return analysis
    return None


def _remember(text: str, analysis: Analysis, shared: DocumentAnalysis) -> Analysis:
    recent = shared.memo(RECENT_ANALYSES)
    for k, (known, _) in enumerate(recent):
        if known == text:
            recent[k] = (known, analysis)
            return analysis
    if len(recent) >= _RECENT_SIZE:
        del recent[0]
    recent.append((text, analysis))
    return analysis


def analyse(text: str, shared: DocumentAnalysis | None = None) -> Analysis:
    """The lines of a text and their classes, shared by the rules of this stage
    through the document's analysis (``ctx.analysis``)."""
    if shared is None:
        shared = DocumentAnalysis()
    found = _recent(text, shared)
    if found is not None:
        return found
    lines = tuple(text.split("\n"))
    return _remember(text, Analysis((lines, _classify_lines(text, lines))), shared)


class _Blank:
    """Whether line i is blank, read from the line classes as ``drop_line_runs`` asks."""

    __slots__ = ("infos",)

    def __init__(self, infos):
        self.infos = infos

    def __getitem__(self, i: int) -> bool:
        return self.infos[i][0] == BLANK


def _drop(text: str, analysis: Analysis, drop: set[int], shared: DocumentAnalysis) -> tuple[str, list[RawEdit]]:
    """``drop_lines`` (told which lines are blank), recording the analysis of its output.

    The output's analysis is recorded from the kept lines, so the next rule
    does not classify them again.
    """
    if not drop:
        return text, []
    lines, infos = analysis
    new_text, edits, runs = drop_line_runs(text, drop, _Blank(infos), lines)
    if not edits:
        return text, edits
    n_real = len(lines) - 1 if text.endswith("\n") else len(lines)
    # The runs of kept lines, between the removed ones.
    kept = list(map(slice, chain((0,), map(_get_end, runs)), chain(map(_get_first, runs), (n_real,))))
    # A text ending in a dropped line keeps the empty line after the last newline.
    # (Its line count is read from the removed text, not from the whole output.)
    new_lines = len(lines) - sum(map(str.count, map(itemgetter(1), edits), repeat("\n")))
    extra = new_lines != sum(len(range(n_real)[run]) for run in kept)

    def kept_of(column, blank):
        new = []
        for run in kept:
            new.extend(column[run])
        if extra:
            new.append(blank)
        return new

    new_analysis = Analysis((tuple(kept_of(lines, "")), tuple(kept_of(infos, _BLANK_INFO))))
    # The columns the rules have read so far carry over (slices copy in C).
    known = analysis.__dict__
    for name, blank in (("norms", ""), ("kinds", BLANK), ("words", 0)):
        if name in known:
            new_analysis.__dict__[name] = kept_of(known[name], blank)
    if "sorted_norms" in known:
        # The sorted distinct lines of the output are those of the input that
        # are left: filtered in one pass, where sorting again costs
        # n log n string comparisons on a long dump.
        left = set(new_analysis.__dict__["norms"])
        sorted_norms = known["sorted_norms"]
        new_analysis.__dict__["sorted_norms"] = list(compress(sorted_norms, map(left.__contains__, sorted_norms)))
    _remember(new_text, new_analysis, shared)
    return new_text, edits


def _mentions(text: str, keys) -> bool:
    """Cheap test before a rule's line-by-line work: can the rule match at all?"""
    if not keys:
        return True
    # A lowercase key found as it is is found in the lowercased text too.
    if any(k in text for k in keys):
        return True
    lower = text.lower()
    return any(k in lower for k in keys)


# HTML source ("<h1>Title</h1> <p class=...>"): a republishing box's embed
# code holds the whole article again, and is no paragraph of it.
_TAG = re.compile(r"</?[a-z][a-z0-9]*\b[^<>]*>")


def _is_markup(norm: str) -> bool:
    return len(_TAG.findall(norm, 0, 2000)) >= 3


def _sentence_words(analysis: Analysis, blurb_words: int = 25) -> list[int]:
    """Words of each line that reads as a finished paragraph, counting a repeated line once.

    What the safety check weighs: a truncated teaser snippet, a second copy of
    a line, a one-sentence blurb between two labels or a line of HTML source is
    not a paragraph the reader would miss.
    """
    infos = analysis[1]
    seen: set[str] = set()
    out = [0] * len(infos)
    content = analysis.content
    kinds = analysis.kinds
    ckinds = list(map(kinds.__getitem__, content))
    last = len(content) - 1
    for k in compress(range(len(content)), map(PROSE.__eq__, ckinds)):
        info = infos[content[k]]
        if not info.terminal or info.norm in seen or info.norm[0] == "<" and _is_markup(info.norm):
            continue
        seen.add(info.norm)
        if info.words < blurb_words:
            prev = ckinds[k - 1] if k else BLANK
            nxt = ckinds[k + 1] if k < last else BLANK
            if prev not in (PROSE, META) and nxt not in (PROSE, META):
                continue
        out[content[k]] = info.words
    return out


def _guarded_drop(text: str, lines_: list[str], infos: list[LineInfo], drop: set[int], ctx: Context,
                  max_prose_share: float) -> tuple[str, list[RawEdit]]:
    """Drop lines, unless that would take most of the document's prose: then note it."""
    if not drop:
        return text, []
    analysis = analyse(text, ctx.analysis)
    weights = analysis.sentence_words
    total = sum(weights)
    removed = sum(map(weights.__getitem__, drop))
    if total and removed > max_prose_share * total:
        first = min(drop)
        offset = sum(len(x) + 1 for x in lines_[:first])
        ctx.note(offset, f"kept as it is: removing {len(drop)} lines would take "
                         f"{removed} of the document's {total} words of prose")
        return text, []
    return _drop(text, analysis, drop, ctx.analysis)


def _gone_lines(text: str, edits: list[RawEdit]) -> list[int]:
    """Indices of the lines of ``text`` that whole-line removal edits take away."""
    gone: list[int] = []
    first = done = 0  # edits come in offset order: count newlines once
    for offset, before, _ in edits:
        first += text.count("\n", done, offset)
        done = offset
        count = before.count("\n") + (0 if before.endswith("\n") else 1)
        gone.extend(range(first, first + count))
    return gone


def _edits_for(text: str, gone: set[int], lines: tuple[str, ...] | None = None) -> list[RawEdit]:
    """Whole-line removal edits, one per run of consecutive removed lines.

    ``lines`` is ``text.split("\n")`` when the caller has it already.
    """
    # Line i starts at starts[i] + i (the newlines before it); a run of
    # consecutive lines keeps order[x] - x, so its end is one bisection away.
    starts = list(accumulate(map(len, text.split("\n") if lines is None else lines), initial=0))
    order = sorted(gone)
    shifts = list(map(sub, order, range(len(order))))
    size = len(text)
    edits: list[RawEdit] = []
    k = 0
    while k < len(order):
        end = bisect_right(shifts, shifts[k], k)
        first, last = order[k], order[end - 1]
        a, b = starts[first] + first, min(starts[last + 1] + last + 1, size)
        edits.append((a, text[a:b], ""))
        k = end
    return edits


def settled(fixer):
    """Run a fixer again on its own output until it has nothing left to remove.

    Removing a menu can bring two copies of a block together, or let a list
    reach the end of the page; a user who runs cleaner twice expects the second
    run to change nothing.  The edits are reported against the text given.
    """
    def run(text: str, ctx: Context, **options) -> tuple[str, list[RawEdit]]:
        shared = ctx.analysis
        analysis = analyse(text, shared)  # held: the safety check below reads it again
        first = out, edits = fixer(text, ctx, **options)
        if not edits:
            return first
        # Held too: when the first round is what comes out, the next rule
        # reads its analysis.
        first_analysis = _recent(out, shared)

        def keep_first():
            if first_analysis is not None:
                _remember(first[0], first_analysis, shared)
            return first

        gone = set(_gone_lines(text, edits))
        alive = list(filterfalse(gone.__contains__, range(text.count("\n") + 1)))
        for _ in range(3):
            # Later rounds report nothing: their offsets are not the user's.
            again, more = fixer(out, Context(ctx.doc, ctx.rule_id, [], ctx.options, shared), **options)
            if not more:
                break
            newly = {alive[j] for j in _gone_lines(out, more)}
            gone |= newly
            alive = list(filterfalse(newly.__contains__, alive))
            out = again
        else:
            return keep_first()  # no fixed point in sight: keep the first round
        if out == first[0]:
            return keep_first()
        all_edits = _edits_for(text, gone, analysis[0])
        if replay(text, all_edits) != out:
            return keep_first()
        # The safety check again, on everything the rounds removed together.
        weights = analysis.sentence_words
        total = sum(weights)
        if total and sum(map(weights.__getitem__, gone)) > options.get("max_prose_share", 0.5) * total:
            return keep_first()
        return out, all_edits

    run.__name__ = getattr(fixer, "__name__", "fixer")
    run.__doc__ = fixer.__doc__
    return run


# A copyright line or "All rights reserved" is furniture at the foot of a web
# page, but licences, books, papers and package files carry dozens of them: as
# evidence that a document is a web page, they count once, however many there are.
_LEGAL_NOTICE = re.compile(r"^(?:©|\(c\)|copyright\b)|all rights reserved")


def _is_web_page(analysis: Analysis, min_nav_lines: int, legal_cap: int = 1) -> bool:
    """Enough navigation lines for the structural rules to act; legal notices
    count ``legal_cap`` times at most, however many there are."""
    nav, legal = analysis.nav_counts
    return nav - legal + min(legal, legal_cap) >= min_nav_lines


# --------------------------------------------------------------------------- anchored blocks

# Headers, labels and form lines are short; longer lines are not tested.
_HEADER_CHARS = 120


def phrase_lines(text: str, ctx: Context, *, lines: list[str], patterns: list[str] = (),
                 max_pattern_chars: int = _HEADER_CHARS) -> tuple[str, list[RawEdit]]:
    """Whole lines that are furniture wherever they stand ("Advertisement", "Share this:").

    The line is compared whole, after trimming, single-spacing and
    casefolding, so the same words inside a sentence are never touched.
    ``patterns`` are tried on lines of up to ``max_pattern_chars`` characters
    (a cookie banner's text is a paragraph long).
    """
    phrases = _phrase_set(tuple(lines))
    pattern = _compile_all(tuple(patterns))
    starts = _starts(tuple(patterns)) if patterns else ()
    analysis = analyse(text, ctx.analysis)
    norms = analysis.norms
    drop = set()
    found = {norm for norm in phrases.intersection(norms) if norm and len(norm) <= _HEADER_CHARS}
    if found:
        drop.update(compress(range(len(norms)), map(found.__contains__, norms)))
    if pattern is not None:
        candidates = _lines_starting(analysis, starts, max_pattern_chars)
        if candidates:
            hits = _fullmatching(pattern, [norms[i] for i in candidates])
            drop.update(i for i in candidates if norms[i] in hits)
    return _drop(text, analysis, drop, ctx.analysis)


@lru_cache(maxsize=64)
def _phrase_set(lines: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalise_line(x) for x in lines)


def anchored_block(text: str, ctx: Context, *, start: list[str], body: list[str], end: list[str] = (),
                   max_lines: int = 60, prefilter: list[str] = (),
                   max_prose_share: float = 0.5) -> tuple[str, list[RawEdit]]:
    """A start line and the lines that may follow it (a comment form, a sign-up box).

    The block runs from a line matching ``start`` through lines matching
    ``body`` (blank lines allowed); with ``end`` patterns it must reach an end
    line within ``max_lines``, otherwise it ends at its last body line.
    """
    start_re = _compile_all(tuple(start))
    body_re = _compile_all(tuple(body))
    end_re = _compile_all(tuple(end))
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    n = len(lines)
    prefixes = _starts(tuple(start))
    norms = analysis.norms
    # The prefilter is tried on the few lines with a literal start, not on the
    # whole text: scanning a page for a dozen words costs more than the rule.
    starts = [i for i in _lines_starting(analysis, prefixes, _HEADER_CHARS)
              if _mentions(norms[i], prefilter) and start_re.fullmatch(norms[i])]
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
    return _guarded_drop(text, lines, infos, drop, ctx, max_prose_share)



def teaser_list(text: str, ctx: Context, *, headers: list[str], end: list[str], self_evident: list[str] = (),
                max_item_words: int = 15, max_summary_words: int = 60, max_lines: int = 200,
                max_prose_share: float = 0.5) -> tuple[str, list[RawEdit]]:
    """A "More From ..." / "Related posts" / "Most Read" header and the teasers under it.

    A teaser is a short title line, a date or reading-time line, a snippet next
    to such a date, a one-paragraph summary between two titles, or a line the
    list has already shown (lists often render each teaser twice).  The list ends at the first line that is none of those,
    or with an end line such as "More Articles" (which goes too).  A header
    followed directly by prose is a heading of the article and stays.
    """
    header_re = _compile_all(tuple(headers))
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    if header_re is None:
        return text, []
    starts = _starts(tuple(headers))
    norms = analysis.norms
    # Every header begins with one of the literal starts (``_starts``).
    candidates = _lines_starting(analysis, starts, _HEADER_CHARS)
    header_norms = _fullmatching(header_re, [norms[i] for i in candidates]) if candidates else None
    if not header_norms:
        return text, []
    header_order = [i for i in candidates if norms[i] in header_norms]
    header_lines = set(header_order)
    end_re = _compile_all(tuple(end))
    self_evident_re = _compile_all(tuple(self_evident))
    n = len(lines)
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
        content = [j for j in range(i + 1, min(n, i + 1 + max_lines)) if infos[j].kind != BLANK]
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
    return _guarded_drop(text, lines, infos, drop, ctx, max_prose_share)


def _lines_holding(norms: list[str], keys) -> set[int]:
    """Indices of the lines among ``norms`` that hold one of ``keys`` (one search per key)."""
    joined = "\n".join(norms)
    starts = None
    found: set[int] = set()
    for key in keys:
        pos = joined.find(key)
        if pos < 0:
            continue
        if joined.count(key, pos) * 8 > len(norms):
            # A common key (":"): a test per line beats a search per occurrence.
            found.update(compress(range(len(norms)), map(str.__contains__, norms, repeat(key))))
            continue
        if starts is None:
            starts = list(accumulate(map(len, norms), initial=0))
            starts = [start + k for k, start in enumerate(starts)]
        while pos >= 0:
            k = bisect_right(starts, pos) - 1
            found.add(k)
            pos = joined.find(key, starts[k + 1])
    return found


def comment_thread(text: str, ctx: Context, *, headers: list[str], evidence: list[str],
                   evidence_prefilter: list[str] = (), min_evidence: int = 3, window: int = 30, tail_lines: int = 10, max_line_words: int = 16,
                   max_prose_share: float = 0.5) -> tuple[str, list[RawEdit]]:
    """Readers' comments under the article: "3 thoughts on ...", "12 Comments", "Jane says:".

    The thread starts at a comments header (or at its first comment line)
    that is followed, within ``window`` lines, by at least ``min_evidence``
    lines only comment threads have: "Reply", "Jane says:", "2 years ago",
    "December 18, 2025 at 1:14 pm", "Newest Oldest".  It ends after the last
    such line and the comment text under it.  Comments are prose, so the safety
    check still applies: a page that is mostly comments is left whole.
    """
    header_re = _compile_all(tuple(headers))
    evidence_re = _compile_all(tuple(evidence))
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
        matching = _fullmatching(evidence_re, [distinct[k] for k in _lines_holding(distinct, evidence_prefilter)])
    else:
        matching = _fullmatching(evidence_re, [norms[i] for i in short])
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
        return _guarded_drop(text, lines, infos, drop, ctx, max_prose_share)
    return text, []


# --------------------------------------------------------------------------- page structure


def _line_weights(analysis: Analysis, weights: dict[int, float], blurb_words: int,
                  nav_blurb_words: int = 0) -> list[float]:
    """How much each line counts for the article body: prose words, or a penalty.

    A short prose line standing between two non-prose lines is a menu entry's
    blurb or a teaser title as often as a paragraph: it counts for nothing.
    """
    infos = analysis[1]
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
    for k in compress(range(n_content), map(_PROSE_OR_FURNITURE.__contains__, ckinds)):
        i = content[k]
        info = infos[i]
        if info.kind == FURNITURE:
            out[i] = furniture_weight * info.words
            continue
        if info.words < blurb_words:
            prev = ckinds[k - 1] if k else BLANK
            nxt = ckinds[k + 1] if k + 1 < n_content else BLANK
            if prev != PROSE and nxt != PROSE:
                continue
        elif info.words < nav_blurb_words:
            # Longer blurbs count for nothing only among navigation labels.
            prev = ckinds[k - 1] if k else BLANK
            nxt = ckinds[k + 1] if k + 1 < n_content else BLANK
            near = [ckinds[m] for m in range(max(0, k - 2), min(n_content, k + 3)) if m != k]
            if prev != PROSE and nxt != PROSE and (NAV in near or LINKS in near):
                continue
        out[i] = float(info.words)
    return out


_PROSE_OR_FURNITURE = frozenset((PROSE, FURNITURE))
_LABEL_KINDS = frozenset((SHORT, NAV, META))
_ONCE = 1


def _main_body(content: list[int], line_weights: list[float]) -> tuple[int, int] | None:
    """The run of lines with the most prose net of furniture (maximum-sum segment)."""
    best = cur = 0.0
    best_span: tuple[int, int] | None = None
    start = 0
    for i in content:
        if cur <= 0:
            start, cur = i, 0.0
        cur += line_weights[i]
        if cur > best:
            best, best_span = cur, (start, i)
    return best_span


def page_edges(text: str, ctx: Context, *, min_nav_lines: int = 3, nav_weight: float = -3.0,
               meta_weight: float = -1.0, short_weight: float = -0.5, furniture_weight: float = -1.0,
               links_weight: float = -2.0, min_edge_nav: int = 2, max_edge_prose_share: float = 0.25,
               blurb_words: int = 25, nav_blurb_words: int = 0, max_header_lines: int = 6,
               min_intro_words: float = 1e9, menu_blurbs_nav: int = 0, max_headline_prose_share: float = 0.0,
               article_end: dict | None = None,
               max_prose_share: float = 0.5) -> tuple[str, list[RawEdit]]:
    """Navigation above the article and footers below it.

    The article body is the stretch of the page with the most running prose net
    of navigation labels.  Above it, everything up to the last navigation line
    goes (menus, with their one-line blurbs); the lines between that and the
    body (headline, byline, date) stay.  Below it, everything goes.  Only on pages with several navigation labels, and
    only when the trimmed edge holds little prose compared with the body.
    With ``article_end`` options, the page below the first heading of the
    furniture under the article ("About the Author", "Related Posts") goes
    too, and the body is looked for above it (boilerplate_tail.py).
    """
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    if not _is_web_page(analysis, min_nav_lines):
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
    span = _main_body(content, line_weights)
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

    body_prose = prose(range(s, e + 1))
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
            run = max(0.0, run + line_weights[i]) if infos[i].kind != BLANK else run
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
    return _guarded_drop(text, lines, infos, drop, ctx, max_prose_share)


def nav_runs(text: str, ctx: Context, *, min_nav_lines: int = 3, min_run_nav: int = 2,
             min_nav_share: float = 0.5, max_kept_lines: int = 3, max_prose_share: float = 0.5) -> tuple[str, list[RawEdit]]:
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
    if not _is_web_page(analysis, min_nav_lines):
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
    return _guarded_drop(text, lines, infos, drop, ctx, max_prose_share)


def repeated_lines(text: str, ctx: Context, *, min_nav_lines: int = 3, min_block: int = 2,
                   repeat_pairs: bool = False, min_block_nav: int = 0, max_prose_share: float = 0.5) -> tuple[str, list[RawEdit]]:
    """A block of short lines shown again (menus rendered twice), and a short line doubled.

    Only lines that are not prose: a repeated paragraph or note is the
    author's, and stays.  Only on web pages, where menus repeat; a poem's
    refrain is not touched.
    """
    analysis = analyse(text, ctx.analysis)
    lines, infos = analysis
    if not _is_web_page(analysis, min_nav_lines):
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
    return _guarded_drop(text, lines, infos, drop, ctx, max_prose_share)


FIXERS = {
    "boilerplate.ui-lines": phrase_lines,
    "boilerplate.comment-form": anchored_block,
    "boilerplate.comment-thread": comment_thread,
    "boilerplate.teaser-list": settled(teaser_list),
    "boilerplate.page-edges": settled(page_edges),
    "boilerplate.nav-runs": settled(nav_runs),
    "boilerplate.repeated-lines": settled(repeated_lines),
}

# The article's end, for page_edges, and the contents box (their own modules,
# which read this one's analysis).
from .boilerplate_contents import contents_list  # noqa: E402
from .boilerplate_repeats import repeated_block  # noqa: E402
from .boilerplate_tail import article_end_line, headline_line  # noqa: E402

FIXERS["boilerplate.contents-list"] = contents_list
FIXERS["boilerplate.repeated-block"] = repeated_block


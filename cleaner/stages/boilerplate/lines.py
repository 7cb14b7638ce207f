"""Boilerplate: what the stage's rules read about a page, line by line.

Every rule of the stage works from the same analysis of the text: each line's
class (a navigation label, metadata, a short line, prose, furniture prose, a
flattened list of links, blank), its normalised form and its word count
(``LineAnalysis``, made by ``analyse``).  No single line feature tells
furniture from content ("Privacy Policy" is furniture alone on its line and
content in a sentence), so the classes are evidence the rules read together
with the neighbouring lines, never alone the reason a sentence-like line goes.

Work is done once per distinct line: a line's class depends on the line alone,
short lines repeat from page to page (menus, footers) and are remembered
across pages, and a rule that drops lines hands the next rule the analysis of
its output through the document's analysis (``RECENT_ANALYSES``), so no text
is classified twice.  Users clean whole dumps stored as one file, so nothing
here may cost more than linear time in the document.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property, lru_cache
from itertools import accumulate, compress, repeat
from operator import is_, itemgetter, not_
from typing import NamedTuple

from ...analysis import DocumentAnalysis, Memo
from ...rules import builtin_rules_dir, normalise_line

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
def literal_starts(patterns: tuple[str, ...]) -> tuple[str, ...] | None:
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
def compile_patterns(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
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
BLANK, NAV, META, SHORT, PROSE, FURNITURE, LINKS = range(7)  # BLANK first: the one false class
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


BLANK_INFO = LineInfo(BLANK, 0, "", False)


_new_info = tuple.__new__  # builds a LineInfo without the Python-level constructor
# Words whose presence (in the casefolded line) every _FURNITURE_PROSE match needs,
# as long as can be: a longer key is searched for faster and found in fewer lines.
_FURNITURE_KEYS = ("cookie", "javascript", "newsletter", "subscribe", "sign up", "privacy policy", "terms of ",
                   "all rights reserved", "recaptcha", "your inbox", "your browser", "consent")


def _classify(line: str, nav: frozenset[str], fwords: frozenset[str]) -> LineInfo:
    """The class of one line (see ``line_info``); any whitespace."""
    stripped = line.strip()
    if not stripped:
        return BLANK_INFO
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
_LINE_CACHE: dict[str, LineInfo] = {"": BLANK_INFO}
_CACHED_CHARS = 200
_CACHE_SIZE = 1 << 14


def _cache_clear() -> None:
    """Empty the per-line caches (the bench measures cold runs)."""
    _LINE_CACHE.clear()
    _LINE_CACHE[""] = BLANK_INFO
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
    blank = BLANK_INFO
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
        search = _FURNITURE_PROSE.search
        for j in lines_holding([norms[k] for k in pending], _FURNITURE_KEYS):
            k = pending[j]
            norm = norms[k]
            if search(norm):
                info = out[k]
                out[k] = new(info_type, (FURNITURE, info.words, norm, info.terminal))
    return out


def lines_holding(norms: list[str], keys) -> set[int]:
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
    if _is_plain(text):
        new_infos = _classify_plain(lines, todo, nav, fwords)
    else:
        # Only the lines holding a double space or another space character
        # need the general classifier: one such line in a long dump would
        # otherwise send all of its lines there.
        odd = lines_holding(list(lines), ("  ",) + tuple(_ODD_SPACES_ASCII if text.isascii() else _ODD_SPACES))
        flags = list(map(odd.__contains__, todo))
        plain = iter(_classify_plain(lines, list(compress(todo, map(not_, flags))), nav, fwords))
        new_infos = [_classify(lines[i], nav, fwords) if flag else next(plain) for i, flag in zip(todo, flags)]
    found = dict(zip(first_at, new_infos))
    # A line found now, or the class the cache gave it (read from the page's
    # own few new lines, not from the whole cache again).
    infos = tuple(map(found.get, lines, infos))
    # Short lines are remembered (menus, footers, labels repeat from page to
    # page); the cache is emptied when full.
    short = list(compress(found.items(), map(_CACHED_CHARS.__ge__, map(len, found))))
    if len(cache) + len(short) > _CACHE_SIZE:
        known = {line: info for line, info in zip(lines, infos) if line not in found}
        _cache_clear()
        cache.update(known)
    cache.update(short)
    return infos


_get_norm = itemgetter(2)
_get_kind = itemgetter(0)
_get_words = itemgetter(1)
_get_first, _get_end = itemgetter(0), itemgetter(1)


def lines_starting(analysis: LineAnalysis, prefixes: tuple[str, ...] | None, max_chars: int) -> list[int]:
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


def fullmatching(pattern: re.Pattern[str], norms) -> set[str]:
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


class LineAnalysis(tuple):
    """``(lines, infos)`` of a text, with per-document figures computed once on demand."""

    @cached_property
    def nav_counts(self) -> tuple[int, int]:
        """(navigation lines, of which legal notices): the evidence that this is a web page."""
        return nav_counts(self[1])

    @cached_property
    def norms(self) -> list[str]:
        return list(map(_get_norm, self[1]))

    @cached_property
    def kinds(self) -> list[int]:
        return list(map(_get_kind, self[1]))

    @cached_property
    def content(self) -> list[int]:
        """Indices of the non-blank lines."""
        # BLANK is 0, the one false class: the kinds select the lines themselves.
        return list(compress(range(len(self[1])), self.kinds))

    @cached_property
    def sorted_norms(self) -> list[str]:
        """The distinct lines, sorted: the lines with a given start are a bisection away."""
        known = self.__dict__.get("sorted_before")
        if known is None:
            return sorted(set(self.norms))
        # The text is what is left of one whose sorted lines are known (the
        # stage's dropper says so): filtered in one pass, where sorting again
        # costs n log n string comparisons on a long dump.
        left = set(self.norms)
        out = list(compress(known, map(left.__contains__, known)))
        if "" in left and out[:1] != [""]:
            out.insert(0, "")  # a blank line the text it came from had none of
        return out

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
RECENT_ANALYSES: Memo[list[tuple[str, LineAnalysis]]] = Memo("boilerplate.recent-analyses", list)
_RECENT_SIZE = 2


def recent_analysis(text: str, shared: DocumentAnalysis) -> LineAnalysis | None:
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


def remember_analysis(text: str, analysis: LineAnalysis, shared: DocumentAnalysis) -> LineAnalysis:
    recent = shared.memo(RECENT_ANALYSES)
    for k, (known, _) in enumerate(recent):
        if known == text:
            recent[k] = (known, analysis)
            return analysis
    if len(recent) >= _RECENT_SIZE:
        del recent[0]
    recent.append((text, analysis))
    return analysis


def analyse(text: str, shared: DocumentAnalysis | None = None) -> LineAnalysis:
    """The lines of a text and their classes, shared by the rules of this stage
    through the document's analysis (``ctx.analysis``)."""
    if shared is None:
        shared = DocumentAnalysis()
    found = recent_analysis(text, shared)
    if found is not None:
        return found
    lines = tuple(text.split("\n"))
    return remember_analysis(text, LineAnalysis((lines, _classify_lines(text, lines))), shared)


def mentions(text: str, keys) -> bool:
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


def is_markup(norm: str) -> bool:
    return len(_TAG.findall(norm, 0, 2000)) >= 3


# A finished line shorter than this, between two lines that are not prose, is a
# blurb (the safety check's own measure, whatever a rule's blurb_words option).
_BLURB_WORDS = 25


def _sentence_words(analysis: LineAnalysis) -> list[int]:
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
    # The analysis's columns, not the LineInfo fields: reading a field by
    # name costs several times an index into a list.
    norms = analysis.norms
    words = analysis.words
    for k in compress(range(len(content)), map(PROSE.__eq__, ckinds)):
        i = content[k]
        norm = norms[i]
        if not infos[i][3] or norm in seen or norm[0] == "<" and is_markup(norm):  # [3]: terminal
            continue
        seen.add(norm)
        n = words[i]
        if n < _BLURB_WORDS:
            prev = ckinds[k - 1] if k else BLANK
            nxt = ckinds[k + 1] if k < last else BLANK
            if prev not in (PROSE, META) and nxt not in (PROSE, META):
                continue
        out[i] = n
    return out



# A copyright line or "All rights reserved" is furniture at the foot of a web
# page, but licences, books, papers and package files carry dozens of them: as
# evidence that a document is a web page, they count once, however many there are.
_LEGAL_NOTICE = re.compile(r"^(?:©|\(c\)|copyright\b)|all rights reserved")


def nav_counts(infos) -> tuple[int, int]:
    """(navigation lines, of which legal notices) among ``infos``."""
    nav = [info.norm for info in infos if info.kind == NAV]
    return len(nav), sum(1 for norm in nav if _LEGAL_NOTICE.search(norm))


def is_web_page(analysis: LineAnalysis, min_nav_lines: int, legal_cap: int = 1) -> bool:
    """Enough navigation lines for the structural rules to act; legal notices
    count ``legal_cap`` times at most, however many there are."""
    nav, legal = analysis.nav_counts
    return nav - legal + min(legal, legal_cap) >= min_nav_lines


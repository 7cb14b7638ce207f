"""Spacing and punctuation: repair what scraping and fast typing broke.

Scraped text loses spaces where HTML put a tag between two sentences
(``ourselves.Of course``), and hand-typed text puts them on the wrong side of a
mark (``moves ,they``, ``( With``, ``DPRK ‘s``) or turns a quote the wrong way.
Each repair is its own rule, so users can read, count and switch off each kind.

The hard part is what must never change: ``U.S.``, ``3.14``, ``10:30``,
``example.com``, ``Node.js``, e-mail addresses, URLs, emoticons, code.  Those
*protected forms* are data (``rules/spacing/protected.toml``, one regex per
form with its examples), compiled once into one alternation.  A fix is made
only when the few characters it looks at do not touch a protected span, never
on a line of a fenced or indented code block, and never on a line that looks
like code (scraped pages carry code listings as plain lines, often with every
token spaced out: ``sz . find ( text , needle )``).  Protection is checked only
around candidate sites, not over the whole text: clean text has few
candidates, and finding them costs one literal-led regex scan per punctuation
character per document, shared by all rules (see ``_SITE_REGEX``).  That is
what keeps the stage fast on text that needs nothing.

Each guard against a false edit came from reading every edit the stage made
on 1.4 million words of clean web text (``bench/spacing.py``); the patterns it
found are kept as ``unchanged`` examples in the rule file and as tests.

Quotes are judged by position, never by pairing them up: a quote between two
spaces, or glued to the next word after a comma, is turned by whether a quote is
already open in the paragraph, and turned into an opening quote only when a
closing quote follows later in that paragraph.  Paragraphs that use other
quotation conventions („German“, «French», ”Swedish”) are left alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..language import LANGUAGES_FACT, english_verdict
from ..markdown import code_lines
from ..rules import Context, RawEdit, builtin_rules_dir, read_toml, replay

# --------------------------------------------------------------------------- protected forms


@dataclass(frozen=True)
class ProtectedForm:
    """One kind of text the stage must never edit (see rules/spacing/protected.toml)."""

    name: str
    description: str
    pattern: str | None  # None: protected by code, not by a regex (Markdown code blocks)
    examples: tuple[tuple[str, str | None], ...]  # (text, document path)


@lru_cache(maxsize=1)
def protected_forms() -> tuple[ProtectedForm, ...]:
    """The protected forms shipped with cleaner, read once per process."""
    path = builtin_rules_dir() / "spacing" / "protected.toml"
    data = read_toml(path)
    forms = []
    for raw in data["form"]:
        examples = []
        for ex in raw.get("examples", []):
            if isinstance(ex, str):
                examples.append((ex, None))
            else:
                examples.append((ex["text"], ex.get("path")))
        forms.append(ProtectedForm(raw["name"], raw["description"], raw.get("pattern"), tuple(examples)))
    return tuple(forms)


@lru_cache(maxsize=8)
def protected_regex(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    """All protected forms (plus a user's ``protected-patterns``) as one regex."""
    parts = [f"(?:{f.pattern})" for f in protected_forms() if f.pattern]
    parts += [f"(?:{p})" for p in extra]
    return re.compile("|".join(parts))


# Only this far around a candidate is searched for protected spans; the window
# is widened to the nearest space, so a protected token is never cut in two.
_WINDOW = 16
# A window this long (a chunk without spaces) has its matches found once and kept.
_LONG_WINDOW = 256

# A line that looks like code, in any document: scraped pages carry code
# listings as plain lines (often with every token spaced out), and code must
# come out as it went in.  Each test is a sign prose rarely shows; a false
# alarm only costs a missed fix on that line.  The tests are separate cheap
# substring and literal-led searches, not one alternation: Python's regex
# engine tries every branch at every position, which is 100 times slower.
_ENDS_WITH_SEMICOLON = re.compile(r";[ \t]*$", re.M)
_PAREN_SPACE = re.compile(r"\((?=\s|\))")  # `f( x`, `f()` once a word char precedes
_LINE_COMMENT = re.compile(r"//\s")
_LISTING = re.compile(r"^[ \t]*\d+(?:[ \t]+\d+)+[ \t]*\|", re.M)  # `1 2 3 | code`
_SPACED_CALL = re.compile(r"\w \. [A-Za-z_]\w* ?\(")  # `sz . find (`: code with every token spaced
# A shell command on a line of its own (`git checkout .`, `$ npm install`).
_SHELL = re.compile(
    r"^[ \t]*(?:\$ +)?(?:git|npm|npx|yarn|pnpm|pip3?|python3?|node|sudo|apt(?:-get)?|brew|docker|"
    r"kubectl|curl|wget|cd|ls|mkdir|rm|cp|mv|chmod|cat|echo|export|make|cargo|go|rsync|ssh|tar)"
    r" +[-\w./~$]",
    re.M,
)


def _looks_like_code(s: str) -> bool:
    """Does this line (or, with several lines, any line of this text) look like code?"""
    # Each two-character operator is looked for only when its rarer character
    # is present at all (a one-character search is a fast memchr).
    if "{" in s or "}" in s:
        return True
    if "=" in s and (
        "==" in s or "!=" in s or ":=" in s or "=>" in s or "+=" in s or "-=" in s
        or (" = " in s and (" * " in s or " + " in s))  # `cost = ( a * b ) + c`
    ):
        return True
    if "&" in s and "&&" in s:
        return True
    if "|" in s and ("||" in s or _LISTING.search(s)):
        return True
    if ">" in s and ("->" in s or ">>" in s):
        return True
    if "<" in s and "<<" in s:
        return True
    if "+" in s and "++" in s:
        return True
    if "$" in s and "$(" in s:
        return True
    if ":" in s and "::" in s:
        return True
    if s.startswith(("    ", "\t")) or "\n    " in s or "\n\t" in s:
        return True
    if ";" in s and _ENDS_WITH_SEMICOLON.search(s):
        return True
    if _SHELL.search(s):
        return True
    if " . " in s and _SPACED_CALL.search(s):
        return True
    if "(" in s:
        for m in _PAREN_SPACE.finditer(s):
            i = m.start()
            if i > 0 and (s[i - 1].isalnum() or s[i - 1] == "_"):
                return True
    if "//" in s:
        for m in _LINE_COMMENT.finditer(s):
            i = m.start()
            if i == 0 or s[i - 1].isspace():
                return True
    return False


class _Guard:
    """Answers "may this site be edited?" for one text, lazily and locally."""

    def __init__(self, text: str, ctx: Context):
        self.text = text
        extra = ctx.options.get("protected-patterns", ()) if ctx.options else ()
        if isinstance(extra, str):
            extra = (extra,)
        self.regex = protected_regex(tuple(extra))
        # Fenced blocks are honoured in any document that has a fence: text
        # pasted from chats and READMEs carries them into .txt files too.
        self.markdown = ctx.doc.markdown or "```" in text or "~~~" in text
        self._code_starts: list[int] | None = None
        self._code_mask: list[bool] = []
        self._code_like: dict[int, bool] = {}
        self._window_spans: dict[tuple[int, int], tuple[list[tuple[int, int]], list[int]]] = {}
        self._technical: bool | None = None
        self._ls = self._le = -1  # the line of the last site, and its backticks
        self._ticks: list[int] = []

    def _on_code_line(self, line_start: int) -> bool:
        if self._code_starts is None:
            lines = self.text.split("\n")
            self._code_mask = code_lines(lines)
            starts, pos = [], 0
            for line in lines:
                starts.append(pos)
                pos += len(line) + 1
            self._code_starts = starts
        index = bisect_right(self._code_starts, line_start) - 1
        return self._code_mask[index]

    def _line_is_code(self, ls: int, le: int) -> bool:
        known = self._code_like.get(ls)
        if known is None:
            known = self._code_like[ls] = _looks_like_code(self.text[ls:le])
        return known

    def technical(self) -> bool:
        """Does the document hold code anywhere (a code line, a backtick)?"""
        if self._technical is None:
            self._technical = "`" in self.text or _looks_like_code(self.text)
        return self._technical

    def blocked(self, a: int, b: int) -> bool:
        """True when [a, b) touches a protected span, inline code or a code line."""
        text = self.text
        if self._ls <= a and b <= self._le:
            ls, le, ticks = self._ls, self._le, self._ticks  # the line of the last site: sites come in order
        else:
            ls = text.rfind("\n", 0, a) + 1
            le = text.find("\n", b)
            if le < 0:
                le = len(text)
            # Where the line's backticks are, once per line (not a count from the line start per site).
            ticks = []
            tick = text.find("`", ls, le)
            while tick >= 0:
                ticks.append(tick)
                tick = text.find("`", tick + 1, le)
            if text.find("\n", a, b) < 0:  # kept only when it is one line (a site may end past a line break)
                self._ls, self._le, self._ticks = ls, le, ticks
        if self.markdown and self._on_code_line(ls):
            return True
        if self._line_is_code(ls, le):
            return True
        if ticks and bisect_left(ticks, a) % 2 == 1:
            return True  # inside an inline code span (an odd number of backticks before it)
        lo = a - _WINDOW
        ws = ls if lo <= ls else text.rfind(" ", ls, lo) + 1 or ls
        hi = b + _WINDOW
        if hi >= le:
            we = le
        else:
            we = text.find(" ", hi, le)
            if we < 0:
                we = le
        if we - ws > _LONG_WINDOW:
            # A long chunk without spaces: every site in it has this same window,
            # so its matches are found once, not once per site.
            spans = self._window_spans.get((ws, we))
            if spans is None:
                found = [m.span() for m in self.regex.finditer(text, ws, we)]
                spans = self._window_spans[ws, we] = (found, [end for _, end in found])
            found, ends = spans
            i = bisect_right(ends, a)  # matches end in order: the first to end after a
            while i < len(found) and found[i][0] < b:
                if found[i][1] > found[i][0]:
                    return True
                i += 1
            return False
        for m in self.regex.finditer(text, ws, we):
            if m.start() >= b:
                break
            if m.end() > a and m.end() > m.start():
                return True
        return False


# --------------------------------------------------------------------------- helpers


def _is_letter(ch: str) -> bool:
    # CJK scripts do not put spaces between words: leave their punctuation alone.
    return ch.isalpha() and ch < "\u2e80"


def _is_word_char(ch: str) -> bool:
    return (ch.isalnum() and ch < "\u2e80") or ch in "%)"


def _widen(text: str, cores: list[tuple[int, int, str]]) -> list[RawEdit]:
    """Turn minimal edits into edits a human recognises: whole neighbouring words.

    ``cores`` are (start, end, replacement), sorted and disjoint.  Each edit is
    widened to the non-space characters around it (at most 12 on each side),
    never into a neighbouring edit, so the edits stay disjoint and replayable.
    """
    edits: list[RawEdit] = []
    prev_end = 0
    for k, (start, end, new) in enumerate(cores):
        next_start = cores[k + 1][0] if k + 1 < len(cores) else len(text)
        left = start
        limit = max(prev_end, start - 12)
        while left > limit and not text[left - 1].isspace():
            left -= 1
        right = end
        limit = min(next_start, end + 12)
        while right < limit and not text[right].isspace():
            right += 1
        edits.append((left, text[left:right], text[left:start] + new + text[end:right]))
        prev_end = right
    return edits


def _disjoint(text: str, cores: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sorted cores with overlapping ones merged (two quotes of `“ ”` each claim
    the space between them), so that the edits made from them replay exactly."""
    merged: list[tuple[int, int, str]] = []
    for start, end, new in sorted(cores):
        if merged and start < merged[-1][1]:
            first, last, done = merged[-1]
            # What applying both in order gives: the second core's text after the
            # first's, and any of the first span the second does not reach.
            merged[-1] = (first, max(last, end), done + new + text[end:last])
        else:
            merged.append((start, end, new))
    return merged


def _finish(text: str, cores: list[tuple[int, int, str]]) -> tuple[str, list[RawEdit]]:
    if not cores:
        return text, []
    edits = _widen(text, _disjoint(text, cores))
    return replay(text, edits), edits


def _blank_before(text: str, i: int) -> bool:
    """Only spaces between the line's start and i?  Looks back over those
    spaces alone, never over the whole line (sites on one long line would
    make that quadratic)."""
    while i > 0 and text[i - 1] != "\n":
        if not text[i - 1].isspace():
            return False
        i -= 1
    return True


def _blank_after(text: str, i: int) -> bool:
    """Only spaces between i and the line's end?"""
    n = len(text)
    while i < n and text[i] != "\n":
        if not text[i].isspace():
            return False
        i += 1
    return True


def _word_before(text: str, i: int) -> str:
    """The run of letters and digits ending at i (exclusive)."""
    j = i
    while j > 0 and text[j - 1].isalnum():
        j -= 1
    return text[j:i]


def _word_after(text: str, i: int) -> str:
    j = i
    n = len(text)
    while j < n and text[j].isalnum():
        j += 1
    return text[i:j]


_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω"
_LOWER = "a-zß-öø-ÿĀ-ſа-яα-ω"

# Where each rule may have something to do, one regex per punctuation
# character.  Each regex is led by its character: Python's engine searches a
# literal-led pattern several times faster than one led by a class or an
# alternation (it has no multi-pattern search), and a character absent from a
# document costs only a memchr.  A regex serves every rule that looks at its
# character (`.` after a space for one rule, `.` before a capital for another),
# and its matches are cached per text, so a document that no rule changes is
# scanned once per character for the whole stage, not once per rule.
_SITE_REGEX = {
    ".": rf"\.(?:(?<= \.)|(?=[{_UPPER}][{_LOWER}{_UPPER}]))",
    "!": rf"!(?:(?<= !)|(?=[{_UPPER}][{_LOWER}{_UPPER}]))",
    "?": rf"\?(?:(?<= \?)|(?=[{_UPPER}][{_LOWER}{_UPPER}]))",
    ",": r",(?:(?<= ,)|(?=[^\W\d_]))",
    ";": r";(?:(?<= ;)|(?=[^\W\d_]))",
    ":": r":(?:(?<= :)|(?=[^\W\d_]))",
    "(": r"\((?= )",
    ")": r"\)(?<= \))",
    "’": r"’(?<= ’)(?=s)",
    "'": r"'(?<= ')(?=s)",
    "‘": r"‘(?=s)",
}
_SITE_COMPILED = {c: re.compile(p) for c, p in _SITE_REGEX.items()}


@lru_cache(maxsize=2)
def _sites_by_char(text: str) -> dict[str, tuple[int, ...]]:
    """The sites found so far in one text, per character.  Rules that change
    nothing hand the next rule the same text, so its sites are found once; only
    the last two texts are kept, so a long file is not held in several versions."""
    return {}


def _char_sites(text: str, char: str) -> tuple[int, ...]:
    sites = _sites_by_char(text)
    found = sites.get(char)
    if found is None:
        found = sites[char] = tuple(m.start() for m in _SITE_COMPILED[char].finditer(text)) if char in text else ()
    return found


def _scan(text: str, chars: str) -> list[int]:
    """Sorted offsets where one of ``chars`` may need a fix (see _SITE_REGEX)."""
    found: list[int] = []
    for char in chars:
        found += _char_sites(text, char)
    found.sort()
    return found


def _find_all(text: str, needles: tuple[str, ...]) -> list[int]:
    """Sorted offsets of every occurrence of each needle (str.find is fast)."""
    found = []
    find = text.find
    for needle in needles:
        i = find(needle)
        while i >= 0:
            found.append(i)
            i = find(needle, i + 1)
    found.sort()
    return found


# --------------------------------------------------------------------------- ellipsis

def ellipsis_run(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """A run of ellipses and dots becomes one ``…``; a space follows when a word does."""
    if "…" not in text:
        return text, []
    guard: _Guard | None = None
    cores = []
    n = len(text)
    done = -1
    for i in _find_all(text, ("…",)):  # `…` is rare: a memchr-fast find
        if i < done:
            continue  # inside a run already handled
        a, b = i, i + 1
        while a > 0 and text[a - 1] in ".…":
            a -= 1
        while b < n and text[b] in ".…":
            b += 1
        done = b
        if b - a < 2:
            continue  # a single `…` is a writer's choice
        if _blank_before(text, a) and _blank_after(text, b):
            continue  # a line of dots alone is a separator, not an ellipsis
        if guard is None:
            guard = _Guard(text, ctx)
        if guard.blocked(a, b):
            continue
        before = text[a - 1] if a > 0 else " "
        after = text[b] if b < n else " "
        new = "…"
        if _is_letter(after) and (before.isalnum() or before in ")]”’\"'"):
            new = "… "
        cores.append((a, b, new))
    return _finish(text, cores)


# --------------------------------------------------------------------------- space before a mark



_SPACED_TLDS = frozenset(("com", "org", "net", "edu", "gov", "io", "co", "uk", "de", "fr", "info"))
_STOP_GLUED = re.compile(r"[^\s.]\. ")  # a full stop written the usual way
_FRENCH_WORDS = (" les ", " des ", " est ", " une ", " pour ", " dans ", " avec ", " qui ")


def _french_typography(text: str) -> bool:
    """French puts a space before ; : ! ? (and inside « »): there it is right."""
    if "«" in text or "»" in text:
        return True
    hits = sum(text.count(w) for w in _FRENCH_WORDS)
    return hits >= 3 and hits * 400 >= len(text)


def _french_paragraph(text: str, at: int, ctx: Context) -> bool:
    """Is the paragraph at ``at`` French by cleaner.language's verdict (English far behind)?"""
    verdict = ctx.analysis.fact(LANGUAGES_FACT, text).at(at)
    return verdict.language == "fr" and english_verdict(verdict, short=True) is False


def space_before_punct(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``efforts .`` -> ``efforts.``; ``moves ,they`` -> ``moves, they`` (the space moves)."""
    sites = _scan(text, ".,;:!?")
    if not sites:
        return text, []
    guard = _Guard(text, ctx)
    lines = _LineFacts(text)
    n = len(text)
    cores = []
    french: bool | None = None
    for mark_at in sites:
        space_at = mark_at - 1
        if text[space_at] != " ":
            continue  # a site of the missing-space rules
        if text[mark_at] in ";:!?":
            if french is None:
                french = _french_typography(text)
            if french or _french_paragraph(text, mark_at, ctx):
                continue
        mark = text[mark_at]
        a = space_at
        while a > 0 and text[a - 1] == " ":
            a -= 1
        if a == 0 or not _is_word_char(text[a - 1]) or text[a - 1] == ")":
            continue
        nxt = text[mark_at + 1] if mark_at + 1 < n else "\n"
        if nxt == "\n" or nxt in "”’\")]":
            new = mark  # end of line, or before a closing quote or bracket
        elif nxt == " ":
            if mark in ":;":
                continue  # `Nothing Ear 3 : This`: a spaced separator, a style
            if mark in ".," and text[a - 1].isdigit() and text[mark_at + 2 : mark_at + 3].isdigit():
                continue  # `(615) 682 . 1622`: a number written with spaces
            if mark == ".":
                if text.startswith(" .", mark_at + 1):
                    continue  # `I know . . . some`: a spaced ellipsis
                if _word_after(text, mark_at + 2) in _SPACED_TLDS:
                    continue  # `Ben Nadel . com`: a domain written with spaces
                if lines.get(a, _spaced_separators):
                    continue  # `Kelsey Media . The Granary . Downs Court`: a separator
            new = mark
        elif _is_letter(nxt) and mark in ".,;":
            if mark == "." and not (nxt.isupper() and mark_at + 2 < n and text[mark_at + 2].islower()):
                continue  # `.NET`, `.com`: a name, not a sentence end
            new = mark + " "
        else:
            continue  # ` ...`, ` .5`, ` :)`, ` ,000`, ` !Exists`
        if guard.blocked(a - 1, mark_at + 2):
            continue
        cores.append((a, mark_at + 1, new))
    return _finish(text, cores)


# --------------------------------------------------------------------------- parentheses

def space_before_close_paren(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``p19 )`` -> ``p19)``; a single letter or digit before it is a list marker (``a )``)."""
    sites = _scan(text, ")")
    if not sites:
        return text, []
    guard = _Guard(text, ctx)
    cores = []
    # Parentheses opened and closed on the current line before the site,
    # counted from the previous site on (a count from the line's start per
    # site is quadratic on one long line).
    counted = ls = opened = closed = 0
    for paren_at in sites:
        a, b = paren_at - 1, paren_at
        while a > 0 and text[a - 1] == " ":
            a -= 1
        if a == 0 or not text[a - 1].isalnum():
            continue
        if a > counted:
            nl = text.rfind("\n", counted, a)
            if nl >= 0:
                ls = nl + 1
                opened, closed = text.count("(", ls, a), text.count(")", ls, a)
            else:
                opened, closed = opened + text.count("(", counted, a), closed + text.count(")", counted, a)
            counted = a
        if len(_word_before(text, a)) < 2 and opened <= closed:
            continue  # `a ) b )`: list markers, not a closing parenthesis
        if guard.blocked(a - 1, b + 1):
            continue
        cores.append((a, b, ""))
    return _finish(text, cores)


def space_after_open_paren(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``( With`` -> ``(With``, when the parenthesis is closed later on the line."""
    sites = _scan(text, "(")
    if not sites:
        return text, []
    guard = _Guard(text, ctx)
    cores = []
    n = len(text)
    # The next `)` and the next line break after a site: searched again only
    # once a site has passed them (sites come in order), so a long line with
    # no `)` is scanned once, not once per site.
    close = line_end = -1
    for a in sites:
        b = a + 1
        while b < n and text[b] == " ":
            b += 1
        if b >= n or not (text[b].isalnum() or text[b] == "_"):
            continue
        if line_end < b:
            line_end = text.find("\n", b)
            if line_end < 0:
                line_end = n
        if close < b:
            close = text.find(")", b)
            if close < 0:
                close = n
        if close >= line_end:
            continue
        if guard.blocked(a, b + 1):
            continue
        cores.append((a + 1, b, ""))
    return _finish(text, cores)


# --------------------------------------------------------------------------- possessive



def possessive(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``DPRK ‘s`` / ``DPRK ’s`` -> ``DPRK’s``: no space before a possessive, apostrophe turned."""
    sites = _scan(text, "’'‘")
    if not sites:
        return text, []
    guard = _Guard(text, ctx)
    cores = []
    n = len(text)
    languages = None
    for mark_at in sites:
        spaced = mark_at > 0 and text[mark_at - 1] == " "
        if not spaced and text[mark_at] != "‘":
            continue
        if languages is None:
            languages = ctx.analysis.fact(LANGUAGES_FACT, text)
        verdict = languages.at(mark_at)
        if verdict.sure and verdict.language != "en":
            continue  # an English possessive; Dutch `’s avonds`, German `fand ’s` are words
        a = mark_at - 1 if spaced else mark_at  # the space, or a glued ‘
        end = mark_at + 2  # after the s
        if a == 0 or not _is_letter(text[a - 1]):
            continue
        if end < n and (text[end].isalnum() or text[end] in "_‘’'"):
            continue  # `‘so’`, `‘s’`: a quotation, not a possessive
        if guard.blocked(a - 1, end):
            continue
        new = "'" if text[mark_at] == "'" else "’"
        cores.append((a, mark_at + 1, new))
    return _finish(text, cores)


# --------------------------------------------------------------------------- quotes

_FOREIGN_QUOTES = ("„", "«", "»", "‚")


def _quote_plan(text: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """Decide, for one paragraph, which double quotes to turn or space.

    Returns (start, end, replacement, kind) with kind "turn" (the quote changes
    direction, and the space moves with it) or "space" (a space is added or
    removed, the quote keeps its direction).
    """
    para = text[start:end]
    if any(q in para for q in _FOREIGN_QUOTES):
        return []
    # Turning a quote needs the English convention: “ and ” both in use.
    english = "“" in para
    where = _find_all(para, ("“", "”"))
    first_straight = para.find('"')  # (a straight quote before a curly one: see below)
    depth = 0
    plan = []
    n = len(para)
    for k, i in enumerate(where):
        q = para[i]
        p = para[i - 1] if i > 0 else "\n"
        nx = para[i + 1] if i + 1 < n else "\n"
        closes_later = k + 1 < len(where) and para[where[k + 1]] == "”"
        # A straight quote before this one may be what opened it: do not guess.
        clear = english and closes_later and not 0 <= first_straight < i
        result = q
        fix = None
        if p.isspace() and nx.isspace() and i > 0:
            if depth > 0:  # `Century “ he` -> `Century” he`
                result = "”"
                fix = (i - 1, i + 1, "”")
            elif clear:  # `was ” a` -> `was “a`
                result = "“"
                fix = (i, i + 2, "“")
        elif _is_letter(p) and _is_letter(nx):
            # `Pyongyang”to` -> `Pyongyang” to`; `said“Hello` -> `said “Hello`
            fix = (i, i + 1, "” ") if q == "”" else (i, i + 1, " “")
        elif p in ".,;:!?" and _is_letter(nx) and english:
            if depth > 0:  # `base.”As such` -> `base.” As such`
                result = "”"
                fix = (i, i + 1, "” ")
            elif q == "“":  # `said,“Hello` -> `said, “Hello`
                fix = (i, i + 1, " “")
            elif clear:  # `comrade),”Proletarian ...,”` -> `comrade), “Proletarian`
                result = "“"
                fix = (i, i + 1, " “")
        elif (
            q == "”" and p in ",;:" and nx == " " and i + 2 < n and _is_letter(para[i + 2])
            and depth == 0 and clear
        ):  # `Iaconangelo,” Fidel Castro Says ...,”` -> `Iaconangelo, “Fidel`
            result = "“"
            fix = (i, i + 2, " “")
        elif q == "“" and _is_letter(p) and (nx.isspace() or nx in ".,;:!?") and depth > 0 and english:
            result = "”"  # `Century“ he` -> `Century” he`
            fix = (i, i + 1, "”")
        elif q == "”" and (p.isspace() or i == 0) and _is_letter(nx) and depth == 0 and clear:
            result = "“"  # `said ”Hello ...”` -> `said “Hello`
            fix = (i, i + 1, "“")
        if result == "“":
            depth += 1
        else:
            depth = max(0, depth - 1)
        if fix is not None:
            a, b, new = fix
            kind = "turn" if result != q else "space"
            plan.append((start + a, start + b, new, kind))
    return plan


@lru_cache(maxsize=4)
def _quote_plans(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """Every paragraph's quote plan; both quote rules need it for the same text."""
    plans: list[tuple[int, int, str, str]] = []
    n = len(text)
    find = text.find
    pos = 0
    while True:
        # The next quote of either kind (two memchr searches beat one regex).
        o, c = find("“", pos), find("”", pos)
        q = min(o, c) if o >= 0 and c >= 0 else max(o, c)
        if q < 0:
            break
        # Paragraphs are separated by blank lines (the whitespace stage has run).
        ps = text.rfind("\n\n", 0, q)
        ps = 0 if ps < 0 else ps + 2
        pe = find("\n\n", q)
        if pe < 0:
            pe = n
        plans += _quote_plan(text, ps, pe)
        pos = pe
    return tuple(plans)


def _quote_fixes(text: str, ctx: Context, kind: str) -> tuple[str, list[RawEdit]]:
    if "”" not in text and "“" not in text:
        return text, []
    guard: _Guard | None = None
    cores = []
    for a, b, new, k in _quote_plans(text):
        if k != kind:
            continue
        if guard is None:
            guard = _Guard(text, ctx)
        if not guard.blocked(a - 1, b + 1):
            cores.append((a, b, new))
    return _finish(text, cores)


def quote_direction(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """A double quote turned the wrong way is turned back, judged by its position."""
    return _quote_fixes(text, ctx, "turn")


def quote_glued(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """A double quote glued to the word on its far side gets its space."""
    return _quote_fixes(text, ctx, "space")


# --------------------------------------------------------------------------- missing space after a mark

def _camel(word: str) -> bool:
    """`YouTube`, `getName`: an inner capital marks a name or code, not a sentence."""
    return any(ch.isupper() for ch in word[1:])


class _LineFacts:
    """Facts about the line around an offset, each worked out once per line:
    a long line holds thousands of sites, and a fact read from the whole line
    for each of them would make the stage quadratic in the line's length."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.start = self.end = -1
        self.facts: dict[Callable[[str], bool], bool] = {}

    def get(self, i: int, fact: Callable[[str], bool]) -> bool:
        if not self.start <= i < self.end:
            self.start = self.text.rfind("\n", 0, i) + 1
            end = self.text.find("\n", i)
            self.end = end if end >= 0 else len(self.text)
            self.facts = {}
        known = self.facts.get(fact)
        if known is None:
            known = self.facts[fact] = fact(self.text[self.start : self.end])
        return known


def _title_like(line: str) -> bool:
    """Is the line a title or a list of names (most words capitalised)?"""
    words = [w for w in line.split() if w[:1].isalpha()]
    if len(words) < 3:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised * 10 >= len(words) * 6


def _one_token_line(line: str) -> bool:
    return " " not in line.strip()


def _spaced_separators(line: str) -> bool:
    """`Kelsey Media . The Granary . Downs Court`: spaced stops that separate, not end sentences."""
    return line.count(" . ") > 1 and _STOP_GLUED.search(line) is None


@lru_cache(maxsize=4)
def _word_set(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(words)


def _missing_space(
    text: str,
    ctx: Context,
    chars: str,
    *,
    sentence: bool,
    starters: frozenset[str] = frozenset(),
) -> tuple[str, list[RawEdit]]:
    guard: _Guard | None = None
    lines = _LineFacts(text)
    cores = []
    for i in _scan(text, chars):
        if i == 0:
            continue
        p = text[i - 1]
        if not (_is_letter(p) or p.isdigit() or (p == ")" and sentence)):
            continue
        left = _word_before(text, i)
        right = _word_after(text, i + 1)
        if len(left) < 2 and p != ")":
            continue  # `x,y`, `J.Smith`: coordinates, initials
        if len(right) < 2 or not right.isalpha() or not _is_letter(right[0]):
            continue
        if sentence and lines.get(i, _title_like):
            continue  # `Leki Ultratrail FX.One Superlite Review`: a name in a title
        if not sentence and lines.get(i, _one_token_line):
            continue  # `US,en`: a code or a value, not a sentence
        if sentence and right not in starters:
            # Not a word that usually opens a sentence: `String.Index`,
            # `Earth.Org`, `file.Close` are names.  Still a sentence after a plain
            # lowercase word in a document without code (`ruled.International`),
            # and an acronym after one (`imperialism.KPRA units`).
            if not (left.islower() and len(left) >= 3):
                continue
            if _camel(right) and not (right.isupper() and text.startswith(" ", i + 1 + len(right))):
                continue
            if guard is None:
                guard = _Guard(text, ctx)
            if guard.technical():
                continue
        if guard is None:
            guard = _Guard(text, ctx)
        if guard.blocked(i, i + 2):
            continue
        cores.append((i + 1, i + 1, " "))
    return _finish(text, cores)


def space_after_sentence(text: str, ctx: Context, *, starters: list[str] | tuple[str, ...]) -> tuple[str, list[RawEdit]]:
    """``forces.The`` -> ``forces. The``: a capitalised word after . ! ? gets its space."""
    return _missing_space(text, ctx, ".!?", sentence=True, starters=_word_set(tuple(starters)))


def space_after_comma(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``weapons,nor`` -> ``weapons, nor``; the same for ``;``."""
    return _missing_space(text, ctx, ",;", sentence=False)


def space_after_colon(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``follows:the`` -> ``follows: the``."""
    return _missing_space(text, ctx, ":", sentence=False)


FIXERS = {
    "spacing.ellipsis-run": ellipsis_run,
    "spacing.space-before-punct": space_before_punct,
    "spacing.space-before-close-paren": space_before_close_paren,
    "spacing.space-after-open-paren": space_after_open_paren,
    "spacing.possessive": possessive,
    "spacing.quote-direction": quote_direction,
    "spacing.quote-glued": quote_glued,
    "spacing.space-after-sentence": space_after_sentence,
    "spacing.space-after-comma": space_after_comma,
    "spacing.space-after-colon": space_after_colon,
}

# Settings read from [tool.cleaner.spacing].
OPTIONS: dict[str, str] = {
    "protected-patterns": "regexes of your own forms the spacing rules must not touch",
}

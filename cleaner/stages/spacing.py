"""Spacing and punctuation: repair what scraping and fast typing broke.

Scraped text loses spaces where HTML put a tag between two sentences
(``ourselves.Of course``), and hand-typed text puts them on the wrong side of a
mark (``moves ,they``, ``( With``, ``DPRK ‘s``) or turns a quote the wrong way.
Each repair is its own rule, so users can read, count and switch off each kind.

The hard part is what must never change: ``U.S.``, ``3.14``, ``10:30``,
``example.com``, ``Node.js``, e-mail addresses, URLs, emoticons, code.  Those
*protected forms* are data (``rules/spacing/protected.toml``, one regex per
form with its examples), compiled once into one alternation.  A fix is made
only when the few characters it looks at do not touch a protected span, and in
Markdown never on a code line.  Protection is checked only around candidate
sites, not over the whole text: clean text has few candidates, and every rule
first asks cheap substring questions (``" ," in text``) before running a regex,
which is what keeps the stage fast on text that needs nothing.

Quotes are judged by position, never by pairing them up: a quote between two
spaces, or glued to the next word after a comma, is turned by whether a quote is
already open in the paragraph, and turned into an opening quote only when a
closing quote follows later in that paragraph.  Paragraphs that use other
quotation conventions („German“, «French», ”Swedish”) are left alone.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..markdown import code_lines
from ..rules import Context, RawEdit, builtin_rules_dir, replay

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
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
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
_WINDOW = 48


class _Guard:
    """Answers "may this site be edited?" for one text, lazily and locally."""

    def __init__(self, text: str, ctx: Context):
        self.text = text
        extra = ctx.options.get("protected-patterns", ()) if ctx.options else ()
        if isinstance(extra, str):
            extra = (extra,)
        self.regex = protected_regex(tuple(extra))
        self.markdown = ctx.doc.markdown
        self._code_starts: list[int] | None = None
        self._code_mask: list[bool] = []

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

    def blocked(self, a: int, b: int) -> bool:
        """True when [a, b) touches a protected span, inline code or a code line."""
        text = self.text
        ls = text.rfind("\n", 0, a) + 1
        le = text.find("\n", b)
        if le < 0:
            le = len(text)
        if self.markdown and self._on_code_line(ls):
            return True
        if "`" in text[ls:le] and text.count("`", ls, a) % 2 == 1:
            return True  # inside an inline code span
        lo = a - _WINDOW
        ws = ls if lo <= ls else text.rfind(" ", ls, lo) + 1 or ls
        hi = b + _WINDOW
        if hi >= le:
            we = le
        else:
            we = text.find(" ", hi, le)
            if we < 0:
                we = le
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


def _finish(text: str, cores: list[tuple[int, int, str]]) -> tuple[str, list[RawEdit]]:
    if not cores:
        return text, []
    cores.sort()
    edits = _widen(text, cores)
    return replay(text, edits), edits


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


def _has_any(text: str, needles: tuple[str, ...]) -> bool:
    return any(n in text for n in needles)


# --------------------------------------------------------------------------- ellipsis

_ELLIPSIS_RUN = re.compile(r"…[.…]+|\.+…[.…]*")


def ellipsis_run(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """A run of ellipses and dots becomes one ``…``; a space follows when a word does."""
    if not _has_any(text, ("……", "….", ".…")):
        return text, []
    guard = _Guard(text, ctx)
    cores = []
    for m in _ELLIPSIS_RUN.finditer(text):
        a, b = m.span()
        if guard.blocked(a, b):
            continue
        before = text[a - 1] if a > 0 else " "
        after = text[b] if b < len(text) else " "
        new = "…"
        if _is_letter(after) and (before.isalnum() or before in ")]”’\"'"):
            new = "… "
        cores.append((a, b, new))
    return _finish(text, cores)


# --------------------------------------------------------------------------- space before a mark

_BEFORE_NEEDLES = (" .", " ,", " ;", " :", " !", " ?")
_SPACE_BEFORE = re.compile(r"( +)([.,;:!?])")


def space_before_punct(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``efforts .`` -> ``efforts.``; ``moves ,they`` -> ``moves, they`` (the space moves)."""
    if not _has_any(text, _BEFORE_NEEDLES):
        return text, []
    guard = _Guard(text, ctx)
    n = len(text)
    cores = []
    for m in _SPACE_BEFORE.finditer(text):
        a, mark_at = m.start(), m.start(2)
        mark = m.group(2)
        if a == 0 or not _is_word_char(text[a - 1]) or text[a - 1] == ")":
            continue
        nxt = text[mark_at + 1] if mark_at + 1 < n else "\n"
        if nxt.isspace() or nxt in "”’\")]":
            new = mark
            end = mark_at + 1
        elif _is_letter(nxt):
            if mark in ".!?" and not (nxt.isupper() and mark_at + 2 < n and text[mark_at + 2].islower()):
                continue  # `.NET`, `.com`: a name, not a sentence end
            new = mark + " "
            end = mark_at + 1
        else:
            continue  # ` ...`, ` .5`, ` :)`, ` ,000`
        if guard.blocked(a - 1, mark_at + 2):
            continue
        cores.append((a, end, new))
    return _finish(text, cores)


# --------------------------------------------------------------------------- parentheses

_SPACE_CLOSE = re.compile(r" +\)")
_SPACE_OPEN = re.compile(r"\( +(?=\w)")


def space_before_close_paren(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``p19 )`` -> ``p19)``; a single letter or digit before it is a list marker (``a )``)."""
    if " )" not in text:
        return text, []
    guard = _Guard(text, ctx)
    cores = []
    for m in _SPACE_CLOSE.finditer(text):
        a, b = m.span()
        if a == 0 or not text[a - 1].isalnum():
            continue
        ls = text.rfind("\n", 0, a) + 1
        if text.count("(", ls, a) <= text.count(")", ls, a) and len(_word_before(text, a)) < 2:
            continue  # `a ) b )`: list markers, not a closing parenthesis
        if guard.blocked(a - 1, b):
            continue
        cores.append((a, b - 1, ""))
    return _finish(text, cores)


def space_after_open_paren(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``( With`` -> ``(With``, when the parenthesis is closed later on the line."""
    if "( " not in text:
        return text, []
    guard = _Guard(text, ctx)
    cores = []
    for m in _SPACE_OPEN.finditer(text):
        a, b = m.span()
        le = text.find("\n", b)
        if le < 0:
            le = len(text)
        if text.find(")", b, le) < 0:
            continue
        if guard.blocked(a, b + 1):
            continue
        cores.append((a + 1, b, ""))
    return _finish(text, cores)


# --------------------------------------------------------------------------- possessive

_POSSESSIVE = re.compile(r"( ?)([‘’'])s(?![\w‘’'])")


def possessive(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``DPRK ‘s`` / ``DPRK ’s`` -> ``DPRK’s``: no space before a possessive, apostrophe turned."""
    if not _has_any(text, (" ‘s", " ’s", " 's", "‘s")):
        return text, []
    guard = _Guard(text, ctx)
    cores = []
    for m in _POSSESSIVE.finditer(text):
        a = m.start()
        space, mark = m.group(1), m.group(2)
        if not space and mark != "‘":
            continue  # `DPRK’s`, `DPRK's`: already right
        if a == 0 or not _is_letter(text[a - 1]):
            continue
        if guard.blocked(a - 1, m.end()):
            continue
        new = "’" if mark in "‘’" else "'"
        cores.append((a, m.start(2) + 1, new))
    return _finish(text, cores)


# --------------------------------------------------------------------------- quotes

_FOREIGN_QUOTES = ("„", "«", "»", "‚")
_DOUBLE_QUOTE = re.compile("[“”]")


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
    where = [i for i, ch in enumerate(para) if ch == "“" or ch == "”"]
    depth = 0
    plan = []
    n = len(para)
    for k, i in enumerate(where):
        q = para[i]
        p = para[i - 1] if i > 0 else "\n"
        nx = para[i + 1] if i + 1 < n else "\n"
        closes_later = k + 1 < len(where) and para[where[k + 1]] == "”"
        # A straight quote before this one may be what opened it: do not guess.
        clear = english and closes_later and '"' not in para[:i]
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


def _quote_fixes(text: str, ctx: Context, kind: str) -> tuple[str, list[RawEdit]]:
    if "”" not in text and "“" not in text:
        return text, []
    guard = _Guard(text, ctx)
    cores = []
    pe = -1
    for m in _DOUBLE_QUOTE.finditer(text):
        if m.start() < pe:
            continue  # this paragraph is done
        # Paragraphs are separated by blank lines (the whitespace stage has run).
        ps = text.rfind("\n\n", 0, m.start())
        ps = 0 if ps < 0 else ps + 2
        pe = text.find("\n\n", m.start())
        if pe < 0:
            pe = len(text)
        for a, b, new, k in _quote_plan(text, ps, pe):
            if k == kind and not guard.blocked(a - 1, b + 1):
                cores.append((a, b, new))
    return _finish(text, cores)


def quote_direction(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """A double quote turned the wrong way is turned back, judged by its position."""
    return _quote_fixes(text, ctx, "turn")


def quote_glued(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """A double quote glued to the word on its far side gets its space."""
    return _quote_fixes(text, ctx, "space")


# --------------------------------------------------------------------------- missing space after a mark

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω"
_LOWER = "a-zß-öø-ÿĀ-ſа-яα-ω"
_AFTER_SENTENCE = re.compile(rf"[.!?](?=[{_UPPER}][{_LOWER}{_UPPER}])")
_AFTER_COMMA = re.compile(r"[,;](?=[^\W\d_])")
_AFTER_COLON = re.compile(r":(?=[^\W\d_])")


def _camel(word: str) -> bool:
    """`YouTube`, `getName`: an inner capital marks a name or code, not a sentence."""
    return any(ch.isupper() for ch in word[1:])


def _missing_space(
    text: str, ctx: Context, regex: re.Pattern[str], *, capital: bool, left_min: int, right_min: int
) -> tuple[str, list[RawEdit]]:
    guard: _Guard | None = None
    cores = []
    for m in regex.finditer(text):
        i = m.start()
        if i == 0:
            continue
        p = text[i - 1]
        if not (_is_letter(p) or p.isdigit() or (p == ")" and capital)):
            continue
        left = _word_before(text, i)
        right = _word_after(text, i + 1)
        if len(left) < left_min and p != ")":
            continue
        if len(right) < right_min or not right.isalpha() or not _is_letter(right[0]):
            continue
        if capital and _camel(right):
            # An acronym starts a sentence too (`imperialism.KPRA units`), but only
            # after a plain lowercase word and before a space: `config.JSON`,
            # `ASP.NET` and `Inc.NYSE:` are names.
            if not (
                right.isupper()
                and left.islower()
                and len(left) >= 3
                and text[i + 1 + len(right) : i + 2 + len(right)] == " "
            ):
                continue
        if guard is None:
            guard = _Guard(text, ctx)
        if guard.blocked(i, i + 2):
            continue
        cores.append((i + 1, i + 1, " "))
    return _finish(text, cores)


def space_after_sentence(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``forces.The`` -> ``forces. The``: a capitalised word after . ! ? gets its space."""
    return _missing_space(text, ctx, _AFTER_SENTENCE, capital=True, left_min=2, right_min=2)


def space_after_comma(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``weapons,nor`` -> ``weapons, nor``; the same for ``;``."""
    if "," not in text and ";" not in text:
        return text, []
    return _missing_space(text, ctx, _AFTER_COMMA, capital=False, left_min=2, right_min=2)


def space_after_colon(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``follows:the`` -> ``follows: the``."""
    if ":" not in text:
        return text, []
    return _missing_space(text, ctx, _AFTER_COLON, capital=False, left_min=2, right_min=2)


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

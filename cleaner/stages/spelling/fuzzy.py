"""Fuzzy lookup: the most likely intended word for a non-word, or nothing.

A noisy-channel ranking: each candidate (a common dictionary word of similar
length, found with rapidfuzz) is scored by how common it is (Zipf value) minus
how unlikely the slip from it to the typed word is (a weighted edit cost).
Slips people actually make are cheap: a doubled or missing double letter, two
letters swapped, a vowel for a vowel, a neighbouring key, a letter that sounds
alike.  Anything else costs more.  That is what sends ``dialetics`` to
``dialectics`` (one missing letter) and not to the more common ``diabetics``
(``l`` for ``b``: neither near nor alike).

Slips by ear (``hifin`` for ``hyphen``, ``psicolagest`` for ``psychologist``)
are far from their word letter by letter, so candidates are also found by a
sound skeleton (``lex.sounds``) and costed on a respelling by sound
(``sounds_like``).  That route finds brands and coinages too (``kustomer``,
``cronjob``), so a winner found by sound alone must keep the typed first
letter and score at least ``min_sound_score``.

The slip costs above are set by hand.  A second error model is learned from
real slips (``rules/spelling/channel.tsv``, by ``bench/spelling_channel.py``
from the typos project's table): as the main model it fixes more slips but
also more terms on clean text, so it serves as a second opinion instead
(``second_opinion``): when it has a clear winner other than the hand-set
model's, the word is only reported (``telnetd``: telnet or talented?).

A long word with no candidate in reach (``iteneary``) gets one more look, by a
looser sound key (``loose_key``: voiced and voiceless consonants and the nasals
made one) with more slip allowed; only a common word may win that way.

A candidate is only returned when it wins clearly: the runner-up must trail by
a margin, British and American spellings of one word do not compete with each
other, and a token that is itself a (rare) web word must be beaten by more
than its own frequency.  Otherwise the word is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar
from functools import cached_property, lru_cache
from math import inf, nextafter
from operator import itemgetter


from ...rules import builtin_rules_dir
from .lexicon import Lexicon
from .sounds import loose_key, skeleton, sounds_like

VOWELS = frozenset("aeiouy")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEAR: dict[str, set[str]] = {}
for r, row in enumerate(_ROWS):
    for c, ch in enumerate(row):
        near = _NEAR.setdefault(ch, set())
        for dr in (-1, 0, 1):
            rr = r + dr
            if 0 <= rr < len(_ROWS):
                for dc in (-1, 0, 1):
                    cc = c + dc
                    if (dr or dc) and 0 <= cc < len(_ROWS[rr]):
                        near.add(_ROWS[rr][cc])
_SOUND_ALIKE = [set("cksq"), set("sz"), set("iy"), set("fv"), set("gj"), set("mn"), set("dt"), set("bp")]


def _pair_cost(a: str, b: str) -> float:
    if a in VOWELS and b in VOWELS:
        return 0.8
    if b in _NEAR.get(a, ()):
        return 0.9
    if any(a in group and b in group for group in _SOUND_ALIKE):
        return 0.9
    return 1.5


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, eq=False)
class Channel:
    """How likely each slip is: the costs of one edit, in units of slip cost.

    ``sub[(intended, typed)]`` and ``swap[(a, b)]`` (``ab`` typed ``ba``) by
    letters; a letter left out or typed too many by its context (see
    ``missing_context`` and ``extra_context``).  A pair not listed costs the
    kind's default.
    """

    sub: dict
    swap: dict
    missing: dict
    extra: dict
    default_sub: float
    default_swap: float
    default_missing: float
    default_extra: float

    @cached_property
    def least(self) -> float:
        """The cheapest single edit: a lower bound on any slip's cost per edit."""
        return min(
            self.default_sub, self.default_swap, self.default_missing, self.default_extra,
            *self.sub.values(), *self.swap.values(), *self.missing.values(), *self.extra.values(),
        )

    @cached_property
    def sub_rows(self) -> dict[str, dict[str, float]]:
        """``sub`` by the typed letter: typed -> {intended: cost}, one row per
        letter of the typed word instead of a pair built per cell."""
        rows: dict[str, dict[str, float]] = {}
        for (intended, typed), cost in self.sub.items():
            rows.setdefault(typed, {})[intended] = cost
        return rows

    @lru_cache(maxsize=4096)
    def extra_costs(self, typed: str) -> tuple[float, ...]:
        """The cost of each typed letter being one too many (per letter: one word meets a dozen candidates)."""
        get, default = self.extra.get, self.default_extra
        return tuple([get((extra_context(typed, i), typed[i]), default) for i in range(len(typed))])

    @lru_cache(maxsize=16384)
    def missing_costs(self, intended: str) -> tuple[float, ...]:
        """The cost of each intended letter being left out."""
        get, default = self.missing.get, self.default_missing
        return tuple([get((missing_context(intended, j), intended[j]), default) for j in range(len(intended))])


def missing_context(intended: str, j: int) -> str:
    """What a left-out letter is judged by: itself when it is half of a double
    (``acomodate``), else the letter before it (``^`` at the start)."""
    ch = intended[j]
    if (j > 0 and intended[j - 1] == ch) or (j + 1 < len(intended) and intended[j + 1] == ch):
        return ch
    return intended[j - 1] if j else "^"


def extra_context(typed: str, i: int) -> str:
    """What a typed letter too many is judged by: itself when it doubles a
    neighbour (``questionning``), else the typed letter before it."""
    ch = typed[i]
    if (i > 0 and typed[i - 1] == ch) or (i + 1 < len(typed) and typed[i + 1] == ch):
        return ch
    return typed[i - 1] if i else "^"


def _hand_channel() -> Channel:
    """The costs set by hand: cheap for a vowel, a neighbouring key, a letter
    that sounds alike, a double letter; 1.0 or 1.5 for anything else."""
    sub = {(a, b): _pair_cost(a, b) for a in _LETTERS for b in _LETTERS if a != b}
    doubled = {(ch, ch): 0.5 for ch in _LETTERS}
    return Channel(sub, {}, doubled, doubled, 1.5, 0.6, 1.0, 1.0)


HAND = _hand_channel()
# One unit of slip cost is this many Zipf points (log10 units) by default
# (the rule's ``weight``): the learned -log10 probabilities are divided by it
# so that, at that weight, a candidate's score is log10 P(word) + log10 P(typed | word).
CHANNEL_UNIT = 2.5


@lru_cache(maxsize=1)
def learned_channel() -> Channel:
    """The error model learned from real slips (``rules/spelling/channel.tsv``,
    built by ``bench/spelling_channel.py``), read once per process."""
    tables: dict[str, dict] = {"sub": {}, "swap": {}, "del": {}, "ins": {}}
    defaults: dict[str, float] = {}
    text = (builtin_rules_dir() / "spelling" / "channel.tsv").read_text(encoding="utf-8")
    for line in text.split("\n"):
        if not line or line.startswith("#"):
            continue
        kind, ctx, ch, cost = line.split("\t")
        value = float(cost) / CHANNEL_UNIT
        if ctx == "*":
            defaults[kind] = value
        else:
            tables[kind][ctx, ch] = value
    return Channel(
        tables["sub"], tables["swap"], tables["del"], tables["ins"],
        defaults["sub"], defaults["swap"], defaults["del"], defaults["ins"],
    )


def slip_cost(typed: str, intended: str, cutoff: float = inf, channel: Channel = HAND) -> float:
    """Weighted optimal-string-alignment distance from intended to typed.

    Exact when it is at most ``cutoff``; beyond it, the work may stop early and
    return a lower bound that is itself above ``cutoff`` (the caller only asks
    whether the cost fits).  An alignment passes through at least one of any two
    consecutive rows (a transposition skips one), and no step lowers a cost, so
    once two neighbouring rows lie wholly above the cutoff, so does the answer.

    With a cutoff, only a band around the diagonal is worked out: every letter
    added or dropped costs at least ``channel.least``, and an alignment through
    a cell ``k`` places off the diagonal, ending ``d`` places off it, adds or
    drops at least ``|k| + |d - k|`` letters; cells beyond the cutoff that way
    cannot lie on an alignment within it.
    """
    n, m = len(typed), len(intended)
    least_edit = channel.least
    lo, hi = -n, m  # the columns j - i worked out: all of them, without a cutoff
    # Beyond the cutoff a banded cost may exceed the true one: the least float
    # above the cutoff is returned instead, a lower bound as promised.
    banded = None
    if cutoff < inf and least_edit > 0:
        d = m - n
        reach = cutoff / least_edit - abs(d)
        if reach < 0:
            return abs(d) * least_edit  # the lengths alone differ by more than the cutoff allows
        spread = int(reach // 2)
        lo, hi = min(0, d) - spread, max(0, d) + spread
        if lo > -n or hi < m:
            banded = nextafter(cutoff, inf)
    extra_at = channel.extra_costs(typed)
    missing_at = channel.missing_costs(intended)
    rows, default_sub = channel.sub_rows, channel.default_sub
    no_row: dict = {}
    swap, default_swap = channel.swap, channel.default_swap
    prev2: list[float] = []
    prev = [inf] * (m + 1)
    prev[0] = 0.0
    for j in range(1, min(m, hi) + 1):
        prev[j] = prev[j - 1] + missing_at[j - 1]
    prev_least = 0.0
    for i in range(1, n + 1):
        extra = extra_at[i - 1]
        cur = [inf] * (m + 1)
        if i <= -lo:
            cur[0] = prev[0] + extra
        ti = typed[i - 1]
        tprev = typed[i - 2] if i > 1 else ""
        row = rows.get(ti, no_row)
        first = max(1, i + lo)
        left, diagonal = cur[first - 1], prev[first - 1]  # cur[j - 1] and prev[j - 1], carried along
        for j in range(first, min(m, i + hi) + 1):
            cj = intended[j - 1]
            above = prev[j]
            best = diagonal if ti == cj else diagonal + row.get(cj, default_sub)
            cost = above + extra
            if cost < best:
                best = cost
            cost = left + missing_at[j - 1]
            if cost < best:
                best = cost
            if tprev == cj and ti != cj and j > 1 and ti == intended[j - 2]:
                cost = prev2[j - 2] + swap.get((ti, cj), default_swap)
                if cost < best:
                    best = cost
            cur[j] = left = best
            diagonal = above
        least = min(cur)
        if least > cutoff and prev_least > cutoff:
            return min(least, prev_least) if banded is None else banded
        prev_least = least
        prev2, prev = prev, cur
    if banded is not None and prev[m] > cutoff:
        return banded
    return prev[m]


@dataclass(frozen=True)
class FuzzySettings:
    """The fuzzy lookup's settings: spelling.words' options of the same names (their one home is
    the rule file), and two the stage varies itself (``anagram``, ``slack``)."""

    weight: float                # Zipf points one unit of slip cost is worth
    margin: float                # lead the winner needs over the runner-up
    long_margin: float           # the lead needed for a word of long_margin_length letters or more, if smaller
    long_margin_length: int
    keep_bonus: float            # lead a rare web word keeps over candidates
    rare_slip_zipf: float        # a web word this rare (and no dictionary word) ...
    rare_slip_cost: float        # ... one slip this cheap from a word ...
    rare_slip_lead: float        # ... this many Zipf points commoner is that word's slip
    first_letter: float          # extra cost when the first letter differs
    stray_letter: float          # extra cost per typed letter the candidate lacks
    by_sound: float              # cost of a respelling by sound, on top of its slips
    min_score: float             # least score a winner needs: a rare word far off is no fix
    min_sound_score: float        # the same for a winner found by sound (riskier: brands, coinages)
    long_word: int               # from this length on, a winner found by sound needs only min_score
    min_sound_length: int        # shorter words are costed by letters only (``lasi``, ``buzzy``)
    max_cost: float              # most slip a winner may carry, whatever its length
    min_winner_zipf: float        # least web frequency of a winner: a non-word near only a rare word is its own term
    error_model: str             # slip costs: "hand" (set by hand) or "learned" (from real slips: channel.tsv)
    second_opinion: bool          # a fix stands only if the other error model has no other clear winner
    far_slack: float             # a word with no candidate in reach: a looser key (``far_ranked``) and this much more slip
    far_min_length: int          # ... only for words this long
    far_min_zipf: float          # ... and only a common word wins that way
    anagram: float = 1.0         # most a candidate with exactly the typed letters costs
    slack: float = 0.0           # added to the length-based cost limit

    NOT_OPTIONS: ClassVar[tuple[str, ...]] = ("anagram", "slack")

    @property
    def channel(self) -> Channel:
        return learned_channel() if self.error_model == "learned" else HAND


# The most candidates costed in full per word, the likeliest first.
MOST_COSTED = 12
# Slack on a cost cutoff: far above float rounding, far below any slip's cost.
FIT = 1e-6


def max_cost(length: int, slack: float = 0.0) -> float:
    """The most slip a word of this length may carry: about one slip per four letters."""
    if length <= 5:
        base = 1.0
    elif length <= 8:
        base = 2.0
    elif length <= 11:
        base = 2.5
    else:
        base = 3.0
    return base + slack


def _max_distance(length: int) -> int:
    return 1 if length <= 5 else 2 if length <= 8 else 3


def letter_counts(typed: str) -> list[tuple[str, int]]:
    """Each letter of a typed word with its count (counted once per word for ``stray_letters``)."""
    return [(ch, typed.count(ch)) for ch in set(typed)]


def stray_letters(typed_counts: list[tuple[str, int]], intended: str) -> int:
    """Typed letters (``letter_counts`` of the typed word) the intended word
    does not have (as a multiset).

    A slip rarely brings in a letter foreign to the word: ``dialetics`` has
    every letter of ``dialectics`` but an ``l`` that ``diabetics`` lacks.
    """
    stray = 0
    for ch, typed_count in typed_counts:
        extra = typed_count - intended.count(ch)
        if extra > 0:
            stray += extra
    return stray


def ranked(
    word: str, lex: Lexicon, settings: FuzzySettings, cost_limit: float | None = None, margin: float | None = None
) -> list[tuple[float, str, float, bool]]:
    """(score, candidate, cost, found by sound alone), best first, for a lowercase word.

    With a margin, candidates that cannot come within it of the best are not
    costed (nor listed): the weighted cost is the slow part, and a lower bound
    on it (every slip costs at least 0.5) settles most candidates unseen.
    """
    n = len(word)
    allowed = max_cost(n, settings.slack) if cost_limit is None else min(cost_limit, max_cost(n, settings.slack))
    out: list[tuple[float, str, float]] = []
    # A word with another first letter fits only as an anagram (same length)
    # when the first-letter charge alone is beyond the allowed cost.
    distance, alike = candidates_near(word, lex, settings.first_letter > allowed)
    zipf = lex.zipf
    channel = settings.channel
    least_edit = channel.least
    bounds = []
    # Only words costed by ear below (same skeleton, same first letter, a long
    # enough word) may cost as little as a respelling by sound: bounding the
    # others so would let common sound-alikes crowd the real slip out of the
    # few costed (``firey``: ``for``, ``four``, ``free`` before ``fiery``).
    by_ear_ok = n >= settings.min_sound_length
    initial, first_letter, anagram_cost, by_sound, weight = (
        word[0], settings.first_letter, settings.anagram, settings.by_sound, settings.weight
    )
    for cand, d in distance.items():
        # At least 0.5 a slip, and the first-letter charge on the letters route;
        # an anagram or a respelling by sound may cost less than that.
        least = least_edit * d + (first_letter if cand[0] != initial else 0.0)
        if len(cand) == n and anagram_cost < least:
            least = anagram_cost
        if by_ear_ok and cand in alike and cand[0] == initial and by_sound < least:
            least = by_sound
        bounds.append((zipf.get(cand, 0.0) - weight * least, cand, d))
    bounds.sort(reverse=True)
    typed_letters = letter_counts(word)
    heard = sounds_like(word)
    best = None
    for bound, cand, d in bounds[:MOST_COSTED]:
        if margin is not None and best is not None and bound < best - margin:
            break  # neither a better word nor a close runner-up can follow
        # A cost above ``allowed`` drops the candidate whatever its value, so the
        # weighted costs are worked out exactly only up to where they could
        # still fit (FIT keeps float rounding well clear of the edge).
        first = settings.first_letter if cand[0] != word[0] else 0.0
        stray = stray_letters(typed_letters, cand)
        anagram = stray == 0 and len(cand) == n
        fits = (min(allowed, settings.anagram) if anagram else allowed - settings.stray_letter * stray) - first
        # Every one of the ``d`` edits costs at least ``least_edit``: most
        # candidates are settled by that bound, without the weighted alignment.
        if least_edit * d > fits + FIT and not anagram:
            cost = inf
        else:
            cost = slip_cost(word, cand, fits + FIT, channel) + first
        if anagram:
            cost = min(cost, settings.anagram)  # same letters, some moved: intregal
        cost += settings.stray_letter * stray
        # By ear only with the first letter as typed: ``kustomer``, ``yonic`` are spelt so on purpose.
        # Only words of the same sound skeleton are worth costing by ear.
        by_ear = (
            slip_cost(heard, sounds_like(cand), allowed - settings.by_sound + FIT) + settings.by_sound
            if cand in alike and cand[0] == word[0] and n >= settings.min_sound_length
            else cost
        )
        heard_only = by_ear < cost
        if heard_only:
            cost = by_ear
        if cost > allowed:
            continue
        score = zipf.get(cand, 0.0) - settings.weight * cost
        out.append((score, cand, cost, heard_only))
        if best is None or score > best:
            best = score
    out.sort(reverse=True)
    return out


@lru_cache(maxsize=4096)
def candidates_near(word: str, lex: Lexicon, anagrams_only: bool) -> tuple[dict[str, int], frozenset[str]]:
    """The candidates ``ranked`` costs for a word, with their edit distance
    (plain OSA), and those of them of the same sound skeleton: the same for
    each lookup of the word (the error models, the cost limits), found once.
    Read only."""
    extract, osa, indel = _rapidfuzz()
    n = len(word)
    limit = _max_distance(n)
    # Slips rarely touch the first letter: look among words that start with the
    # typed first letter, or with its second (first two swapped, first missing).
    # Each letter's words are sorted by length, so the lengths in reach are one slice.
    found = []
    searches = [(word[0], n - limit, n + limit)]
    if word[1] != word[0]:
        searches.append((word[1], n, n) if anagrams_only else (word[1], n - limit, n + limit))
    for first, shortest, longest in searches:
        near = _of_length(lex, first, shortest, longest)
        if near:
            # Every slip is at most two insertions or deletions, so the words
            # within ``limit`` slips are among those within 2 * ``limit`` of
            # those, which rapidfuzz finds faster; listed as extract() lists
            # them (by distance, then place).
            hits = []
            for cand, _, place in extract(word, near, scorer=indel, score_cutoff=2 * limit, limit=None):
                d = osa(word, cand, score_cutoff=limit)
                if d <= limit:
                    hits.append((cand, d, place))
            hits.sort(key=_DISTANCE_PLACE)
            found += hits
    found.sort(key=lambda hit: hit[1])
    distance = {cand: d for cand, d, _ in found[:40]}  # the weighted cost (in Python) only for the closest few
    # Words of the same sound skeleton and a length in reach (short skeletons match hundreds).
    alike = frozenset(w for w in lex.sounds.get(skeleton(word), "").split() if abs(len(w) - n) <= limit + 1)
    for cand in alike:
        if cand not in distance:
            distance[cand] = osa(word, cand)
    return distance, alike


def far_ranked(word: str, lex: Lexicon, settings: FuzzySettings) -> list[tuple[float, str, float, bool]]:
    """Like ``ranked``, for a word that has no candidate within reach there:
    words of the same loose key and first letter, allowed ``far_slack`` more
    slip (``boygot``: boycott).  The caller's clear-winner rules still apply."""
    n = len(word)
    allowed = max_cost(n, settings.slack) + settings.far_slack
    channel = settings.channel
    heard = sounds_like(word)
    zipf = lex.zipf
    typed_letters = letter_counts(word)
    out = []
    for cand in lex.loose.get(loose_key(skeleton(word)), "").split():
        if cand[0] != word[0] or abs(len(cand) - n) > 2:
            continue
        value = zipf.get(cand, 0.0)
        if value < settings.far_min_zipf:
            continue  # (before the costing: most words of a key are rare)
        cost = slip_cost(word, cand, allowed + FIT, channel) + settings.stray_letter * stray_letters(typed_letters, cand)
        by_ear = slip_cost(heard, sounds_like(cand), allowed - settings.by_sound + FIT) + settings.by_sound
        heard_only = by_ear < cost
        cost = min(cost, by_ear)
        if cost <= allowed:
            out.append((value - settings.weight * cost, cand, cost, heard_only))
    out.sort(reverse=True)
    return out


def may_have_cheap_slip(word: str, lex: Lexicon, settings: FuzzySettings) -> bool:
    """Could ``ranked`` list a candidate costing at most 0.5 (one cheap slip)?

    A quick necessary condition, so that most words need no full ranking for
    that question: every slip costs at least 0.5 and a changed first letter
    1.0 more, so by letters only a word one edit away with the same first
    letter can; by ear, only a word of the same sound skeleton and first letter.
    """
    n = len(word)
    first = word[:1]
    if n >= settings.min_sound_length:
        # (A word of the skeleton's space-separated list starts with the letter.)
        alike = lex.sounds.get(skeleton(word), "")
        if alike.startswith(first) or f" {first}" in alike:
            return True
    return _one_letter_off(word, lex)


def _one_letter_off(word: str, lex: Lexicon) -> bool:
    """Is a candidate with the word's first letter the word itself, or the word
    with one letter added or dropped (an Indel distance of at most 1)?

    Asked of the few neighbours such a candidate can be, not of every
    candidate of those lengths: dropping or adding the first letter instead of
    the second gives the same word where the first letter is kept, so only
    the places after it are tried; candidates are written in ``a-z``.
    """
    n, first = len(word), word[:1]
    if word in candidates_of_length(lex, first, n):
        return True
    shorter = candidates_of_length(lex, first, n - 1)
    if shorter and not shorter.isdisjoint([word[:i] + word[i + 1 :] for i in range(1, n)]):
        return True
    longer = candidates_of_length(lex, first, n + 1)
    return bool(longer) and not longer.isdisjoint(
        [word[:i] + letter + word[i:] for i in range(1, n + 1) for letter in _LETTERS]
    )


@lru_cache(maxsize=2048)
def candidates_of_length(lex: Lexicon, first: str, length: int) -> frozenset[str]:
    """The candidates starting with ``first`` of exactly ``length`` letters
    (the lexicon's, built on first need and kept as the lexicon is: a few
    hundred of them at most)."""
    return frozenset(_of_length(lex, first, length, length)) if length > 0 else frozenset()


_DISTANCE_PLACE = itemgetter(1, 2)


@lru_cache(maxsize=1)
def _rapidfuzz():
    """rapidfuzz's extract, OSA and Indel distances, imported once a document has a word to look up."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA, Indel

    return process.extract, OSA.distance, Indel.distance


def _of_length(lex: Lexicon, first: str, shortest: int, longest: int):
    """The candidates starting with ``first`` whose length is in reach: one slice,
    since each letter's words are sorted by length."""
    words, starts = lex.candidates_by_initial.get(first, ((), ()))
    if not starts:
        return ()
    last = len(starts) - 1
    return words[starts[max(0, min(shortest, last))] : starts[min(longest + 1, last)]]


def _rare_slip(own: float, best: str, cost: float, lex: Lexicon, settings: FuzzySettings) -> bool:
    """Web lists keep common slips (``tradegy``, ``adultry``): a token that only
    the web knows, and barely, one cheap slip from a word a hundred times
    commoner, is that word misspelt, not a term of its own."""
    return own <= settings.rare_slip_zipf and cost <= settings.rare_slip_cost and (
        lex.zipf.get(best, 0.0) >= own + settings.rare_slip_lead
    )


_INFLECTIONS = ("s", "es", "d", "ed", "ing", "er", "ers", "ly")


def _inflection(short: str, long: str) -> str | None:
    """The ending that makes ``long`` of ``short`` (table -> tables, describe ->
    described, summary -> summaries), or None if it is not one such."""
    for ending in _INFLECTIONS:
        if long == short + ending:
            return ending
        if ending[0] in "ei" and short.endswith("e") and long == short[:-1] + ending:
            return ending
        if ending in ("s", "es", "ed") and short.endswith("y") and long == short[:-1] + ("ied" if ending == "ed" else "ies"):
            return ending
    return None


def ending_sides_with(typed: str, best: str, other: str) -> bool:
    """Are ``best`` and ``other`` one word with and without an inflection, and
    does the typed word's last letter side with ``best``?  Then the two do not
    compete: ``tasble`` ends as ``table`` does, not as ``tables``;
    ``describd`` as ``described``, not ``describe``."""
    short, long = (best, other) if len(best) < len(other) else (other, best)
    ending = _inflection(short, long)
    if ending is None:
        return False
    return typed.endswith(ending[-1]) == (best == long)


def variant_key(word: str, lex: Lexicon) -> str:
    """British and American spellings of a word share one key (the American one)."""
    return lex.gb_to_us.get(word, word)


def best_correction(
    word: str, lex: Lexicon, settings: FuzzySettings, margin: float | None = None, cost_limit: float | None = None,
    keep: bool = True,
) -> tuple[str | None, str]:
    """The clear winner for a lowercase non-word, or None and why not.

    ``keep=False`` when the word is known to be a slip (a table row): its own
    web frequency is then the slip's, not a word's, and protects nothing.
    """
    fix, why = _clear_winner(word, lex, settings, margin, cost_limit, keep)
    if fix and settings.second_opinion:
        other = _clear_winner(word, lex, _other_model(settings), margin, cost_limit, keep)[0]
        if other and variant_key(other, lex) != variant_key(fix, lex):
            return None, f"the error models disagree ({fix} or {other})"
    return fix, why


@lru_cache(maxsize=8)
def _other_model(settings: FuzzySettings) -> FuzzySettings:
    """The same settings with the other error model (made once per settings, not once per word)."""
    return replace(settings, error_model="hand" if settings.error_model == "learned" else "learned")


def _clear_winner(
    word: str, lex: Lexicon, settings: FuzzySettings, margin: float | None, cost_limit: float | None, keep: bool,
) -> tuple[str | None, str]:
    """best_correction by one error model."""
    far = (
        margin is None and cost_limit is None and keep and settings.far_slack > 0
        and len(word) >= settings.far_min_length and word not in lex.zipf
    )
    if margin is None:  # (a stricter margin asked for, as for a capitalised word, stays)
        margin = min(settings.margin, settings.long_margin) if len(word) >= settings.long_margin_length else settings.margin
    scored = ranked(word, lex, settings, cost_limit, margin)
    if not scored and far:
        scored = far_ranked(word, lex, settings)
    if not scored:
        return None, "no candidate"
    best_score, best, best_cost, heard_only = scored[0]
    floor = settings.min_sound_score if heard_only and len(word) < settings.long_word else settings.min_score
    if best_score < floor or best_cost > settings.max_cost or lex.zipf.get(best, 0.0) < settings.min_winner_zipf:
        return None, f"no likely word (closest: {best})"
    key = variant_key(best, lex)
    runner = next(
        ((s, c) for s, c, *_ in scored[1:] if variant_key(c, lex) != key and not ending_sides_with(word, best, c)),
        None,
    )
    if runner is not None and best_score - runner[0] < margin:
        return None, f"no clear winner ({best} or {runner[1]})"
    own = lex.zipf.get(word) if keep else None
    if own is not None and best_score < own + settings.keep_bonus and not _rare_slip(own, best, best_cost, lex, settings):
        return None, f"a rare word, kept (closest: {best})"
    return best, ""


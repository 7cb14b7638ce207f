"""Spelling: what to do with one word type, context aside (cached per type).

A word the gate does not know gets one ``Decision``: a table fix, a row of
several corrections the fuzzy lookup must agree with, a fuzzy fix, a split of
two run-together words, a capitalised word to judge where it stands, or a
note.  Where it stands in the document is judged later, per place (words.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from itertools import chain

from ...rules import match_case
from .fuzzy import FuzzySettings, best_correction, may_have_cheap_slip, ranked, variant_key
from .lexicon import Lexicon, lexicon
from .settings import Settings

_CAMEL = re.compile(r"^([A-Z][a-z]{2,})([A-Z][a-z]{2,})$")

# Short function words: a run-together word made of one of these and a common
# word is a slip (``andself``, ``himwhich``).  Particles that also form real
# compounds (``in``, ``on``, ``up``, ``out``, ``over``...) are left out.
GLUE_WORDS = frozenset(
    """the and of to is was are were be been as at for from with by that this these those
    which who whom whose what when where while him her his hers its our ours their them they
    she he we you your not but nor than then has have had will would can could should may
    might must shall does did also into onto upon""".split()
)
# Two-letter function words that may end a run-together word (``capacityis``).
END_GLUE = frozenset({"is", "of", "to"})
_GLUE_LONGEST = max(map(len, GLUE_WORDS))

# Latin and scientific endings: ``Monarda fistulosa``, ``Nidularium innocentii``.
_LATINATE = re.compile(r"(?:ii|ae|um|osa|ensis|oides|ella|ata|eri)$")
# A letter tripled is expressive (``boringgg``, ``loooong``), not a slip: English never triples one.
_EXPRESSIVE = re.compile(r"(.)\1\1")


@dataclass(frozen=True)
class Decision:
    kind: str                 # table | ambiguous | fuzzy | initial | split | camel | unsure | noted
    fix: str = ""             # the replacement (for camel: "A B", applied only with evidence)
    note: str = ""


# What decide_first() gives a lowercase non-word that only the fuzzy lookup
# can settle: a fuzzy fix or a note, either way a decision (look_up() says which).
LOOKUP = Decision("lookup")


@lru_cache(maxsize=8)
def decider(settings: Settings):
    """decide_first() for one set of settings, cached per word type (hashing the
    settings once per document, not once per word)."""
    lex = lexicon(settings.gate_zipf, settings.candidate_zipf)
    return lru_cache(maxsize=65536)(partial(_decide_first, settings=settings, lex=lex))


@lru_cache(maxsize=8)
def looker(settings: Settings):
    """look_up() for one set of settings, cached per word type likewise."""
    return lru_cache(maxsize=65536)(partial(look_up, settings=settings))


def decide(word: str, settings: Settings) -> Decision | None:
    """What to do with one word type that failed the quick gate, context aside."""
    decision = decide_first(word, settings)
    return look_up(word, settings) if decision is LOOKUP else decision


def look_up(word: str, settings: Settings) -> Decision:
    """The decision on a word decide_first() leaves to the fuzzy lookup: its clear winner, or a note."""
    lex = lexicon(settings.gate_zipf, settings.candidate_zipf)
    fix, why = best_correction(word.lower(), lex, settings.fuzzy)
    if fix:
        return Decision("fuzzy", fix)
    return Decision("unsure", note=f"{word!r} is not a word: {why}, left as it is")


def decide_first(word: str, settings: Settings) -> Decision | None:
    """decide(), but LOOKUP where only the fuzzy lookup can tell a fix from a
    note: the lookup is the costly part, and many such words stand where
    nothing would be done with them (another language's paragraph, a quotation)."""
    return _decide_first(word, settings, lexicon(settings.gate_zipf, settings.candidate_zipf))


def _decide_first(word: str, settings: Settings, lex: Lexicon) -> Decision | None:
    """decide_first() with the settings' lexicon found (once per settings, by ``decider``)."""
    lower = word.lower()
    table = lex.slip_table
    if lower in table:
        if word.isupper() and len(word) < 6:
            return None  # short all-caps: an acronym far more often than a slip
        fixed = match_case(word, table[lower])
        return Decision("table", fixed) if fixed and fixed != word else None
    if lower in lex.ambiguous:
        fixes = lex.ambiguous[lower]
        agreed = _row_agreement(word, lower, fixes, lex, settings)
        if agreed:
            return Decision("fuzzy", agreed)
        return Decision("ambiguous", note=f"{word!r} is ambiguous: {' or '.join(fixes)}")
    if not word.isascii():
        return None  # letters English rarely uses (crudité, faßade)
    # A word the gate's full check knows gets nothing either; that check is the
    # costly part here, so it is made only for the kinds of token below that
    # could get something (the others get nothing either way).
    camel = _CAMEL.match(word)
    if camel:
        if lex.is_word(lower):
            return None
        # Split only where the document itself writes the two apart (checked there).
        return Decision("camel", " ".join(camel.groups()))
    if word.islower():
        if lex.is_word(lower):
            return None
        split = _split(lower, lex, settings)
        if split and not _plain_slip(lower, lex, settings.split_slip_cost, settings):
            return Decision("split", split)
        if len(word) < settings.min_fuzzy_length:
            return None
        if lex.compound(lower) and not _plain_slip(lower, lex, settings.compound_slip_cost, settings):
            return None  # two words written as one (audit + ability), not a slip of one
        if _LATINATE.search(lower) or _EXPRESSIVE.search(lower):
            return None
        return LOOKUP
    if word[0].isupper() and word[1:].islower() and len(word) >= settings.min_fuzzy_length:
        # A name, unless it stands first in a sentence (checked per occurrence)
        # and its lowercase form is a plain slip with a very clear winner.
        if lower in lex.zipf or lex.is_word(lower) or lex.compound(lower):
            return None  # the web writes it: a name, or a word we should not touch
        return Decision("initial")
    return None


def _row_agreement(word: str, lower: str, fixes: tuple[str, ...], lex: Lexicon, settings: Settings) -> str | None:
    """The fix for a table row with several corrections, when the fuzzy lookup agrees.

    The row alone never decides (``preceeding``: preceding or proceeding?).
    The word still fails the gate, so the fuzzy lookup judges it as any
    lowercase non-word, with its clear-winner rule; the fix is applied only
    when that winner is one of the row's own corrections: two independent
    sources agree.  The row says the token is a slip, so its own web frequency
    protects nothing (``keep=False``).
    """
    if not settings.row_agreement or not word.islower() or len(word) < settings.min_fuzzy_length:
        return None
    if _LATINATE.search(lower) or _EXPRESSIVE.search(lower):
        return None
    fix, _ = best_correction(lower, lex, settings.fuzzy, keep=False)
    if fix is None:
        return None
    key = variant_key(fix, lex)
    return fix if any(variant_key(f.lower(), lex) == key for f in fixes) else None


def _plain_slip(lower: str, lex: Lexicon, cost: float, settings: Settings) -> bool:
    """Is the word a slip of one word at most this costly?  A near-certain
    one-slip fix outranks reading the word as two words: written as one
    (``flatterring``: a doubled letter from ``flattering``, not flatter + ring)
    or run together (``bycycle``: one vowel from ``bicycle``, not by + cycle)."""
    if cost <= 0:
        return False
    if cost <= 0.5 and not may_have_cheap_slip(lower, lex, settings.fuzzy):
        return False  # the usual case, settled without a full ranking
    return bool(ranked(lower, lex, settings.fuzzy, cost_limit=cost))


@lru_cache(maxsize=16384)
def initial_fix(word: str, settings: Settings) -> str | None:
    """The fix for a capitalised non-word that opens a sentence: stricter than fuzzy."""
    lex = lexicon(settings.gate_zipf, settings.candidate_zipf)
    # Letters only, never by sound: names are respelt by sound on purpose (Jyll, Kathryn).
    # Nor as an anagram: a name has some word's letters by chance (Hagno, Sagent), not by a slip.
    by_letters = _by_letters(settings.fuzzy)
    fix, _ = best_correction(
        word.lower(), lex, by_letters, margin=settings.initial_margin, cost_limit=settings.initial_max_cost
    )
    if fix is None or lex.zipf.get(fix, 0.0) < settings.initial_min_zipf:
        return None  # only a common word is worth doubting a capital for (not Bigin -> Biggin)
    return fix[0].upper() + fix[1:]


@lru_cache(maxsize=8)
def _by_letters(fuzzy: FuzzySettings) -> FuzzySettings:
    """The fuzzy settings initial_fix() looks up with (made once per settings, not once per word)."""
    return replace(fuzzy, by_sound=99.0, min_score=-99.0, anagram=99.0)


def _split(lower: str, lex: Lexicon, settings: Settings) -> str | None:
    """``himwhich`` -> ``him which``: a function word run into a common word."""
    found = []
    n, glue = len(lower), _GLUE_LONGEST
    # One part is always a glue word: only the cuts near either end can qualify
    # (a scan of every cut would be quadratic in a long token).
    cuts = range(2, n - 1) if n <= 2 * glue + 1 else chain(range(2, glue + 1), range(n - glue, n - 1))
    for i in cuts:
        a, b = lower[:i], lower[i:]
        if a in GLUE_WORDS and b in GLUE_WORDS:
            if len(lower) >= 6:
                found.append((a, b))
            continue
        # The glue word first (``andself``), or last if it is not a bare
        # two-letter particle (``endif`` stays).
        if a in GLUE_WORDS and len(b) >= 4 and lex.is_word(b) and lex.zipf.get(b, 0.0) >= settings.min_split_zipf:
            found.append((a, b))
        elif (
            b in GLUE_WORDS and (len(b) >= 3 or (b in END_GLUE and len(a) >= 5)) and len(a) >= 4
            and lex.is_word(a) and lex.zipf.get(a, 0.0) >= settings.min_split_zipf
        ):
            found.append((a, b))
    if len(found) != 1:
        return None  # none, or several readings: not clear
    return f"{found[0][0]} {found[0][1]}"


"""The spelling stage's word knowledge: what is a word, what is a known slip.

Three sources, each doing what the others cannot:
- wordfreq's English list says how common a token is on the web, but web text
  is full of slips (``recieve`` and ``definately`` are in it), so frequency
  alone cannot say "this is a word";
- SCOWL's size-70 American and British lists (``dictionary.txt``) say what is
  a real word even when it is rare (``reliantly``, ``bloc``, ``epitomised``);
- the misspelling table (``typos.csv``, from the typos project) lists slips,
  and everything in it is removed from the word gate.

Everything is loaded once per process, lazily, and never changed afterwards:
the stage stays a pure function of its input.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache

from ..rules import builtin_rules_dir

# Stems of English contractions: ``isn’t`` reaches the gate as ``isn`` + ``t``.
CONTRACTION_STEMS = frozenset(
    "aren couldn didn doesn don hadn hasn haven isn mightn mustn needn oughtn shan "
    "shouldn wasn weren won wouldn ain y'all ma'am o'clock".split()
)

# Common suffixes: a word made of a dictionary word and one of these is a word
# (``flunkey`` + ``ism``), as a human reader would accept it.
DERIVATION_SUFFIXES = (
    "ly", "ness", "ism", "isms", "ist", "ists", "less", "lessly", "ment", "ments",
    "able", "ably", "ity", "ities", "ish", "like", "ful", "fully", "hood", "ship",
    "wise", "er", "ers", "est", "ed", "ing", "ings", "s", "es", "al", "ally", "ic",
    "ical", "ically", "ive", "ively", "ous", "ously", "ation", "ations", "y",
)
# British and American spellings of one word (``memoisation``/``memoization``):
# one listed, the other is a word too.
BRITISH_AMERICAN = (
    ("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"), ("ises", "izes"),
    ("ising", "izing"), ("iser", "izer"), ("isers", "izers"), ("yse", "yze"), ("ysed", "yzed"),
    ("our", "or"), ("ours", "ors"), ("tre", "ter"), ("tres", "ters"),
)
# Common prefixes: ``bi`` + ``polarization`` is a word too.
DERIVATION_PREFIXES = (
    "un", "non", "re", "pre", "anti", "over", "under", "sub", "super", "inter", "multi",
    "co", "de", "dis", "mis", "post", "semi", "micro", "bi", "tri", "counter", "hyper",
    "mega", "mini", "neo", "out", "pro", "pseudo", "self", "ultra", "trans", "cross",
    "up", "back", "down", "off",
)


@dataclass(frozen=True)
class Lexicon:
    table: dict[str, str]                   # typo -> its one correction
    ambiguous: dict[str, tuple[str, ...]]   # typo -> several corrections (never applied)
    misspellings: frozenset[str]            # every typo in the table, lowercase
    zipf: dict[str, float]                  # wordfreq Zipf value of lowercase tokens
    dictionary: frozenset[str]              # SCOWL words, lowercase
    dictionary_forms: frozenset[str]        # ... and Title case: for the quick language check
    lower_dictionary: frozenset[str]        # SCOWL words written in lowercase (not names)
    known: frozenset[str]                   # the word gate: lowercase words
    known_forms: frozenset[str]             # known words as written: lower and Title case
    common_forms: frozenset[str]            # the most common of them: a small set, a fast first filter
    candidates: dict[tuple[str, int], tuple[str, ...]]  # fuzzy targets by (first letter, length)
    gb_to_us: dict[str, str]
    us_to_gb: dict[str, str]
    gb_words: frozenset[str]                # British-only spellings (``realised``), lower and Title
    us_words: frozenset[str]                # American-only spellings (``realized``), lower and Title

    def is_word(self, lower: str) -> bool:
        """The word gate, for a lowercase token."""
        if lower in self.known:
            return True
        if lower in self.misspellings:
            return False
        return self.derived(lower)

    def compound(self, lower: str, min_part: int = 4, min_zipf: float = 3.0) -> bool:
        """Two common words written as one (``audit`` + ``ability``, ``micro`` + ``foam``)."""
        zipf = self.zipf
        for i in range(min_part, len(lower) - min_part + 1):
            a, b = lower[:i], lower[i:]
            if (
                zipf.get(a, 0.0) >= min_zipf and zipf.get(b, 0.0) >= min_zipf
                and a in self.dictionary and b in self.dictionary
                and a not in self.misspellings and b not in self.misspellings
            ):
                return True
        return False

    def derived(self, lower: str) -> bool:
        """A dictionary word with a common suffix or prefix, or its British form.

        ``reliant`` + ``ly``, ``bi`` + ``polarization``, ``memoisation``.  Kept
        strict, because slips can look derived too: stems and remainders must be
        long enough, and ``-icly`` is the slip of ``-ically``, not a derivation.
        """
        if lower.endswith("icly"):
            return False
        if self._suffixed(lower):
            return True
        for gb, us in BRITISH_AMERICAN:
            if lower.endswith(gb) and lower[: -len(gb)] + us in self.dictionary:
                return True  # memoisation: the British spelling of a listed word
        for prefix in DERIVATION_PREFIXES:
            if lower.startswith(prefix) and len(lower) - len(prefix) >= 4:
                rest = lower[len(prefix):]
                if rest not in self.misspellings and (rest in self.dictionary or self._suffixed(rest)):
                    return True
        return False

    def _suffixed(self, lower: str) -> bool:
        """A dictionary word plus a suffix (``flunkey`` + ``ism``, ``argu(e)`` + ``able``)."""
        for suffix in DERIVATION_SUFFIXES:
            need = 5 if len(suffix) <= 2 else 4
            if lower.endswith(suffix) and len(lower) - len(suffix) >= need:
                stem = lower[: -len(suffix)]
                if stem in self.misspellings:
                    continue
                if stem in self.dictionary:
                    return True
                if stem.endswith("i") and stem[:-1] + "y" in self.dictionary:
                    return True  # happi-ly, flunki-ness
                if suffix[0] in "aei" and stem + "e" in self.dictionary:
                    return True  # argu-able
        return False


TABLE_FILES = ("typos.csv", "ours.csv")


def read_table(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """Rows of a misspelling table: (typo, corrections); comment lines skipped."""
    rows = []
    path = builtin_rules_dir() / "spelling" / name
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if not row or row[0].startswith("#"):
                continue
            rows.append((row[0], tuple(x for x in row[1:] if x)))
    return rows


def _read_lines(name: str) -> list[str]:
    path = builtin_rules_dir() / "spelling" / name
    return path.read_text(encoding="utf-8").split("\n")


def lexicon(gate_zipf: float = 2.5, candidate_zipf: float = 1.5, title_zipf: float = 3.0) -> Lexicon:
    """The lexicon for these settings, loaded once per process (about a second)."""
    return _load(float(gate_zipf), float(candidate_zipf), float(title_zipf))


@lru_cache(maxsize=4)
def _load(gate_zipf: float, candidate_zipf: float, title_zipf: float) -> Lexicon:
    from wordfreq import get_frequency_dict  # slow import: only when spelling runs

    table: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    for name in TABLE_FILES:  # ours.csv last: our own entries win
        for typo, fixes in read_table(name):
            table.pop(typo, None)
            ambiguous.pop(typo, None)
            if len(fixes) == 1:
                table[typo] = fixes[0]
            else:
                ambiguous[typo] = fixes
    misspellings = frozenset(table) | frozenset(ambiguous)

    zipf = {w: math.log10(f) + 9 for w, f in get_frequency_dict("en").items()}
    words = [w for w in _read_lines("dictionary.txt") if w]
    dictionary = frozenset(w.lower() for w in words)
    lower_dictionary = frozenset(w for w in words if w.islower())
    common = {w for w, z in zipf.items() if z >= gate_zipf and w.isalpha()}
    known = (dictionary | common | CONTRACTION_STEMS) - misspellings
    known_forms = known | {w.title() for w in known if zipf.get(w, 0.0) >= title_zipf}
    # Common contractions and possessives as written, with either apostrophe
    # (``don’t``, ``it's``): the quick set difference then settles them.
    apostrophed = {w for w, z in zipf.items() if z >= title_zipf and "'" in w and w.replace("'", "").isalpha()}
    apostrophed |= {w.replace("'", "’") for w in apostrophed}
    known_forms |= apostrophed | {w[0].upper() + w[1:] for w in apostrophed}

    buckets: dict[tuple[str, int], list[str]] = {}
    for w in lower_dictionary:
        if w.isalpha() and w.isascii() and w not in misspellings and zipf.get(w, 0.0) >= candidate_zipf:
            buckets.setdefault((w[0], len(w)), []).append(w)
    candidates = {key: tuple(sorted(ws)) for key, ws in buckets.items()}

    gb_to_us: dict[str, str] = {}
    for line in _read_lines("variants.tsv"):
        if line:
            gb, us = line.split("\t")
            gb_to_us[gb] = us
    us_to_gb = {us: gb for gb, us in gb_to_us.items()}
    return Lexicon(
        table=table, ambiguous=ambiguous, misspellings=misspellings, zipf=zipf,
        dictionary=dictionary, dictionary_forms=dictionary | {w.title() for w in dictionary},
        lower_dictionary=lower_dictionary, known=frozenset(known),
        known_forms=frozenset(known_forms), candidates=candidates,
        common_forms=frozenset(w for w in known_forms if zipf.get(w.lower(), 0.0) >= 4.0),
        gb_to_us=gb_to_us, us_to_gb=us_to_gb,
        gb_words=frozenset(gb_to_us) | {w.title() for w in gb_to_us},
        us_words=frozenset(us_to_gb) | {w.title() for w in us_to_gb},
    )

"""Spelling: spelling.words' options as one frozen ``Settings``, built once per set of values.

The options' one home is the rule file (rules/spelling.toml); nothing here
has a default.  ``Settings.from_options`` reads them by name, so an unknown or
missing option is an error naming it, and the stage's caches key on the
Settings object (it is hashable).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from .fuzzy import FuzzySettings

# The fuzzy lookup's own settings that come from the rule file (the others
# are fixed variations the stage makes itself).
_FUZZY_OPTIONS = tuple(f.name for f in fields(FuzzySettings) if f.name not in FuzzySettings.NOT_OPTIONS)


@dataclass(frozen=True)
class Settings:
    gate_zipf: float                # a word this common on the web passes the gate
    candidate_zipf: float           # a fuzzy candidate must be this common
    initial_margin: float           # lead a sentence-initial capitalised fix needs
    initial_max_cost: float         # most slip such a fix may carry
    initial_min_zipf: float         # ... and its fix must be this common
    min_fuzzy_length: int           # shorter lowercase non-words are not looked up
    min_split_zipf: float           # each part of a split must be this common
    term_repeats: int               # a "slip" written this often is the document's term
    name_repeats: int               # a capitalised word written this often is a name
    min_capitalised_length: int     # a shorter capitalised table slip is taken for a name
    row_agreement: bool             # a table row of several fixes may be fixed when the lookup agrees
    compound_slip_cost: float       # a one-slip fix this cheap outranks reading two words written as one
    split_slip_cost: float          # ... or two words run together
    name_zipf: float                # a table fix rarer than this, written as a name, is a name's misspelling
    name_slip_cost: float           # ... fixed only when this cheap a slip of it
    english_share_min: float        # share of known words above which a text is English
    english_judge_min_words: int    # a text or paragraph shorter than this is not judged
    mixed_min_chars: int            # a text this long that is not English is judged paragraph by paragraph
    technical_marks: float          # code marks per 1,000 words above which only the table applies
    fuzzy: FuzzySettings

    def __hash__(self) -> int:
        # The stage's caches are keyed on the settings, several lookups a
        # document: a few fields are enough (equal settings have equal ones),
        # where the generated hash would hash all forty-odd values each time.
        return hash((self.gate_zipf, self.candidate_zipf, self.fuzzy.weight, self.fuzzy.margin))

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Settings:
        """The rule's options (``[rule.options]`` of spelling.words) as Settings.

        Equal options give the same object (the rule passes the same ones for
        every document), so the caches keyed on it are found again at once.
        """
        items = tuple(sorted(options.items()))
        try:
            hash(items)
        except TypeError:  # a list value: built without the cache, with the same checks
            return _build(dict(options))
        return _from_items(items)


@lru_cache(maxsize=8)
def _from_items(items: tuple[tuple[str, Any], ...]) -> Settings:
    return _build(dict(items))


def _build(options: dict[str, Any]) -> Settings:
    own = {f.name for f in fields(Settings)} - {"fuzzy"}
    unknown = sorted(set(options) - own - set(_FUZZY_OPTIONS))
    if unknown:
        raise TypeError(f"unknown option(s) for spelling.words: {', '.join(unknown)}")
    missing = sorted((own | set(_FUZZY_OPTIONS)) - set(options))
    if missing:
        raise TypeError(f"missing option(s) for spelling.words: {', '.join(missing)}")
    fuzzy = FuzzySettings(**{name: options[name] for name in _FUZZY_OPTIONS})
    return Settings(**{name: options[name] for name in own}, fuzzy=fuzzy)

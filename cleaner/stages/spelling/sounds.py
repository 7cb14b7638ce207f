"""Spelling: how a word sounds, as keys the lexicon files words by and the fuzzy lookup costs with.

Used by both the lexicon (to file candidates by sound) and the fuzzy lookup (to
find and cost them), so it sits below both.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import methodcaller

# How English letters sound, roughly: spellings of one sound made one, so a
# slip by ear (``hifin`` for ``hyphen``, ``psicolagest`` for ``psychologist``)
# is one cheap step from its word.  ``sounds_like`` keeps the vowels (for
# costing); ``skeleton`` drops them and ``h``/``w`` after the first letter
# (for finding candidates the letter-based search misses).
_SOUND_RULES = tuple((re.compile(a), b) for a, b in (
    (r"^ps", "s"), (r"^pn", "n"), (r"^kn", "n"), (r"^wr", "r"), (r"^gn", "n"), (r"^x", "z"), (r"^wh", "w"),
    (r"ph", "f"), (r"ch", "k"), (r"c(?=[eiy])", "s"), (r"ck", "k"), (r"c", "k"), (r"q", "k"),
    (r"x", "ks"), (r"z", "s"), (r"dg", "j"), (r"t(?=i[ao])", "s"), (r"y", "i"), (r"(.)\1+", r"\1"),
))
_SKELETON_RULES = (
    (re.compile(r"gh"), "g"), (re.compile(r"sh"), "s"),
) + _SOUND_RULES + (
    (re.compile(r"(?<=.)[hw]"), ""), (re.compile(r"(?<=.)[aeiou]"), ""), (re.compile(r"(.)\1+"), r"\1"),
)


_FIRST_GROUP = methodcaller("group", 1)


def _guarded(rules):
    """Each rule with the letters any match of it holds (its pattern's leading
    literal, "" for a pattern without one): a word without them is left as it
    is without running the pattern."""
    out = []
    for pattern, repl in rules:
        literal = re.match(r"\^?([a-z]+)", pattern.pattern)
        # A group as the replacement: a C-level callable (a template costs a Python call per sub()).
        out.append((literal.group(1) if literal else "", pattern.sub, _FIRST_GROUP if repl == r"\1" else repl))
    return tuple(out)


_SOUND_STEPS = _guarded(_SOUND_RULES)
_SKELETON_STEPS = _guarded(_SKELETON_RULES)


@lru_cache(maxsize=65536)
def sounds_like(word: str) -> str:
    """The word respelt by sound, vowels kept: ``hyphen`` -> ``hifen``."""
    for letters, sub, repl in _SOUND_STEPS:
        if letters in word:
            word = sub(repl, word)
    return word


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The word's consonants by sound: ``psychologist`` and ``pscolgst`` -> ``sklgst``."""
    for letters, sub, repl in _SKELETON_STEPS:
        if letters in word:
            word = sub(repl, word)
    return word


# Letters a hurried ear confuses, made one for the loose key: voiced and
# voiceless pairs, the hard sounds, the nasals.
_LOOSE = str.maketrans("pkqjtvzn", "bgggdfsm")
_RUNS = re.compile(r"(.)\1+")


def loose_key(skel: str) -> str:
    """A sound skeleton made looser (``bgt`` and ``bkt`` -> ``bgd``), so that
    a slip by ear that also mishears a consonant still meets its word."""
    return _RUNS.sub(_FIRST_GROUP, skel.translate(_LOOSE))

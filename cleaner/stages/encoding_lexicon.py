"""Which English word a word with a lost character (U+FFFD) stood for.

When a Latin-1 or Windows-1252 document is decoded as UTF-8 with replacement,
every byte above 0x7F becomes U+FFFD: ``café`` turns into ``caf�`` and
``don’t`` into ``don�t``.  The character that was lost was never ASCII (ASCII
bytes survive any such decoding), so a word can only be restored to a word
whose characters at the lost positions are non-ASCII.  That makes the lookup an
exact one: index every lexicon word under the forms it takes when some of its
non-ASCII characters are replaced by U+FFFD, and restore a word only when its
form names exactly one lexicon word.

The lexicon is wordfreq's English list.  It spells apostrophes as ASCII ``'``
(it normalises them), but a lost apostrophe was a non-ASCII one, so the index
holds those words with ``’``.  Loaded lazily, once per process, and only when a
document holds a U+FFFD next to a letter.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

REPLACEMENT = "\ufffd"
# A word with more non-ASCII characters than this is indexed only under the
# form where all of them were lost: the subsets would grow fast for nothing.
_MAX_SUBSET_POSITIONS = 3


@lru_cache(maxsize=4)
def lexicon(min_zipf: float) -> tuple[dict[str, float], dict[str, tuple[str, ...]]]:
    """(word -> frequency for words at or above min_zipf, lost-form key -> the words it can be)."""
    from wordfreq import get_frequency_dict  # heavy: import only when needed

    min_freq = 10 ** (min_zipf - 9) if min_zipf > 0 else 0.0
    words: dict[str, float] = {}
    index: dict[str, list[str]] = {}
    for raw, freq in get_frequency_dict("en", "large").items():
        if freq < min_freq:
            break  # the dict is ordered by falling frequency
        word = raw.replace("'", "\u2019")
        if not all(c.isalpha() or c == "\u2019" for c in word):
            continue
        words.setdefault(word, freq)
        positions = [i for i, c in enumerate(word) if ord(c) > 127]
        if not positions:
            continue
        if len(positions) > _MAX_SUBSET_POSITIONS:
            subsets = [tuple(positions)]
        else:
            subsets = [s for n in range(1, len(positions) + 1) for s in combinations(positions, n)]
        for subset in subsets:
            chars = list(word)
            for i in subset:
                chars[i] = REPLACEMENT
            index.setdefault("".join(chars), []).append(word)
    return words, {k: tuple(dict.fromkeys(v)) for k, v in index.items()}


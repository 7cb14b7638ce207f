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
holds those words with ``’``.

The index is small (about 4,300 forms) and is shipped precompiled in
``rules/encoding/lost-letters.tsv`` (``python bench/encoding_build.py`` writes
it; a test checks it against wordfreq), because importing wordfreq and reading
its list costs a process 0.7–2 s, and a shell loop or a pre-commit hook pays
that on every file with one lost character.  Another ``min_zipf`` than the
compiled one is built from wordfreq at run time.  Loaded lazily, once per
process, and only when a document holds a U+FFFD next to a letter.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

REPLACEMENT = "\ufffd"
# A word with more non-ASCII characters than this is indexed only under the
# form where all of them were lost: the subsets would grow fast for nothing.
_MAX_SUBSET_POSITIONS = 3
COMPILED_FILE = "lost-letters.tsv"
COMPILED_HEADER = "# min_zipf={}"


class LostForm(NamedTuple):
    """What a lowercase form with U+FFFD (runs collapsed to one) can be."""

    words: tuple[str, ...]   # the words it can stand for, commonest first
    bare_commoner: bool      # the form without its U+FFFD is as common as words[0] or more


@lru_cache(maxsize=4)
def lexicon(min_zipf: float) -> dict[str, LostForm]:
    """Lost form -> LostForm, for words at or above min_zipf: compiled, or built."""
    compiled = _read_compiled(min_zipf)
    return compiled if compiled is not None else build(min_zipf)


def _read_compiled(min_zipf: float) -> dict[str, LostForm] | None:
    from ...rules import builtin_rules_dir

    path = builtin_rules_dir() / "encoding" / COMPILED_FILE
    try:
        header, _, body = path.read_text(encoding="utf-8").partition("\n")
    except OSError:
        return None
    if header != COMPILED_HEADER.format(float(min_zipf)):
        return None
    index = {}
    for line in body.split("\n"):
        if line and not line.startswith("#"):
            key, words, bare = line.split("\t")
            index[key] = LostForm(tuple(words.split(",")), bare == "1")
    return index


def build(min_zipf: float) -> dict[str, LostForm]:
    """The index, from wordfreq's list (slow: for the compile step and other thresholds)."""
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
    out = {}
    for key, found in index.items():
        found = tuple(dict.fromkeys(found))
        bare = key.replace(REPLACEMENT, "")
        out[key] = LostForm(found, words.get(bare, 0.0) >= words[found[0]])
    return out


def compiled_text(min_zipf: float) -> str:
    """The compiled file's text for this threshold (written by bench/encoding_build.py)."""
    lines = [
        COMPILED_HEADER.format(float(min_zipf)),
        "# lost form<TAB>words it can be, commonest first<TAB>1 if the form without U+FFFD is as common",
        "# derived from wordfreq's English list (Robyn Speer; data CC BY-SA 4.0)",
    ]
    for key, form in sorted(build(min_zipf).items()):
        lines.append(f"{key}\t{','.join(form.words)}\t{int(form.bare_commoner)}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- other languages

# wordfreq's Latin-script languages that write non-ASCII letters, each with its
# own compiled list (rules/encoding/lost-letters-<lang>.txt), read on first need.
LANGUAGES = (
    "ca", "cs", "da", "de", "es", "fi", "fr", "hu", "is", "it", "lt", "lv", "nb", "nl",
    "pl", "pt", "ro", "sh", "sk", "sl", "sv", "tr", "vi",
)
LANGUAGE_FILE = "lost-letters-{}.txt"
# The rarest words kept (wordfreq's large list where there is one, which goes lower).
LANGUAGE_MIN_ZIPF = 2.0


def lost_form(word: str) -> str:
    """The word as a Latin-1 or cp1250 file read as UTF-8 shows it: every non-ASCII character lost.

    (The words are letters only, so the codec's ``?`` for a character it cannot
    encode stands for nothing else; this runs in C, where a regex scan did not.)"""
    return word.encode("ascii", "replace").decode("ascii").replace("?", REPLACEMENT)


@lru_cache(maxsize=None)
def language_lexicon(language: str) -> dict[str, tuple[tuple[str, float], ...]]:
    """Lost form -> (word, Zipf) pairs, commonest first, for one language (empty if none compiled)."""
    from ...rules import builtin_rules_dir

    path = builtin_rules_dir() / "encoding" / LANGUAGE_FILE.format(language)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    index: dict[str, list[tuple[str, float]]] = {}
    for group in text.split("\n=")[1:]:
        zipf, *words = group.split("\n")
        z = float(zipf)
        words = [w for w in words if w]
        # one encode for the whole group: the words are joined by newlines, which stay
        keys = "\n".join(words).encode("ascii", "replace").decode("ascii").replace("?", REPLACEMENT).split("\n")
        for key, word in zip(keys, words):
            found = index.get(key)
            if found is None:
                index[key] = [(word, z)]
            else:
                found.append((word, z))
    return {key: tuple(found) for key, found in index.items()}


def compiled_language_text(language: str) -> str:
    """The compiled list of one language: its words with a non-ASCII letter, by
    falling Zipf frequency (and for German, ``ss`` spelt ``ß``: wordfreq folds ß into ss)."""
    from math import log10

    from wordfreq import get_frequency_dict  # heavy: only when compiling

    from wordfreq import available_languages

    size = "large" if language in available_languages("large") else "small"
    found: dict[str, float] = {}
    for word, freq in get_frequency_dict(language, size).items():
        zipf = round(log10(freq) + 9, 1)
        if zipf < LANGUAGE_MIN_ZIPF:
            break  # the dict is ordered by falling frequency
        if not word.isalpha() or word != word.lower():
            continue
        if language == "de" and "ss" in word:
            start = word.find("ss")
            while start != -1:  # each ss on its own: Schlossstraße has one of each
                found.setdefault(word[:start] + "ß" + word[start + 2:], zipf)
                start = word.find("ss", start + 1)
        if not word.isascii():
            found.setdefault(word, zipf)
    lines = [
        f"# {language}: words with a non-ASCII letter, Zipf >= {LANGUAGE_MIN_ZIPF} in wordfreq's {size} list;"
        " =zipf, then the words of that Zipf frequency",
        "# derived from wordfreq's list (Robyn Speer; data CC BY-SA 4.0) by bench/encoding_build.py",
    ]
    last = None
    for word, zipf in sorted(found.items(), key=lambda item: (-item[1], item[0])):
        if zipf != last:
            lines.append(f"={zipf}")
            last = zipf
        lines.append(word)
    return "\n".join(lines) + "\n"

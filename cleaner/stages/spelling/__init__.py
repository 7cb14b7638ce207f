"""Spelling: fix non-words, words run together and doubled words; touch no name.

Modules, each importing only those above it:

- ``sounds``: a word's sound keys;
- ``lexicon``: the word knowledge (gate, dictionary, frequencies, the table);
- ``fuzzy``: the most likely intended word for a non-word, or none;
- ``settings``: spelling.words' options as one frozen ``Settings``;
- ``decisions``: what to do with one word type, context aside;
- ``text``: blocks, tokens, code lines and line numbers of a text;
- ``words``: spelling.words, each word judged where it stands;
- ``doubled``: spelling.doubled.
"""

from __future__ import annotations

from .doubled import fix_doubled
from .words import clear_caches, fix_words

FIXERS = {
    "spelling.words": fix_words,
    "spelling.doubled": fix_doubled,
}

# Settings read from [tool.cleaner.spelling] (see _user_words).
OPTIONS: dict[str, str] = {
    "protected-words": "words never changed, in any case",
    "protected-words-file": "a file of protected words, one a line",
    "protected-words-files": "files of protected words, one a line",
    "corrections": "a table typo = correction, applied like the built-in table",
    "corrections-file": "a file of typo,correction lines",
    "corrections-files": "files of typo,correction lines",
    "fuzzy": "false turns the fuzzy lookup off",
}

__all__ = ["FIXERS", "OPTIONS", "clear_caches", "fix_doubled", "fix_words"]

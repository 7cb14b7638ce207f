"""Spelling: fix non-words, words run together and doubled words; touch no name.

Scraped and hand-typed text has slips (``recieved``, ``strenght``,
``andself``, ``with with``) among names that look just as odd (``Juche``,
``Halhinghol``, ``KPRA``).  Spelling checkers that know only a word list turn
the names into words; this stage is built the other way round, precision
first:

1. A word the gate knows is never changed (``bloc``, ``Provence``,
   ``discreet``): the gate is wordfreq's English list plus a dictionary, minus
   every known misspelling (``lexicon``).
2. A known misspelling (the table) is corrected keeping its case
   (``Technlogy`` -> ``Technology``), but a capitalised one only where its
   capital is explained (a sentence's first word, a title's; a name only by a
   cheap slip of it, ``Carribean``): mid-sentence it stands where a name
   does, and names are spelt like slips (``Ponting``).  A row with several corrections never
   decides alone: the word still fails the gate, so the fuzzy lookup judges it
   as it would any lowercase non-word, and the fix is made only when the
   lookup's clear winner is one of the row's corrections (``preceeding``:
   preceding, not proceeding).  Otherwise the word is reported.
3. A lowercase non-word gets the clear winner of a fuzzy lookup, or nothing
   (``fuzzy``).  One that reads as two common words written as one
   is left alone (``roadtrip``), unless a one-slip fix is at hand
   (``gatherring``: a doubled letter, not gather + ring).  A capitalised unknown word is a name, unless it only
   carries the capital of a sentence's or quoted title's first word; there the
   lowercase form is judged with a stricter margin.
4. Two words run together are split when both parts are common and one is a
   short function word (``himwhich``), or when the document itself writes them
   apart (``JucheKorea`` beside "Juche Korea").
5. British and American spellings are both right; a correction follows the
   document's own preference (``realised`` in the text -> ``epitomised``).
6. Only English is checked: a document or paragraph whose words the
   dictionary mostly does not know is left alone and reported.

What a document itself says outranks the lexicon, because names and terms are
local: a "misspelling" written three times is the document's term (``rustc``),
a capitalised one written twice or short is a name (``Shure``, ``Canva``), a
list item's first word is a title, and a word among unknown neighbours is a
quotation or a Latin name (``voor herhaling vatbaar``, ``Monarda fistulosa``).
URLs, addresses, code, numbers and Markdown code are never touched.

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
from .lexicon import build_lookup_tables
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

__all__ = ["FIXERS", "OPTIONS", "build_lookup_tables", "clear_caches", "fix_doubled", "fix_words"]

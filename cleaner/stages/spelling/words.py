"""Spelling: spelling.words, every word the gate does not know judged where it stands.

The work is on word *types*: the document's whitespace-separated chunks go
into a set, set differences (in C) with the known forms and with the chunks
seen before that needed nothing leave the few new or actionable ones, and
each type's decision is cached (decisions.py).  Only then are the places of
the words with a decision looked at, each scan stopping as soon as the word's
kind is settled.  Users clean whole dumps stored as one file, so no step may
grow with the square of the text: where one scan per word would, the text is
indexed once instead, with the same answers (``_Places``).
"""


from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache, partial
from itertools import accumulate, compress, islice, repeat
from operator import not_
from types import MappingProxyType

from ...language import LANGUAGES_FACT, english_verdict
from ...rules import Context, RawEdit, match_case, replay, takes_settings
from .decisions import LOOKUP, Decision, decider, initial_fix, looker
from .fuzzy import FIT, Channel, candidates_near, slip_cost
from .lexicon import Lexicon, lexicon
from .settings import Settings
from .sounds import skeleton, sounds_like
from .text import TEXT_TOKENS, LineNumbers, is_one_block, text_blocks

# Punctuation that may wrap a word in running text.
_WRAP = "\"'()[]{}<>.,;:!?«»“”„‘’‚‹›*…—–-"
_APOSTROPHE = re.compile("['’]")
_TAIL = re.compile(r"['’]([^\W\d_]+)")
_CONTRACTION_TAILS = frozenset({"s", "t", "ll", "re", "ve", "d", "m"})
# Characters that make a chunk code, a URL, an address, a number or a handle:
# nothing inside such a chunk is a word to correct.
_PROTECTED_CHUNK = re.compile(r"[0-9/\\@_=<>`#{}|~^$%&+]|[^\W\d_]\.[^\W\d_]|\.\*")
# A word hyphenated across a line break: its halves (``em-`` / ``ployees``) are no words, nor slips of one.
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[^\W\d_])")
_INNER_BREAK = re.compile(r"[-–—/…]")

_SENTENCE_END = ".!?"
_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr St Prof Sr Jr vs Gen Col Capt Lt Sgt Rev Fr Mt No Vol".split())
_LETTERS_RUN = re.compile(r"[^\W\d_]+")
_LIST_ITEM = re.compile(r"[ \t]*(?:\d+[.)]|[-*•–])[ \t]*$")
# Bare-chunk dictionary share above which a text is English without a recount.
QUICK_ENGLISH = 0.5
# Share of chunk types the word gate knows above which a text is English, no count needed.
GATE_ENGLISH = 0.6
_OPENERS = "\"“‘'(["


# --------------------------------------------------------------------------- the document

_USER_KEYS = frozenset((
    "protected-words", "protected-words-file", "protected-words-files",
    "corrections", "corrections-file", "corrections-files",
))
_NO_USER_WORDS: tuple[frozenset[str], Mapping[str, str]] = (frozenset(), MappingProxyType({}))  # read only: shared


def _user_words(options: dict) -> tuple[frozenset[str], Mapping[str, str]]:
    """Protected words and extra corrections from the user's config.

    ``[tool.cleaner.spelling]`` keys: ``protected-words`` (a list) and
    ``protected-words-file(s)`` (one word a line, ``#`` comments): never changed,
    in any case.  ``corrections`` (a table typo = fix) and ``corrections-file(s)``
    (``typo,fix`` lines): applied like the built-in table.  ``fuzzy = false``
    turns the fuzzy lookup off.
    """
    if _USER_KEYS.isdisjoint(options):
        return _NO_USER_WORDS  # the usual case: nothing to read, every document
    protected: set[str] = set()
    for key in ("protected-words", "protected-words-file", "protected-words-files"):
        value = options.get(key, ())
        for line in (value,) if isinstance(value, str) else value:
            word = line.split("#", 1)[0].strip()
            if word:
                protected.add(word.lower())
    extra: dict[str, str] = {}
    inline = options.get("corrections", ())  # a TOML table arrives as (typo, fix) pairs
    for item in inline.items() if isinstance(inline, dict) else inline:
        if isinstance(item, (tuple, list)) and len(item) == 2 and all(isinstance(x, str) for x in item):
            extra[item[0].strip().lower()] = item[1].strip()
    for key in ("corrections-file", "corrections-files"):
        for line in options.get(key, ()):
            line = line.split("#", 1)[0].strip()
            if "," in line:
                typo, fix = (x.strip() for x in line.split(",", 1))
                if typo and fix and "," not in fix:
                    extra[typo.lower()] = fix
    return frozenset(protected), extra


def _chunk_words(chunk: str, lex: Lexicon) -> tuple[str, ...]:
    """Words of a chunk the gate does not know, stripped of punctuation.

    Chunks that are code, URLs or numbers still yield their pieces here; the
    occurrence check rejects them (``_PROTECTED_CHUNK``).
    """
    known = lex.gate
    core = chunk.strip(_WRAP)
    if not core or core in known:
        return ()
    if core.isalpha():
        return (core,)
    if _PROTECTED_CHUNK.search(core):
        return ()
    if "-" in core and lex.is_word(core.replace("-", "").lower()):
        return ()  # take-aways, e-mail: a compound that is one word written with a hyphen
    words = []
    for part in _INNER_BREAK.split(core):
        part = part.strip(_WRAP)
        if not part or part in known:
            continue
        if "'" in part or "’" in part:
            pieces = _APOSTROPHE.split(part)
            if not pieces[0] or any(p not in _CONTRACTION_TAILS for p in pieces[1:]):
                continue  # o’clock, rock’n’roll, ’tis: leave them
            part = pieces[0]
            if part in known:
                continue
        if part.isalpha():
            words.append(part)
    return tuple(words)


@lru_cache(maxsize=8)
def _chunk_splitter(lex: Lexicon):
    """_chunk_words() for one lexicon, cached per chunk."""
    return lru_cache(maxsize=131072)(partial(_chunk_words, lex=lex))


# Most unknown chunks of a web page (names, handles, "word," with its comma)
# are seen again and again and need nothing.  Remembering them per settings
# (a cache of decide()'s verdicts, bounded) lets a set difference in C drop
# them before any Python-level look.
SETTLED_MAX = 400_000
# Unknown chunks in one text above which they are sorted in bulk (C-level passes).
BULK_SETTLE = 8
# Places looked at for a word that is only reported, never changed.
NOTE_PLACES = 3


@lru_cache(maxsize=8)
def _settled_chunks(settings: Settings) -> set[str]:
    """Chunks seen before none of whose words decide() acts on (filled as documents come)."""
    return set()


def _word_types(
    fresh: frozenset[str], lex: Lexicon, decide_word, settled: set[str], keep_all: bool, judge: bool = True
) -> set[str]:
    """Words of the document's unknown chunks not settled before (``fresh``)
    that need a decision: those decide() acts on; all of them with
    ``keep_all`` (the user's own corrections may name any word) or unjudged
    with ``judge=False`` (a text where one decision is enough)."""
    split = _chunk_splitter(lex)
    words: set[str] = set()
    if keep_all or not judge:
        for chunk in fresh:
            words.update(split(chunk))
        return words
    if len(fresh) <= BULK_SETTLE:
        for chunk in fresh:
            parts = split(chunk)
            if any(decide_word(w) is not None for w in parts):
                words.update(parts)
            elif len(settled) < SETTLED_MAX:
                settled.add(chunk)
        return words
    # The same answer with the chunks in bulk.  A text seen first holds many
    # chunks that are a known word with punctuation ("world,", "(the"): no word
    # to decide, told apart and settled in C.  Most others are one word with
    # punctuation ("Juche,"), decided once per word type; punctuation alone,
    # code, URLs and numbers have no word; only chunks of several pieces
    # ("e-mail", "isn't") some piece of which the gate does not know meet
    # _chunk_words.  (One loop over the rest: a pass in C per test cost more.)
    chunks = list(fresh)
    cores = list(map(str.strip, chunks, repeat(_WRAP)))
    known = lex.gate
    in_gate = list(map(known.__contains__, cores))
    settle = list(compress(chunks, in_gate))
    unknown = list(map(not_, in_gate))
    word_chunks: list[tuple[str, str]] = []
    several: list[tuple[str, str]] = []
    protected = _PROTECTED_CHUNK.search
    for chunk, core in zip(compress(chunks, unknown), compress(cores, unknown)):
        if core.isalpha():
            word_chunks.append((chunk, core))
        elif not core or protected(core):
            settle.append(chunk)
        else:
            several.append((chunk, core))
    decided = {word for word in {core for _, core in word_chunks} if decide_word(word) is not None}
    words |= decided
    settle += [chunk for chunk, core in word_chunks if core not in decided]
    for chunk, core in several:
        for piece in _INNER_BREAK.split(core):
            piece = piece.strip(_WRAP)
            if piece and piece not in known:
                break
        else:
            settle.append(chunk)  # every piece, stripped, is known ("well-known", "don’t")
            continue
        parts = split(chunk)
        if any(decide_word(w) is not None for w in parts):
            words.update(parts)
        else:
            settle.append(chunk)
    settled.update(settle[: max(0, SETTLED_MAX - len(settled))])
    return words


def english_share(chunks: set[str], lex: Lexicon) -> tuple[float, int]:
    """Share of a text's word types that the English dictionary knows, and how many were judged.

    English prose scores about 0.9, French or German 0.15 to 0.4 (punctuation stripped).
    """
    words = {c.strip(_WRAP) for c in chunks}
    words.discard("")
    if not words:
        return 1.0, 0
    return _dictionary_count(words, lex) / len(words), len(words)


def _dictionary_count(words: set[str], lex: Lexicon) -> int:
    """How many of these words the dictionary has, in lowercase or Title case."""
    dictionary = lex.dictionary
    rest = words - dictionary
    # Title-case words whose lowercase form is listed, counted without a Python-level loop.
    return len(words) - len(rest) + len(set(map(str.lower, filter(str.istitle, rest))) & dictionary)


def is_english(
    chunks: set[str], lex: Lexicon, min_share: float, min_words: int, unknown: int | None = None
) -> tuple[bool, float]:
    """Is this text English enough to spell-check?  Too short a text is not judged.

    Most texts are settled by a count the gate has already made (``unknown``):
    English web pages keep about 70% of their chunk types known to it,
    punctuation and all, French or German about a third.  A quick count over
    bare chunks settles most of the rest (English prose keeps over half of its
    chunk types bare dictionary words; French or German about a third or
    less); only a low quick count is recounted with punctuation stripped.
    """
    if len(chunks) < min_words:
        # A few chunks may still hold many words, joined by hyphens, commas or
        # slashes (a data dump on one line): judged by those, if they are enough.
        parts = {part for chunk in chunks for part in _LETTERS_RUN.findall(chunk)}
        if len(parts) < min_words:
            return True, 1.0
        chunks, unknown = parts, None
    if unknown is not None and 1 - unknown / len(chunks) >= GATE_ENGLISH:
        return True, 1 - unknown / len(chunks)
    quick = _dictionary_count(chunks, lex) / len(chunks)
    if quick >= QUICK_ENGLISH:
        return True, quick
    share, judged = english_share(chunks, lex)
    return judged < min_words or share >= min_share, share


# Marks of text about code: snake_case, call(), ::, ->, --flags, `code spans`,
# #include, system paths, $VARS.  In such text the unknown lowercase words are
# mostly identifiers (memset, setuid, builddir, docstring), which a lookup
# "corrects" into other words (memes, suited, builder, doctoring); only known
# misspellings are fixed there.  Counted with str.count: a regex over the whole
# text cost more than the rest of the stage.
_CODE_MARKS = ("_", "()", "::", "->", "`", "#include", "/usr/", "$(", "${")
_LOOKUP_KINDS = frozenset(("fuzzy", "initial", "split"))


def _code_marks(text: str) -> float:
    """Code marks per 1,000 words of the text."""
    words = text.count(" ") + text.count("\n") + 1
    count = text.count
    flags = count(" --") - count(" -- ")  # not the dash typed as two hyphens between spaces
    return (sum(count(mark) for mark in _CODE_MARKS) + flags) * 1000 / words


def _paragraphs(text: str):
    """``text.split("\\n\\n")``, one paragraph at a time (a long text is not copied whole)."""
    start = 0
    while True:
        stop = text.find("\n\n", start)
        if stop == -1:
            yield text[start:]
            return
        yield text[start:stop]
        start = stop + 2


def _english_paragraph_chunks(
    text: str, lex: Lexicon, min_share: float, min_words: int, rest: set[str], wanted: set[str]
) -> tuple[bool, set[str]]:
    """Whether any paragraph long enough to judge is judged English, and the
    ``wanted`` chunks of those that are.  A paragraph without a wanted chunk
    is judged only until one English paragraph is found."""
    found: set[str] = set()
    any_english = False
    for paragraph in _paragraphs(text):
        words = set(paragraph.split())
        if len(words) < min_words:
            continue
        holds_wanted = not words.isdisjoint(wanted)
        if not holds_wanted and any_english:
            continue
        ok, _ = is_english(words, lex, min_share, min_words, len(words & rest))
        if ok:
            any_english = True
            if holds_wanted:
                found |= words & wanted
    return any_english, found


def _preference(chunks: set[str], lex: Lexicon) -> str | None:
    """'gb' or 'us' when the document's own spellings lean one way."""
    spelt = chunks & _variant_forms(lex)  # one pass over the document's chunks, then a few
    gb = len(spelt & lex.gb_words)
    us = len(spelt & lex.us_words)
    if gb > us:
        return "gb"
    if us > gb:
        return "us"
    return None


@lru_cache(maxsize=8)
def _variant_forms(lex: Lexicon) -> frozenset[str]:
    """Every British-only and American-only form."""
    return lex.gb_words | lex.us_words


def _prefer(fix: str, preference: str | None, lex: Lexicon) -> str:
    if preference is None:
        return fix
    lower = fix.lower()
    other = lex.gb_to_us.get(lower) if preference == "us" else lex.us_to_gb.get(lower)
    if other is None:
        return fix
    return match_case(fix, other) or fix


def _paragraph_start(text: str, start: int) -> int:
    """Where the paragraph holding ``start`` begins: at the line break that
    ends the blank line before it (whitespace, so no chunk is cut), or at 0."""
    return text.rfind("\n\n", 0, start) + 1


def _paragraph_end(text: str, start: int) -> int:
    """Where the paragraph holding ``start`` ends: at its blank line, or at the end."""
    stop = text.find("\n\n", start)
    return stop if stop != -1 else len(text)


def _sentence_initial(text: str, start: int) -> bool:
    """Does the word at start open a sentence, a line or a quoted title?"""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    quoted = i < start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if quoted or i < 0 or text[i] == "\n":
        return True  # a quoted title's first word, or a line's
    if text[i] == ".":
        j = i
        while j > 0 and text[j - 1].isalpha():
            j -= 1
        if text[j:i] in _ABBREVIATIONS or (i - j == 1 and text[j].isupper()):
            return False  # "R. Cotten", "Dr. Smith": an initial or a title, not a sentence end
        return True
    return text[i] in _SENTENCE_END or text[i] == "…"


# Words that join the words of a title or a name (University of Technology, Sea to Summit).
_TITLE_JOINERS = frozenset("of the and for to a an in on at by with & de du la le von van der".split())
_TITLE_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|\d\w*|&|[^\w\s]")
_TITLE_REACH = 60
_SEGMENT_MARKS = ":|—–•·"
_CHUNK_REST = re.compile(r"[\w'’-]*")


def _capital_explained(text: str, start: int, end: int, fix: str, lex: Lexicon, settings: Settings) -> bool:
    """May a capitalised word the table lists be corrected here?

    The table's rows are slips of common words, but a capitalised token in
    running text stands where a name would, and many names are spelt like a
    slip (``Ponting``, ``Automattic``, ``Creedence``).  Where the fix is itself
    a name, the capital is a name's wherever the word stands, and the fix is
    made only if the typed form misspells it by a cheap slip (at most
    ``name_slip_cost``: ``San Fransisco``, ``Balitmore``, ``Carribean``;
    ``Carolan`` is no slip of Carolina) and the web does not write that form as
    a name of its own (Zipf below ``name_zipf``: ``Partick``, ``Berkley`` stay).
    Otherwise the capital is explained, and the fix made, where the word opens
    a sentence or a line, or is one of a title's capitalised words
    (``University of Technlogy``, ``Procedural Knowlege Is Not Boring``).
    """
    lower_fix = fix.lower()
    if not all(part in lex.lower_dictionary for part in lower_fix.split()):
        # A name misspelt is a slip or two from it (Carribean); one further off is a name of its own (Carolan).
        typed = text[start:end].lower()
        return (
            lex.zipf.get(typed, 0.0) < settings.name_zipf
            and slip_cost(typed, lower_fix, settings.name_slip_cost + FIT) <= settings.name_slip_cost + FIT
        )
    if _sentence_initial(text, start):
        return True
    before = text[max(0, start - 3) : start].rstrip()
    if before and before[-1] in _SEGMENT_MARKS:
        return True  # a headline's next part: "Your Business — Recieve 50% off"
    return _in_title(text, start, end, lex)


def _in_title(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Does a capitalised common word stand in the same run of capitalised
    words (joined by ``of``, ``and``, ``the``...) as the word at start?  Then the
    capitals mark a title or a heading, not a name.  A sentence's first word
    does not count: its capital is the sentence's."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    left = list(_TITLE_TOKEN.finditer(text, max(line_start, start - _TITLE_REACH), start))
    after = _CHUNK_REST.match(text, end).end()  # past the rest of a hyphenated word (Fuschia-colored)
    right = _TITLE_TOKEN.finditer(text, after, min(line_end, after + _TITLE_REACH))
    for side in (reversed(left), right):
        for m in side:
            token = m.group()
            if token[0].isupper():
                lower = token.lower()
                if (
                    len(lower) >= 4 and lower in lex.lower_dictionary and 3.0 <= lex.zipf.get(lower, 0.0) < 6.0
                    and not _sentence_initial(text, m.start())
                ):
                    return True
                continue
            if token in _TITLE_JOINERS or token[0].isdigit():
                continue
            break  # a lowercase word or a mark ends the run
    return False


def _opening_sentences(text: str, starts, most: int) -> list[int] | None:
    """The first ``most`` of these places, or None if one of them does not open
    a sentence (the scan for places stops there)."""
    out = []
    for start in islice(starts, most):
        if not _sentence_initial(text, start):
            return None
        out.append(start)
    return out


def _foreign_context(text: str, start: int, end: int, lex: Lexicon, protected: frozenset[str], reach: int = 40) -> bool:
    """Two or more words nearby that English does not know (``voor herhaling vatbaar``)."""
    # A word hyphenated across a line break is read whole (em-ployees), not as two unknown halves.
    left, right = text[max(0, start - reach) : start], text[end : end + reach]
    left = _LETTERS_RUN.findall(_HYPHEN_BREAK.sub("", left) if "\n" in left else left)[-3:]
    right = _LETTERS_RUN.findall(_HYPHEN_BREAK.sub("", right) if "\n" in right else right)[:3]
    foreign = _foreign_judge(lex)
    unknown = 0
    for w in left + right:
        if foreign(w) and w.lower() not in protected:
            unknown += 1
    return unknown >= 2


def _foreign_word(w: str, lex: Lexicon) -> bool:
    """Is this neighbour a word English does not know (a foreign word, a genus,
    a foreign name), the user's protected words aside?  Short capitalised ones
    (``Dr``, ``UK``) do not count."""
    lower = w.lower()
    if lower in lex.words or lower in lex.slips or lex.derived(lower):
        return False  # English, or an English slip
    return not w[0].isupper() or len(w) > 3


@lru_cache(maxsize=8)
def _foreign_judge(lex: Lexicon):
    """_foreign_word() for one lexicon, cached per word type."""
    return lru_cache(maxsize=65536)(partial(_foreign_word, lex=lex))


def _occurrences(text: str, word: str, most: int = -1) -> list[int]:
    """Offsets of word as a whole word (str.find: far cheaper than a regex per
    word); the first ``most`` only, if given.  Whole means: no letter, digit or
    underscore either side, and no apostrophe before (``’tis``)."""
    return list(islice(_each_occurrence(text, word), most if most > 0 else None))


def _each_occurrence(text: str, word: str):
    """_occurrences one by one: a caller that stops early stops the scan."""
    n = len(word)
    find = text.find
    pos = find(word)
    while pos != -1:
        before = text[pos - 1] if pos else " "
        after = text[pos + n] if pos + n < len(text) else " "
        if not (before.isalnum() or before in "'’_") and not (after.isalnum() or after == "_"):
            yield pos
        pos = find(word, pos + n)


# A run of letters, digits and underscores: exactly the characters _occurrences
# wants on neither side of a whole word (str.isalnum() or "_").
_WORD_RUN = re.compile(r"\w+")
# Word lookups x characters above which one indexing pass beats a str.find
# scan per word: a long document (a whole dump in one file) with thousands of
# unknown words would otherwise take time growing with the square of its size.
INDEX_WORK = 30_000_000


class _Places:
    """Where the words of one document stand, and how often each is written (any case).

    Each kind of question is answered by a scan of the text (``str.find``,
    ``str.count``) until the questions asked times the text's length pass
    ``INDEX_WORK``; then the text is indexed in one pass, with the same
    answers.  A short document never gets there; a long one (a whole dump in
    one file) gets there after a few questions.
    """

    def __init__(self, text: str, words: set[str]) -> None:
        self.text = text
        self.words = words
        self._lowered: str | None = None
        self._index: dict[str, list[int]] | None = None
        self._runs: tuple[str, list[int], list[int]] | None = None
        self._pairs: dict[str, tuple[list[str], list[int]]] | None = None
        self._finds = self._counts = self._pair_queries = 0

    @property
    def lowered(self) -> str:
        if self._lowered is None:
            self._lowered = self.text.lower()
        return self._lowered

    def _scanning(self) -> bool:
        """Whether one more scan for a word's places keeps within INDEX_WORK;
        once it would not, the text is indexed (once) and every later question
        is answered from the index."""
        if self._index is None:
            self._finds += 1
            if self._finds * len(self.text) <= INDEX_WORK:
                return True
            self._index = _run_index(self.text, self.words)
        return False

    def of(self, word: str, most: int = -1) -> list[int]:
        """Offsets of word (one of ``words``) as a whole word, as _occurrences gives them."""
        if self._scanning():
            return _occurrences(self.text, word, most)
        return _whole(self.text, self._index.get(word, ()), most)

    def each(self, word: str):
        """The offsets of() lists, one by one: a scan stops where the caller stops."""
        if self._scanning():
            return _each_occurrence(self.text, word)
        return iter(_whole(self.text, self._index.get(word, ()), -1))

    def pair_count(self, a: str, b: str) -> int:
        """``text.count(f"{a} {b}")`` for two capitalised words (``_CAMEL``'s parts).

        A document with many run-together candidates is indexed once: every
        capitalised word followed by a space and a capital, with the capital
        word after it, counted (``_capital_pairs``).  "A B" occurs as a
        substring exactly where A's capital starts such a pair whose second
        word begins with B (``Juche Koreans`` holds "Juche Korea").  Two
        occurrences can overlap only when B begins A (``Bora Bora Bora``),
        where ``str.count`` counts them apart: that rare case keeps the scan.
        """
        self._pair_queries += 1
        if self._pairs is None and self._pair_queries * len(self.text) > INDEX_WORK:
            self._pairs = _capital_pairs(self.text)
        if self._pairs is None or a.startswith(b):
            return self.text.count(f"{a} {b}")
        seconds = self._pairs.get(a)
        if seconds is None:
            return 0
        words, totals = seconds
        # The second words that begin with b are a run of the sorted list.
        i = bisect_left(words, b)
        j = bisect_left(words, b + "\x7f", i)  # past every word b + [a-z]*
        return totals[j] - totals[i]

    def count(self, lower: str) -> int:
        """How often the lowercase word is written, in any case and inside other
        words too (``edns`` in ``edns0``: a term), as ``str.count`` on the lowered text."""
        if self._runs is None:
            self._counts += 1
            # (A text of several blocks is indexed at once: its lowercase copy alone would cost more.)
            if self._counts * len(self.text) <= INDEX_WORK and is_one_block(self.text):
                return self.lowered.count(lower)
            # The distinct runs of the lowered text, once each, with how often
            # each is written: a word is counted inside them, not in the text.
            # Lowered a block at a time: a block ends at a line break, where
            # neither a run nor a letter's lowercase context crosses.
            counts: Counter[str] = Counter()
            for _, block in text_blocks(self.text):
                counts.update(_WORD_RUN.findall(block.lower()))
            runs = list(counts)
            starts = list(accumulate((len(r) + 1 for r in runs), initial=0))
            self._runs = ("\n".join(runs), starts, list(counts.values()))
        # A word of letters never spans two runs, so the text's count is the
        # sum over the runs that hold it, each as often as it is written.
        joined, starts, written = self._runs
        total = 0
        pos = joined.find(lower)
        while pos != -1:
            total += written[bisect_right(starts, pos) - 1]
            pos = joined.find(lower, pos + len(lower))
        return total


def _run_index(text: str, words: set[str]) -> dict[str, list[int]]:
    """word -> offsets of the letter-digit runs that are exactly that word."""
    index: dict[str, list[int]] = {}
    for m in _WORD_RUN.finditer(text):
        run = m.group()
        if run in words:
            index.setdefault(run, []).append(m.start())
    return index


# A capitalised word (_CAMEL's first part, letters only up to the space), a
# space, and the capital word after it: the places "A B" can occur.
_CAPITAL_PAIR = re.compile(r"([A-Z][a-z]{2,}) (?=([A-Z][a-z]*))")


def _capital_pairs(text: str) -> dict[str, tuple[list[str], list[int]]]:
    """first word -> (the second words written after it, sorted; running totals of how often)."""
    by_first: dict[str, list[tuple[str, int]]] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for _, block in text_blocks(text):  # (a pair never crosses a line break)
        counts.update(_CAPITAL_PAIR.findall(block))
    for (first, second), n in sorted(counts.items()):
        by_first.setdefault(first, []).append((second, n))
    return {
        first: ([second for second, _ in seconds], list(accumulate((n for _, n in seconds), initial=0)))
        for first, seconds in by_first.items()
    }


def _whole(text: str, starts, most: int) -> list[int]:
    """The runs not right after an apostrophe (``’tis``), the first ``most`` only."""
    out = []
    for pos in starts:
        if not pos or text[pos - 1] not in "'’":
            out.append(pos)
            if len(out) == most:
                break
    return out


def _unknown_parts(chunk: str, lex: Lexicon) -> set[str]:
    """The letter runs of a hyphenated chunk that the gate does not know: one
    beside a word (``virtio-rng``) makes the chunk a thing's name, in which only
    a listed slip is fixed."""
    return {part for part in _LETTERS_RUN.findall(chunk) if not lex.is_word(part.lower())}


def _combining_form(text: str, end: int, word: str, lex: Lexicon) -> bool:
    """Is ``word`` the first part of a hyphenated compound, in the -o form of a
    word (``dramatico-musical``, ``medico-legal``)?  English makes such forms
    of any adjective; they are not slips of the adjective."""
    return (
        word.endswith("o") and text[end : end + 1] == "-" and text[end + 1 : end + 2].isalpha()
        and lex.is_word(word[:-1].lower())
    )


_NON_SPACE_RUN = re.compile(r"\S*")


def _hyphen_broken(text: str, start: int, end: int) -> bool:
    """Is the chunk text[start:end] one half of a word hyphenated across a line
    break (``em-`` before it, ``ployees`` after)?"""
    if text[end - 1] == "-" and _HYPHEN_BREAK.match(text, end - 1):
        return True
    # The break before the chunk ends where it starts (the lookahead sees its first letter).
    return any(m.end() == start for m in _HYPHEN_BREAK.finditer(text, max(0, start - 24), start + 1))


def _chunk_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the whitespace-delimited chunk holding text[start:end] begins and ends."""
    a = start
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    return a, _NON_SPACE_RUN.match(text, end).end()


@takes_settings(Settings)
def fix_words(text: str, ctx: Context, settings: Settings) -> tuple[str, list[RawEdit]]:
    """Correct misspellings: table, then run-together words, then fuzzy lookup."""
    if not text or text.isspace():  # (no copy of the text, as strip() makes)
        return text, []
    decide_word, look_up_word, settled = decider(settings), looker(settings), _settled_chunks(settings)
    lex = lexicon(settings.gate_zipf, settings.candidate_zipf)
    options = ctx.options or {}
    protected, extra = _user_words(options)
    use_fuzzy = options.get("fuzzy", True) is not False

    split = ctx.analysis.fact(TEXT_TOKENS, text)
    chunks = split.chunks
    rest = lex.unknown(chunks)
    # The user's own corrections may name any word; otherwise chunks seen
    # before that needed nothing are dropped, in C.
    fresh = rest if extra else rest - settled
    if not fresh:
        return text, []  # every word known, or seen before and needing nothing
    # Judged first, so that a text not spell-checked stops at its first decision
    # (it is reported only if it has one) instead of deciding every word.
    # The language verdicts (cleaner.language) decide where they are sure; the
    # dictionary share decides where they are not.
    # (Asked for only where needed: most texts are settled by the dictionary.)
    languages = partial(ctx.analysis.fact, LANGUAGES_FACT, text)
    english, share = is_english(chunks, lex, settings.english_share_min, settings.english_judge_min_words, len(rest))
    short = len(chunks) < settings.english_judge_min_words
    # A text whose words the dictionary mostly knows is English (no verdict needed:
    # most texts stop here); a short one, or one that falls short, is asked about.
    said = None if english and not short else english_verdict(languages().document, short=short)
    english = english if said is None else said
    mixed = False
    if not english and said is False:
        # Another language: only its paragraphs judged English, at any length, are decided.
        english_chunks = set()
        for start, end, verdict in languages().paragraphs:
            if english_verdict(verdict):
                english_chunks.update(fresh.intersection(text[start:end].split()))
        if english_chunks:
            fresh = fresh & english_chunks
            english = mixed = True
            ctx.note(0, f"spelling: languages mixed (mostly {languages().document.language}); paragraphs judged one by one")
    elif not english and len(text) >= settings.mixed_min_chars:
        # A long dump that is not English as a whole may hold English pages
        # among others: its paragraphs are judged one by one, and only the
        # words of those judged English are decided.
        any_english, english_chunks = _english_paragraph_chunks(
            text, lex, settings.english_share_min, settings.english_judge_min_words, rest, fresh
        )
        if any_english:
            fresh = fresh & english_chunks
            english = mixed = True
            ctx.note(0, f"spelling: languages mixed ({share:.0%} of words known); paragraphs judged one by one")
    types = _word_types(fresh, lex, decide_word, settled, keep_all=bool(extra), judge=english)
    decisions: dict[str, Decision] = {}
    places: dict[str, list[int]] = {}
    technical: float | None = None  # code marks per 1,000 words, counted on first need
    where_in = _Places(text, types)
    for word in types:
        lower = word.lower()
        if lower in protected:
            continue
        if lower in extra:
            fixed = match_case(word, extra[lower])
            if fixed and fixed != word:
                decisions[word] = Decision("table", fixed)
            continue
        decision = decide_word(word)
        if decision is None:
            continue
        if decision is LOOKUP:
            # A fuzzy fix and a note differ in which places are looked at only
            # where the word is written often (or the lookup is off): elsewhere
            # the lookup waits for a place that needs it (see the loop below).
            where = where_in.of(word) if use_fuzzy and where_in.count(lower) < settings.term_repeats else None
            if where is not None and len(where) <= NOTE_PLACES:
                places[word] = where
                decisions[word] = decision
                if not english:
                    break
                continue
            decision = look_up_word(word)
        if not use_fuzzy and decision.kind in ("fuzzy", "initial"):
            continue
        # Each kind needs only some of its places, and the cheapest test goes
        # first: a word only to report is reported once, so a few places are
        # enough to find one fit; a word kept only if written once (camel) or
        # fewer than name_repeats times (a capitalised one) is settled by its
        # first few places, and a name by the first that does not open a sentence.
        kind = decision.kind
        if kind in ("unsure", "ambiguous"):
            places[word] = where_in.of(word, NOTE_PLACES)
        elif kind == "camel":
            a, b = decision.fix.split(" ")
            if where_in.pair_count(a, b) < 3:
                continue  # never written apart: a name (CommieDad, BlueShield)
            where = places[word] = where_in.of(word, 2)
            if len(where) != 1:
                continue  # written joined on purpose
        elif kind == "initial":
            # Capitalised mid-sentence, or again and again: a name.  Cheapest checks first.
            where = _opening_sentences(text, where_in.each(word), max(settings.name_repeats, 1))
            if where is None or len(where) >= settings.name_repeats:
                continue
            # The fix is cached per word type (names mostly have none); the
            # count is a scan of this text.
            fix = initial_fix(word, settings)
            if fix is None or where_in.count(lower) >= settings.term_repeats:
                continue
            places[word] = where
            decision = Decision("initial", fix)
        elif kind == "table" and word[:1].isupper() and not word.isupper():
            if len(word) < settings.min_capitalised_length:
                continue  # short: a name (Shure, Canva, Dota)
            where = places[word] = where_in.of(word, max(settings.name_repeats, 1))
            if len(where) >= settings.name_repeats:
                continue  # written again and again: a name
        else:
            if kind in ("fuzzy", "split") and where_in.count(lower) >= settings.term_repeats:
                continue  # the same "slip" again and again is the document's own term (rustc)
            places[word] = where_in.of(word)
        decisions[word] = decision
        if not english:
            break  # one is enough to report the text as skipped
    if not decisions:
        return text, []
    if not english:
        why = f"{languages().document.language}" if said is False else f"{share:.0%} of words known"
        ctx.note(0, f"spelling skipped: not English ({why})")
        return text, []
    preference: str | None | bool = False  # found on first need
    code = split.code_lines if ctx.doc.markdown else None
    line_of = LineNumbers(text)
    paragraph_verdict: dict[int, bool] = {}
    edits: list[RawEdit] = []
    chunk_start = chunk_end = para_start = para_end = -1
    chunk, chunk_protected, chunk_unknown = "", False, None
    for start, word in sorted((start, word) for word in decisions for start in (places[word] if word in places else where_in.of(word))):
        decision = decisions[word]
        if decision.kind == "noted":
            continue  # reported once already
        end = start + len(word)
        if end < len(text) and text[end] in "'’" and text[end + 1 : end + 2].isalpha():
            tail = _TAIL.match(text, end)
            if tail is None or tail.group(1) not in _CONTRACTION_TAILS:
                continue  # part of o’clock-like word
        # The places come in text order: a chunk (or paragraph) is found and
        # judged once for all its words, so a long one costs no more than its length.
        if not chunk_start <= start < chunk_end:
            chunk_start, chunk_end = _chunk_span(text, start, end)
            chunk = text[chunk_start:chunk_end]
            chunk_protected = _PROTECTED_CHUNK.search(chunk) is not None or _hyphen_broken(text, chunk_start, chunk_end)
            chunk_unknown = None
        if chunk_protected:
            continue
        if decision is LOOKUP and ("-" in chunk or (word.endswith("in") and text[end : end + 1] in ("'", "’"))):
            decision = decisions[word] = look_up_word(word)  # the checks below differ for a fix and a note
        if decision.kind in ("fuzzy", "initial") and "-" in chunk:
            if chunk_unknown is None:
                chunk_unknown = _unknown_parts(chunk, lex)
            if chunk_unknown - {word}:
                continue  # virtio-rng: a part beside a non-word is an identifier, not a slip
        if decision.kind == "fuzzy" and _combining_form(text, end, word, lex):
            continue  # dramatico-musical, politico-military: the -o form that joins two words
        if decision.kind in ("fuzzy", "initial", "split") and word.endswith("in") and text[end : end + 1] in ("'", "’"):
            continue  # slurpin’, goin': dialect written on purpose
        if word[0].isupper() and decision.kind in ("table", "initial") and _LIST_ITEM.match(text, text.rfind("\n", 0, start) + 1, start):
            continue  # a list item's first word: a title, often a name ("4. Litterati")
        if code is not None and code[line_of(start)]:
            continue
        if not para_start <= start < para_end:
            para_start, para_end = _paragraph_start(text, start), _paragraph_end(text, start)
        para = para_start
        if para not in paragraph_verdict:
            # The language verdict decides where it is sure; the dictionary
            # share (a split and a count) only where it is not.
            verdict_here = languages().at(start)
            said_here = english_verdict(verdict_here)
            if said_here is None:
                words = set(text[para:para_end].split())
                # A paragraph too short to judge needs no count.  The paragraph
                # starts and ends at whitespace, so its chunks are the text's, and
                # those the gate does not know are among the text's (small) rest.
                unknown = len(words & rest) if len(words) >= settings.english_judge_min_words else None
                ok, p_share = is_english(words, lex, settings.english_share_min, settings.english_judge_min_words, unknown)
                if mixed and len(words) < settings.english_judge_min_words:
                    ok = False  # too short to judge, in a text of several languages: left alone
            else:
                ok = said_here
            paragraph_verdict[para] = ok
            if not ok and not mixed:
                why = verdict_here.language if said_here is False else f"{p_share:.0%} of words known"
                ctx.note(para, f"spelling skipped: paragraph not English ({why})")
        if not paragraph_verdict[para]:
            continue
        if decision.kind != "camel" and _foreign_context(text, start, end, lex, protected):
            continue  # among words English does not know: a quotation, a Latin name
        if decision is LOOKUP:
            decision = decisions[word] = look_up_word(word)
        if decision.kind in _LOOKUP_KINDS:
            # Counted on the first edit that needs it: most texts have none.
            if technical is None:
                technical = _code_marks(text)
                if technical >= settings.technical_marks:
                    ctx.note(0, f"spelling: technical text ({technical:.0f} code marks per 1,000 words): "
                                "only the misspelling table is applied")
            if technical >= settings.technical_marks:
                continue
        if (
            decision.kind == "table" and word[0].isupper() and word[1:].islower() and word.lower() not in extra
            and not _capital_explained(text, start, end, decision.fix, lex, settings)
        ):
            ctx.note(start, f"{word!r} left as written: capitalised where a name stands (the table has {decision.fix!r})")
            decisions[word] = Decision("noted")
            continue
        if decision.kind in ("ambiguous", "unsure"):
            ctx.note(start, decision.note)
            decisions[word] = Decision("noted")
            continue
        if decision.kind == "noted":
            continue
        fix = decision.fix
        if decision.kind in ("table", "fuzzy", "initial"):
            if preference is False:
                preference = _preference(chunks, lex)
            fix = _prefer(fix, preference, lex)
        if fix != word:
            edits.append((start, word, fix))
    if not edits:
        return text, []
    return replay(text, edits), edits



def clear_caches() -> None:
    """Forget every word type, chunk and text seen, as in a new process (for a
    cold measurement, or to check that warm caches never change an answer);
    the lexicon stays loaded."""
    for cache in (
        decider, looker, initial_fix, _chunk_splitter, _settled_chunks, _foreign_judge, sounds_like, skeleton, Channel.extra_costs, Channel.missing_costs, candidates_near,
    ):
        cache.cache_clear()

"""Which language a text is in: per document and per paragraph, offline.

A profile of each language is its commonest words with their Zipf frequency
(log10 of occurrences per billion words), compiled from wordfreq's lists by
``bench/language_build.py`` into ``rules/language/profiles.tsv``: every word's
weights in every language, sorted, looked up by bisection in the file's bytes.  A text is
scored as a bag of words under each profile: a word a language knows adds its
Zipf value above ``FLOOR`` (what an unlisted word is worth), so the language
whose common words the text uses most wins; a word no profile knows (a name, a
technical term, a typo) adds nothing to any language and cannot flip the
verdict; a word no profile lists is judged by its last three letters under
each language's profile of word endings (Finnish ``-ssa``, Turkish ``-lar``),
which is what inflected forms and slips still carry.  Each language starts from a prior, log10 of its share of web pages
(English 45%, Malay 0.1%: a text that fits Indonesian and Malay equally is
Indonesian).  Letters are a second cue: a non-ASCII letter a language never writes
(``ß`` for French, ``ø`` for German) costs that language ``LETTER_COST``.
When the two leading languages are a close pair (Danish and Norwegian Bokmål,
Indonesian and Malay, ...), a second look decides between them: every word of
wordfreq's lists of the two, and the 4-letter groups of the words neither lists,
weighted by how much likelier they are in one than in the other
(``rules/language/pairs.tsv``).

Texts in a script without spaces between words (Chinese, Japanese, Korean) are
named by their script.  A text with too few scored words is undetermined
(``None``): the caller decides (a short heading takes the document's verdict).

Pure functions of the text, no stage imports, no I/O after the profiles are
read (lazily, once per process).  The stages read the verdicts through the
per-document analysis (``ctx.analysis.fact(LANGUAGES_FACT, text)``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, filterfalse, repeat
from math import log10
from array import array
from bisect import bisect_left, bisect_right
from typing import Iterable, NamedTuple

from .analysis import Fact

PROFILES_FILE = "profiles.tsv"
# What a word unlisted in a language is worth there, in Zipf units: a little
# below the rarest listed word, so that a rare listed word still counts.
FLOOR_BELOW = 0.5

# What a non-ASCII letter a language does not write costs it, per occurrence.
LETTER_COST = 1.5
# An ending's weight beside a word's (bench/language.py: 0 -> 98.8%, 0.5 -> 99.1%, 1 -> 99.1%
# of its texts right; Finnish 97.3% -> 99.5%).
SUFFIX_WEIGHT = 1.0
# A text no profile lists a word of is judged by its endings when it has this many
# words whose ending some language lists (``Beddua etmeyeceğim, yakışık almaz.`` lists
# no word but has three Turkish endings; a name or two decides nothing).
MIN_ENDINGS = 3
# Below this margin (Zipf units) between the best and the second language, the
# verdict is unsure (``Verdict.sure`` is False).
SURE_MARGIN = 2.0
# Words scored per paragraph at most: a long paragraph is judged by its start.
MAX_WORDS = 400
# Rough share of web pages in each language (percent; Common Crawl's statistics, rounded).
PRIORS = {
    "en": 45, "ru": 6, "de": 6, "ja": 5, "zh": 5, "es": 4.5, "fr": 4.5, "it": 2.5, "pt": 2, "nl": 2,
    "pl": 2, "cs": 1, "vi": 1, "id": 1, "tr": 1, "sv": 0.8, "fa": 0.7, "ko": 0.7, "ar": 0.6, "uk": 0.6,
    "hu": 0.6, "ro": 0.6, "el": 0.5, "da": 0.5, "fi": 0.4, "nb": 0.4, "sk": 0.3, "bg": 0.3, "sh": 0.3,
    "ca": 0.2, "he": 0.2, "lt": 0.2, "sl": 0.15, "hi": 0.15, "lv": 0.1, "ms": 0.1, "bn": 0.1,
    "is": 0.05, "ta": 0.05, "mk": 0.05, "fil": 0.03, "ur": 0.03,
}

_WORD = re.compile(r"[^\W\d_]+")
_SCRIPT = "\x00"
_EDGE = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»„‚‹›–—…¿¡·•§°"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class Verdict:
    """The language of one text, and how sure the verdict is."""

    language: str | None         # ISO 639-1 code (wordfreq's), None: undetermined
    margin: float                # score of the best language minus the second's, in Zipf units
    words: int                   # words scored (known to some profile)
    lanes: tuple[int, ...] = ()  # every language's score, in tenths, in profile order
    names: tuple[str, ...] = ()  # the profile's languages

    @property
    def sure(self) -> bool:
        return self.language is not None and self.margin >= SURE_MARGIN

    def scores(self, top: int = 5) -> list[tuple[str, float]]:
        """The leading languages and their scores, best first."""
        ranked = sorted(zip(self.lanes, self.names), reverse=True)[:top]
        return [(name, score / 10) for score, name in ranked]

    def lead_over(self, language: str) -> float:
        """How far the verdict's language scores above ``language``, in Zipf units
        (0 for that language itself or an undetermined verdict; a language without
        a profile counts as scoring nothing)."""
        if self.language is None or self.language == language or not self.lanes:
            return 0.0
        try:
            other = self.lanes[self.names.index(language)]
        except ValueError:
            other = min(self.lanes)
        return (max(self.lanes) - other) / 10


UNDETERMINED = Verdict(None, 0.0, 0)


@dataclass(frozen=True)
class Profiles:
    """Each word's weights in every language, packed into one int so that a text's
    scores are one ``sum`` in C: lane ``i`` (``LANE`` bits) holds language ``i``'s
    weight for the word, in tenths of a Zipf unit above the language's floor (what an
    unlisted word is worth there), and the last lane counts the word."""

    languages: tuple[str, ...]
    packed: dict[str, int] | PackedWords
    floors: int                  # the floors, packed: added once per word scored
    priors: int                  # each language's prior weight, packed: added once per text
    letters: dict[str, int]      # non-ASCII letter -> LETTER_COST in the lanes of the languages writing it
    suffix_floors: int = 0       # each language's weight of an unlisted ending, packed


# 16 bits a lane: a word adds at most about 60 (its weight and floor, in tenths), so a
# lane holds the sum of DOCUMENT_WORDS words; the narrower the int, the faster the sum.
LANE = 16
_MASK = (1 << LANE) - 1
# Zipf value every weight is counted from, below every profile's rarest word.
BASE = 2.0
_LANE_ARRAY = "H"


@lru_cache(maxsize=1)
def profiles() -> Profiles:
    from .rules import builtin_rules_dir

    return load_compiled_profiles((builtin_rules_dir() / "language" / PROFILES_FILE).read_bytes())


# A process that has looked up fewer words than this finds them by bisection in the
# compiled file's bytes; then the file is split into its lines (in C), searched by
# ``bisect`` (a line ``key<TAB>lanes`` sorts as its key: a tab is below every letter),
# and a word's lanes are decoded into its packed int on its first need.  Splitting
# costs about what 1,700-2,500 bisections in the bytes do: a short run never pays for
# it, a long one pays at most about twice the cheaper way.
SORTED_LOOKUPS = 2_000
# Unlisted words remembered (so that a later text's are skipped in C) before forgetting them.
ABSENT_MAX = 200_000
# In the compiled file, a language's lane and a weight (tenths of a Zipf unit, the
# packed lane's value) are each one character: chr(_DIGIT + number).
_DIGIT = 0x30
_MAX_DIGIT = 0x7E - _DIGIT


class PackedWords:
    """The packed weights of every word and ending (``~ing``), read from the compiled
    profiles: lines ``key<TAB>lanes`` sorted by their UTF-8 bytes, each lane two
    characters (language, weight); a word counts once in the count lane, an ending
    once in the lane after it.  Looked up by bisection in the bytes as read (nothing
    split or hashed at load) until SORTED_LOOKUPS words have been asked for; then
    in the split file's sorted lines; each key found is decoded once into ``known``."""

    __slots__ = ("_data", "_body", "_count", "_asked", "_lines", "known", "_absent")

    def __init__(self, data: bytes, body: int, count: int):
        self._data = data      # the file's bytes, a line break before the first line
        self._body = body      # offset of the first sorted line
        self._count = count    # the count lane's unit, added to every word (its next lane's, to every ending)
        self._asked = 0
        self._lines: list[str] | None = None  # the sorted lines, once split (UTF-8 order is code point order)
        self.known: dict[str, int] = {}   # every key decoded so far: its packed weights
        self._absent: set[str] = set()    # words looked up and unlisted

    def table(self, words: list[str]) -> dict[str, int]:
        """``known``, holding each of ``words`` that any profile lists (and the
        words of earlier calls)."""
        known = self.known
        # One argument a time: set.difference iterates over the set asked about (a
        # text's words) only when given a single set or dict.
        new = set(words).difference(known)
        if new:
            new = new.difference(self._absent)
        if not new:
            return known
        if self._lines is None:
            self._asked += len(new)
            if self._asked > SORTED_LOOKUPS:
                self._split()
        absent = self._absent
        if len(absent) > ABSENT_MAX:
            absent.clear()
        lines = self._lines
        if lines is None:
            for word in new:
                value = self.get(word)
                if value is None:
                    absent.add(word)
                else:
                    known[word] = value
            return known
        value, end = self._value_of, len(lines)
        for word in new:
            probe = word + "\t"
            i = bisect_left(lines, probe)
            if i < end and lines[i].startswith(probe):
                known[word] = value(word, lines[i][len(probe) :])
            else:
                absent.add(word)
        return known

    def _split(self) -> None:
        lines = self._data[self._body :].decode("utf-8").split("\n")
        if lines and not lines[-1]:
            lines.pop()  # after the last line break
        self._lines = lines

    def _value_of(self, key: str, lanes: str) -> int:
        value = self._count << LANE if key[:1] == "~" else self._count
        for i in range(0, len(lanes), 2):
            value += (ord(lanes[i + 1]) - _DIGIT) << (LANE * (ord(lanes[i]) - _DIGIT))
        return value

    def get(self, word: str, default: int | None = None) -> int | None:
        found = self.known.get(word)
        if found is not None:
            return found
        lines = self._lines
        if lines is not None:
            probe = word + "\t"
            i = bisect_left(lines, probe)
            if i < len(lines) and lines[i].startswith(probe):
                return self._value_of(word, lines[i][len(probe) :])
            return default
        key = word.encode("utf-8", "surrogatepass")
        data = self._data
        lo, hi = self._body, len(data)  # the lines that start in [lo, hi); data[lo - 1] is a line break
        rfind, find = data.rfind, data.find
        while lo < hi:
            start = rfind(b"\n", lo - 1, (lo + hi) // 2) + 1
            tab = find(b"\t", start)
            line = data[start:tab]
            if line == key:
                return self._value_of(word, data[tab + 1 : find(b"\n", tab)].decode("ascii"))
            if line < key:
                lo = find(b"\n", tab) + 1
            else:
                hi = start
        return default

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def as_dict(self) -> dict[str, int]:
        """Every key and its packed weights (slow: for checks)."""
        if self._lines is None:
            self._split()
        assert self._lines is not None
        return {key: self._value_of(key, lanes) for key, _, lanes in (line.partition("\t") for line in self._lines)}


def build_lookup_tables() -> None:
    """Split the loaded profiles' words into their sorted lines now, as a long
    run does after SORTED_LOOKUPS lookups (see pipeline.build_lookup_tables).
    Profiles not loaded yet (a run that identifies no language) are left
    unloaded."""
    if profiles.cache_info().currsize:
        packed = profiles().packed
        if isinstance(packed, PackedWords) and packed._lines is None:
            packed._split()


def _prior_weights(languages: Iterable[str]) -> int:
    # A language's prior: log10 of its share of the web, in Zipf units (from 0.01%).
    return sum(round(10 * (log10(PRIORS.get(name, 0.01)) + 2)) << (LANE * i) for i, name in enumerate(languages))


def load_compiled_profiles(data: bytes) -> Profiles:
    """Read the compiled profiles (``compiled_profiles_file``): a header of ``#``
    comments, ``@floors`` (the packed floors of words and of endings) and one
    ``@lang letters`` line a language, then the sorted lines of ``PackedWords``."""
    languages: list[str] = []
    floors = suffix_floors = 0
    letters: dict[str, int] = {}
    data = b"\n" + data
    body = 1
    while data[body : body + 1] in (b"#", b"@"):
        end = data.index(b"\n", body)
        line = data[body:end].decode("utf-8")
        body = end + 1
        if line[0] == "#":
            continue
        name, _, alphabet = line[1:].partition(" ")
        if name == "floors":
            floors, suffix_floors = map(int, alphabet.split(" "))
            continue
        lane = LANE * len(languages)
        languages.append(name)
        for c in alphabet:
            letters[c] = letters.get(c, 0) + (round(LETTER_COST * 10) << lane)
    packed = PackedWords(data, body, 1 << (LANE * len(languages)))
    return Profiles(tuple(languages), packed, floors, _prior_weights(languages), letters, suffix_floors)


def parse_profiles(text: str) -> Profiles:
    """Read the compiled profiles: ``@lang letters`` opens a language; ``=zipf``
    sets the Zipf value of the words that follow, one a line, commonest first."""
    languages: list[str] = []
    floors = 0
    letters: dict[str, int] = {}
    blocks: list[tuple[int, list[str]]] = []   # (shifted weight, words) of each =zipf line
    suffix_blocks: list[tuple[int, list[str]]] = []
    suffix_floors = 0
    for block in text.split("\n@")[1:]:
        head, *groups = block.split("\n=")
        name, _, alphabet = head.partition(" ")
        lane = LANE * len(languages)
        languages.append(name)
        for c in alphabet:
            letters[c] = letters.get(c, 0) + (round(LETTER_COST * 10) << lane)
        groups = [group.split("\n") for group in groups]
        endings = [g for g in groups if g[0][:1] == "~"]
        groups = [g for g in groups if g[0][:1] != "~"]
        # An unlisted word is taken to be a little rarer than the rarest listed one.
        floor = round((float(groups[-1][0]) - FLOOR_BELOW - BASE) * 10)
        floors += floor << lane
        for zipf, *words in groups:
            blocks.append((round((float(zipf) - BASE) * 10) - floor << lane, words))
        if endings:
            low = round((float(endings[-1][0][1:]) - FLOOR_BELOW - BASE) * 10 * SUFFIX_WEIGHT)
            suffix_floors += low << lane
            for value, *ends in endings:
                weight = round((float(value[1:]) - BASE) * 10 * SUFFIX_WEIGHT) - low << lane
                suffix_blocks.append((weight, ["~" + e for e in ends]))
    priors = _prior_weights(languages)
    count = 1 << (LANE * len(languages))
    packed: dict[str, int] = {}
    get = packed.get
    for weight, words in blocks:
        for word in words:
            packed[word] = get(word, count) + weight
    for weight, ends in suffix_blocks:
        for end in ends:
            packed[end] = get(end, count << LANE) + weight
    packed.pop("", None)
    return Profiles(tuple(languages), packed, floors, priors, letters, suffix_floors)


def identify(text: str, prof: Profiles | None = None) -> Verdict:
    """The language of ``text`` (a paragraph or a short document)."""
    return _judge(text, prof or profiles(), MAX_WORDS)


def _judge(text: str, prof: Profiles, limit: int) -> Verdict:
    words = words_of(text, limit)
    verdict = verdict_of(*_packed_sum_of(words, text, prof), prof)
    return settle_close_pair(verdict, words)


def words_of(text: str, limit: int = MAX_WORDS) -> list[str]:
    """The lowercase words of a text (of its first ``limit`` chunks), in no particular order.

    Split on spaces and stripped of edge punctuation in C; only the chunks that
    still hold a non-letter (``l'homme``, ``e-mail``) go through the regex,
    which scans at a few MB/s.  A chunk that lost letters to U+FFFD in decoding
    is no one's word now, and is dropped."""
    return _words_of(text, limit)[0]


def _words_of(text: str, limit: int) -> tuple[list[str], int, bool]:
    """``words_of``, the number of chunks read, and whether they are all the text's."""
    whole = len(text) <= limit * 12
    if not whole:
        text = text[: limit * 12]
    chunks = text.lower().split()
    if len(chunks) > limit:
        chunks = chunks[:limit]
        whole = False
    stripped = list(map(str.strip, chunks, repeat(_EDGE, len(chunks))))
    words = list(filter(str.isalpha, stripped))
    if len(words) < len(stripped):
        # The other chunks joined in C (an empty one only adds a space, which
        # no word spans); only a text with U+FFFD picks its chunks one by one.
        rest = " ".join(filterfalse(str.isalpha, stripped))
        if "\ufffd" in rest:
            rest = " ".join([w for w in stripped if w and not w.isalpha() and "\ufffd" not in w])
        words += _WORD.findall(rest)
    return words, len(chunks), whole


def packed_sum(text: str, prof: Profiles | None = None, limit: int = MAX_WORDS) -> tuple[int, str]:
    """The packed scores of a text's words, and the distinct non-ASCII letters it
    writes (or, when Chinese, Japanese or Korean characters are half its letters
    or more, those characters, marked by a leading ``_SCRIPT``)."""
    return _packed_sum_of(words_of(text, limit), text, prof or profiles())


def _packed_sum_of(words: list[str], text: str, prof: Profiles) -> tuple[int, str]:
    total, odd = _word_sums(words, text, prof)
    return _with_letters(total, odd, words)


def _word_sums(words: list[str], text: str, prof: Profiles) -> tuple[int, str | None]:
    """The packed scores of the words, and their non-ASCII words joined (None
    when the text is ASCII).  Both add up over the parts of a text."""
    packed = prof.packed
    known = packed if type(packed) is dict else packed.table(words)
    total = sum(map(known.get, words, repeat(0, len(words))))
    # A word no profile lists (an inflected form, a slip) is judged by its ending.
    unlisted = list(filterfalse(known.__contains__, words))
    endings = ["~" + w[-SUFFIX_LENGTH:] for w in unlisted if len(w) >= SUFFIX_MIN_WORD]
    if endings:
        if type(packed) is not dict:
            known = packed.table(endings)
        total += sum(map(known.get, endings, repeat(0, len(endings)))) + prof.suffix_floors * len(endings)
    if text.isascii():
        return total, None
    odd = "".join(filterfalse(str.isascii, words))
    if "ß" in odd:  # wordfreq spells ß as ss
        total += sum(prof.packed.get(w.replace("ß", "ss"), 0) for w in words if "ß" in w)
    return total, odd


def _with_letters(total: int, odd: str | None, words: list[str]) -> tuple[int, str]:
    """``_packed_sum_of`` from ``_word_sums``: the text's distinct non-ASCII letters, or its CJK characters."""
    if odd is None:
        return total, ""
    cjk = _CJK.findall(odd)
    if len(cjk) >= 2 and len(cjk) * 2 >= sum(map(len, words)):
        return total, _SCRIPT + "".join(cjk)
    # Each distinct character once (the set in C first): a letter counts once however often it is written.
    return total, "".join([c for c in set(odd) if ord(c) > 127 and c.isalpha()])


def verdict_of(total: int, odd_letters: str, prof: Profiles | None = None) -> Verdict:
    """The best language for packed scores and the text's non-ASCII letters.

    Each distinct non-ASCII letter adds LETTER_COST to the languages that write
    it, which ranks them as a cost to the others would (a name in another script
    counts as much as one such letter of it, not as many as it has)."""
    prof = prof or profiles()
    n = len(prof.languages)
    if odd_letters[:1] == _SCRIPT:
        return _script_verdict(odd_letters[1:])
    known = (total >> (LANE * n)) & _MASK
    endings = total >> (LANE * (n + 1))
    if known == 0 and endings < MIN_ENDINGS:
        return UNDETERMINED
    total += prof.floors * known + prof.priors
    if odd_letters:
        total += sum(map(prof.letters.get, odd_letters, repeat(0, len(odd_letters))))
    lanes = array(_LANE_ARRAY, (total & ((1 << (LANE * n)) - 1)).to_bytes(2 * n, "little")).tolist()
    top = max(lanes)
    best = lanes.index(top)
    lanes[best] = -1
    second = max(lanes)
    lanes[best] = top
    return Verdict(prof.languages[best], (top - second) / 10, known + endings, tuple(lanes), prof.languages)


def _script_verdict(text: str) -> Verdict:
    kana = sum(1 for c in text if "\u3040" <= c <= "\u30ff")
    hangul = sum(1 for c in text if "\uac00" <= c <= "\ud7af")
    if hangul >= kana and hangul:
        name = "ko"
    elif kana:
        name = "ja"
    else:
        name = "zh"
    return Verdict(name, 99.0, len(text))


# --------------------------------------------------------------------------- close pairs

PAIRS_FILE = "pairs.tsv"
# Languages so close that their common words mostly coincide (Danish and Norwegian
# Bokmål, Indonesian and Malay, Czech and Slovak, Spanish and Catalan): when the two
# lead, a second look at words and spellings tells them apart.
CLOSE_PAIRS = (("da", "nb"), ("id", "ms"), ("cs", "sk"), ("ca", "es"))
# The second look reads every word of wordfreq's lists of the two (down to Zipf 3),
# a word unlisted in one counting PAIR_FLOOR there, and each word neither lists by its
# letter PAIR_GRAM-grams (``<`` and ``>`` mark the word's edges), weighted PAIR_GRAM_WEIGHT
# (bench/language.py, sentences 0-399 of each language: da->nb 22 -> 4 misses).
PAIR_FLOOR = 2.5
PAIR_GRAM = 4
PAIR_GRAM_WEIGHT = 0.5
# What a word or letter group must tell apart to be kept in the file (log10 ratio).
PAIR_MIN_WORD = 0.0
PAIR_MIN_GRAM = 0.3
# Unlisted words whose gram sums a pair model remembers before forgetting them all.
GRAM_SUMS_MAX = 50_000


@dataclass(frozen=True)
class PairModel:
    """How much more likely each word (and letter group) is in ``first`` than in
    ``second``: log10 of the ratio, in hundredths."""

    first: str
    second: str
    words: dict[str, int]
    grams: dict[str, int]
    # The summed gram values of the unlisted words met so far: texts repeat them.
    gram_sums: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def lead(self, words: list[str]) -> float:
        """How far ``words`` lean to ``first`` (negative: to ``second``), with the
        two languages' priors."""
        get = self.words.get
        total = sum(map(get, words, repeat(0, len(words))))
        unlisted = [w for w in words if w not in self.words]
        if unlisted:
            known = self.gram_sums
            new = set(unlisted).difference(known)
            if new:
                if len(known) + len(new) > GRAM_SUMS_MAX:
                    known.clear()
                    new = set(unlisted)
                grams = self.grams.get
                for word in new:
                    edged = f"<{word}>"
                    known[word] = sum(grams(edged[i : i + PAIR_GRAM], 0) for i in range(len(edged) - PAIR_GRAM + 1))
            total += sum(map(known.__getitem__, unlisted)) * PAIR_GRAM_WEIGHT
        return total / 100 + log10(PRIORS.get(self.first, 0.01) / PRIORS.get(self.second, 0.01))


@lru_cache(maxsize=1)
def _pair_blocks() -> dict[frozenset[str], bytes]:
    from .rules import builtin_rules_dir

    data = (builtin_rules_dir() / "language" / PAIRS_FILE).read_bytes()
    return {frozenset(block[: block.index(b"\n")].decode().split()): block for block in data.split(b"\n@")[1:]}


@lru_cache(maxsize=None)
def pair_model(first: str, second: str) -> PairModel | None:
    """The second look at two close languages (None: not a close pair); each pair's
    part of the file is read on its first need."""
    block = _pair_blocks().get(frozenset((first, second)))
    return None if block is None else _parse_pair(block.decode("utf-8"))


def parse_pairs(text: str) -> dict[frozenset[str], PairModel]:
    """Read the pair models: ``@first second`` opens a pair, then ``word<TAB>value``
    lines and ``~gram<TAB>value`` lines (values: log10 ratios in hundredths)."""
    models = {}
    for block in text.split("\n@")[1:]:
        model = _parse_pair(block)
        models[frozenset((model.first, model.second))] = model
    return models


def _parse_pair(block: str) -> PairModel:
    head, _, body = block.partition("\n")
    first, second = head.split()
    words_part, _, grams_part = body.partition("\n~")
    fields = words_part.replace("\t", "\n").split("\n")
    words = dict(zip(fields[0::2], map(int, fields[1::2])))
    fields = grams_part.replace("\t", "\n").replace("\n~", "\n").split("\n")
    grams = dict(zip(fields[0:-1:2], map(int, fields[1::2])))
    return PairModel(first, second, words, grams)


def settle_close_pair(verdict: Verdict, words: list[str]) -> Verdict:
    """The verdict, with the second look of ``CLOSE_PAIRS`` where its two leading
    languages are such a pair (the margin becomes how far the pair's winner leads)."""
    if verdict.language not in _PAIR_LANGUAGES or not verdict.lanes:
        return verdict
    lanes = list(verdict.lanes)
    best = lanes.index(max(lanes))
    lanes[best] = -1
    runner = lanes.index(max(lanes))
    lanes = verdict.lanes
    names = verdict.names
    if frozenset((names[best], names[runner])) not in _PAIR_KEYS:
        return verdict
    model = pair_model(names[best], names[runner])
    if model is None:
        return verdict
    lead = model.lead(words)
    winner = model.first if lead > 0 else model.second
    return Verdict(winner, min(abs(lead), verdict.margin) if winner == verdict.language else 0.0, verdict.words,
                   lanes, names)


_PAIR_KEYS = frozenset(frozenset(pair) for pair in CLOSE_PAIRS)
_PAIR_LANGUAGES = frozenset(lang for pair in CLOSE_PAIRS for lang in pair)


def compiled_pairs_text(pairs: Iterable[tuple[str, str]] = CLOSE_PAIRS) -> str:
    """The pair models file (slow: reads wordfreq; for bench/language_build.py)."""
    from wordfreq import get_frequency_dict  # heavy: only when compiling

    lines = [
        "# Close pairs of languages: @first second, then word<TAB>log10(frequency in first / in second)",
        f"# in hundredths (a word unlisted in one counted at Zipf {PAIR_FLOOR}), then ~gram<TAB>the same for",
        f"# {PAIR_GRAM}-letter groups of words (< and > mark a word's edges). Derived from wordfreq's lists",
        "# (Robyn Speer; data CC BY-SA 4.0) by bench/language_build.py.",
    ]
    for first, second in pairs:
        freqs = []
        for lang in (first, second):
            found = get_frequency_dict(lang, "small")
            freqs.append({w: f for w, f in found.items() if _WORD.fullmatch(w) and w == w.lower()})
        a, b = freqs
        lines.append(f"@{first} {second}")
        floor = 10 ** (PAIR_FLOOR - 9)
        for word in sorted(set(a) | set(b)):
            value = round(100 * log10(a.get(word, floor) / b.get(word, floor)))
            if abs(value) >= 100 * PAIR_MIN_WORD:
                lines.append(f"{word}\t{value}")
        grams: list[Counter[str]] = []
        for found in (a, b):
            counts: Counter[str] = Counter()
            for word, freq in found.items():
                edged = f"<{word}>"
                for i in range(len(edged) - PAIR_GRAM + 1):
                    counts[edged[i : i + PAIR_GRAM]] += freq
            grams.append(counts)
        total_a, total_b = sum(grams[0].values()), sum(grams[1].values())
        for gram in sorted(set(grams[0]) | set(grams[1])):
            ratio = (grams[0][gram] / total_a + 1e-6) / (grams[1][gram] / total_b + 1e-6)
            value = round(100 * log10(ratio))
            if abs(value) >= 100 * PAIR_MIN_GRAM:
                lines.append(f"~{gram}\t{value}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- documents

def paragraph_spans(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines (``\\n\\n``)."""
    start = 0
    while True:
        stop = text.find("\n\n", start)
        if stop == -1:
            yield start, len(text)
            return
        yield start, stop
        start = stop + 2


# A paragraph judged by fewer scored words than this takes the document's verdict.
MIN_PARAGRAPH_WORDS = 3
# Words the document's own verdict is judged by at most (from its start).
DOCUMENT_WORDS = 1000


class _ParagraphSums(NamedTuple):
    """A paragraph's words and what ``_word_sums`` makes of them."""

    words: list[str]
    total: int          # packed scores
    odd: str | None     # the non-ASCII words joined (None: an ASCII paragraph)
    chunks: int         # chunks read
    whole: bool         # every chunk of the paragraph read (none cut off by MAX_WORDS)


class DocumentLanguages:
    """The verdict on a whole document and on each of its paragraphs.

    Each verdict is computed when first asked for: a rule asks about the
    paragraphs it would edit, and most texts are asked about few or none."""

    __slots__ = ("_text", "_prof", "_spans", "_verdicts", "_document", "_sums")

    def __init__(self, text: str, prof: Profiles | None = None):
        self._text = text
        self._prof = prof or profiles()
        self._spans: tuple[list[int], list[int]] | None = None
        self._verdicts: dict[int, Verdict] = {}
        self._document: Verdict | None = None
        self._sums: dict[int, _ParagraphSums] = {}

    @property
    def _starts(self) -> list[int]:
        return (self._spans or self._split())[0]

    @property
    def _ends(self) -> list[int]:
        return (self._spans or self._split())[1]

    def _split(self) -> tuple[list[int], list[int]]:
        ends = list(accumulate([len(p) + 2 for p in self._text.split("\n\n")]))
        starts = [0] + ends[:-1]
        ends = [end - 2 for end in ends]
        self._spans = (starts, ends)
        return self._spans

    @property
    def document(self) -> Verdict:
        """The verdict on the document's words (its first DOCUMENT_WORDS) taken together."""
        if self._document is None:
            if "\n\n" not in self._text:
                self._document = self._paragraph(0, own=True)
            else:
                self._document = self._from_paragraphs() or _judge(
                    self._text[: DOCUMENT_WORDS * 12], self._prof, DOCUMENT_WORDS)
        return self._document

    def _from_paragraphs(self) -> Verdict | None:
        """The document's verdict from its paragraphs' sums, which its rules
        mostly ask for too (None when a paragraph or the document is longer
        than its verdict reads).  The sums add up: the same verdict as judging
        the text whole, word order aside, which no sum depends on."""
        if len(self._text) > DOCUMENT_WORDS * 12:
            return None
        parts = [self._paragraph_sums(i) for i in range(len(self._starts))]
        if not all(part.whole for part in parts) or sum(part.chunks for part in parts) > DOCUMENT_WORDS:
            return None
        words = [word for part in parts for word in part.words]
        odds = [part.odd for part in parts if part.odd is not None]
        total = sum(part.total for part in parts)
        verdict = verdict_of(*_with_letters(total, "".join(odds) if odds else None, words), self._prof)
        return settle_close_pair(verdict, words)

    def _paragraph_sums(self, i: int) -> _ParagraphSums:
        sums = self._sums.get(i)
        if sums is None:
            text = self._text[self._starts[i]:self._ends[i]]
            words, chunks, whole = _words_of(text, MAX_WORDS)
            sums = self._sums[i] = _ParagraphSums(words, *_word_sums(words, text, self._prof), chunks, whole)
        return sums

    def _paragraph(self, i: int, own: bool = False) -> Verdict:
        verdict = self._verdicts.get(i)
        if verdict is None:
            words, total, odd, _, _ = self._paragraph_sums(i)
            verdict = settle_close_pair(verdict_of(*_with_letters(total, odd, words), self._prof), words)
            if not own and verdict.words < MIN_PARAGRAPH_WORDS and verdict.margin < 99:
                verdict = UNDETERMINED
            self._verdicts[i] = verdict
        return verdict

    def at(self, offset: int) -> Verdict:
        """The verdict of the paragraph holding ``offset``: its own if it has
        enough words, else the document's."""
        i = max(0, bisect_right(self._starts, offset) - 1)
        if len(self._starts) == 1:
            return self.document
        verdict = self._paragraph(i)
        return verdict if verdict.language is not None else self.document

    @property
    def paragraphs(self) -> tuple[tuple[int, int, Verdict], ...]:
        """(start, end, verdict) of every paragraph, in text order (an
        undetermined verdict where a paragraph has too few words)."""
        if len(self._starts) == 1:
            return ((self._starts[0], self._ends[0], self.document),)
        return tuple((s, e, self._paragraph(i)) for i, (s, e) in enumerate(zip(self._starts, self._ends)))


def document_languages(text: str, prof: Profiles | None = None) -> DocumentLanguages:
    """The verdicts on a document and its paragraphs, each computed on first need."""
    return DocumentLanguages(text, prof)


# --------------------------------------------------------------------------- compiling

# wordfreq's languages written with spaces between words (Chinese, Japanese and
# Korean are named by their script instead).
LANGUAGES = (
    "ca", "cs", "da", "de", "en", "es", "fi", "fil", "fr", "hu", "id", "is", "it", "lt", "lv",
    "ms", "nb", "nl", "pl", "pt", "ro", "sh", "sk", "sl", "sv", "tr", "vi",
    "ar", "bg", "bn", "el", "fa", "he", "hi", "mk", "ru", "ta", "uk", "ur",
)
PROFILE_WORDS = 5000
# Word endings: the commonest PROFILE_SUFFIXES last-SUFFIX_LENGTH-letter endings of each
# language's words of SUFFIX_MIN_WORD letters or more, by share of occurrences
# (log10 of the share plus SUFFIX_OFFSET, so that the values read like Zipf values).
PROFILE_SUFFIXES = 400
SUFFIX_LENGTH = 3
SUFFIX_MIN_WORD = 5
SUFFIX_OFFSET = 6.0
# Letters wordfreq folds away (it spells German ß as ss), which the language writes.
FOLDED_LETTERS = {"de": "ß"}
# A non-ASCII letter belongs to a language's alphabet when it makes up at least
# this share of the letters of its common words, counted by frequency.
ALPHABET_SHARE = 2e-4


def compiled_profiles_text(languages: Iterable[str] = LANGUAGES, size: int = PROFILE_WORDS) -> str:
    """The profiles file (slow: reads wordfreq; for bench/language_build.py)."""
    from math import log10

    from wordfreq import get_frequency_dict  # heavy: only when compiling

    lines = [
        "# Language profiles: @language and the non-ASCII letters it writes; =zipf, then",
        f"# the words of that Zipf frequency, commonest first ({size} words a language).",
        "# Then =~value and the word endings of that value (log10 of their share + 6).",
        "# Derived from wordfreq's lists (Robyn Speer; data CC BY-SA 4.0) by bench/language_build.py.",
    ]
    for lang in languages:
        freqs = get_frequency_dict(lang, "small")
        chosen = []
        for word, freq in freqs.items():
            if _WORD.fullmatch(word) and word == word.lower():
                chosen.append((word, round(log10(freq) + 9, 1)))
                if len(chosen) >= size:
                    break
        letters: Counter[str] = Counter()
        for word, freq in freqs.items():
            if freq < 1e-6:
                break
            for c in word:
                letters[c] += freq
        mass = sum(letters.values())
        alphabet = {c for c, f in letters.items() if ord(c) > 127 and c.isalpha() and f >= ALPHABET_SHARE * mass}
        alphabet.update(FOLDED_LETTERS.get(lang, ""))
        alphabet = sorted(alphabet)
        lines.append(f"@{lang} {''.join(alphabet)}")
        zipf = None
        for word, z in chosen:
            if z != zipf:
                lines.append(f"={z}")
                zipf = z
            lines.append(word)
        endings: Counter[str] = Counter()
        for word, freq in freqs.items():
            if len(word) >= SUFFIX_MIN_WORD and _WORD.fullmatch(word) and word == word.lower():
                endings[word[-SUFFIX_LENGTH:]] += freq
        mass = sum(endings.values())
        last = None
        for ending, freq in sorted(endings.most_common(PROFILE_SUFFIXES), key=lambda item: (-item[1], item[0])):
            value = round(log10(freq / mass) + SUFFIX_OFFSET, 1)
            if value != last:
                lines.append(f"=~{value}")
                last = value
            lines.append(ending)
    return "\n".join(lines) + "\n"


def compiled_profiles_file(text: str) -> bytes:
    """The compiled profiles (for ``load_compiled_profiles``) of a profiles text
    (``compiled_profiles_text``): the same ``Profiles`` as ``parse_profiles(text)``."""
    prof = parse_profiles(text)
    packed = prof.packed
    assert isinstance(packed, dict)
    n = len(prof.languages)
    lines = [
        "# Language profiles compiled by bench/language_build.py from wordfreq's lists (Robyn Speer;",
        "# data CC BY-SA 4.0). @floors: the languages' packed floors of words and of endings; @language",
        "# and the non-ASCII letters it writes; then word<TAB>lanes (or ~ending<TAB>lanes),",
        f"# sorted by UTF-8 bytes: per language listing it, chr({_DIGIT} + its lane) chr({_DIGIT} + weight).",
    ]
    alphabets: dict[str, str] = {name: "" for name in prof.languages}
    for c in sorted(prof.letters):
        for i, name in enumerate(prof.languages):
            if (prof.letters[c] >> (LANE * i)) & _MASK:
                alphabets[name] += c
    lines.append(f"@floors {prof.floors} {prof.suffix_floors}")
    lines += [f"@{name} {alphabets[name]}".rstrip(" ") for name in prof.languages]
    body = []
    for key, value in packed.items():
        lanes = []
        for i in range(n):
            weight = (value >> (LANE * i)) & _MASK
            if weight:
                if weight > _MAX_DIGIT:
                    raise ValueError(f"{key!r}: weight {weight} in {prof.languages[i]} does not fit one character")
                lanes.append(chr(_DIGIT + i) + chr(_DIGIT + weight))
        if value >> (LANE * n) != (1 << LANE if key[:1] == "~" else 1):
            raise ValueError(f"{key!r}: counted {value >> (LANE * n)} times")
        body.append((key.encode("utf-8"), "".join(lanes).encode("ascii")))
    body.sort()
    data = "\n".join(lines).encode("utf-8") + b"\n" + b"".join(k + b"\t" + v + b"\n" for k, v in body)
    compiled = load_compiled_profiles(data)
    if compiled.packed.as_dict() != packed or compiled.letters != prof.letters:  # type: ignore[union-attr]
        raise ValueError("the compiled profiles do not read back as parse_profiles reads the text")
    return data


def zipf_in(word: str, language: str, prof: Profiles | None = None) -> float | None:
    """The Zipf frequency of a lowercase word in a language's profile, None if unlisted."""
    prof = prof or profiles()
    packed = prof.packed.get(word)
    try:
        lane = LANE * prof.languages.index(language)
    except ValueError:
        return None
    if packed is None or not (packed >> lane) & _MASK:
        return None
    floor = (prof.floors >> lane) & _MASK
    return round((((packed >> lane) & _MASK) + floor) / 10 + BASE, 1)


# The verdicts on the current text, shared through the per-document analysis
# (``ctx.analysis.fact(LANGUAGES, text)``): computed once until the text changes.
LANGUAGES_FACT: Fact[DocumentLanguages] = Fact("language.verdicts", lambda text: document_languages(text))


# How far English must lead to count as the language when the verdict is not sure;
# how far another language must lead English for a text to be surely not English
# (a few English words with repeated names may lean Dutch: `We met Juche Korea`).
ENGLISH_LEAD = 1.0
NOT_ENGLISH_LEAD = 3.0


def english_verdict(verdict: Verdict, short: bool = False) -> bool | None:
    """Is this English?  True: English leads by ENGLISH_LEAD or more; False: another
    language leads English by NOT_ENGLISH_LEAD or more (by ENGLISH_LEAD in a ``short``
    text, which no word count can judge); None: undetermined or close."""
    if verdict.language is None:
        return None
    if verdict.language == "en":
        return True if verdict.margin >= ENGLISH_LEAD else None
    return False if verdict.lead_over("en") >= (ENGLISH_LEAD if short else NOT_ENGLISH_LEAD) else None

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

from bisect import bisect_left
from functools import cached_property, lru_cache, partial
from itertools import filterfalse
from typing import Callable

from ...rules import builtin_rules_dir
from .sounds import loose_key, skeleton

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
    # combining forms of coinages (``biocement``, ``geotag``)
    "bio", "eco", "geo", "auto", "cyber", "nano", "photo", "tele", "poly", "mono", "hydro", "thermo",
    "electro", "agro", "astro", "aero",
)


_BRITISH_ENDINGS = tuple(gb for gb, _ in BRITISH_AMERICAN)
# The affixes grouped by the letter they end or start with: a word is only
# tried with the few that can fit (the check runs for every unknown word).
_SUFFIXES_BY_LAST: dict[str, tuple[str, ...]] = {}
for _s in DERIVATION_SUFFIXES:
    _SUFFIXES_BY_LAST[_s[-1]] = _SUFFIXES_BY_LAST.get(_s[-1], ()) + (_s,)
_PREFIXES_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _p in DERIVATION_PREFIXES:
    _PREFIXES_BY_FIRST[_p[0]] = _PREFIXES_BY_FIRST.get(_p[0], ()) + (_p,)


class Frequencies:
    """wordfreq's Zipf values as a read-only mapping: a sorted word list and one
    character per word (its Zipf value in centibels, offset into printable
    letters), searched by bisection.  Far cheaper to load than a dict of
    300,000 entries, and fast enough for the few words a document looks up."""

    __slots__ = ("_words", "_values")

    def __init__(self, words: list[str], values: str):
        self._words = words
        self._values = values

    def get(self, word: str, default: float | None = None) -> float | None:
        i = bisect_left(self._words, word)
        if i < len(self._words) and self._words[i] == word:
            return (ord(self._values[i]) - ZIPF_OFFSET) / 100
        return default

    def __contains__(self, word: object) -> bool:
        i = bisect_left(self._words, word)
        return i < len(self._words) and self._words[i] == word

    def __getitem__(self, word: str) -> float:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __len__(self) -> int:
        return len(self._words)

    def items(self):
        return ((w, (ord(v) - ZIPF_OFFSET) / 100) for w, v in zip(self._words, self._values))

    def as_dict(self) -> dict[str, float]:
        """The same values in a dict (one float object per distinct value)."""
        value_of = {v: (ord(v) - ZIPF_OFFSET) / 100 for v in set(self._values)}
        return dict(zip(self._words, map(value_of.__getitem__, self._values)))


class SortedLines:
    """The lines of a compiled file, sorted (``key`` or ``key<TAB>value`` each),
    searched by bisection in the file's bytes as read: nothing split or hashed
    at load.  UTF-8 bytes sort as their characters do."""

    __slots__ = ("_read", "_bytes")

    def __init__(self, read: Callable[[], bytes]):
        self._read = read  # the file's bytes, read on the first lookup
        self._bytes: bytes | None = None

    @property
    def _data(self) -> bytes:
        if self._bytes is None:
            data = self._read()
            self._bytes = b"\n" + data if data.endswith(b"\n") else b"\n" + data + b"\n"
        return self._bytes

    def _find(self, word: str) -> tuple[int, int, int]:
        """(start, tab, end) of the line whose key is word; start is -1 if none."""
        key = word.encode("utf-8", "surrogatepass")
        data = self._data
        lo, hi = 1, len(data)  # the lines that start in [lo, hi); data[lo - 1] is a line break
        rfind, find = data.rfind, data.find
        while lo < hi:
            start = rfind(b"\n", lo - 1, (lo + hi) // 2) + 1
            end = find(b"\n", start)
            tab = find(b"\t", start, end)
            line = data[start : end if tab < 0 else tab]
            if line == key:
                return start, tab, end
            if line < key:
                lo = end + 1
            else:
                hi = start
        return -1, -1, -1

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word)[0] >= 0

    def get(self, word: str, default: str | None = None) -> str | None:
        start, tab, end = self._find(word)
        return default if start < 0 or tab < 0 else self._data[tab + 1 : end].decode("utf-8")

    def __getitem__(self, word: str) -> str:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value


class EitherLines:
    """Membership in any of several ``SortedLines``."""

    __slots__ = ("_parts",)

    def __init__(self, *parts: SortedLines):
        self._parts = parts

    def __contains__(self, word: object) -> bool:
        return any(word in part for part in self._parts)


# A run that has asked the gate about fewer chunks than this looks words up in
# the compiled files, which are sorted, by bisection; then the sets are built
# (splitting and hashing 170,000 gate forms, 90,000 typos and 130,000
# dictionary words costs a one-file run, a pre-commit hook's, 0.1-0.2 s) and
# every later lookup is a set's (and the frequencies a dict's).  Same answers.
SORTED_LOOKUPS = 20_000


# Zipf centibels are stored as chr(value + ZIPF_OFFSET): printable, never a line break.
ZIPF_OFFSET = 0x100
COMPILED_HEADER = "# gate_zipf={} candidate_zipf={} title_zipf={}"


class Lexicon:
    """The word knowledge for one set of thresholds, loaded in two tiers.

    The gate (``known_forms``) is all most
    documents need: their every word passes it.  Everything else (the tables,
    frequencies, dictionary, fuzzy candidates) is read on first use, when a
    document has a word the gate does not know.  Both tiers come from files
    precomputed by ``bench/spelling_build.py``, read with ``str.split`` and
    ``frozenset`` alone; thresholds other than the ones those files were built
    for are computed here instead (slower, same result).
    """

    def __init__(self, gate_zipf: float = 2.5, candidate_zipf: float = 1.5, title_zipf: float = 3.0):
        self.gate_zipf = gate_zipf
        self.candidate_zipf = candidate_zipf
        self.title_zipf = title_zipf
        header, _, self._gate_body = _read_bytes("gate.txt").partition(b"\n")
        self.compiled = header.decode("utf-8") == COMPILED_HEADER.format(gate_zipf, candidate_zipf, title_zipf)
        self._asked = 0  # chunks asked about before the sets are built
        self._sets = False
        if self.compiled:
            table = SortedLines(partial(_read_bytes, "table.tsv"))
            # The lookups of the word gate, typos, table and dictionary: the sorted
            # files until _use_sets() (a plain attribute each: read in hot loops).
            self.gate: frozenset[str] | EitherLines = EitherLines(
                SortedLines(lambda: self._gate_body), SortedLines(partial(_read_bytes, "gate-forms.txt"))
            )
            self.slips: frozenset[str] | EitherLines = EitherLines(table, SortedLines(partial(_read_bytes, "ambiguous.tsv")))
            self.slip_table: dict[str, str] | SortedLines = table
            self.words: frozenset[str] | SortedLines = SortedLines(partial(_read_bytes, LOWER_DICTIONARY_FILE))
        if not self.compiled:
            zipf = self.zipf
            common = {w for w, z in zipf.items() if z >= gate_zipf}
            known = (self.dictionary | common | CONTRACTION_STEMS) - self.misspellings
            forms = {w.title() for w in known if zipf.get(w, 0.0) >= title_zipf}
            self.known_forms = frozenset(known | forms)
            self._use_sets()

    @cached_property
    def known_forms(self) -> frozenset[str]:
        """Every form the gate accepts (compiled: built on first need, see ``gate``)."""
        # One set for every accepted form: one set difference per document.
        return frozenset(self._gate_body.decode("utf-8").split() + _read_text("gate-forms.txt").split())

    def _use_sets(self) -> None:
        """Look words up in sets from now on (building them)."""
        self._sets = True
        self.gate = self.known_forms
        self.slips = self.misspellings
        self.slip_table = self.table
        self.words = self.dictionary
        zipf = self.zipf
        if isinstance(zipf, Frequencies):
            self.zipf = zipf.as_dict()  # a run that asks this much asks the frequencies often too

    def build_sets(self) -> None:
        """Look words up in sets from now on (see SORTED_LOOKUPS), building them now."""
        if not self._sets:
            self._use_sets()

    def unknown(self, chunks: frozenset[str]) -> frozenset[str]:
        """``chunks - known_forms``; past SORTED_LOOKUPS chunks asked, the sets are built."""
        if not self._sets:
            self._asked += len(chunks)
            if self._asked <= SORTED_LOOKUPS:
                return frozenset(filterfalse(self.gate.__contains__, chunks))
            self._use_sets()
        return chunks - self.known_forms

    @cached_property
    def known(self) -> frozenset[str]:
        """The gate's words: its lowercase forms."""
        if self.compiled:
            return frozenset(_read_text("gate.txt").partition("\n")[2].split())
        zipf = self.zipf
        return (self.dictionary | {w for w, z in zipf.items() if z >= self.gate_zipf} | CONTRACTION_STEMS) - self.misspellings

    # -- the second tier: read on first use ------------------------------------------

    @cached_property
    def _tables(self) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
        if self.compiled:
            return self.table, self.ambiguous
        table = {}
        ambiguous = {}
        for name in TABLE_FILES:  # ours.csv last: our own entries win
            for typo, fixes in read_table(name):
                table.pop(typo, None)
                ambiguous.pop(typo, None)
                if len(fixes) == 1:
                    table[typo] = fixes[0]
                else:
                    ambiguous[typo] = fixes
        return table, ambiguous

    @cached_property
    def table(self) -> dict[str, str]:
        """typo -> its one correction."""
        if self.compiled:
            # typo TAB fix lines, ours.csv already merged in; rows with several fixes apart.
            parts = _read_text("table.tsv").replace("\n", "\t").split("\t")
            return dict(zip(parts[::2], parts[1::2]))
        return self._tables[0]

    @cached_property
    def ambiguous(self) -> dict[str, tuple[str, ...]]:
        """typo -> several corrections (never applied)."""
        if self.compiled:
            parts = _read_text("ambiguous.tsv").replace("\n", "\t").split("\t")
            return {t: tuple(f.split(",")) for t, f in zip(parts[::2], parts[1::2])}
        return self._tables[1]

    @cached_property
    def misspellings(self) -> frozenset[str]:
        """Every typo in the tables, lowercase."""
        return frozenset(self.table) | frozenset(self.ambiguous)

    @cached_property
    def zipf(self) -> Frequencies | dict[str, float]:
        """wordfreq's Zipf value of lowercase alphabetic tokens."""
        values, _, words = _read_text("zipf.txt").partition("\n")
        return Frequencies(words.split("\n")[: len(values)], values)

    @cached_property
    def dictionary(self) -> frozenset[str]:
        """SCOWL words, lowercase."""
        return frozenset(_read_text("dictionary.txt").lower().split())

    @cached_property
    def longest_word(self) -> int:
        """The length of the longest dictionary word."""
        return max(map(len, self.dictionary))

    @cached_property
    def dictionary_forms(self) -> frozenset[str]:
        """Dictionary words in lowercase and Title case: for the quick language check."""
        return self.dictionary | frozenset(_read_text("dictionary.txt").title().split())

    @cached_property
    def lower_dictionary(self) -> frozenset[str]:
        """SCOWL words written in lowercase (not names)."""
        return frozenset(w for w in _read_text("dictionary.txt").split() if w.islower())

    @cached_property
    def candidates_by_initial(self) -> dict[str, tuple[tuple[str, ...], tuple[int, ...]]]:
        """Fuzzy-lookup targets (common lowercase dictionary words) by first
        letter, from shortest to longest, with where each length starts
        (``starts[n]``: the first word of n letters or more)."""
        grouped: dict[str, tuple[str, ...]] = {}
        if self.compiled:
            for line in _read_text("candidates.txt").split("\n"):
                if line:
                    first, _, words = line.partition("\t")
                    grouped[first] = tuple(words.split(" "))
        else:
            zipf, misspellings = self.zipf, self.misspellings
            found: dict[str, list[str]] = {}
            for w in sorted(self.lower_dictionary, key=lambda w: (len(w), w)):
                if w.isalpha() and w.isascii() and w not in misspellings and zipf.get(w, 0.0) >= self.candidate_zipf:
                    found.setdefault(w[0], []).append(w)
            grouped = {c: tuple(ws) for c, ws in found.items()}
        out = {}
        for first, words in grouped.items():
            lengths = list(map(len, words))
            starts = tuple(bisect_left(lengths, n) for n in range(lengths[-1] + 3))
            out[first] = (words, starts)
        return out

    @cached_property
    def candidates(self) -> dict[int, tuple[str, ...]]:
        """Fuzzy-lookup targets by length."""
        buckets: dict[int, list[str]] = {}
        for words, _ in self.candidates_by_initial.values():
            for w in words:
                buckets.setdefault(len(w), []).append(w)
        return {n: tuple(sorted(ws)) for n, ws in buckets.items()}

    @cached_property
    def sounds(self) -> dict[str, str]:
        """Fuzzy-lookup targets by their sound skeleton (``sklgst``: ``psychologist``),
        space-separated: split on use."""
        if self.compiled:
            parts = _read_text("sounds.txt").replace("\n", "\t").split("\t")
            return dict(zip(parts[::2], parts[1::2]))
        out: dict[str, list[str]] = {}
        for words in self.candidates.values():
            for w in words:
                out.setdefault(skeleton(w), []).append(w)
        return {k: " ".join(ws) for k, ws in out.items()}

    @cached_property
    def loose(self) -> dict[str, str]:
        """Fuzzy-lookup targets by loose sound key (``sounds.loose_key``),
        space-separated: for the second look at a long word with no candidate in reach."""
        if self.compiled:
            parts = _read_text("loose.txt").replace("\n", "\t").split("\t")
            return dict(zip(parts[::2], parts[1::2]))
        out: dict[str, list[str]] = {}
        for skel in sorted(self.sounds):
            out.setdefault(loose_key(skel), []).append(self.sounds[skel])
        return {k: " ".join(ws) for k, ws in out.items()}

    @cached_property
    def gb_to_us(self) -> dict[str, str]:
        pairs = _read_text("variants.tsv").split()
        return dict(zip(pairs[::2], pairs[1::2]))

    @cached_property
    def us_to_gb(self) -> dict[str, str]:
        return {us: gb for gb, us in self.gb_to_us.items()}

    @cached_property
    def gb_words(self) -> frozenset[str]:
        """British-only spellings (``realised``), lower and Title case."""
        return frozenset(self.gb_to_us) | {w.title() for w in self.gb_to_us}

    @cached_property
    def us_words(self) -> frozenset[str]:
        """American-only spellings (``realized``), lower and Title case."""
        return frozenset(self.us_to_gb) | {w.title() for w in self.us_to_gb}

    def is_word(self, lower: str) -> bool:
        """The word gate, for a lowercase token."""
        if lower in self.gate:
            return True
        if lower in self.slips:
            return False
        return self.derived(lower)

    def compound(self, lower: str, min_part: int = 4, min_zipf: float = 3.0) -> bool:
        """Two common words written as one (``audit`` + ``ability``, ``micro`` + ``foam``)."""
        zipf = self.zipf
        # Both parts are dictionary words: no part is longer than the longest
        # (and a long token costs a few cuts, not one per letter).
        n, longest = len(lower), self.longest_word
        for i in range(max(min_part, n - longest), min(n - min_part, longest) + 1):
            a, b = lower[:i], lower[i:]
            if (
                zipf.get(a, 0.0) >= min_zipf and zipf.get(b, 0.0) >= min_zipf
                and a in self.words and b in self.words
                and a not in self.slips and b not in self.slips
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
        for gb, us in BRITISH_AMERICAN if lower.endswith(_BRITISH_ENDINGS) else ():
            if lower.endswith(gb):
                twin = lower[: -len(gb)] + us
                if twin in self.words or (twin in self.zipf and twin not in self.slips):
                    return True  # memoisation: the British spelling of a listed or web word
        prefixes = _PREFIXES_BY_FIRST.get(lower[:1], ())
        # (One test in C first: most words start with none of them.)
        for prefix in prefixes if lower.startswith(prefixes) else ():
            if lower.startswith(prefix) and len(lower) - len(prefix) >= 4:
                rest = lower[len(prefix):]
                if rest not in self.slips and (rest in self.words or self._suffixed(rest)):
                    return True
        return False

    def _suffixed(self, lower: str) -> bool:
        """A dictionary word plus a suffix (``flunkey`` + ``ism``, ``argu(e)`` + ``able``)."""
        suffixes = _SUFFIXES_BY_LAST.get(lower[-1:], ())
        if not lower.endswith(suffixes):
            return False  # (one test in C: most words end with none of them)
        for suffix in suffixes:
            need = 5 if len(suffix) <= 2 else 4
            if lower.endswith(suffix) and len(lower) - len(suffix) >= need:
                stem = lower[: -len(suffix)]
                if stem in self.slips:
                    continue
                if stem in self.words:
                    if _breaks_suffix_spelling(stem, suffix):
                        continue
                    return True
                if (
                    stem.endswith("i") and stem[:-1] + "y" in self.words
                    and stem[-2:-1] not in _VOWEL_LETTERS and suffix[0] != "i"
                ):
                    return True  # happi-ly, flunki-ness (not emploi-ed, copi-ing)
                if suffix[0] in "aei" and stem + "e" in self.words:
                    return True  # argu-able
        return False


TABLE_FILES = ("typos.csv", "ours.csv")
# dictionary.txt's words in lowercase, sorted, once each (bench/spelling_build.py).
LOWER_DICTIONARY_FILE = "dictionary-lower.txt"

_VOWEL_LETTERS = "aeiou"
# Suffixes before which a silent e is often kept.
_E_KEPT_BEFORE = frozenset(("able", "ably", "ish"))
# Suffixes that join like a second word, keeping a final y (``babyhood``, ``citylike``).
_COMPOUNDING_SUFFIXES = frozenset(("like", "hood", "ship", "wise"))


def _breaks_suffix_spelling(stem: str, suffix: str) -> bool:
    """Does stem + suffix break the rules English joins them by?  A silent e drops
    before a vowel (``vote`` -> ``voting``, so ``voteing`` is a slip) unless it
    follows a vowel (``agreeing``) or softens a c or g before a or o
    (``noticeable``), and before -able and -ish either way is written
    (``sizeable``, ``hireable``, ``whiteish``); a y after a consonant turns to
    i before anything but i (``early`` -> ``earliest``, so ``earlyest`` is a
    slip); an adjective in -al or -ful takes -ly, not -y (``unequivocaly``)."""
    first = suffix[0]
    if suffix == "y" and stem.endswith(("al", "ful")):
        return True
    if stem.endswith("e") and first in _VOWEL_LETTERS and suffix not in _E_KEPT_BEFORE:
        before = stem[-2:-1]
        if before in _VOWEL_LETTERS or before == "y":
            return False
        return not (before in "cg" and first in "ao")
    if stem.endswith("y") and stem[-2:-1] not in _VOWEL_LETTERS and first != "i":
        return suffix not in _COMPOUNDING_SUFFIXES
    return False


def _read_text(name: str) -> str:
    return (builtin_rules_dir() / "spelling" / name).read_text(encoding="utf-8")


def _read_bytes(name: str) -> bytes:
    return (builtin_rules_dir() / "spelling" / name).read_bytes()


def read_table(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """Rows of a misspelling table: (typo, corrections); comment lines skipped.

    The tables hold no quoted fields, so a plain split reads them (far faster
    than the csv module on 90,000 rows).
    """
    rows = []
    for line in _read_text(name).split("\n"):
        if line and not line.startswith("#"):
            typo, *fixes = line.split(",")
            rows.append((typo, tuple(x for x in fixes if x)))
    return rows


def lexicon(gate_zipf: float = 2.5, candidate_zipf: float = 1.5, title_zipf: float = 3.0) -> Lexicon:
    """The lexicon for these settings, loaded once per process."""
    return _load(float(gate_zipf), float(candidate_zipf), float(title_zipf))


@lru_cache(maxsize=4)
def _load(gate_zipf: float, candidate_zipf: float, title_zipf: float) -> Lexicon:
    lex = Lexicon(gate_zipf, candidate_zipf, title_zipf)
    _LOADED.append(lex)
    return lex


_LOADED: list[Lexicon] = []


def build_lookup_tables() -> None:
    """Build the lookup sets of the lexicons loaded so far now (a run about to
    clean many documents, before its workers fork) rather than in each worker
    after SORTED_LOOKUPS lookups."""
    for lex in _LOADED:
        lex.build_sets()

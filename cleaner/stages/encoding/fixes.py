"""Encoding repair: undo what wrong codecs did to the text, touch nothing else.

Text that passed through the wrong decoder shows it in a few ways: mojibake
(``cafÃ©`` for ``café``), Chinese read as Latin-1 (``¡°`` for ``“``), U+FFFD
where a byte could not be decoded (``��People``), stray control characters and
soft hyphens, and HTML entities left by an exporter.  Each has its own rule, so
each edit is explained by what went wrong.

Mojibake is ftfy's job, run with a complete ``TextFixerConfig`` from the rule
file.  ftfy is slow (1-3 MB/s) and nearly all text needs nothing, so only the
lines that could be mojibake are sent to it.  ftfy fixes text line by line and
leaves a line alone unless ``ftfy.badness.is_bad`` finds mojibake in it (or it
holds C1 controls, surrogates or terminal escapes); every pattern ``is_bad``
looks for needs one character of a small set, so a line without
any of them is one ftfy would return unchanged (``_suspect_pattern``).  tests/test_encoding.py proves
the output equal to sending everything, over the whole development corpus.

Lines are split on ``"\\n"`` only: ``str.splitlines`` also splits on U+0085,
which occurs inside Latin-1 mojibake of common Chinese characters.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from difflib import SequenceMatcher
from itertools import compress
from operator import ne
from typing import Any

from ...language import LANGUAGES_FACT, DocumentLanguages, zipf_in
from ...rules import Context, RawEdit, edits_in_context, replay
from .lexicon import LANGUAGES, REPLACEMENT, language_lexicon, lexicon

# --------------------------------------------------------------------------- edits

# Above this many word pairs a line is one edit rather than aligned word by word.
_MAX_ALIGN = 250_000


def _diff_edits(offset: int, old: str, new: str) -> list[RawEdit]:
    """Word-level edits turning old into new (one line, as ftfy fixed it).

    Words are what lies between single spaces (``str.split(" ")`` runs in C,
    and this runs on every line ftfy changes).  ftfy repairs words in place,
    so both sides nearly always have as many: they are compared pairwise.
    """
    if old.endswith("\n") and new.endswith("\n"):
        old, new = old[:-1], new[:-1]
    a = old.split(" ")
    b = new.split(" ")
    edits: list[RawEdit] = []
    if len(a) == len(b):
        changed = list(compress(range(len(a)), map(ne, a, b)))  # all in C
        if not changed:
            return []
        cursor, pos = 0, offset  # word index and its offset, moved forward only
        first = last = changed[0]
        for i in changed[1:] + [-1]:
            if i == last + 1:
                last = i
                continue
            if first > cursor:
                pos += len(" ".join(a[cursor:first])) + 1
                cursor = first
            edits.append((pos, " ".join(a[first:last + 1]), " ".join(b[first:last + 1])))
            first = last = i
        return edits
    # Words were merged or split (``Ã la`` -> ``à la``, ``Â Â`` -> ``\xa0Â``):
    # difflib aligns the words, when that is cheap, and an added or dropped
    # word takes a neighbour along so that the edit shows where it goes.
    if len(a) * len(b) > _MAX_ALIGN:
        return [(offset, old, new)]
    ranges: list[list[int]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if i1 == i2 or j1 == j2:
            if i1 > 0 and j1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            else:
                i2, j2 = i2 + 1, j2 + 1
        if ranges and i1 <= ranges[-1][1]:
            ranges[-1][1], ranges[-1][3] = max(ranges[-1][1], i2), max(ranges[-1][3], j2)
        else:
            ranges.append([i1, i2, j1, j2])
    starts = [offset]
    for word in a:
        starts.append(starts[-1] + len(word) + 1)
    return [(starts[i1], " ".join(a[i1:i2]), " ".join(b[j1:j2])) for i1, i2, j1, j2 in ranges]


# --------------------------------------------------------------------------- quick looks

# Printable ASCII, newline and tab: what plain text is mostly made of.
_PLAIN_BYTES = bytes(range(0x20, 0x7F)) + b"\n\t"


@lru_cache(maxsize=2)
def rare_chars(text: str) -> frozenset[str]:
    """The characters of text other than printable ASCII, newline and tab.

    Encoding to UTF-8 and deleting the plain bytes runs in C at several hundred
    MB/s, far faster than a regex scan; what is left is tiny for most text, and
    tells each rule at once whether it has anything to do.  Memoised for the
    last texts seen: the rules of this stage ask in turn about the same text.
    """
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_BYTES)
    return frozenset(rest.decode("utf-8", "surrogatepass"))


# --------------------------------------------------------------------------- entities

_ENTITY = re.compile(r"&(?:amp;)*(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# An HTML or XML tag or comment: text holding one is markup, where entities are meant.
_MARKUP_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|<!--|<![A-Za-z]")


def _decode_entity(entity: str) -> str | None:
    """The text an entity stands for (double escapes included), or None to keep it."""
    decoded = entity
    while True:
        step = html.unescape(decoded)
        if step == decoded:
            break
        decoded = step
    if decoded == entity or "&" in decoded and _ENTITY.search(decoded):
        return None
    if any(unicodedata.category(c) in ("Cc", "Cs") or c == REPLACEMENT for c in decoded):
        return None  # &#0; or &#x81; would only bring back the junk other rules remove
    return decoded


def html_entities(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """``&amp;`` and ``&#8217;`` become ``&`` and ``’``, unless the text is markup."""
    if "&" not in text or ctx.doc.markdown or _MARKUP_TAG.search(text):
        return text, []
    spans = []
    n = len(text)
    line_end = -1  # the line of the last entity, looked at once (not once per entity)
    bracket = False
    for m in _ENTITY.finditer(text):
        if m.start() > line_end:
            line_start = text.rfind("\n", line_end + 1, m.start()) + 1 or line_end + 1
            line_end = text.find("\n", m.end())
            if line_end == -1:
                line_end = n
            bracket = text.find("<", line_start, line_end) >= 0 or text.find(">", line_start, line_end) >= 0
        if bracket:
            continue  # a raw bracket beside an entity: code or half-escaped markup
        decoded = _decode_entity(m.group(0))
        if decoded is not None:
            spans.append((m.start(), m.end(), decoded))
    if not spans:
        return text, []
    edits = edits_in_context(text, spans)
    return replay(text, edits), edits


# --------------------------------------------------------------------------- GBK

# GB2312 bytes (lead and trail 0xA1-0xFE) read as Latin-1 or Windows-1252: both
# give the same characters ¡ to þ there.
_GBK_RUN = re.compile(r"[\xa1-\xfe]{2,}")
# What GB2312 text decodes to: ideographs, CJK and full-width punctuation,
# typographic quotes and dashes, circled and Roman numerals.
# Compiled on first use: Python's regex compiler walks a character range one
# code point at a time, and these 50,000 of them were a tenth of a one-file run's
# start-up, for text that rarely holds a run of GBK mojibake.
@lru_cache(maxsize=1)
def _gbk_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(GBK text, an ideograph)."""
    gbk_text = re.compile(
        r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2010-\u2027\u00b7\u2460-\u249b\u2160-\u216b]+"
    )
    return gbk_text, re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


# Two Latin-1 characters never written side by side that are GBK punctuation:
# ¡° “  ¡± ”  ¡® ‘  ¡¯ ’  ¡¢ 、  ¡£ 。  £¬ ，  £¡ ！  £¿ ？  £º ：  £» ；  ¡¶ 《  ¡· 》 ...
_GBK_PUNCT = frozenset("“”‘’、。，！？：；《》（）…—「」『』【】·")


def _gbk_text(run: str) -> str | None:
    """The Chinese text a run of Latin-1 characters was, or None when it was not."""
    if len(run) % 2 or len(run) == 2 and run[0] not in "\xa1\xa3":
        return None  # GBK is two bytes a character; the punctuation pairs start A1 or A3
    raw = run.encode("latin-1")
    try:
        raw.decode("utf-8")
        return None  # valid UTF-8 bytes: that is UTF-8 mojibake, ftfy's case
    except UnicodeDecodeError:
        pass
    try:
        decoded = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    gbk_text, ideograph = _gbk_classes()
    if not gbk_text.fullmatch(decoded):
        return None
    if len(decoded) == 1:
        return decoded if decoded in _GBK_PUNCT else None
    # Two or more characters: at least one ideograph or a telltale punctuation mark,
    # so that a pair of accented letters (``öß`` in ``Größe``) never qualifies.
    if ideograph.search(decoded) and len(decoded) >= 2 or any(c in _GBK_PUNCT for c in decoded):
        return decoded
    return None


def _first_latin1_pair(text: str, chars: list[str]) -> int | None:
    """Where the first two neighbouring characters from ¡ to þ start, if any."""
    first = None
    for c in chars:
        i = text.find(c)
        while i != -1 and (first is None or i < first):
            if i + 1 < len(text) and "\xa1" <= text[i + 1] <= "\xfe":
                first = i
                break
            if i > 0 and "\xa1" <= text[i - 1] <= "\xfe":
                first = i - 1
                break
            i = text.find(c, i + 1)
    return first


def gbk_latin1(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """Chinese (GBK) text decoded as Latin-1/cp1252 is decoded again, run by run.

    Only in a document with a ``¡`` or ``£``: the first bytes of GBK punctuation
    (quotes, commas, full stops), which Chinese text does not go without.  A
    page of UTF-8 mojibake in English, full of short Latin-1 runs, is spared
    the scan.
    """
    rare = rare_chars(text)
    if "\xa1" not in rare and "\xa3" not in rare:
        return text, []
    first = _first_latin1_pair(text, [c for c in rare if "\xa1" <= c <= "\xfe"])
    if first is None:
        return text, []
    spans = []
    for m in _GBK_RUN.finditer(text, first):
        run = m.group(0)
        # cheap rejections first: a page of UTF-8 mojibake has thousands of short runs
        if len(run) % 2 or len(run) == 2 and run[0] not in "\xa1\xa3":
            continue
        decoded = _gbk_text(run)
        if decoded is not None:
            spans.append((m.start(), m.end(), decoded))
    if not spans:
        return text, []
    edits = [(start, text[start:end], new) for start, end, new in spans]
    return replay(text, edits), edits


# --------------------------------------------------------------------------- mojibake

_NORMALIZATIONS = {"none": None, "NFC": "NFC", "NFD": "NFD", "NFKC": "NFKC", "NFKD": "NFKD"}


@lru_cache(maxsize=8)
def _ftfy_config(items: tuple[tuple[str, Any], ...]):
    import ftfy

    fields = set(ftfy.TextFixerConfig._fields)
    given = dict(items)
    missing = sorted(fields - set(given))
    unknown = sorted(set(given) - fields)
    if missing or unknown:
        raise ValueError(
            f"encoding.mojibake options must set every TextFixerConfig field; "
            f"missing: {missing or 'none'}, unknown: {unknown or 'none'}"
        )
    norm = given["normalization"]
    if norm not in _NORMALIZATIONS:
        raise ValueError(f"normalization must be one of {', '.join(_NORMALIZATIONS)}, not {norm!r}")
    given["normalization"] = _NORMALIZATIONS[norm]
    return ftfy.TextFixerConfig(**given)


def ftfy_config(options: dict[str, Any]):
    """The TextFixerConfig the rule's options describe (every field required)."""
    return _ftfy_config(tuple(sorted(options.items())))


@lru_cache(maxsize=1)
def _suspect_pattern() -> re.Pattern[str]:
    """A character class every line ftfy would change contains one of.

    ftfy's ``fix_encoding`` returns a line unchanged unless ``is_bad`` matches
    it.  Each alternative of its ``BADNESS_RE`` requires at least one character
    from these categories of ``ftfy.badness.MOJIBAKE_CATEGORIES`` or one of the
    few Cyrillic and Greek capitals its Windows-1251/1253 patterns begin with;
    the "common" characters and typographic quotes and dashes (everyday web
    text) are needed by none of them on their own.  The other fixers we enable
    act only on C1 controls (here too), surrogates and ESC (added).
    """
    from ftfy.badness import MOJIBAKE_CATEGORIES as cats

    needed = "".join(
        cats[name]
        for name in ("c1", "bad", "law", "currency", "numeric", "upper_accented", "lower_accented", "box")
    )
    extra = "\u00d9ВГРСЂΒΓΞΟβ\x1b\ud800-\udfff"  # Ù (Arabic cp1252 pattern), cp1251/cp1253 starts
    return re.compile(f"[{needed}{extra}]")


# Above this many characters, a segment under repair is judged by
# _is_bad_near_suspects before ftfy's step (which would scan all of it) runs.
_LONG_LINE = 4096
# The longest match of ftfy's BADNESS_RE (``ГўВЂВ.[A-Za-z ]``), plus one.
_BADNESS_REACH = 8


def _is_bad_near_suspects(text: str) -> bool:
    """``ftfy.badness.is_bad(text)``, looking only around suspect characters.

    ftfy's regex tries each of its alternatives at every position (about
    1 s per megabyte on a long line, 3-5 MB/s on accented prose); the windows
    skip the text between suspects far apart, which even accented prose has
    (French 2x, German and Spanish 4x, English web text 15x faster; as fast
    on Czech).  Every match of it holds a suspect character and is at most
    _BADNESS_REACH - 1 long, so it lies in the window of that reach around one; a window starting inside the text cannot
    match its one ``^`` alternative, and the regex looks neither ahead nor
    behind, so each window's search finds exactly the matches that lie in it.
    """
    from ftfy.badness import BADNESS_RE

    search = BADNESS_RE.search
    reach = _BADNESS_REACH
    start = end = -1
    for m in _suspect_pattern().finditer(text):
        i = m.start()
        if i - reach > end:
            if end >= 0 and search(text, start, end):
                return True
            start = max(0, i - reach)
        end = i + reach
    return end >= 0 and search(text, start, min(end, len(text))) is not None


# Besides mojibake (``is_bad``), what the ftfy fixers we may enable act on:
# C1 controls (also in ``is_bad``), surrogates and terminal escapes.
_OTHER_TRIGGERS = re.compile("[\x1b\ud800-\udfff]")
# The first characters of the commonest mojibake: UTF-8 read as Windows-1252 or
# Latin-1 (Ã, Â, â, Ð, Ñ), C1 controls, UTF-8 read as MacRoman (√, ‚).
_LIKELY_BROKEN = re.compile("[\u00c2\u00c3\u00e2\u00d0\u00d1\x80-\x9f\u221a\u201a]")


def _fast_path_holds(config) -> bool:
    """True when ftfy, with this config, changes no line that ``_suspect_pattern`` misses.

    The suspect set is derived for the fixers this stage enables; a user who
    turns on another one (ligatures, widths, quotes, line breaks, control
    characters, entities or normalisation) gets every line sent to ftfy.
    """
    return not (
        config.unescape_html
        or config.fix_latin_ligatures
        or config.fix_character_width
        or config.uncurl_quotes
        or config.fix_line_breaks
        or config.remove_control_chars
        or config.normalization
    )


def _line_spans(text: str, chars, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) of every line holding one of chars (all matched by pattern), in order.

    A few distinct characters are found with ``str.find``, fastest when they
    are rare; many (a page full of mojibake) with one pass of the pattern.
    """
    if len(chars) > 2:
        spans_in_order = []
        m = pattern.search(text)
        while m is not None:
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.start())
            end = len(text) if end == -1 else end + 1
            spans_in_order.append((start, end))
            m = pattern.search(text, end)
        return spans_in_order
    spans = set()
    for c in chars:
        i = text.find(c)
        while i != -1:
            start = text.rfind("\n", 0, i) + 1
            end = text.find("\n", i)
            end = len(text) if end == -1 else end + 1
            spans.add((start, end))
            i = text.find(c, end)
    return sorted(spans)


def _all_lines(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end + 1
        spans.append((start, end))
        start = end
    return spans


# Where a segment of a long line may end (see _segments): before an ASCII
# letter that follows two ASCII letters or spaces.  No mojibake sequence holds
# an ASCII letter; a space is one only as a lost U+00A0 right after a non-ASCII
# lead, and a letter is in a terminal escape only as its last character.
_LETTER_CUT = re.compile(r"(?<=[A-Za-z ]{2})(?=[A-Za-z])")


@lru_cache(maxsize=1)
def _space_cut() -> re.Pattern[str]:
    """Where a segment may end in text without ASCII letters: after a space
    that ftfy's ``ALTERED_UTF8_RE`` cannot read as a lost U+00A0 followed by
    more of its sequence (a space is that only after a character that one of
    ftfy's single-byte codecs, MacRoman aside as in ftfy, maps to a lead byte
    0xE2, 0xE3 or 0xF0, or two after a 0xF0)."""
    from ftfy.chardata import CHARMAP_ENCODINGS

    def chars(lead_bytes: bytes) -> str:
        found = set()
        for encoding in CHARMAP_ENCODINGS:
            if encoding != "macroman":
                found.update(c for c in lead_bytes.decode(encoding, "ignore"))
        return re.escape("".join(sorted(found)))

    return re.compile(f"(?<![{chars(bytes([0xE2, 0xE3, 0xF0]))}]) (?<![{chars(bytes([0xF0]))}]. )(?! )")


def _segments(line: str, limit: int) -> list[str]:
    """line cut into segments of at most limit characters, as ``ftfy.fix_text``
    cuts it, but each ending at the last place in its second half where no
    mojibake sequence, terminal escape or badness pattern of ftfy can span
    the cut, or else before a UTF-8 lead; ftfy's blind cut only when there is
    none (a cut sequence makes ftfy repair its segment one sequence at a time,
    many times slower)."""
    segments = []
    start = 0
    while len(line) - start > limit:
        end = start + limit
        low = start + limit // 2
        cut = _last_cut(line, low, end, _LETTER_CUT)
        if cut is None:
            cut = _last_cut(line, low, end, _space_cut())
        if cut is None:
            cut = _last_lead(line, low, end)
        cut = end if cut is None else cut
        segments.append(line[start:cut])
        start = cut
    segments.append(line[start:])
    return segments


def _last_cut(line: str, low: int, high: int, pattern: re.Pattern[str]) -> int | None:
    """The last position in [low, high] where pattern matches (an empty or a
    one-space match: the cut is at its end), looking back a window at a time."""
    window = 4096
    while high > low:
        begin = max(low, high - window)
        # a few characters either side, for the lookarounds
        found = None
        for m in pattern.finditer(line, max(0, begin - 4), min(len(line), high + 1)):
            if begin <= m.end() <= high:
                found = m.end()
        if found is not None:
            return found
        high = begin
        window *= 2
    return None


def _last_lead(line: str, low: int, high: int) -> int | None:
    """The last position in (low, high] of a UTF-8 lead byte (0xC2-0xF4) in the
    first of ftfy's single-byte codecs that can encode line[low:high], the one
    ftfy would try first: text of mojibake alone, with no space or letter
    (a codec maps one character to one byte, so positions are the same)."""
    from ftfy.chardata import CHARMAP_ENCODINGS, possible_encoding

    window = line[low:high]
    for encoding in CHARMAP_ENCODINGS:
        if possible_encoding(window, encoding):
            data = window.encode(encoding)
            last = max(data.rfind(bytes([lead])) for lead in range(0xC2, 0xF5))
            return low + last if last > 0 else None
    return None


# The fixers ``ftfy.fix_and_explain`` applies after the encoding step, in its order.
_FTFY_FIXER_ORDER = (
    "fix_c1_controls",
    "fix_latin_ligatures",
    "fix_character_width",
    "uncurl_quotes",
    "fix_line_breaks",
    "fix_surrogates",
    "remove_terminal_escapes",
    "remove_control_chars",
)


@lru_cache(maxsize=8)
def _segment_fixer(config):
    """A function equal to ``ftfy.fix_and_explain(segment, config).text`` for a fast-path config.

    ``fix_and_explain`` repeats its whole round (encoding repair to a fixed
    point, then each fixer) until a round changes nothing, so every line it
    repairs costs one more round, on already repaired text.  That round can be
    known in advance to change nothing: the encoding repair stopped on its
    result (so repairing it again returns it) and no fixer changed it (so each
    fixer again returns its input).  Rounds are pure functions of the text, so
    the result is the same; only the redundant ``is_bad`` scan is saved.  The
    encoding repair itself is ftfy's step function, driven as
    ``fix_encoding_and_explain`` drives it (a private function of ftfy: the
    tests compare the whole loop with ``ftfy.fix_text`` on heavy mojibake).  Only
    for configs where ``_fast_path_holds`` (no HTML unescaping, no
    normalisation: the steps of the round are exactly these).
    """
    import ftfy

    fixers = tuple(ftfy.FIXERS[name] for name in _FTFY_FIXER_ORDER if getattr(config, name))
    # fix_encoding_and_explain repeats this step; private, so a later ftfy may lack it
    one_step = getattr(ftfy, "_fix_encoding_one_step_and_explain", None)
    suspect = _suspect_pattern()

    def repair(segment: str) -> str:
        if one_step is None:
            return ftfy.fix_encoding_and_explain(segment, config).text
        # ``fix_encoding_and_explain``: one step of repair until a step changes
        # nothing.  A step starts with ``is_bad`` and returns text it rejects as
        # it is, so text without a suspect character needs no step: a cheap
        # scan instead of ftfy's regex, mostly on lines it has just repaired.
        while suspect.search(segment):
            if len(segment) > _LONG_LINE and not _is_bad_near_suspects(segment):
                break  # what the step's own is_bad would decide, scanning all of it
            fixed = one_step(segment, config).text
            if fixed == segment:
                break
            segment = fixed
        return segment

    def fix(segment: str) -> str:
        while True:
            start = segment
            if config.fix_encoding:
                segment = repair(segment)
            fixers_changed = False
            for fixer in fixers:
                fixed = fixer(segment)
                if fixed != segment:
                    fixers_changed = True
                    segment = fixed
            if segment == start or not fixers_changed:
                return segment

    return fix


# What the fast path needs from ftfy, written down by bench/encoding_build.py
# with a checksum of the ftfy sources it was derived from: the fields of
# TextFixerConfig and every character _suspect_pattern() matches.  A text with
# none of those characters is left alone without importing ftfy (40 ms, most
# of a one-file run's encoding stage); another ftfy version is imported as before.
FTFY_FACTS_FILE = "ftfy-facts.txt"
FTFY_SOURCES = ("__init__.py", "badness.py")


def ftfy_sources_key() -> str | None:
    """A checksum of the ftfy sources the facts come from, read without importing ftfy."""
    import importlib.util
    import zlib
    from pathlib import Path

    spec = importlib.util.find_spec("ftfy")
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent
    try:
        return " ".join(f"{zlib.crc32((folder / name).read_bytes()):08x}" for name in FTFY_SOURCES)
    except OSError:
        return None


def ftfy_facts_text() -> str:
    """The facts file's text for the installed ftfy (imports it)."""
    import ftfy

    pattern = _suspect_pattern()
    codes = [c for c in range(0x110000) if pattern.match(chr(c))]
    ranges = []
    for c in codes:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "\n".join([
        f"# ftfy sources {ftfy_sources_key()}",
        " ".join(sorted(ftfy.TextFixerConfig._fields)),
        " ".join(f"{a:04x}-{b:04x}" if a != b else f"{a:04x}" for a, b in ranges),
    ]) + "\n"


@lru_cache(maxsize=1)
def _ftfy_facts() -> tuple[frozenset[str], frozenset[str]] | None:
    """(config fields, suspect characters) when the facts file is for the installed ftfy."""
    from ...rules import builtin_rules_dir

    try:
        header, fields, ranges = (builtin_rules_dir() / "encoding" / FTFY_FACTS_FILE).read_text("utf-8").split("\n")[:3]
    except (OSError, ValueError):
        return None
    key = ftfy_sources_key()
    if key is None or header != f"# ftfy sources {key}":
        return None
    chars = []
    for item in ranges.split():
        first, _, last = item.partition("-")
        chars += map(chr, range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(fields.split()), frozenset(chars)


def _ftfy_needed(text: str, options: dict[str, Any]) -> bool:
    """False when ftfy surely changes nothing: the options are a complete
    config on the fast path (as ``_fast_path_holds``) and no character of the
    text is a suspect.  True when that cannot be told without ftfy."""
    facts = _ftfy_facts()
    if facts is None:
        return True
    fields, suspects = facts
    if options.keys() != fields or options["normalization"] != "none" or any(
        options[name]
        for name in ("unescape_html", "fix_latin_ligatures", "fix_character_width", "uncurl_quotes",
                     "fix_line_breaks", "remove_control_chars")
    ):
        return True
    return not rare_chars(text).isdisjoint(suspects)


def mojibake(text: str, ctx: Context, **options: Any) -> tuple[str, list[RawEdit]]:
    """Mojibake repaired by ftfy, on suspect lines only; edits per changed word."""
    if not _ftfy_needed(text, options):
        return text, []
    import ftfy

    config = ftfy_config(options)
    fast = _fast_path_holds(config)
    if fast:
        suspect = _suspect_pattern()
        chars = [c for c in rare_chars(text) if suspect.match(c)]
        if not chars:
            return text, []
        lines = _line_spans(text, chars, suspect)
        fix_segment = _segment_fixer(config)
    else:
        lines = _all_lines(text)
    edits: list[RawEdit] = []
    out = []
    pos = 0
    for start, end in lines:
        line = text[start:end]
        # ftfy's own first test, done here to save its per-line setup where it
        # will probably fail; a line that looks broken goes straight to ftfy,
        # which would only repeat the test.  Either way ftfy decides.
        if (
            not fast
            or _LIKELY_BROKEN.search(line)
            or _is_bad_near_suspects(line)
            or _OTHER_TRIGGERS.search(line)
        ):
            if fast and len(line) <= config.max_decode_length:
                # what fix_text does with a segment, without its per-call setup
                fixed = fix_segment(line)
            elif fast:
                # fix_text cuts a longer line into segments of max_decode_length;
                # these segments are no longer, but end where no mojibake can span
                fixed = "".join(fix_segment(piece) for piece in _segments(line, config.max_decode_length))
            else:
                fixed = ftfy.fix_text(line, config)
            if fixed != line:
                out.append(text[pos:start])
                out.append(fixed)
                pos = end
                edits.extend(_diff_edits(start, line, fixed))
    if not edits:
        return text, []
    out.append(text[pos:])
    return "".join(out), edits


# --------------------------------------------------------------------------- controls

# C0 controls but tab and newline, DEL and C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # a quicker first look


def controls(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """Control characters other than tab and newline are removed."""
    if not any(_CONTROL.match(c) for c in rare_chars(text)):
        return text, []
    first = _CONTROL.search(text)
    spans = [(m.start(), m.end(), "") for m in _CONTROLS.finditer(text, first.start())]
    edits = edits_in_context(text, spans)
    return replay(text, edits), edits


_SOFT_HYPHEN = re.compile(r"(?<=[^\W\d_])\u00ad+(?=[^\W\d_])")


def soft_hyphens(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """Soft hyphens between two letters are removed (invisible hyphenation hints)."""
    if "\u00ad" not in text:
        return text, []
    spans = [(m.start(), m.end(), "") for m in _SOFT_HYPHEN.finditer(text)]
    if not spans:
        return text, []
    edits = edits_in_context(text, spans)
    return replay(text, edits), edits


# --------------------------------------------------------------------------- U+FFFD

# A word with lost characters: letters and runs of U+FFFD, at least one of each.
_LOST_WORD = re.compile(r"[^\W\d_]*(?:\ufffd{1,3}[^\W\d_]*)+")
_LOST_RUN = re.compile(r"\ufffd+")
# One character of such a word.
_IN_LOST_WORD = re.compile(r"[^\W\d_]|\ufffd")
# A run of up to three: one per byte of a UTF-8 or GBK quote.
_MAX_RUN = 3


def _restore_case(token: str, word: str) -> str:
    """word (lowercase, from the lexicon) in the case of token (with U+FFFD)."""
    letters = [c for c in token if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    chars = list(word)
    for i, c in enumerate(token):
        if c != REPLACEMENT and c.isupper():
            chars[i] = chars[i].upper()
    if token[0] == REPLACEMENT and len(token) > 1 and token[1].isupper() and not any(
        c.islower() for c in token[1:] if c.isalpha()
    ):
        chars[0] = chars[0].upper()
    return "".join(chars)


def lost_words(text: str):
    """The matches of ``_LOST_WORD.finditer(text)``, found from each U+FFFD.

    A match is a whole run of letters and U+FFFD holding at least one U+FFFD,
    so it starts where the run around a U+FFFD starts.  Scanning the whole text
    with the pattern instead costs 2 MB/s (it retries every letter of every
    word), a long file with one lost character paid that in full.
    """
    end = 0
    pos = text.find(REPLACEMENT)
    while pos != -1:
        start = pos
        while start > end and _IN_LOST_WORD.match(text, start - 1):
            start -= 1
        m = _LOST_WORD.match(text, start)
        yield m
        end = m.end()
        pos = text.find(REPLACEMENT, end)


def _languages(text: str, ctx: Context) -> DocumentLanguages:
    """The text's languages, from the per-document analysis (computed once per text)."""
    return ctx.analysis.fact(LANGUAGES_FACT, text)


def _lexicon_language(languages: DocumentLanguages, offset: int) -> str | None:
    """The language whose own lost-letter list applies at offset (None: the English index).

    A paragraph judged English in a document of another language is judged by
    the document's language: its words that lost letters no longer count, and
    the English left (a title, a name) may outweigh them."""
    verdict = languages.at(offset)
    document = languages.document
    if verdict.sure and verdict.language != "en":
        return verdict.language if verdict.language in LANGUAGES else None
    if document.sure and document.language in LANGUAGES:
        return document.language
    return None


def lost_letters(
    text: str, ctx: Context, *, min_zipf: float, winner_margin: float
) -> tuple[str, list[RawEdit]]:
    """U+FFFD in a word is restored when one word of the paragraph's language clearly fits.

    In English (and where no other language's list applies) a word is restored
    when exactly one English word fits (``caf�`` -> ``café``); a U+FFFD at a
    word's edge may just as well be a lost quote: there the word is restored
    only when the restored word is commoner than the word without the lost
    character (``the�`` is not ``thé``).  In another language each U+FFFD is
    one lost non-ASCII letter (``Stra�e`` -> ``Straße``, ``�t�`` -> ``été``, a
    lone ``�`` -> French ``à``): the commonest fitting word is restored when it
    is ``winner_margin`` Zipf units commoner than the next one.
    """
    if REPLACEMENT not in text:
        return text, []
    spans = []
    index = None
    languages = _languages(text, ctx)
    for m in lost_words(text):
        token = m.group(0)
        if any(len(r) > _MAX_RUN for r in _LOST_RUN.findall(token)):
            continue
        language = _lexicon_language(languages, m.start())
        if language is not None:
            fix = _restore_in(language, token, text, m.start(), m.end(), winner_margin, ctx)
            if fix is not None:
                spans.append((m.start(), m.end(), fix))
            continue
        if not any(c.isalpha() for c in token):
            continue
        inside = bool(re.search(r"[^\W\d_]\ufffd+[^\W\d_]", token))
        if index is None:
            index = lexicon(min_zipf)
        form = index.get(_LOST_RUN.sub(REPLACEMENT, token.lower()))
        candidates = form.words if form else ()
        if not inside and form and form.bare_commoner:
            continue  # ``the�``: the word without it is commoner; likely a lost quote
        if len(candidates) == 1:
            # align: every run collapsed to one character of the word
            collapsed = _LOST_RUN.sub(REPLACEMENT, token)
            spans.append((m.start(), m.end(), _restore_case(collapsed, candidates[0])))
        elif inside:
            if candidates:
                ctx.note(m.start(), f"{token!r} could be any of {', '.join(candidates[:5])}: left as it is")
            else:
                ctx.note(m.start(), f"{token!r} has a lost character and no English word fits: left as it is")
    if not spans:
        return text, []
    edits = [(start, text[start:end], new) for start, end, new in spans]
    return replay(text, edits), edits


def _restore_in(
    language: str, token: str, text: str, start: int, end: int, margin: float, ctx: Context
) -> str | None:
    """The word of ``language`` that ``token`` lost letters of, if one clearly fits."""
    if not any(c.isalpha() for c in token):
        # lost letters alone: a word of them (French à, Turkish üç), only between spaces or punctuation
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        if before.isalnum() or after.isalnum() or before in "\"“”" or after in "'’\"“”":
            return None
    found = language_lexicon(language).get(token.lower())
    if not found:
        if any(c.isalpha() for c in token):
            ctx.note(start, f"{token!r} has a lost letter and no {language} word fits: left as it is")
        return None
    word, zipf = found[0]
    if len(found) > 1 and zipf - found[1][1] < margin:
        ctx.note(start, f"{token!r} could be any of {', '.join(w for w, _ in found[:5])}: left as it is")
        return None
    edge = token[0] == REPLACEMENT or token[-1] == REPLACEMENT
    if edge and REPLACEMENT not in token.strip(REPLACEMENT):
        bare = token.strip(REPLACEMENT).lower()
        bare_zipf = zipf_in(bare, language) if len(bare) > 1 else None
        if bare_zipf is not None and bare_zipf >= zipf:
            return None  # the word without it is commoner: a lost quote as likely as a letter
    fixed = _restore_case(token, word)
    if token[0] == REPLACEMENT and _opens_sentence(text, start):
        fixed = fixed[0].upper() + fixed[1:]
    return fixed


def _opens_sentence(text: str, start: int) -> bool:
    """Does a word at ``start`` open a line or a sentence (its lost first letter was a capital)?"""
    head = text[max(0, start - 3):start].rstrip(" ")
    return not head or head[-1] in "\n.!?"


# Before an opening quote: start of line, space, or opening punctuation.
_OPENS_AFTER = set(" \t\n([{<‘“'\"-–—/")
# After a closing quote: end of line, space, or punctuation that may follow it.
_CLOSES_BEFORE = set(" \t\n.,;:!?)]}>-–—/…'\"’”")
# Before a closing quote: what a quotation may end with besides a letter or digit.
_CLOSES_AFTER = set(".,;:!?)]}…%’'")


def _quote_for(before: str, after: str) -> str | None:
    opening = (before in _OPENS_AFTER) and (after.isalnum() or after in "‘'(")
    closing = (before.isalnum() or before in _CLOSES_AFTER) and (after in _CLOSES_BEFORE)
    if opening and not closing:
        return "\u201c"
    if closing and not opening:
        return "\u201d"
    return None


def lost_quotes(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """U+FFFD where a quote stood becomes “ before a word and ” after one.

    In a paragraph of another language than English, a U+FFFD touching a
    letter is a lost letter as likely as a lost quote: it becomes a quote only
    when the word it touches is a word of that language as it stands and no
    word of it fits with a letter there."""
    if REPLACEMENT not in text:
        return text, []
    spans = []
    languages = None
    checked = []  # indexes of spans in another language, touching a letter
    for m in _LOST_RUN.finditer(text):
        if len(m.group(0)) > _MAX_RUN:
            continue
        before = text[m.start() - 1] if m.start() > 0 else "\n"
        after = text[m.end()] if m.end() < len(text) else "\n"
        quote = _quote_for(before, after)
        if quote is None:
            continue
        if before.isalpha() or after.isalpha() or before in "'’":
            if languages is None:
                languages = _languages(text, ctx)
            language = _lexicon_language(languages, m.start())
            if language is None:  # unsure: checked in the best language unless English is as likely
                verdict = languages.at(m.start())
                language = verdict.language if verdict.lead_over("en") >= 1.0 and verdict.words >= 5 else None
            if language not in (None, "en"):
                if not _quote_fits(text, m.start(), m.end(), language):
                    continue
                checked.append(len(spans))
        spans.append((m.start(), m.end(), quote))
    if checked:
        # there a quote must have its partner in the paragraph: “ a later ”, ” an earlier “
        drop = set()
        for i in checked:
            start, _, quote = spans[i]
            para_start = text.rfind("\n\n", 0, start)
            para_end = text.find("\n\n", start)
            para_end = len(text) if para_end == -1 else para_end
            if quote == "\u201c":
                paired = any(q == "\u201d" and start < s < para_end for s, _, q in spans)
            else:
                paired = any(q == "\u201c" and para_start < s < start for s, _, q in spans)
            if not paired:
                drop.add(i)
        spans = [span for i, span in enumerate(spans) if i not in drop]
    if not spans:
        return text, []
    edits = edits_in_context(text, spans)
    return replay(text, edits), edits


def _quote_fits(text: str, start: int, end: int, language: str) -> bool:
    """Is the word touching this U+FFFD run a word of ``language`` without it, and no word with a letter there?"""
    m = _LOST_WORD.match(text, _word_start(text, start))
    token = m.group(0) if m else ""
    if language_lexicon(language).get(token.lower()):
        return False
    bare = token.strip(REPLACEMENT).lower()
    return len(bare) > 1 and REPLACEMENT not in bare and zipf_in(bare, language) is not None


def _word_start(text: str, pos: int) -> int:
    while pos > 0 and _IN_LOST_WORD.match(text, pos - 1):
        pos -= 1
    return pos


def lost_characters(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """U+FFFD standing alone between spaces or punctuation is removed; others are reported."""
    if REPLACEMENT not in text:
        return text, []
    spans = []
    languages = None
    for m in _LOST_RUN.finditer(text):
        start, end = m.start(), m.end()
        before = text[start - 1] if start > 0 else "\n"
        after = text[end] if end < len(text) else "\n"
        if end - start > _MAX_RUN:
            # more than one character's bytes: lost text, which the reader should know of
            ctx.note(start, f"{end - start} U+FFFD in a row: text lost in decoding, left as it is")
            continue
        alone = not (before.isalnum() or after.isalnum())
        if alone and languages is None:
            languages = _languages(text, ctx)
        if alone and _lexicon_language(languages, start):
            # lost letters standing alone are a word there (Portuguese é, Turkish üç)
            ctx.note(start, f"{text[max(0, start - 10):end + 10]!r}: a lost letter left as it is")
            continue
        if before.isalnum() or after.isalnum():
            if not (before.isalpha() and after.isalpha()):  # in-word ones: lost_letters noted them
                ctx.note(start, f"{text[max(0, start - 10):end + 10]!r}: a lost character left as it is")
            continue
        # Take one neighbouring space along, so no double space is left behind.
        if after == " " and (before in " \n" or start == 0):
            end += 1
        elif before == " " and after not in " \t" and (not spans or spans[-1][1] < start - 1):
            start -= 1
        spans.append((start, end, ""))
    if not spans:
        return text, []
    edits = edits_in_context(text, spans)
    return replay(text, edits), edits


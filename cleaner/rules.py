"""Rule files: load, validate and compile them into rule objects.

Every edit cleaner makes comes from a rule declared in a TOML file, so that users
can read, select, ignore and extend what the tool does without reading code.
A rule file holds ``[[rule]]`` tables::

    [[rule]]
    id = "whitespace.zero-width"        # stage.name: config key, counter key, label
    kind = "regex"                      # one of KINDS
    description = "Why this edit is right."
    pattern = '[\u200b\u2060\ufeff]'
    replace = ""
    examples = [{ input = "a\u200bb", output = "ab" }]
    unchanged = ["a\u200db"]

Loading checks every file completely and reports every problem at once (file,
rule id, key, message) instead of stopping at the first, because a user fixing a
rule file wants the whole list.  Kinds are a small closed set; anything that
needs real code is a ``builtin`` whose function lives in ``cleaner.stages``.
"""

from __future__ import annotations

import importlib
import inspect
import marshal
import re
import zlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from operator import sub
from pathlib import Path
from typing import Any, Callable, Sequence

from .analysis import DocumentAnalysis
from .suggest import did_you_mean

STAGES = ("encoding", "whitespace", "boilerplate", "spacing", "spelling")
KINDS = ("regex", "literal", "line_drop", "block_drop", "word_table", "builtin")

_ID_RE = re.compile(r"^[a-z]+\.[a-z0-9][a-z0-9-]*$")
_FLAG_NAMES = {
    "IGNORECASE": re.IGNORECASE,
    "MULTILINE": re.MULTILINE,
    "DOTALL": re.DOTALL,
    "VERBOSE": re.VERBOSE,
    "ASCII": re.ASCII,
}
_COMMON_KEYS = {"id", "kind", "description", "enabled", "examples", "unchanged"}
# key -> (required, expected python type(s))
_KIND_KEYS: dict[str, dict[str, tuple[bool, type | tuple[type, ...]]]] = {
    "regex": {"pattern": (True, str), "replace": (True, str), "flags": (False, list), "prefilter": (False, list)},
    "literal": {"map": (True, dict)},
    "line_drop": {"lines": (False, list), "patterns": (False, list), "where": (False, str)},
    "block_drop": {
        "start": (True, list),
        "body": (False, list),
        "end": (False, list),
        "max_lines": (False, int),
        "min_lines": (False, int),
    },
    "word_table": {"table": (True, str)},
    "builtin": {"function": (False, str), "options": (False, dict)},
}
_WHERE = ("anywhere", "top", "bottom", "edges")


@lru_cache(maxsize=1)
def builtin_rules_dir() -> Path:
    """The rule files shipped with cleaner: inside the wheel, or the checkout's rules/."""
    here = Path(__file__).resolve().parent
    installed = here / "data" / "rules"
    if installed.is_dir():
        return installed
    return here.parent / "rules"


# --------------------------------------------------------------------------- TOML data, compiled

# The built-in TOML files parsed once, at build time (bench/rules_build.py), into
# marshal data: Python's TOML parser is pure Python and took about a tenth of
# a one-file run (a pre-commit call).  Each entry keeps its source file's size
# and CRC-32, and is used only while the file still has them; an edited file is
# parsed as TOML, so the compiled form can make a run slower, never different.
COMPILED_TOML_FILE = "compiled-toml.marshal"
_COMPILED_FORMAT = 1


def builtin_toml_files() -> list[Path]:
    """The TOML files shipped in the rules folder (rule files and data such as spacing/protected.toml)."""
    root = builtin_rules_dir()
    return sorted(root.glob("*.toml")) + sorted(root.glob("*/*.toml"))


def compiled_toml_bytes(files: Sequence[Path]) -> bytes:
    """The compiled form of these built-in TOML files, as bench/rules_build.py writes it."""
    import tomllib

    root = builtin_rules_dir()
    entries = {}
    for path in files:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        entries[path.relative_to(root).as_posix()] = (len(raw), zlib.crc32(raw), marshal.dumps(data, 4))
    return marshal.dumps((_COMPILED_FORMAT, entries), 4)


@lru_cache(maxsize=1)
def _compiled_toml() -> dict[str, tuple[int, int, bytes]]:
    try:
        blob = (builtin_rules_dir() / COMPILED_TOML_FILE).read_bytes()
        version, entries = marshal.loads(blob)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return entries if version == _COMPILED_FORMAT and isinstance(entries, dict) else {}


def _compiled_data(path: Path, raw: bytes) -> dict[str, Any] | None:
    """A built-in file's data from the compiled form, if the file is the one compiled."""
    root = builtin_rules_dir()
    if path.parent != root and path.parent.parent != root:
        return None
    entry = _compiled_toml().get(path.relative_to(root).as_posix())
    if entry is None or entry[0] != len(raw) or entry[1] != zlib.crc32(raw):
        return None
    return marshal.loads(entry[2])  # fresh objects on every call: callers may keep or change them


def not_utf8(exc: UnicodeDecodeError) -> str:
    """Why a user's file (a rule file, a config file, a list it names) could not be read, in one line."""
    line = exc.object[: exc.start].count(b"\n") + 1
    return f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02X} on line {line})"


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's data, as ``tomllib.load`` reads it: OSError, UnicodeDecodeError, or a
    ValueError (``tomllib.TOMLDecodeError``) for text that is not TOML."""
    with open(path, "rb") as fh:
        raw = fh.read()
    data = _compiled_data(path, raw)
    if data is not None:
        return data
    import tomllib

    return tomllib.loads(raw.decode("utf-8"))


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class RuleProblem:
    """One thing wrong in a rule file, printable as one line."""

    file: str
    rule_id: str
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.rule_id:
            where += f": {self.rule_id}"
        if self.key:
            where += f": {self.key}"
        return f"{where}: {self.message}"


class RuleFileError(Exception):
    """Raised with every problem found in a set of rule files."""

    def __init__(self, problems: list[RuleProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --------------------------------------------------------------------------- context


@dataclass(frozen=True)
class Document:
    """What a rule may know about the document besides its text."""

    path: str | None = None
    markdown: bool = False


MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")


def document_for(path: str | None) -> Document:
    markdown = bool(path) and str(path).lower().endswith(MARKDOWN_SUFFIXES)
    return Document(path=str(path) if path else None, markdown=markdown)


@dataclass
class Context:
    """Passed to every rule application: the document and a place for notes.

    A note is something a rule reports without changing the text (an ambiguous
    misspelling, a document kept whole on purpose).  ``offset`` is a character
    offset in the text the rule was given.  ``analysis`` is shared by every
    rule run on the document (see cleaner/analysis.py).
    """

    doc: Document
    rule_id: str = ""
    notes: list[tuple[str, int, str]] = field(default_factory=list)
    # The stage's settings from config ([tool.cleaner.<stage>]); files named by
    # keys ending in -file/-files arrive already read, as a tuple of lines.
    options: dict[str, Any] = field(default_factory=dict)
    analysis: DocumentAnalysis = field(default_factory=DocumentAnalysis)

    def note(self, offset: int, message: str) -> None:
        self.notes.append((self.rule_id, offset, message))


# An edit as a rule reports it: (offset in the rule's input, before, after).
# A rule's edits are sorted, do not overlap, and replaying them on the input
# gives the output exactly (the generic rule test checks this).
RawEdit = tuple[int, str, str]


def replay(text: str, edits: list[RawEdit]) -> str:
    """Apply raw edits to text; used by tests and by rules built from edits."""
    out = []
    pos = 0
    for offset, before, after in edits:
        out.append(text[pos:offset])
        out.append(after)
        pos = offset + len(before)
    out.append(text[pos:])
    return "".join(out)


# How far an edit reaches into its neighbours on each side, for --explain.
_REACH = 20


def edits_in_context(text: str, spans: list[tuple[int, int, str]]) -> list[RawEdit]:
    """Edits for replacements (start, end, new), each widened to the word it sits in.

    A bare ``'\\x07' -> ''`` tells a reader nothing; ``'be\\x07ll' -> 'bell'``
    does.  Spans must be sorted and not overlap; widened spans that overlap are
    merged into one edit, so that edits never overlap.
    """
    groups: list[list[Any]] = []  # [left, right, spans]
    for start, end, new in spans:
        left = start
        while left > 0 and start - left < _REACH and not text[left - 1].isspace():
            left -= 1
        right = end
        while right < len(text) and right - end < _REACH and not text[right].isspace():
            right += 1
        if groups and left < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], right)
            groups[-1][2].append((start, end, new))
        else:
            groups.append([left, right, [(start, end, new)]])
    edits: list[RawEdit] = []
    for left, right, members in groups:
        out = []
        pos = left
        for start, end, new in members:
            out.append(text[pos:start])
            out.append(new)
            pos = end
        out.append(text[pos:right])
        edits.append((left, text[left:right], "".join(out)))
    return edits


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Example:
    input: str
    output: str
    path: str | None = None


@dataclass(eq=False)
class Rule:
    id: str
    kind: str
    description: str
    enabled: bool
    examples: tuple[Example, ...]
    unchanged: tuple[Example, ...]
    source: str

    @property
    def stage(self) -> str:
        return self.id.split(".", 1)[0]

    def apply(self, text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
        raise NotImplementedError

    def run(self, text: str, path: str | None = None) -> str:
        """Apply this rule alone to text (what the rule examples are checked with)."""
        return self.apply(text, Context(document_for(path), self.id))[0]


@dataclass(eq=False)
class RegexRule(Rule):
    """A regex replacement.  ``prefilter``: substrings one of which must occur
    for the pattern to match; ``in`` is far faster than a regex scan that finds
    nothing, which is what most rules do on most documents."""

    regex: re.Pattern[str] = None  # type: ignore[assignment]
    replace: str = ""
    prefilter: tuple[str, ...] = ()

    def apply(self, text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
        if self.prefilter and not any(s in text for s in self.prefilter):
            return text, []
        if self.regex.search(text) is None:
            return text, []
        edits: list[RawEdit] = []
        template = self.replace
        # A template without group references is its own expansion (m.expand
        # parses the template again for every match: 4 us each).
        literal = "\\" not in template

        def substitute(m: re.Match[str]) -> str:
            new = template if literal else m.expand(template)
            old = m.group(0)
            if new != old:
                edits.append((m.start(), old, new))
            return new

        out = self.regex.sub(substitute, text)
        return out, edits


@dataclass(eq=False)
class LiteralRule(Rule):
    mapping: dict[str, str] = field(default_factory=dict)
    regex: re.Pattern[str] = None  # type: ignore[assignment]

    def apply(self, text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
        if self.regex.search(text) is None:
            return text, []
        edits: list[RawEdit] = []
        mapping = self.mapping

        def substitute(m: re.Match[str]) -> str:
            old = m.group(0)
            new = mapping[old]
            edits.append((m.start(), old, new))
            return new

        return self.regex.sub(substitute, text), edits


def normalise_line(line: str) -> str:
    """The form line rules match against: trimmed, single-spaced, casefolded."""
    return " ".join(line.split()).casefold()


def drop_lines(text: str, drop: set[int], blank: Sequence[bool] | None = None) -> tuple[str, list[RawEdit]]:
    """Remove whole lines by index, and the blank lines their removal leaves over.

    The whitespace stage has already run when lines are dropped, so a dropping
    rule tidies up after itself: a blank line that the removal leaves at the
    start, at the end, or right after another blank line goes too.

    ``blank[i]`` tells whether line i is blank (``not line.strip()``), for a
    caller that knows already (a list, or any object indexed by line number).
    Only the runs of dropped lines and the blank lines around them are
    visited, so a long text loses a few lines cheaply.
    """
    new_text, edits, _ = drop_line_runs(text, drop, blank)
    return new_text, edits


def drop_line_runs(text: str, drop: set[int], blank: Sequence[bool] | None = None,
                   lines: Sequence[str] | None = None) -> tuple[str, list[RawEdit], list[tuple[int, int]]]:
    """``drop_lines``, also giving the removed runs of lines as ``(first, end)`` ranges.

    For a caller that keeps per-line data in step with the text; ``lines`` is
    ``text.split("\\n")`` when the caller has it already.
    """
    if not drop:
        return text, [], []
    if lines is None:
        lines = text.split("\n")
    n_real = len(lines) - 1 if text.endswith("\n") else len(lines)
    if blank is None:
        def is_blank(i: int) -> bool:
            return not lines[i].strip()
    else:
        is_blank = blank.__getitem__
    order = sorted(drop)
    while order and order[-1] >= n_real:
        order.pop()
    if order and order[0] < 0:
        order = [i for i in order if i >= 0]
    if not order:
        return text, [], []
    # order[x] - x is the same along a run of consecutive lines and grows
    # between runs: a run's end is one bisection away.
    shifts = list(map(sub, order, range(len(order))))
    # After a run, the blank lines that follow go while the last kept line is
    # blank (or none is kept); at the end of the text, the blank lines kept
    # before the last run go too.
    gone: list[int] = []
    n_order = len(order)
    k = 0
    pos = 0  # lines before pos are decided
    last_blank = True
    at_end = False
    run_start = 0
    while k < n_order:
        a = order[k]
        if a > pos:
            last_blank = is_blank(a - 1)
        run_start = a
        while True:
            end = bisect_right(shifts, shifts[k], k)
            j = order[end - 1] + 1
            gone.extend(range(order[k], j))
            k = end
            if last_blank:
                while j < n_real and is_blank(j) and not (k < n_order and order[k] == j):
                    gone.append(j)
                    j += 1
                if k < n_order and order[k] == j:
                    continue
            break
        pos = j
        at_end = j >= n_real
    if at_end:
        gone_set = set(gone)
        idx = run_start - 1
        tail: list[int] = []
        while idx >= 0:
            if idx in gone_set:
                idx -= 1
                continue
            if not is_blank(idx):
                break
            tail.append(idx)
            idx -= 1
        if tail:
            gone = sorted(gone_set.union(tail))
    # One edit per run of removed lines; the kept text between runs is copied.
    # Where each run starts and ends is counted on from the end of the one
    # before (its lines' lengths, summed in C): no offset list of every line.
    edits: list[RawEdit] = []
    runs: list[tuple[int, int]] = []
    out: list[str] = []
    pos = 0  # first text offset not yet copied
    n_gone = len(gone)
    gone_shifts = list(map(sub, gone, range(n_gone)))
    g = 0
    size = len(text)
    line, offset = 0, 0  # a line, and where it starts
    while g < n_gone:
        i = gone[g]
        g = bisect_right(gone_shifts, gone_shifts[g], g)
        j = gone[g - 1]
        a = offset + sum(map(len, lines[line:i])) + (i - line)
        line, offset = j + 1, a + sum(map(len, lines[i:j + 1])) + (j + 1 - i)
        b = min(offset, size)
        edits.append((a, text[a:b], ""))
        runs.append((i, j + 1))
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    return "".join(out), edits, runs


@dataclass(eq=False)
class LineDropRule(Rule):
    lines: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern[str], ...] = ()
    where: str = "anywhere"

    def matches(self, line: str) -> bool:
        norm = normalise_line(line)
        if not norm:
            return False
        return norm in self.lines or any(p.fullmatch(norm) for p in self.patterns)

    def apply(self, text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
        lines = text.split("\n")
        if self.where == "anywhere":
            drop = {i for i, line in enumerate(lines) if self.matches(line)}
        else:
            drop = set()
            if self.where in ("top", "edges"):
                drop |= self._edge_run(lines, range(len(lines)))
            if self.where in ("bottom", "edges"):
                drop |= self._edge_run(lines, range(len(lines) - 1, -1, -1))
        return drop_lines(text, drop)

    def _edge_run(self, lines: list[str], order: range) -> set[int]:
        run: set[int] = set()
        for i in order:
            if not lines[i].strip():
                continue
            if not self.matches(lines[i]):
                break
            run.add(i)
        return run


@dataclass(eq=False)
class BlockDropRule(Rule):
    """A block from a start line, through allowed body lines, to an end line.

    With ``end`` patterns the block is dropped only when an end line is reached
    within ``max_lines``; without them it runs while lines match ``body``.
    Blank lines are always allowed inside a block.
    """

    start: tuple[re.Pattern[str], ...] = ()
    body: tuple[re.Pattern[str], ...] = ()
    end: tuple[re.Pattern[str], ...] = ()
    max_lines: int = 60
    min_lines: int = 1

    def apply(self, text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
        lines = text.split("\n")
        norms = [normalise_line(line) for line in lines]
        drop: set[int] = set()
        i = 0
        n = len(lines)
        while i < n:
            if norms[i] and any(p.fullmatch(norms[i]) for p in self.start):
                stop = self._block_end(norms, i)
                if stop is not None and stop - i >= self.min_lines:
                    drop.update(range(i, stop))
                    i = stop
                    continue
            i += 1
        return drop_lines(text, drop)

    def _block_end(self, norms: list[str], start: int) -> int | None:
        limit = min(len(norms), start + self.max_lines)
        last_content = start
        for j in range(start + 1, limit):
            norm = norms[j]
            if not norm:
                continue
            if self.end and any(p.fullmatch(norm) for p in self.end):
                return j + 1
            if any(p.fullmatch(norm) for p in self.body):
                last_content = j
                continue
            break
        if self.end:
            return None
        return last_content + 1


_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def match_case(word: str, replacement: str) -> str | None:
    """Give replacement the case pattern of word; None when the pattern is mixed."""
    if word.islower():
        return replacement
    if word.isupper() and len(word) > 1:
        return replacement.upper()
    if word[0].isupper() and word[1:].islower():
        return replacement[0].upper() + replacement[1:]
    return None


@dataclass(eq=False)
class WordTableRule(Rule):
    """Whole-word, case-keeping replacements from a CSV table.

    Rows are ``typo,correction[,correction...]``.  A row with several
    corrections is ambiguous: it is reported as a note and never applied.
    """

    table: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def apply(self, text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
        edits: list[RawEdit] = []
        table, ambiguous = self.table, self.ambiguous
        for m in _WORD_RE.finditer(text):
            word = m.group(0)
            key = word.lower()
            fix = table.get(key)
            if fix is None:
                if key in ambiguous:
                    ctx.note(m.start(), f"{word!r} is ambiguous: {' or '.join(ambiguous[key])}")
                continue
            new = match_case(word, fix)
            if new is not None and new != word:
                edits.append((m.start(), word, new))
        if not edits:
            return text, []
        return replay(text, edits), edits


Fixer = Callable[..., tuple[str, list[RawEdit]]]


def takes_settings(settings_type: Any) -> Callable[[Fixer], Fixer]:
    """Mark a fixer as taking one settings object, ``settings_type.from_options(options)``,
    built once when its rule is loaded, instead of the rule's options as keywords."""

    def mark(fixer: Fixer) -> Fixer:
        fixer.settings_type = settings_type  # type: ignore[attr-defined]
        return fixer

    return mark


@dataclass(eq=False)
class BuiltinRule(Rule):
    """A rule whose edit needs code: ``function(text, ctx, **options)``, or
    ``function(text, ctx, settings)`` for a fixer marked with ``takes_settings``."""

    function: Fixer = None  # type: ignore[assignment]
    options: dict[str, Any] = field(default_factory=dict)
    # The settings built from ``options`` (kept with the dict they came from:
    # a caller may give the rule other options).
    _built: tuple[dict[str, Any], Any] | None = field(default=None, repr=False)

    @property
    def settings(self) -> Any:
        """``settings_type.from_options(options)`` for a fixer that takes settings, else None."""
        settings_type = getattr(self.function, "settings_type", None)
        if settings_type is None:
            return None
        if self._built is None or self._built[0] is not self.options:
            self._built = (self.options, settings_type.from_options(self.options))
        return self._built[1]

    def apply(self, text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
        settings = self.settings
        if settings is not None:
            return self.function(text, ctx, settings)
        return self.function(text, ctx, **self.options)


def option_problems(function: Fixer, options: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, message) for each option a fixer taking keywords does not know or
    needs and is not given: a rule's options have their one home in its rule
    file, so the fixer declares no defaults to fall back on."""
    parameters = list(inspect.signature(function).parameters.values())[2:]  # after (text, ctx)
    named = {p.name: p for p in parameters if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    problems = []
    if not any(p.kind is p.VAR_KEYWORD for p in parameters):
        problems += [(f"options.{key}", f"unknown option (known: {', '.join(named) or 'none'})")
                     for key in options if key not in named]
    problems += [(f"options.{name}", "missing option") for name, p in named.items()
                 if p.default is p.empty and name not in options]
    return problems


def fixer_registry(stage: str) -> dict[str, Fixer]:
    """The built-in fixers of a stage: ``cleaner.stages.<stage>.FIXERS``."""
    module = importlib.import_module(f"cleaner.stages.{stage}")
    return getattr(module, "FIXERS", {})


# --------------------------------------------------------------------------- loading


class _Collector:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[RuleProblem] = []

    def add(self, rule_id: str, key: str, message: str) -> None:
        self.problems.append(RuleProblem(self.file, rule_id, key, message))


def _compile(pattern: Any, flags: int, col: _Collector, rid: str, key: str) -> re.Pattern[str] | None:
    if not isinstance(pattern, str):
        col.add(rid, key, f"expected a string pattern, got {type(pattern).__name__}")
        return None
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        col.add(rid, key, f"bad regex {pattern!r}: {exc}")
        return None


def _compile_list(values: Any, col: _Collector, rid: str, key: str) -> tuple[re.Pattern[str], ...]:
    if values is None:
        return ()
    out = []
    for value in values:
        compiled = _compile(value, 0, col, rid, key)
        if compiled is not None:
            out.append(compiled)
    return tuple(out)


def _examples(raw: dict[str, Any], col: _Collector, rid: str) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    changed: list[Example] = []
    same: list[Example] = []
    examples = raw.get("examples", [])
    if not isinstance(examples, list):
        col.add(rid, "examples", "expected a list of {input, output} tables")
        examples = []
    for n, ex in enumerate(examples):
        if (
            not isinstance(ex, dict)
            or set(ex) - {"input", "output", "path"}
            or not isinstance(ex.get("input"), str)
            or not isinstance(ex.get("output"), str)
        ):
            col.add(rid, f"examples[{n}]", "expected a table with string 'input' and 'output' (and optional 'path')")
            continue
        if ex["input"] == ex["output"]:
            col.add(rid, f"examples[{n}]", "input equals output: put it under 'unchanged'")
            continue
        changed.append(Example(ex["input"], ex["output"], ex.get("path")))
    unchanged = raw.get("unchanged", [])
    if not isinstance(unchanged, list):
        col.add(rid, "unchanged", "expected a list of strings")
        unchanged = []
    for n, ex in enumerate(unchanged):
        if isinstance(ex, str):
            same.append(Example(ex, ex))
        elif isinstance(ex, dict) and isinstance(ex.get("input"), str) and not set(ex) - {"input", "path"}:
            same.append(Example(ex["input"], ex["input"], ex.get("path")))
        else:
            col.add(rid, f"unchanged[{n}]", "expected a string or a table {input, path}")
    if not changed:
        col.add(rid, "examples", "a rule needs at least one example input with its output")
    return tuple(changed), tuple(same)


def _build_rule(raw: Any, index: int, path: Path, col: _Collector) -> Rule | None:
    if not isinstance(raw, dict):
        col.add(f"rule[{index}]", "", "expected a table")
        return None
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID_RE.match(rid):
        col.add(str(rid) if rid else f"rule[{index}]", "id", "expected 'stage.name' in lowercase, e.g. 'whitespace.trailing'")
        return None
    stage = rid.split(".", 1)[0]
    if stage not in STAGES:
        col.add(rid, "id", f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
        return None
    before = len(col.problems)
    kind = raw.get("kind")
    if kind not in KINDS:
        col.add(rid, "kind", f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
        return None
    allowed = _COMMON_KEYS | set(_KIND_KEYS[kind])
    for key in raw:
        if key not in allowed:
            col.add(rid, key, f"unknown key for kind {kind!r}{did_you_mean(key, allowed)}")
    for key, (required, typ) in _KIND_KEYS[kind].items():
        if key not in raw:
            if required:
                col.add(rid, key, "missing required key")
        elif not isinstance(raw[key], typ) or (typ is int and isinstance(raw[key], bool)):
            col.add(rid, key, f"expected {getattr(typ, '__name__', typ)}, got {type(raw[key]).__name__}")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        col.add(rid, "description", "missing description")
        description = ""
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        col.add(rid, "enabled", "expected true or false")
        enabled = True
    examples, unchanged = _examples(raw, col, rid)
    common = dict(
        id=rid, kind=kind, description=description, enabled=enabled,
        examples=examples, unchanged=unchanged, source=str(path),
    )
    rule: Rule | None = None
    if kind == "regex":
        flags = 0
        for name in raw.get("flags", []) if isinstance(raw.get("flags"), list) else []:
            if name not in _FLAG_NAMES:
                col.add(rid, "flags", f"unknown flag {name!r}; flags are {', '.join(_FLAG_NAMES)}")
            else:
                flags |= _FLAG_NAMES[name]
        regex = _compile(raw.get("pattern"), flags, col, rid, "pattern")
        replace = raw.get("replace")
        if regex is not None and isinstance(replace, str):
            problem = _template_problem(regex, replace)
            if problem:
                col.add(rid, "replace", f"bad replacement {replace!r}: {problem}")
            prefilter = raw.get("prefilter", [])
            if not isinstance(prefilter, list):
                prefilter = []  # already reported by the key type check
            elif not all(isinstance(x, str) and x for x in prefilter):
                col.add(rid, "prefilter", "expected a list of non-empty strings")
                prefilter = []
            rule = RegexRule(**common, regex=regex, replace=replace, prefilter=tuple(prefilter))
    elif kind == "literal":
        mapping = raw.get("map")
        if isinstance(mapping, dict):
            if not mapping or not all(isinstance(k, str) and k and isinstance(v, str) for k, v in mapping.items()):
                col.add(rid, "map", "expected a non-empty table of non-empty strings to strings")
            else:
                keys = sorted(mapping, key=len, reverse=True)
                regex = re.compile("|".join(re.escape(k) for k in keys))
                rule = LiteralRule(**common, mapping=dict(mapping), regex=regex)
    elif kind == "line_drop":
        lines = raw.get("lines", [])
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            col.add(rid, "lines", "expected a list of strings")
            lines = []
        patterns = _compile_list(raw.get("patterns") if isinstance(raw.get("patterns"), list) else None, col, rid, "patterns")
        if not lines and not raw.get("patterns"):
            col.add(rid, "lines", "a line_drop rule needs 'lines' or 'patterns'")
        where = raw.get("where", "anywhere")
        if where not in _WHERE:
            col.add(rid, "where", f"expected one of {', '.join(_WHERE)}")
            where = "anywhere"
        rule = LineDropRule(
            **common, lines=frozenset(normalise_line(x) for x in lines), patterns=patterns, where=where
        )
    elif kind == "block_drop":
        def plist(key: str) -> tuple[re.Pattern[str], ...]:
            value = raw.get(key)
            return _compile_list(value if isinstance(value, list) else None, col, rid, key)

        start, body, end = plist("start"), plist("body"), plist("end")
        rule = BlockDropRule(
            **common, start=start, body=body, end=end,
            max_lines=raw.get("max_lines", 60) if isinstance(raw.get("max_lines", 60), int) else 60,
            min_lines=raw.get("min_lines", 1) if isinstance(raw.get("min_lines", 1), int) else 1,
        )
    elif kind == "word_table":
        table_name = raw.get("table")
        if isinstance(table_name, str):
            table_path = (path.parent / table_name)
            loaded = _load_word_table(table_path, col, rid)
            if loaded is not None:
                table, ambiguous = loaded
                rule = WordTableRule(**common, table=table, ambiguous=ambiguous)
    elif kind == "builtin":
        name = raw.get("function", rid)
        options = raw.get("options", {})
        try:
            registry = fixer_registry(stage)
        except ImportError as exc:
            col.add(rid, "function", f"cannot load stage {stage!r}: {exc}")
            registry = {}
        function = registry.get(name) if isinstance(name, str) else None
        if function is None:
            known = ", ".join(sorted(registry)) or "none"
            col.add(rid, "function", f"no built-in fixer {name!r} in stage {stage!r} (known: {known})")
        elif isinstance(options, dict):
            rule = BuiltinRule(**common, function=function, options=dict(options))
            if getattr(function, "settings_type", None) is None:
                for key, message in option_problems(function, options):
                    col.add(rid, key, message)
            else:
                try:
                    rule.settings  # built now, so that a bad option is reported with its file
                except (TypeError, ValueError) as exc:
                    col.add(rid, "options", str(exc))
    if len(col.problems) > before:
        return None
    return rule


def _template_problem(regex: re.Pattern[str], replace: str) -> str | None:
    """Check a replacement template now, not on the first match in a user's file."""
    names = {index: name for name, index in regex.groupindex.items()}
    groups = "".join(f"(?P<{names[i]}>)" if i in names else "()" for i in range(1, regex.groups + 1))
    try:
        re.compile(groups).match("").expand(replace)  # type: ignore[union-attr]
    except (re.error, IndexError) as exc:
        return str(exc)
    return None


@lru_cache(maxsize=64)
def _read_word_table(table_path: Path) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    import csv

    table: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    with open(table_path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if not row or row[0].startswith("#"):
                continue
            typo = row[0].strip().lower()
            fixes = tuple(x.strip() for x in row[1:] if x.strip())
            if not typo or not fixes:
                raise ValueError(f"row {row!r} needs a word and at least one correction")
            if len(fixes) == 1:
                table[typo] = fixes[0]
            else:
                ambiguous[typo] = fixes
    return table, ambiguous


def _load_word_table(table_path: Path, col: _Collector, rid: str):
    import csv  # no built-in rule is a word table: only users' files pay for it

    try:
        return _read_word_table(table_path.resolve())
    except OSError as exc:
        col.add(rid, "table", f"cannot read {table_path}: {exc.strerror or exc}")
    except (ValueError, csv.Error, UnicodeDecodeError) as exc:
        col.add(rid, "table", f"bad table {table_path}: {exc}")
    return None


def load_rule_file(path: str | Path) -> tuple[list[Rule], list[RuleProblem]]:
    """Load one rule file; return its valid rules and every problem found."""
    path = Path(path)
    col = _Collector(str(path))
    try:
        data = read_toml(path)
    except OSError as exc:
        col.add("", "", f"cannot read: {exc.strerror or exc}")
        return [], col.problems
    except UnicodeDecodeError as exc:
        col.add("", "", not_utf8(exc))
        return [], col.problems
    except ValueError as exc:
        col.add("", "", f"not valid TOML: {exc}")
        return [], col.problems
    for key in data:
        if key != "rule":
            col.add("", key, "unknown top-level key (rules go in [[rule]] tables)")
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        col.add("", "rule", "expected [[rule]] tables")
        raw_rules = []
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules):
        rule = _build_rule(raw, index, path, col)
        rid = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(rid, str):
            if rid in seen:
                col.add(rid, "id", "duplicate rule id")
                continue
            seen.add(rid)
        if rule is not None:
            rules.append(rule)
    return rules, col.problems


@dataclass(frozen=True)
class RuleSet:
    """All rules in running order: by stage, then file order."""

    rules: tuple[Rule, ...]

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}


@lru_cache(maxsize=16)
def load_ruleset(extra_files: tuple[str, ...] = ()) -> RuleSet:
    """Built-in rule files plus users' files; raise RuleFileError listing every problem."""
    files = sorted(builtin_rules_dir().glob("*.toml"))
    if not files:  # a broken install must not pass for a clean run
        raise RuleFileError([RuleProblem(str(builtin_rules_dir()), "", "", "no built-in rule files found")])
    files += [Path(p) for p in extra_files]
    problems: list[RuleProblem] = []
    rules: list[Rule] = []
    owner: dict[str, str] = {}
    for file in files:
        loaded, found = load_rule_file(file)
        problems += found
        for rule in loaded:
            if rule.id in owner:
                problems.append(RuleProblem(str(file), rule.id, "id", f"duplicate rule id (also in {owner[rule.id]})"))
                continue
            owner[rule.id] = str(file)
            rules.append(rule)
    if problems:
        raise RuleFileError(problems)
    order = {stage: n for n, stage in enumerate(STAGES)}
    rules.sort(key=lambda r: order[r.stage])  # stable: file order within a stage
    return RuleSet(tuple(rules))


def check_examples(rule: Rule) -> list[str]:
    """Run a rule's own examples; return a message for each that fails."""
    failures = []
    for ex in rule.examples + rule.unchanged:
        ctx = Context(document_for(ex.path), rule.id)
        try:
            got, edits = rule.apply(ex.input, ctx)
        except Exception as exc:  # a broken rule must not stop the check
            failures.append(f"{ex.input!r}: raised {type(exc).__name__}: {exc}")
            continue
        if got != ex.output:
            failures.append(f"{ex.input!r}: expected {ex.output!r}, got {got!r}")
            continue
        if replay(ex.input, edits) != got:
            failures.append(f"{ex.input!r}: the reported edits do not reproduce the output")
        again = rule.apply(got, Context(document_for(ex.path), rule.id))[0]
        if again != got:
            failures.append(f"{ex.input!r}: a second pass changed {got!r} to {again!r}")
    return failures


def line_of(newlines: list[int], offset: int) -> int:
    """0-based line index of a character offset, given the offsets of '\\n'."""
    return bisect_left(newlines, offset)

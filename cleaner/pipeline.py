"""Run the rules in stage order over one document and collect what changed.

Rules report edits as offsets into the text they were given.  The pipeline
turns those into line numbers of the *original* document, by keeping a map
from each current line to the input line it came from, so that ``--explain``
points at lines the user can find in the file they have.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .analysis import DocumentAnalysis
from .config import Config
from .markdown import CODE_BLOCKS, CODE_SPANS, edits_outside_code
from .rules import STAGES, Context, Rule, RuleSet, document_for, load_ruleset, replay
from .suggest import did_you_mean


# Stages whose rules run again on a text they changed, and how many times at most.
REPASS_STAGES = frozenset({"encoding", "whitespace", "spacing"})
REPASSES = 2


class SelectionError(ValueError):
    """--select or --ignore named a rule or stage that does not exist."""


class UnsafeEdit(Exception):
    """Safe mode: a rule's output is not what its recorded edits make (a bug)."""


@dataclass(frozen=True)
class Edit:
    rule: str
    line: int  # 1-based line in the input document
    before: str
    after: str
    # 1-based column of the edit in its line of the text the rule saw (for
    # --explain); outside comparisons and repr, so edit lists compare as before.
    column: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Note:
    rule: str
    line: int
    message: str


@dataclass
class Result:
    """What clean_text returns: the text, every edit, per-rule counts, notes."""

    text: str
    original: str
    edits: list[Edit] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    notes: list[Note] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


def _matches(selector: str, rule: Rule) -> bool:
    return selector == rule.id or selector == rule.stage


def select_rules(ruleset: RuleSet, config: Config) -> tuple[Rule, ...]:
    """Rules to run: select (ids or stages) minus ignore, in running order.

    Naming a rule by its id runs it even when it is off by default; naming a
    stage runs that stage's rules that are on by default.
    """
    known = {r.id for r in ruleset.rules} | set(STAGES)
    for selector in (config.select or ()) + config.ignore:
        if selector not in known:
            hint = did_you_mean(selector, known)
            raise SelectionError(f"unknown rule or stage {selector!r}{hint} (see 'cleaner rules')")
    chosen = []
    for rule in ruleset.rules:
        if config.select is None:
            on = rule.enabled
        else:
            on = any(s == rule.id or (s == rule.stage and rule.enabled) for s in config.select)
        if on and not any(_matches(s, rule) for s in config.ignore):
            chosen.append(rule)
    return tuple(chosen)


@lru_cache(maxsize=64)
def active_rules(config: Config) -> tuple[Rule, ...]:
    """The rules a config runs, in running order (loaded and selected once per config)."""
    return select_rules(load_ruleset(config.extend_rules), config)


@lru_cache(maxsize=64)
def _stage_options(config: Config) -> dict[str, dict]:
    return {stage: config.options_for(stage) for stage in STAGES}


def build_lookup_tables(config: Config | None = None) -> None:
    """Build now the lookup tables that a long run builds after its first few
    thousand lookups (the language profiles' lines, and what a stage's
    ``build_lookup_tables`` builds: the spelling lexicon's sets), before a run
    with much to clean starts (a pool's before its workers fork, so that each
    has them instead of building its own); a short run (one file) never calls
    it: looking words up in the compiled files by bisection is cheaper for it."""
    import importlib

    from .language import build_lookup_tables as language_tables

    language_tables()
    for stage in sorted({rule.stage for rule in active_rules(config or Config())}):
        build = getattr(importlib.import_module(f"cleaner.stages.{stage}"), "build_lookup_tables", None)
        if build is not None:
            build()


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF: every stage splits lines on '\\n' only."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def clean_text(text: str, config: Config | None = None, *, path: str | None = None, safe: bool = True) -> Result:
    """Clean one document.  ``path`` (optional) tells Markdown from plain text.

    Safe mode (``safe``, the default) checks, rule by rule, that the edits a
    rule recorded, applied to the text it was given, give exactly the text it
    returned: so every change in the output, every removed line included, is
    in the edit log under a rule id.  Otherwise UnsafeEdit is raised, and the
    caller leaves the document as it was.
    """
    path = _check_arguments(text, config, path)
    config = config or Config()
    rules = active_rules(config)
    original = text
    text = normalise_newlines(text)
    doc = document_for(path)
    result = Result(text=text, original=original)
    raw_notes: list[tuple[str, int, str]] = []
    # origin[i] = input line index of current line i; None while lines are unmoved.
    origin: list[int] | None = None  # newline normalisation keeps lines where they were
    options = _stage_options(config)
    analysis = DocumentAnalysis()  # one per document, shared by its rules
    # Whether the current text holds no code fence (``` or ~~~); None: not
    # looked at yet.  Known once, it is carried over an edit by looking only
    # around the edit's changes (a fence can only appear there).
    fence_free: bool | None = None
    # A fixed point: one rule can make what an earlier one fixes (a line break
    # removed brings quotes together, a control character removed completes a
    # mojibake sequence).  When a pass changed the text, the character-level
    # stages run again on it, at most REPASSES times, so that cleaning a
    # clean text changes nothing.
    passes = [rules] + [tuple(r for r in rules if r.stage in REPASS_STAGES)] * REPASSES
    for number, pass_rules in enumerate(passes):
        start = text
        for rule in pass_rules:
            ctx = Context(doc, rule.id, [], options[rule.stage], analysis)
            new, edits = rule.apply(text, ctx)
            if edits and fence_free is None and not doc.markdown:
                fence_free = "```" not in text and "~~~" not in text
            if edits and (doc.markdown or not fence_free):
                # Markdown code passes through every stage unchanged.
                code = analysis.fact(CODE_SPANS if doc.markdown else CODE_BLOCKS, text)
                if code:
                    kept = edits_outside_code(code, edits)
                    if kept != edits:
                        edits = kept
                        new = replay(text, edits)
            if not edits and not ctx.notes:
                if safe and new != text:
                    raise UnsafeEdit(f"safe mode: {rule.id} changed the text without recording an edit; left as it was")
                continue
            if safe and not _replays(text, new, edits):
                raise UnsafeEdit(f"safe mode: the edits {rule.id} recorded do not reproduce its output; left as it was")
            # Line numbers by counting line breaks between the sorted offsets (in C),
            # not by listing every line break: a long document changed by many rules
            # paid a Python-level pass over its lines per rule.
            ats = [_report_at(offset, before, after) for offset, before, after in edits]
            index_of, line_starts = _line_positions(text, ats + [offset for _, offset, _ in ctx.notes])

            def input_line(index: int) -> int:
                return (origin[index] if origin is not None else index) + 1

            n = len(edits)
            notes = [(rid, input_line(index_of[n + i]), message) for i, (rid, _, message) in enumerate(ctx.notes)]
            raw_notes += notes if not number else [note for note in notes if note not in raw_notes]
            if not edits:
                continue
            moved = False
            for i, (offset, before, after) in enumerate(edits):
                column = ats[i] - line_starts[i] + 1
                result.edits.append(Edit(rule.id, input_line(index_of[i]), before, after, column))
                if not moved and before.count("\n") != after.count("\n"):
                    moved = True
            result.counts[rule.id] += len(edits)
            if moved:
                first_lines = _line_indexes(text, [offset for offset, _, _ in edits])
                origin = _shift_origin(origin, text.count("\n") + 1, first_lines, edits)
            # (Checked in safe mode only: there the edits are known to make ``new``.)
            fence_free = _fences_not_made(new, edits) if fence_free and safe else None
            text = new
        if text == start:
            break
    result.text = text
    result.notes = [Note(*n) for n in raw_notes]
    return result


def _check_arguments(text: object, config: object, path: object) -> str | None:
    """A library caller's mistake is a TypeError saying what was expected; returns path as str."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError(
            "clean_text wants str, not bytes: decode first, e.g. cleaner.files.decode(data).text "
            "(it detects the encoding as the command line does)"
        )
    if not isinstance(text, str):
        raise TypeError(f"clean_text wants the text as str, not {type(text).__name__}")
    if config is not None and not isinstance(config, Config):
        raise TypeError(f"clean_text wants a cleaner.Config as config, not {type(config).__name__}")
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if path is not None and not isinstance(path, str):
        raise TypeError(f"clean_text wants path as str or None, not {type(path).__name__}")
    return path


def _report_at(offset: int, before: str, after: str) -> int:
    """Where an edit is reported: a removed run that begins with the blank line
    before it is reported at its first line with content, where a reader looks."""
    if not after and before.startswith("\n") and before.strip("\n"):
        return offset + len(before) - len(before.lstrip("\n"))
    return offset


def _line_indexes(text: str, offsets: list[int]) -> list[int]:
    """The 0-based line index of each offset (in any order)."""
    return _line_positions(text, offsets)[0]


def _line_positions(text: str, offsets: list[int]) -> tuple[list[int], list[int]]:
    """The 0-based line index of each offset (in any order), and where its
    line starts.  One walk over the sorted offsets: looking back from each
    offset to its line's start would be quadratic on one long line."""
    lines = [0] * len(offsets)
    starts = [0] * len(offsets)
    line = prev = start = 0
    count, rfind = text.count, text.rfind
    for i in sorted(range(len(offsets)), key=offsets.__getitem__):
        offset = offsets[i]
        breaks = count("\n", prev, offset)
        if breaks:
            line += breaks
            start = rfind("\n", prev, offset) + 1
        prev = offset
        lines[i] = line
        starts[i] = start
    return lines, starts


def _shift_origin(origin: list[int] | None, nlines: int, first_lines: list[int], edits) -> list[int]:
    """Line map after edits that add or remove line breaks (see module docstring);
    ``first_lines[i]`` is the line index where edit i starts."""
    old = origin if origin is not None else list(range(nlines))
    new: list[int] = []
    next_line = 0
    for (offset, before, after), first in zip(edits, first_lines):
        kb, ka = before.count("\n"), after.count("\n")
        if kb == 0 and ka == 0:
            continue
        new.extend(old[next_line:first])
        for i in range(ka):
            new.append(old[min(first + i, first + kb)])
        next_line = first + kb
    new.extend(old[next_line:])
    return new


def _fences_not_made(new: str, edits) -> bool:
    """Whether edits applied to a text without code fences left none in ``new``:
    a fence that was not in the text overlaps an edit's new text, or the place
    where removed text was joined, so only the few characters around each are read."""
    delta = 0
    for offset, before, after in sorted(edits, key=_offset_of):
        at = offset + delta
        around = new[max(0, at - 2):at + len(after) + 2]
        if "```" in around or "~~~" in around:
            return False
        delta += len(after) - len(before)
    return True


def _offset_of(edit) -> int:
    return edit[0]


def _replays(text: str, new: str, edits) -> bool:
    """Do the edits (offset, before, after), applied to text, give new exactly?"""
    parts = []
    at = 0
    for offset, before, after in sorted(edits, key=lambda e: e[0]):
        if offset < at or not text.startswith(before, offset):
            return False
        parts.append(text[at:offset])
        parts.append(after)
        at = offset + len(before)
    parts.append(text[at:])
    return "".join(parts) == new

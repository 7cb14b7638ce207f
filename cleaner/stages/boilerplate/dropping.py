"""Boilerplate: removing lines, with the stage's safety check, and running a rule to its fixed point.

Removing a paragraph of the article is the one mistake users do not forgive,
so every structural rule drops lines through ``guarded_drop``: when the lines
would take most of the document's prose, nothing goes and a note says why.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import wraps
from itertools import accumulate, chain, compress, filterfalse, repeat
from operator import itemgetter, sub

from ...analysis import DocumentAnalysis
from ...rules import Context, RawEdit, drop_line_runs, replay
from .lines import (
    BLANK, BLANK_INFO, LineAnalysis, LineInfo, analyse, nav_counts, recent_analysis, remember_analysis,
)

_get_first, _get_end = itemgetter(0), itemgetter(1)


class _Blank:
    """Whether line i is blank, read from the line classes as ``drop_line_runs`` asks."""

    __slots__ = ("infos",)

    def __init__(self, infos):
        self.infos = infos

    def __getitem__(self, i: int) -> bool:
        return self.infos[i][0] == BLANK


def drop_analysed(text: str, analysis: LineAnalysis, drop: set[int], shared: DocumentAnalysis) -> tuple[str, list[RawEdit]]:
    """``drop_lines`` (told which lines are blank), recording the analysis of its output.

    The output's analysis is recorded from the kept lines, so the next rule
    does not classify them again.
    """
    if not drop:
        return text, []
    lines, infos = analysis
    new_text, edits, runs = drop_line_runs(text, drop, _Blank(infos), lines)
    if not edits:
        return text, edits
    n_real = len(lines) - 1 if text.endswith("\n") else len(lines)
    # The runs of kept lines, between the removed ones.
    kept = list(map(slice, chain((0,), map(_get_end, runs)), chain(map(_get_first, runs), (n_real,))))
    # A text ending in a dropped line keeps the empty line after the last newline.
    # (Its line count is read from the removed text, not from the whole output.)
    new_lines = len(lines) - sum(map(str.count, map(itemgetter(1), edits), repeat("\n")))
    extra = new_lines != sum(len(range(n_real)[run]) for run in kept)

    def kept_of(column, blank):
        new = []
        for run in kept:
            new.extend(column[run])
        if extra:
            new.append(blank)
        return new

    new_analysis = LineAnalysis((tuple(kept_of(lines, "")), tuple(kept_of(infos, BLANK_INFO))))
    # The columns the rules have read so far carry over (slices copy in C).
    known = analysis.__dict__
    for name, blank in (("norms", ""), ("kinds", BLANK), ("words", 0)):
        if name in known:
            new_analysis.__dict__[name] = kept_of(known[name], blank)
    if "nav_counts" in known and 2 * (len(lines) - len(new_analysis[1])) < len(lines):
        # The evidence that this is a web page, less what the removed lines
        # held (when they are fewer than the kept ones, which the next rule
        # would count otherwise).
        nav, legal = known["nav_counts"]
        for first, end in runs:
            gone_nav, gone_legal = nav_counts(infos[first:end])
            nav, legal = nav - gone_nav, legal - gone_legal
        new_analysis.__dict__["nav_counts"] = (nav, legal)
    # The sorted distinct lines of the input, for the output's to be filtered
    # from if a later rule asks for them (most rules do not: filtering at each
    # removal would cost a pass over a long dump's lines for nothing).
    sorted_before = known.get("sorted_norms", known.get("sorted_before"))
    if sorted_before is not None:
        new_analysis.__dict__["sorted_before"] = sorted_before
    remember_analysis(new_text, new_analysis, shared)
    return new_text, edits



def guarded_drop(text: str, lines_: list[str], infos: list[LineInfo], drop: set[int], ctx: Context,
                  max_prose_share: float) -> tuple[str, list[RawEdit]]:
    """Drop lines, unless that would take most of the document's prose: then note it."""
    if not drop:
        return text, []
    analysis = analyse(text, ctx.analysis)
    weights = analysis.sentence_words
    total = sum(weights)
    removed = sum(map(weights.__getitem__, drop))
    if total and removed > max_prose_share * total:
        first = min(drop)
        offset = sum(len(x) + 1 for x in lines_[:first])
        ctx.note(offset, f"kept as it is: removing {len(drop)} lines would take "
                         f"{removed} of the document's {total} words of prose")
        return text, []
    return drop_analysed(text, analysis, drop, ctx.analysis)


def _gone_lines(text: str, edits: list[RawEdit]) -> list[int]:
    """Indices of the lines of ``text`` that whole-line removal edits take away."""
    gone: list[int] = []
    first = done = 0  # edits come in offset order: count newlines once
    for offset, before, _ in edits:
        first += text.count("\n", done, offset)
        done = offset
        count = before.count("\n") + (0 if before.endswith("\n") else 1)
        gone.extend(range(first, first + count))
    return gone


def _edits_for(text: str, gone: set[int], lines: tuple[str, ...] | None = None) -> list[RawEdit]:
    """Whole-line removal edits, one per run of consecutive removed lines.

    ``lines`` is ``text.split("\n")`` when the caller has it already.
    """
    # Line i starts at starts[i] + i (the newlines before it); a run of
    # consecutive lines keeps order[x] - x, so its end is one bisection away.
    starts = list(accumulate(map(len, text.split("\n") if lines is None else lines), initial=0))
    order = sorted(gone)
    shifts = list(map(sub, order, range(len(order))))
    size = len(text)
    edits: list[RawEdit] = []
    k = 0
    while k < len(order):
        end = bisect_right(shifts, shifts[k], k)
        first, last = order[k], order[end - 1]
        a, b = starts[first] + first, min(starts[last + 1] + last + 1, size)
        edits.append((a, text[a:b], ""))
        k = end
    return edits


def settled(fixer):
    """Run a fixer again on its own output until it has nothing left to remove.

    Removing a menu can bring two copies of a block together, or let a list
    reach the end of the page; a user who runs cleaner twice expects the second
    run to change nothing.  The edits are reported against the text given.
    """
    @wraps(fixer)
    def run(text: str, ctx: Context, **options) -> tuple[str, list[RawEdit]]:
        shared = ctx.analysis
        analysis = analyse(text, shared)  # held: the safety check below reads it again
        first = out, edits = fixer(text, ctx, **options)
        if not edits:
            return first
        # Held too: when the first round is what comes out, the next rule
        # reads its analysis.
        first_analysis = recent_analysis(out, shared)

        def keep_first():
            if first_analysis is not None:
                remember_analysis(first[0], first_analysis, shared)
            return first

        gone = set(_gone_lines(text, edits))
        alive = list(filterfalse(gone.__contains__, range(text.count("\n") + 1)))
        for _ in range(3):
            # Later rounds report nothing: their offsets are not the user's.
            again, more = fixer(out, Context(ctx.doc, ctx.rule_id, [], ctx.options, shared), **options)
            if not more:
                break
            newly = {alive[j] for j in _gone_lines(out, more)}
            gone |= newly
            alive = list(filterfalse(newly.__contains__, alive))
            out = again
        else:
            return keep_first()  # no fixed point in sight: keep the first round
        if out == first[0]:
            return keep_first()
        all_edits = _edits_for(text, gone, analysis[0])
        if replay(text, all_edits) != out:
            return keep_first()
        # The safety check again, on everything the rounds removed together.
        weights = analysis.sentence_words
        total = sum(weights)
        if total and sum(map(weights.__getitem__, gone)) > options["max_prose_share"] * total:
            return keep_first()
        return out, all_edits

    return run


"""Learn the spelling stage's error model (how people mistype) from a table of real slips.

    python bench/spelling_channel.py [/work/shared/spelling]           # writes rules/spelling/channel.tsv
    python bench/spelling_channel.py --check [/work/shared/spelling]   # both error models on held-out slips

The fuzzy lookup ranks candidates as a noisy channel: how common the word is,
times how likely the slip from it to the typed form is.  The second factor is
learned here, from the typos project's misspelling table (typos-words.csv,
crate-ci/typos, MIT; attribution in rules/spelling/typos-LICENSE-MIT), the same
source as the exact table.  The spelling dev set is never read: it is for
measuring only.

Each row with one correction is aligned to its correction by the fewest edits
(insertions, deletions, substitutions, swaps of two neighbours); each edit is
counted in its context, and divided by how often that context occurs in the
corrections, as Kernighan, Church and Gale did for their channel model:
- ``sub  c x``: the intended letter c typed as x (per c in the corrections);
- ``del  p c``: the intended letter c left out after p (per ``pc``; ``^`` starts a
  word); p is c itself when c is half of a double letter (``acomodate``);
- ``ins  p x``: the letter x typed in after the typed p (per p in the corrections);
  p is x itself when x doubles a neighbour (``questionning``);
- ``swap a b``: ``ab`` typed as ``ba`` (per ``ab``).
Counts are smoothed towards the edit kind's average over its contexts, so a
context seen rarely is neither free nor forbidden.  The file holds each edit's
cost, -log10 of its probability, one ``kind TAB context TAB letter TAB cost``
a line; an edit not listed costs its kind's ``*`` line.
"""

from __future__ import annotations

import csv
import math
import sys
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "rules" / "spelling" / "channel.tsv"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Weight of the kind's average in the smoothing, in "pseudo-occurrences" of the context.
PRIOR_WEIGHT = 200.0


def align(typed: str, intended: str) -> list[tuple[str, str, str]] | None:
    """The edits (kind, context, letter) of a cheapest optimal-string-alignment path, or None if none."""
    n, m = len(typed), len(intended)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = d[i - 1][j - 1] + (typed[i - 1] != intended[j - 1])
            best = min(best, d[i - 1][j] + 1, d[i][j - 1] + 1)
            if i > 1 and j > 1 and typed[i - 1] == intended[j - 2] and typed[i - 2] == intended[j - 1]:
                best = min(best, d[i - 2][j - 2] + 1)
            d[i][j] = best
    edits = []
    i, j = n, m
    while i or j:
        # Ties broken towards a match, then a swap, a substitution, a deletion, an insertion.
        if i and j and typed[i - 1] == intended[j - 1] and d[i][j] == d[i - 1][j - 1]:
            i, j = i - 1, j - 1
            continue
        if (i > 1 and j > 1 and typed[i - 1] == intended[j - 2] and typed[i - 2] == intended[j - 1]
                and typed[i - 1] != typed[i - 2] and d[i][j] == d[i - 2][j - 2] + 1):
            edits.append(("swap", intended[j - 2], intended[j - 1]))
            i, j = i - 2, j - 2
            continue
        if i and j and d[i][j] == d[i - 1][j - 1] + 1:
            edits.append(("sub", intended[j - 1], typed[i - 1]))
            i, j = i - 1, j - 1
            continue
        if j and d[i][j] == d[i][j - 1] + 1:
            edits.append(("del", missing_context(intended, j - 1), intended[j - 1]))
            j -= 1
            continue
        edits.append(("ins", extra_context(typed, i - 1), typed[i - 1]))
        i -= 1
    return edits


def missing_context(intended: str, j: int) -> str:
    """The context of a left-out letter intended[j]: the letter itself when it is half of
    a double (which half the alignment drops is arbitrary), else the letter before it."""
    ch = intended[j]
    if (j > 0 and intended[j - 1] == ch) or (j + 1 < len(intended) and intended[j + 1] == ch):
        return ch
    return intended[j - 1] if j else "^"


def extra_context(typed: str, i: int) -> str:
    """The context of a typed letter too many at i: the letter itself when it doubles a
    neighbour, else the typed letter before it."""
    ch = typed[i]
    if (i > 0 and typed[i - 1] == ch) or (i + 1 < len(typed) and typed[i + 1] == ch):
        return ch
    return typed[i - 1] if i else "^"


def learn(rows: list[tuple[str, str]]) -> dict[tuple[str, str, str], float]:
    edits: Counter = Counter()
    unigrams: Counter = Counter()
    bigrams: Counter = Counter()
    for typed, intended in rows:
        for kind, ctx, ch in align(typed, intended):
            edits[kind, ctx, ch] += 1
        padded = "^" + intended
        unigrams.update(padded)
        bigrams.update(padded[k : k + 2] for k in range(len(padded) - 1))

    def per(kind: str, ctx: str, ch: str) -> int:
        if kind == "sub":
            return unigrams[ctx]
        if kind == "ins":
            return unigrams[ctx]
        return bigrams[ctx + ch]  # del, swap

    contexts = {
        "sub": [(c, x) for c in LETTERS for x in LETTERS if c != x],
        "del": [(p, c) for p in "^" + LETTERS for c in LETTERS],
        "ins": [(p, x) for p in "^" + LETTERS for x in LETTERS],
        "swap": [(a, b) for a in LETTERS for b in LETTERS if a != b],
    }
    costs: dict[tuple[str, str, str], float] = {}
    for kind, pairs in contexts.items():
        seen = sum(edits[kind, a, b] for a, b in pairs)
        chances = sum(per(kind, a, b) for a, b in pairs)
        average = seen / chances
        costs[kind, "*", "*"] = -math.log10(average)
        for a, b in pairs:
            p = (edits[kind, a, b] + PRIOR_WEIGHT * average) / (per(kind, a, b) + PRIOR_WEIGHT)
            costs[kind, a, b] = -math.log10(p)
    return costs


def read_rows(source: Path) -> list[tuple[str, str]]:
    """The table's rows with one correction, lowercase ASCII letters only."""
    rows = []
    with open(source / "typos-words.csv", encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) != 2:
                continue  # an ambiguous row says nothing sure about the slip
            typed, intended = row[0].lower(), row[1].lower()
            if typed.isascii() and intended.isascii() and typed.isalpha() and intended.isalpha():
                rows.append((typed, intended))
    return rows


def held_out(typed: str) -> bool:
    """One row in ten, by a stable hash of the typo, is kept out of the learning
    so that ``--check`` can measure the model on slips it has not seen."""
    return zlib.crc32(typed.encode()) % 10 == 0


def channel_from(costs: dict[tuple[str, str, str], float]):
    """The stage's Channel for these -log10 costs (as ``learned_channel`` reads them from the file)."""
    from cleaner.stages.spelling.fuzzy import CHANNEL_UNIT, Channel

    tables: dict[str, dict] = {"sub": {}, "swap": {}, "del": {}, "ins": {}}
    defaults = {}
    for (kind, ctx, ch), cost in costs.items():
        if ctx == "*":
            defaults[kind] = cost / CHANNEL_UNIT
        else:
            tables[kind][ctx, ch] = cost / CHANNEL_UNIT
    return Channel(tables["sub"], tables["swap"], tables["del"], tables["ins"],
                   defaults["sub"], defaults["swap"], defaults["del"], defaults["ins"])


def check(source: Path, sample: int = 2000) -> None:
    """Both error models on slips the learned one has not seen: one row in ten
    of the table (``held_out``), learned from the other nine, each typo put to
    the fuzzy lookup alone (the table itself would know them all)."""
    import random

    from cleaner.stages.spelling import fuzzy as spelling_fuzzy
    from cleaner.stages.spelling.fuzzy import FuzzySettings, best_correction, variant_key
    from cleaner.stages.spelling.lexicon import lexicon
    from spelling_diagnose import settings_from_rules

    rows = read_rows(source)
    learned = channel_from(learn([r for r in rows if not held_out(r[0])]))
    spelling_fuzzy.learned_channel = lambda: learned  # the model learned without the held-out rows
    lex = lexicon()
    targets = {w for words, _ in lex.candidates_by_initial.values() for w in words}
    test = [(t, w) for t, w in rows if held_out(t) and len(t) >= 4 and not lex.is_word(t) and w in targets]
    random.Random(1).shuffle(test)
    test = test[:sample]
    base = settings_from_rules().fuzzy
    for model in ("hand", "learned"):
        settings: FuzzySettings = FuzzySettings(**{**base.__dict__, "error_model": model, "second_opinion": False})
        right = wrong = 0
        for typed, intended in test:
            fix, _ = best_correction(typed, lex, settings)
            if fix is not None:
                if variant_key(fix, lex) == variant_key(intended, lex):
                    right += 1
                else:
                    wrong += 1
        print(f"{model:8} {len(test)} held-out slips: right {right} ({right / len(test):.1%}), wrong {wrong}, "
              f"precision {right / max(1, right + wrong):.1%}")


def main(source: Path) -> None:
    rows = read_rows(source)
    costs = learn(rows)
    lines = [
        "# Error model of the spelling stage: cost = -log10 P(edit | context), learned by"
        " bench/spelling_channel.py from the typos project's misspelling table"
        " (crate-ci/typos, MIT: see typos-LICENSE-MIT).",
        f"# {len(rows)} slips; kind TAB context TAB letter TAB cost; '*' is the kind's average.",
    ]
    for (kind, ctx, ch), cost in sorted(costs.items()):
        lines.append(f"{kind}\t{ctx}\t{ch}\t{cost:.3f}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} slips -> {len(costs)} costs in {OUT}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--check"]
    where = Path(args[0] if args else "/work/shared/spelling")
    check(where) if "--check" in sys.argv else main(where)

"""How much of a misspelling test set can this design fix at all, and at what precision?

    python bench/spelling_ceiling.py [--shared /work/shared] [--pairs FILE] [--margins 0,0.5,...]

``bench/spelling.py`` gives the stage's one operating point.  This asks what
the *design* allows, to tell a tuning problem from a ceiling:

1. Where each pair's typo goes: a real word (the gate knows it, and rule 6 of
   the issue says a real word is never replaced by another), a row of the
   misspelling table, or the fuzzy lookup; and for the lookup, where the
   intended word stands in the ranking (first, in the top five, lower, or not
   within the slip cost the lookup allows at all).
2. The ceiling: the accuracy of applying every table row and every ranking's
   first candidate, whatever the margin, and the precision that would have
   (every applied first candidate that is not the intended word is a wrong
   edit).  No margin or threshold can do better than that accuracy with this
   ranking; a better one needs a better ranking or context.
3. The trade-off: the whole stage run on every pair (as ``bench/spelling.py``
   does), with the clear-winner margin swept; accuracy and precision at each.

Pairs are ``typo<TAB>intended`` (the dev set) or Norvig's ``intended: typo ...``.
A British or American spelling of the intended word counts as right.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import spelling as bench  # noqa: E402  (bench/spelling.py: the same sentences and verdicts)
from spelling_diagnose import settings_from_rules  # noqa: E402

from cleaner.stages.spelling import clear_caches  # noqa: E402
from cleaner.stages.spelling.fuzzy import ranked  # noqa: E402
from cleaner.stages.spelling.lexicon import lexicon  # noqa: E402


def placement(pairs, settings, lex) -> tuple[dict[str, int], Counter]:
    """Counts of where each pair's typo goes and where its intended word ranks;
    and for the pairs whose intended word the lookup does not list, how many
    letters apart (OSA distance) typo and intended word are."""
    from rapidfuzz.distance import OSA

    apart: Counter = Counter()
    counts = dict.fromkeys(
        ("real word", "table right", "table wrong", "ambiguous row", "first", "top five", "lower", "not in reach", "no candidate"), 0
    )
    for _, typo, intended in pairs:
        lower = typo.lower()
        if lex.is_word(lower):
            counts["real word"] += 1
        elif lower in lex.table:
            counts["table right" if bench.variants_equal(lex.table[lower], intended) else "table wrong"] += 1
        elif lower in lex.ambiguous:
            counts["ambiguous row"] += 1
        else:
            listed = [cand for _, cand, _, _ in ranked(lower, lex, settings.fuzzy)] if len(lower) > 1 else []
            at = next((i for i, cand in enumerate(listed) if bench.variants_equal(cand, intended)), None)
            if at is None:
                counts["not in reach" if listed else "no candidate"] += 1
                apart[min(OSA.distance(lower, intended.lower()), 5)] += 1
            else:
                counts["first" if at == 0 else "top five" if at < 5 else "lower"] += 1
    return counts, apart


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=os.environ.get("CLEANER_SHARED", "/work/shared"))
    parser.add_argument("--pairs", type=Path, help="a pairs file instead of the dev set")
    parser.add_argument("--margins", default="0,0.4,0.8,1.0,1.2,1.4,1.7,2.0,2.5,3.0",
                        help="clear-winner margins to sweep (the rule file's is marked)")
    args = parser.parse_args()
    source = args.pairs or Path(args.shared) / "spelling" / "dev-aspell-current.tsv"
    pairs = bench.read_pairs(source)
    settings = settings_from_rules()
    lex = lexicon(settings.gate_zipf, settings.candidate_zipf)
    counts, apart = placement(pairs, settings, lex)
    total = len(pairs)
    print(f"{source.name}: {total} pairs")
    for key, value in counts.items():
        print(f"  {key:<14} {value:5d}  {value / total:6.1%}")
    applied = counts["table right"] + counts["table wrong"] + counts["first"] + counts["top five"] + counts["lower"] + counts["not in reach"]
    right = counts["table right"] + counts["first"]
    listed = right + counts["top five"] + counts["lower"]
    print(f"every table row and every ranking's first candidate applied: "
          f"accuracy {right / total:.1%}, precision {right / max(1, applied):.1%}")
    print(f"intended word found by the table or listed by the lookup at any rank: {listed / total:.1%} "
          "(the most any reranking of these candidates can fix)")
    print(f"typo a real word (never replaced, rule 6): {counts['real word'] / total:.1%}, "
          f"so no such corrector fixes more than {1 - counts['real word'] / total:.1%}")
    print("intended word not listed, letters apart (OSA): "
          + ", ".join(f"{'5+' if d == 5 else d}: {n}" for d, n in sorted(apart.items())))
    current = next(rule.options for rule in bench.spelling_rules() if rule.id == "spelling.words")
    print("trade-off, the whole stage (margin: accuracy / precision, right, wrong):")
    for value in (float(m) for m in args.margins.split(",")):
        bench.OVERRIDES.clear()
        bench.OVERRIDES["margin"] = value
        clear_caches()  # decisions are cached per word type and settings
        # (Not written to bench/out: a swept setting's verdicts would pass for the rule file's.)
        result = bench.dev_accuracy(Path(args.shared), pairs_file=args.pairs, write=False)
        mark = "  (the rule file's)" if current.get("margin") == value else ""
        print(f"  {value:4.1f}: {result['accuracy']:6.1%} / {result['precision']:6.1%}  "
              f"{result['right']:4d} {result['wrong']:4d}{mark}")
    bench.OVERRIDES.clear()


if __name__ == "__main__":
    main()

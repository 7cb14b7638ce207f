"""Why the spelling stage leaves or gets a dev-set word wrong: one line per pair.

    python bench/spelling_diagnose.py [--half odd|even] [--all]

For each pair of ``spelling/dev-aspell-current.tsv`` that ``bench/spelling.py``
did not get right (``--all``: every pair), the word's path through the stage:
a gate word (the policy keeps it), a table or ambiguous row, a compound, or the
fuzzy lookup's top candidates with their scores and why none was taken.  A
tool for reading the misses, not a measurement: figures come from
``bench/spelling.py``.  The last column ranks the candidates by the learned
error model (the second opinion: ``rules/spelling/channel.tsv``).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path

from cleaner.stages.spelling.decisions import decide
from cleaner.stages.spelling.settings import Settings
from cleaner.stages.spelling.fuzzy import best_correction, ranked
from cleaner.stages.spelling.lexicon import lexicon
from cleaner.rules import load_rule_file

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "spelling.toml"


def settings_from_rules(overrides: dict | None = None) -> Settings:
    """The stage's Settings for the rule file's options (and ``overrides``),
    built by ``Settings.from_options``, as the rule builds them."""
    rule = next(r for r in load_rule_file(RULES_FILE)[0] if r.id == "spelling.words")
    return Settings.from_options({**dict(rule.options), **(overrides or {})})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=os.environ.get("CLEANER_SHARED", "/work/shared"))
    parser.add_argument("--half", choices=("odd", "even"))
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--words", nargs="+", help="these words instead of the dev set")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override an option of spelling.words (a TOML value), as in bench/spelling.py")
    args = parser.parse_args()
    import tomllib

    overrides: dict = {}
    for item in args.set:
        overrides.update(tomllib.loads(item))
    settings = settings_from_rules(overrides)
    lex = lexicon(settings.gate_zipf, settings.candidate_zipf)
    if args.words:
        for typo in args.words:
            print(explain(typo, "", "", 0, settings, lex))
        return
    verdicts = {}
    out = Path(__file__).resolve().parent / "out" / "spelling-dev.tsv"
    if out.exists():
        for row in out.read_text(encoding="utf-8").split("\n")[1:]:
            if row:
                line, typo, intended, verdict, _ = row.split("\t")
                verdicts[int(line)] = verdict
    lines = (Path(args.shared) / "spelling" / "dev-aspell-current.tsv").read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, 1):
        if not line.strip() or (args.half and (number % 2 == 1) != (args.half == "odd")):
            continue
        verdict = verdicts.get(number, "?")
        if verdict.startswith("right") and not args.all:
            continue
        typo, intended = line.split("\t")
        print(explain(typo, intended, verdict, number, settings, lex))


def explain(typo: str, intended: str, verdict: str, number: int, settings: Settings, lex) -> str:
    if True:
        lower = typo.lower()
        decision = decide(typo, settings)
        why = ""
        if lex.is_word(lower):
            why = "GATE word" + (f" (zipf {lex.zipf.get(lower)})" if lower in lex.zipf else "")
        elif lower in lex.ambiguous:
            why = f"AMBIGUOUS row {lex.ambiguous[lower]}"
        elif lex.compound(lower):
            why = "COMPOUND"
        top = ranked(lower, lex, settings.fuzzy) if len(lower) > 1 else []
        fix, reason = best_correction(lower, lex, settings.fuzzy) if len(lower) > 1 else (None, "")
        tops = " ".join(f"{c}:{s:.2f}/{k:.1f}{'~' if h else ''}" for s, c, k, h in top[:4])
        # The same ranking by the learned error model (the second opinion).
        learned = replace(settings.fuzzy, error_model="learned")
        other = ranked(lower, lex, learned) if len(lower) > 1 else []
        others = " ".join(f"{c}:{s:.2f}/{k:.1f}" for s, c, k, _ in other[:3])
        own = lex.zipf.get(lower)
        return (f"{number}\t{typo}\t{intended}\t{verdict}\t{decision.kind if decision else None}\t{why}\t"
              f"own={own}\tfuzzy={fix} {reason}\t{tops}\tlearned: {others}")


if __name__ == "__main__":
    main()

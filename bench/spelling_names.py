"""How many real names does the spelling stage change?  A held-out check of "never touch a name".

The gold files have few names that look like slips, so this reads a long list of
proper names (by default SCOWL's largest list, Debian's ``wamerican-insane``:
``apt-get install wamerican-insane``, or ``--names FILE``, one word a line),
keeps those written only capitalised (not also a lowercase word), and puts a
sample of them, one per text, where names stand in prose:

- mid-sentence ("Yesterday we met {} at the station and talked."),
- after a first name ("The report by Ricky {} came out on Monday."),
- at a sentence's start ("{} said it was fine with him and left."), where the
  capital may only mark the sentence, so the stage judges the lowercase form.

It prints how many names each position changes, and which.  Names the
misspelling table lists (``Ponting``: pointing) are also checked on their own,
since they are the ones a table-driven fixer mangles.

    /work/venv/bin/python bench/spelling_names.py [--names FILE] [--sample 4000]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from cleaner.rules import load_rule_file
from snapshots import ROOT, run_rules

TEMPLATES = {
    "mid-sentence": "Yesterday we met {} at the station and talked.",
    "after a first name": "The report by Ricky {} came out on Monday.",
    "sentence start": "{} said it was fine with him and left.",
}
DEFAULT_NAMES = Path("/usr/share/dict/american-english-insane")


def read_names(path: Path) -> list[str]:
    words = path.read_text(encoding="latin-1").split("\n")
    lowercase = {w for w in words if w.islower()}
    return sorted({
        w for w in words
        if len(w) >= 4 and w.isascii() and w.isalpha() and w[0].isupper() and w[1:].islower()
        and w.lower() not in lowercase
    })


def changed(names: list[str], rules) -> dict[str, list[tuple[str, str]]]:
    out = {}
    for position, template in TEMPLATES.items():
        out[position] = []
        for name in names:
            text = template.format(name) + "\n"
            result, _ = run_rules(text, rules)
            if result != text:
                out[position].append((name, result.strip()))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--names", type=Path, default=DEFAULT_NAMES)
    parser.add_argument("--sample", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not args.names.exists():
        sys.exit(f"{args.names}: no names list (apt-get install wamerican-insane, or --names FILE)")
    rules = load_rule_file(ROOT / "rules" / "spelling.toml")[0]
    names = read_names(args.names)
    sample = random.Random(args.seed).sample(names, min(args.sample, len(names)))
    from cleaner.stages.spelling.lexicon import lexicon

    table = lexicon().table
    listed = [n for n in names if n.lower() in table and len(n) >= 7]
    print(f"{len(names)} names written only capitalised in {args.names}; {len(sample)} sampled; "
          f"{len(listed)} of 7+ letters are rows of the misspelling table")
    for label, group in (("sampled", sample), ("in the table", listed)):
        for position, hits in changed(group, rules).items():
            print(f"  {label}, {position}: {len(hits)} of {len(group)} changed ({len(hits) / max(1, len(group)):.1%})")
            for name, result in hits[:30]:
                print(f"      {name}: {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast could the spelling stage be?  The C-level passes its design cannot skip, timed alone.

    python bench/spelling_floor.py [--repeat 5] [--stage-input] [--limit N]

The stage works on word types: every document is split at whitespace, the
chunks go into a set, and a set difference with the gate's known forms (in C)
leaves the few unknown ones; the doubled-word rule needs neighbouring tokens,
compared ignoring the first one's case.  Each of those is one pass over ~2M
tokens (709 raw boilerplate-dev pages, 12.5 MB), and together they bound the
stage's warm speed from above, whatever the Python around them does.  Printed
beside a ``\\w+`` findall pass (the bench's baseline) and the whole stage, warm,
all in this process, CPU time (min of --repeat), since the machine is shared.
Also the alternatives tried for the doubled-word candidates: regexes with a
backreference (one C pass, no token list), a lowercase map over the
non-lowercase tokens only, and lowercase forms looked up in a dict of the
chunk types that have a capital (no string made per token, but a method call
per token costs as much as ``str.lower``).

``--stage-input`` times the texts as the default pipeline hands them to the
stage (after encoding, whitespace, boilerplate and spacing), as
``bench/ab.py`` does, and ``--limit`` takes the first pages only; the whole
stage is then timed cold too (every cache of word types and chunks forgotten
before each pass, as a long run meets new pages), and the floor's share of it
is printed, with the most a compiled word gate doing those passes in no time
could speed the stage up (``bench/scanner_bound.py`` is the boilerplate
stage's counterpart).
"""

from __future__ import annotations

import argparse
import glob
import re
import time
from itertools import compress, filterfalse, islice
from operator import eq, not_
from pathlib import Path

from cleaner.rules import Context, document_for, load_rule_file
from cleaner.stages.spelling import clear_caches
from cleaner.stages.spelling.lexicon import lexicon

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--stage-input", action="store_true", help="the pages as the pipeline hands them to the stage")
    args = parser.parse_args()
    files = [f for f in sorted(glob.glob(f"{args.shared}/boilerplate-dev/*.txt")) if not f.endswith(".gold.txt")]
    if args.limit:
        files = files[: args.limit]
    texts = [Path(f).read_text(encoding="utf-8") for f in files]
    if args.stage_input:
        from cleaner import Config, clean_text

        for stage in ("encoding", "whitespace", "boilerplate", "spacing"):
            config = Config(select=(stage,))
            texts = [clean_text(t, config).text for t in texts]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    known = lexicon().known_forms
    tokens = [t.split() for t in texts]
    chunk_sets = [frozenset(t) for t in tokens]
    rules = load_rule_file(ROOT / "rules" / "spelling.toml")[0]

    def stage() -> None:
        for text in texts:
            doc = document_for(None)
            for rule in rules:
                text = rule.apply(text, Context(doc, rule.id))[0]

    def doubled_now(t: list[str]) -> set[str]:
        return {w.lower() for w in compress(t, map(eq, map(str.lower, t), islice(t, 1, None))) if w.isalpha()}

    def doubled_split_case(t: list[str]) -> set[str]:
        # equal neighbours (a lowercase first), plus a lowercase map over the other first tokens only
        out = {w for w in compress(t, map(eq, t, islice(t, 1, None))) if w.isalpha() and w.islower()}
        mask = list(map(not_, map(str.islower, t)))
        heads = list(compress(t, mask))
        out.update(w.lower() for w in compress(heads, map(eq, map(str.lower, heads), compress(islice(t, 1, None), mask))) if w.isalpha())
        return out

    def doubled_lookup(t: list[str], chunks: frozenset[str]) -> set[str]:
        # lowercase forms looked up: only the chunk types with a capital (or no letter) lowered
        upper = list(filterfalse(str.islower, chunks))
        lowered = dict(zip(upper, map(str.lower, upper))).get
        return {w.lower() for w in compress(t, map(eq, map(lowered, t, t), islice(t, 1, None))) if w.isalpha()}

    token = re.compile(r"\w+")
    passes = {
        "baseline \\w+ findall": lambda: [token.findall(t) for t in texts],
        "split": lambda: [t.split() for t in texts],
        "split + frozenset": lambda: [frozenset(t.split()) for t in texts],
        "split + frozenset - known": lambda: [frozenset(t.split()) - known for t in texts],
        "  frozenset alone (tokens given)": lambda: [frozenset(t) for t in tokens],
        "  - known alone (sets given)": lambda: [s - known for s in chunk_sets],
        "doubled candidates now (tokens given)": lambda: [doubled_now(t) for t in tokens],
        "  alt: lower only non-lowercase firsts": lambda: [doubled_split_case(t) for t in tokens],
        "  alt: lowercase looked up (chunk sets given)": lambda: [doubled_lookup(t, c) for t, c in zip(tokens, chunk_sets)],
        "  alt: equal neighbours only (not enough)": lambda: [list(compress(t, map(eq, t, islice(t, 1, None)))) for t in tokens],
        "  alt: text.lower() alone": lambda: [t.lower() for t in texts],
    }
    for pattern in (r"(?i)\b(\w+)\s+\1\b", r"(?i)(?<!\S)(\w+)\s+(?=\1(?!\S))", r"(?i)\s(\w+)\s+(?=\1(?!\S))"):
        rx = re.compile(pattern)
        passes[f"  alt: regex {pattern}"] = lambda rx=rx: [rx.findall(t) for t in texts]
    def cold_stage() -> None:
        clear_caches()
        stage()

    stage()  # load the lexicon and warm the stage's caches
    passes["whole stage, warm"] = stage
    passes["whole stage, cold"] = cold_stage

    timed = {}
    for name, run in passes.items():
        best = float("inf")
        for _ in range(args.repeat):
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
        timed[name] = best
    base = timed["baseline \\w+ findall"]
    print(f"{mb:.2f} MB, {sum(map(len, tokens))} tokens, {sum(map(len, chunk_sets))} chunk types (summed per page); CPU time, min of {args.repeat}")
    for name, seconds in timed.items():
        print(f"  {name:52s} {seconds * 1000:7.0f} ms  {mb / seconds:7.1f} MB/s  (x{base / seconds:.2f} baseline)")
    floor = timed["split + frozenset - known"] + timed["doubled candidates now (tokens given)"]
    print(f"  floor of this design (split, set, difference, doubled candidates): {mb / floor:.1f} MB/s (x{base / floor:.2f} baseline)")
    for kind in ("warm", "cold"):
        whole = timed[f"whole stage, {kind}"]
        print(f"  the floor is {floor / whole:.0%} of the whole stage, {kind}: {whole - floor:.3f} s above it;"
              f" a word gate taking no time at all would make the stage at most {whole / (whole - floor):.2f}x faster")


if __name__ == "__main__":
    main()

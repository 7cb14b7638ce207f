"""Spacing stage on clean human text: every edit listed, throughput measured.

The gold files of ../shared/boilerplate-dev are article text people marked as
the content of a page: clean, so almost every edit the spacing stage makes on
them is either a real slip of the original writer or a false edit.  This
script writes every edit (file, line, rule, before, after, the line around
it) to bench/out/spacing-edits.tsv for a person to read and classify, and
prints the count per rule, the word count, MB/s of the stage and peak memory.

Speed is reported beside two baselines measured in the same run on the same
text, because the machine is shared and absolute numbers drift: one regex pass
(`re.sub` of a rare pattern, about the cheapest a rule can be) and a
`str.replace` pass.

    /work/venv/bin/python bench/spacing.py [--data DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.rules import Context, document_for, line_of, load_ruleset  # noqa: E402

DEFAULT_DATA = Path("/work/shared/boilerplate-dev")
OUT = ROOT / "bench" / "out" / "spacing-edits.tsv"


def spacing_rules():
    return [r for r in load_ruleset().rules if r.stage == "spacing" and r.enabled]


def run_stage(rules, text: str, path: str | None = None):
    """The spacing rules in order, as the pipeline runs them; edits with line numbers."""
    doc = document_for(path)
    found = []
    for rule in rules:
        ctx = Context(doc, rule.id)
        new, edits = rule.apply(text, ctx)
        if edits:
            newlines = [i for i, ch in enumerate(text) if ch == "\n"]
            for offset, before, after in edits:
                line_index = line_of(newlines, offset)
                start = newlines[line_index - 1] + 1 if line_index > 0 else 0
                end = newlines[line_index] if line_index < len(newlines) else len(text)
                col = offset - start
                context = text[max(start, start + col - 60) : min(end, start + col + len(before) + 60)]
                found.append((line_index + 1, rule.id, before, after, context))
            text = new
    return text, found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=3, help="timing runs; the best is reported")
    args = ap.parse_args()

    files = sorted(args.data.glob("*.gold.txt"))
    if not files:
        print(f"no *.gold.txt files in {args.data}", file=sys.stderr)
        return 2
    docs = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    total_bytes = sum(len(t.encode("utf-8")) for _, t in docs)
    words = sum(len(re.findall(r"\w+", t)) for _, t in docs)
    rules = spacing_rules()

    # Every edit, for reading.
    per_rule: Counter[str] = Counter()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        out.writerow(["file", "line", "rule", "before", "after", "context"])
        for name, text in docs:
            _, found = run_stage(rules, text)
            for line, rid, before, after, context in found:
                per_rule[rid] += 1
                out.writerow([name, line, rid, before, after, context])

    # Throughput: the stage alone, then the baselines on the same text.
    def stage_pass():
        for _, text in docs:
            ctx_doc = document_for(None)
            for rule in rules:
                text = rule.apply(text, Context(ctx_doc, rule.id))[0]

    rare = re.compile(r"[.!?](?=[A-Z][a-z])")

    def regex_pass():
        for _, text in docs:
            rare.sub(". ", text)

    def replace_pass():
        for _, text in docs:
            text.replace(" ,", ",")

    def best(fn):
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    t_stage = best(stage_pass)
    t_regex = best(regex_pass)
    t_replace = best(replace_pass)

    tracemalloc.start()
    stage_pass()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    mb = total_bytes / 1e6
    print(f"files: {len(docs)}  words: {words:,}  MB: {mb:.2f}")
    print(f"edits: {sum(per_rule.values())}  ({sum(per_rule.values()) / words * 1e5:.1f} per 100,000 words)")
    for rid, n in sorted(per_rule.items()):
        print(f"  {rid:36s} {n}")
    print(f"edits written to {OUT.relative_to(ROOT)}")
    print(f"spacing stage        {mb / t_stage:8.1f} MB/s")
    print(f"baseline re.sub pass {mb / t_regex:8.1f} MB/s  (stage is {t_stage / t_regex:.1f}x its time)")
    print(f"baseline str.replace {mb / t_replace:8.1f} MB/s  (stage is {t_stage / t_replace:.1f}x its time)")
    print(f"peak memory while running the stage (tracemalloc): {peak / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

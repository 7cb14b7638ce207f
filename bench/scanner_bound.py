"""What could a compiled scanner give?  The boilerplate stage with its line analysis made free.

    python bench/scanner_bound.py [--limit 200] [--rounds 5]

Issue 20 allows a small compiled scanner (with a pure-Python twin) where it
pays at least 2x on its stage.  In the boilerplate stage the scanner's work
is the line analysis: every line's class, normalised form and word count
(``lines._classify_lines``) and the columns the rules read from them.  This
bench bounds what any such scanner can give, however fast, by timing the
stage three ways on the same pages, passes alternated, CPU time, min of
``--rounds``:

- ``stage``: the stage as it runs, cold (the line cache emptied first);
- ``classes free``: the same, but every text's line classes are handed over
  ready-made (recorded in an untimed pass), as a scanner taking no time at all
  would make them;
- ``classes and columns free``: also the columns every rule reads (the
  norms, kinds, word counts, non-blank lines and navigation counts), ready
  before the timer starts.

The ratio ``stage / free`` is the most a scanner of the line analysis can
speed the stage up.  Each way must give the same output (checked).  The
spelling stage's counterpart is ``bench/spelling_floor.py --stage-input``:
the share of the stage its C-level passes take.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaner import Config  # noqa: E402
from cleaner.analysis import DocumentAnalysis  # noqa: E402
from cleaner.pipeline import select_rules  # noqa: E402
from cleaner.rules import Context, document_for, load_ruleset  # noqa: E402
from cleaner.stages.boilerplate import lines as bl  # noqa: E402
from boilerplate_floor import prepared  # noqa: E402  (the stage's input pages; bench/ is on sys.path)

# The columns a scanner could hand over with the classes (cached properties of LineAnalysis).
COLUMNS = ("norms", "kinds", "words", "content", "nav_counts")


def run_stage(texts: list[str], rules, before_page=None) -> list[str]:
    out = []
    for k, text in enumerate(texts):
        if before_page is not None:
            before_page(k)
        doc, shared = document_for(None), DocumentAnalysis()
        for rule in rules:
            text, _ = rule.apply(text, Context(doc, rule.id, analysis=shared))
        out.append(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=200, help="the first N pages (0: all)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args()
    texts = prepared(Path(args.shared), args.limit)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    rules = select_rules(load_ruleset(), Config(select=("boilerplate",)))
    classify = bl._classify_lines
    modules = [m for m in list(sys.modules.values())
               if getattr(m, "__name__", "").startswith("cleaner.stages.boilerplate.") and hasattr(m, "analyse")]
    real_analyse = bl.analyse

    # Untimed: what the analysis makes of every text it is asked about, page by page.
    recorded: list[list[tuple[str, tuple, tuple]]] = []

    def recording(text, lines):
        infos = classify(text, lines)
        recorded[-1].append((text, lines, infos))
        return infos

    bl.line_info.cache_clear()
    bl._classify_lines = recording
    expected = run_stage(texts, rules, lambda k: recorded.append([]))
    bl._classify_lines = classify

    page = [0]

    def found(text):
        for known, lines, infos in recorded[page[0]]:
            if len(known) == len(text) and known == text:
                return lines, infos
        raise LookupError("a text the recording pass did not analyse")

    def classes_free(text, lines):
        return found(text)[1]

    prebuilt: list[list[tuple[str, bl.LineAnalysis]]] = []

    def columns_free(text, shared=None):
        if shared is None:
            shared = DocumentAnalysis()
        known = bl.recent_analysis(text, shared)
        if known is not None:
            return known
        for source, analysis in prebuilt[page[0]]:
            if len(source) == len(text) and source == text:
                return bl.remember_analysis(text, analysis, shared)
        raise LookupError("a text the recording pass did not analyse")

    def prepare_columns() -> None:
        # Fresh analyses each pass (rules write into them), their columns filled in.
        prebuilt.clear()
        for records in recorded:
            made = []
            for text, lines, infos in records:
                analysis = bl.LineAnalysis((lines, infos))
                for name in COLUMNS:
                    getattr(analysis, name)
                made.append((text, analysis))
            prebuilt.append(made)

    def set_page(k):
        page[0] = k

    def timed(mode: str) -> tuple[float, list[str]]:
        bl.line_info.cache_clear()
        if mode == "classes free":
            bl._classify_lines = classes_free
        elif mode == "classes and columns free":
            prepare_columns()
            for module in modules:
                module.analyse = columns_free
        start = time.process_time()
        try:
            out = run_stage(texts, rules, set_page)
        finally:
            seconds = time.process_time() - start
            bl._classify_lines = classify
            for module in modules:
                module.analyse = real_analyse
        return seconds, out

    modes = ("stage", "classes free", "classes and columns free")
    best = dict.fromkeys(modes, float("inf"))
    for _ in range(args.rounds):
        for mode in modes:
            seconds, out = timed(mode)
            if out != expected:
                raise SystemExit(f"{mode}: the output differs from the stage's")
            best[mode] = min(best[mode], seconds)
    n_texts = sum(map(len, recorded))
    print(f"{len(texts)} pages, {mb:.2f} MB, {n_texts} texts analysed; boilerplate stage, cold, "
          f"CPU seconds, min of {args.rounds} alternated rounds")
    for mode in modes:
        ratio = best["stage"] / best[mode]
        print(f"  {mode:28s} {best[mode] * 1000:7.1f} ms  {mb / best[mode]:6.2f} MB/s  stage / this {ratio:.2f}x")
    print(f"a line scanner taking no time at all can speed the stage up {best['stage'] / best['classes free']:.2f}x; "
          f"handing over the columns too, {best['stage'] / best['classes and columns free']:.2f}x")


if __name__ == "__main__":
    main()

"""How fast could the boilerplate stage be in Python?  The passes its design cannot skip, timed alone.

    python bench/boilerplate_floor.py [--limit 200] [--repeat 5]

The stage reads every page through one line analysis (``lines.analyse``: each
distinct line stripped, casefolded, its words counted, tested as a label,
metadata, a link list or prose) and then runs nine rules over the columns of
that analysis.  This times, on the text the default pipeline hands the stage
(the dev pages after the encoding and whitespace stages), cold (the line
cache emptied before each pass), CPU time, min of ``--repeat``:

- the stage itself and its line analysis;
- the C-level passes the analysis cannot skip (split into lines, the distinct
  lines, strip + casefold, the space count, the function-word count of the
  lines long enough for the prose test, the plain-text check);
- the least a Python classifier must do: one loop iteration per distinct line
  that builds its ``LineInfo`` and nothing else;
- what every rule reads before it starts (the norms, kinds, words and
  non-blank columns, and the sorted distinct lines) and one Python loop over
  every line, the least a rule that looks at its neighbours costs.

The sum of the analysis floor and of one rule's floor per rule is the stage's
floor in pure Python: what a rewrite could reach at best without a compiled
scanner (issue 20 allows one with a pure-Python twin).
"""

from __future__ import annotations

import argparse
import glob
import sys
import time
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaner import Config, clean_text  # noqa: E402
from cleaner.pipeline import active_rules  # noqa: E402
from cleaner.stages.boilerplate import lines as bl  # noqa: E402


def prepared(shared: Path, limit: int) -> list[str]:
    """The pages as the default pipeline hands them to the boilerplate stage."""
    files = sorted(f for f in glob.glob(f"{shared}/boilerplate-dev/*.txt") if not f.endswith(".gold.txt"))
    if limit:
        files = files[:limit]
    texts = [Path(f).read_text(encoding="utf-8") for f in files]
    for stage in ("encoding", "whitespace"):
        config = Config(select=(stage,))
        texts = [clean_text(t, config).text for t in texts]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=200, help="the first N pages (0: all)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args()
    texts = prepared(Path(args.shared), args.limit)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    config = Config(select=("boilerplate",))
    n_rules = len(active_rules(config))
    nav, fwords = bl._tables()
    split = [tuple(t.split("\n")) for t in texts]
    # The distinct lines of each page that a cold pass classifies (the cache
    # keeps the short ones across pages, as the stage's does).
    seen: set[str] = set()
    todo: list[list[str]] = []
    for lines in split:
        new = [line for line in dict.fromkeys(lines) if line not in seen]
        seen.update(line for line in new if len(line) <= bl._CACHED_CHARS)
        todo.append(new)
    norms = [list(map(str.casefold, map(str.strip, page))) for page in todo]
    counts = [list(map(str.count, page, repeat(" "))) for page in norms]
    # The lines whose prose or link-list test counts function words, as the
    # classifier decides (a long line with a final stop is prose without).
    terminal = [[norm.rstrip(bl._CLOSERS)[-1:] in bl._TERMINAL_CHARS for norm in page] for page in norms]
    counted = [[norm for norm, c, t in zip(page, cs, ts) if (c >= 7 and not t) or 5 <= c < 9]
               for page, cs, ts in zip(norms, counts, terminal)]
    made = [0]  # analyses the stage makes in a pass: one per page and one per text a rule shortens

    def counting(remember):
        def remember_counted(*args, **kwargs):
            made[0] += 1
            return remember(*args, **kwargs)
        return remember_counted

    dropping = sys.modules["cleaner.stages.boilerplate.dropping"]
    bl.remember_analysis = counting(bl.remember_analysis)
    dropping.remember_analysis = counting(dropping.remember_analysis)
    bl.line_info.cache_clear()
    for text in texts:
        clean_text(text, config)
    per_pass = made[0]
    analyses = []
    bl.line_info.cache_clear()
    for text in texts:
        analyses.append(bl.analyse(text))
    in_fwords = fwords.__contains__
    new_info, info_type, short = bl._new_info, bl.LineInfo, bl.SHORT

    def fresh() -> list[list[str]]:
        # Lines as new strings, their hashes not yet computed, as a page's are.
        return [t.split("\n") for t in texts]

    def stage() -> None:
        bl.line_info.cache_clear()
        for text in texts:
            clean_text(text, config)

    def analysis() -> None:
        bl.line_info.cache_clear()
        for text in texts:
            bl.analyse(text)

    def fcount() -> None:
        for page in counted:
            for norm in page:
                sum(map(in_fwords, norm.split(" ")))

    def build_loop() -> None:
        for page, page_counts in zip(norms, counts):
            out = []
            append = out.append
            for k, norm in enumerate(page):
                append(new_info(info_type, (short, page_counts[k] + 1, norm, False)))

    def columns() -> None:
        for a in analyses:
            infos = a[1]
            list(map(itemgetter(2), infos))
            kinds = list(map(itemgetter(0), infos))
            list(map(itemgetter(1), infos))
            list(compress(range(len(infos)), map(bl.BLANK.__ne__, kinds)))

    def sorted_norms() -> None:
        for a in analyses:
            sorted(set(map(itemgetter(2), a[1])))

    def line_loop() -> None:
        for a in analyses:
            infos = a[1]
            total = 0
            for info in infos:
                if info.kind == bl.PROSE:
                    total += info.words

    passes = {
        "stage (cold)": stage,
        "  line analysis (cold)": analysis,
        "analysis floor, C passes:": None,
        "  split into lines": lambda: [tuple(t.split("\n")) for t in texts],
        "  distinct lines (hash, dedup)": lambda: [dict.fromkeys(lines) for lines in fresh()],
        "  strip + casefold (distinct)": lambda: [list(map(str.casefold, map(str.strip, p))) for p in todo],
        "  count spaces (distinct)": lambda: [list(map(str.count, p, repeat(" "))) for p in norms],
        "  function words (where the prose test counts them)": fcount,
        "  plain-text check": lambda: [bl._is_plain(t) for t in texts],
        "analysis floor, Python:": None,
        "  one loop building LineInfo": build_loop,
        "rule floor, per analysis made:": None,
        "  columns: norms kinds words content": columns,
        "  sorted distinct lines": sorted_norms,
        "  one Python loop over the lines (each rule)": line_loop,
    }
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        for name, run in passes.items():
            if run is None:
                continue
            start = time.process_time()
            run()
            best[name] = min(best.get(name, float("inf")), time.process_time() - start)
    n_lines = sum(map(len, split))
    n_todo = sum(map(len, todo))
    print(f"{len(texts)} pages, {mb:.2f} MB, {n_lines} lines, {n_todo} classified cold; "
          f"CPU seconds, min of {args.repeat}; {n_rules} rules")
    whole = best["stage (cold)"]
    for name, run in passes.items():
        if run is None:
            print(name)
            continue
        print(f"{name:<52} {best[name] * 1000:8.1f} ms {best[name] / whole * 100:6.1f}%  {mb / best[name]:8.1f} MB/s")
    c_floor = sum(best[k] for k in ("  split into lines", "  distinct lines (hash, dedup)",
                                     "  strip + casefold (distinct)", "  count spaces (distinct)",
                                     "  function words (where the prose test counts them)", "  plain-text check"))
    py_floor = c_floor + best["  one loop building LineInfo"]
    per_page = per_pass / len(texts)
    rule_floor = (per_page * best["  columns: norms kinds words content"] + best["  sorted distinct lines"]
                  + n_rules * best["  one Python loop over the lines (each rule)"])
    floor = py_floor + rule_floor
    print(f"analysis floor {py_floor * 1000:.1f} ms: the analysis is {best['  line analysis (cold)'] / py_floor:.1f}x that")
    print(f"rule floor {rule_floor * 1000:.1f} ms: {per_page:.1f} analyses per page (columns), one sort, "
          f"{n_rules} rules x one loop")
    print(f"stage floor {floor * 1000:.1f} ms = {mb / floor:.1f} MB/s: the stage ({mb / whole:.1f} MB/s) is "
          f"{whole / floor:.1f}x its floor; the rest, {(whole - floor) * 1000:.0f} ms, is the rules' Python logic, "
          f"their regexes, the removals and the pipeline's checks")

if __name__ == "__main__":
    main()

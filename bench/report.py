"""What the HTML report (--report) costs on top of cleaning, in the same process.

Cleans the WCXB development pages (``../shared/boilerplate-dev``, or the
bundled samples when absent) with ``clean_text``, then writes the report of
those results with ``cleaner.report.HtmlReport``, and prints MB/s of each,
the report's size and peak memory, and the ratio report time / cleaning time.
``--copies N`` repeats the documents (as distinct names) to see the report
of many documents: the index must stay one short row per document.

    python bench/report.py [--limit 200] [--copies 1]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaner import clean_text  # noqa: E402
from cleaner.report import HtmlReport  # noqa: E402
from cleaner.rules import load_ruleset  # noqa: E402


class Doc:
    def __init__(self, name: str, original: str, result) -> None:
        self.display, self.message = name, ""
        self.status = "changed" if result.changed else "unchanged"
        self.original, self.cleaned = original, result.text
        self.edits, self.notes = result.edits, result.notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    source = ROOT.parent / "shared" / "boilerplate-dev"
    files = sorted(p for p in source.glob("*.txt") if not p.name.endswith(".gold.txt"))[: args.limit]
    if not files:
        files = sorted((ROOT / "samples").rglob("*.txt"))[: args.limit]
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in files]
    megabytes = sum(len(t.encode("utf-8")) for _, t in texts) * args.copies / 1e6

    clean_text("Warm  up.\n")  # rules and lexicons load outside the timing
    start = time.perf_counter()
    docs = [Doc(f"{i}/{name}", text, clean_text(text, path=name)) for i in range(args.copies) for name, text in texts]
    cleaning = time.perf_counter() - start

    descriptions = {r.id: r.description for r in load_ruleset().rules}
    folder = Path(tempfile.mkdtemp()) / "report"
    start = time.perf_counter()
    report = HtmlReport(folder, descriptions)
    for doc in docs:
        report.add(doc)
    index = report.finish({"seen": len(docs)})
    writing = time.perf_counter() - start
    # Peak memory in a second, traced pass (tracemalloc slows what it watches).
    tracemalloc.start()
    report = HtmlReport(folder, descriptions)
    for doc in docs:
        report.add(doc)
    report.finish({"seen": len(docs)})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = sum(p.stat().st_size for p in folder.rglob("*.html"))
    pages = len(list((folder / "d").iterdir()))
    print(f"{len(docs)} documents, {megabytes:.1f} MB of text, {pages} pages")
    print(f"cleaning   {cleaning:7.2f} s  {megabytes / cleaning:6.2f} MB/s")
    print(f"report     {writing:7.2f} s  {megabytes / writing:6.2f} MB/s  peak {peak / 1e6:.1f} MB (tracemalloc)")
    print(f"report / cleaning time: {writing / cleaning:.2f}")
    print(f"report size {size / 1e6:.1f} MB, index {index.stat().st_size / 1e3:.0f} KB "
          f"({index.stat().st_size / max(1, pages):.0f} bytes a document)")
    shutil.rmtree(folder.parent)


if __name__ == "__main__":
    main()

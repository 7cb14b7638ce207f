"""The share of the pipeline's time that language identification takes, as a run meets it.

    python bench/language_share.py [--pages 200:710] [--callgrind 60]

The pipeline asks for verdicts only where a rule needs one (a text with a U+FFFD, a
word the spelling gate does not know, a doubled word, a spaced ``’s`` or ``:``), so
the share is what it asked for, measured in the run itself:

- in process, cold: a fresh process cleans ../shared/boilerplate-dev's pages (not the
  ``.gold.txt`` ones) with ``clean_text``; every call into cleaner.language that does
  work (``DocumentLanguages`` made, its paragraphs split, a text judged) is timed,
  loading the profiles and splitting the table included, since a run pays for them;
- in process, warm: a second pass over the same pages in the same process (a long run);
- the bound: every verdict of every page computed (``.document`` and ``.paragraphs``),
  which is what the pipeline would pay if every rule asked about every paragraph; the
  pipeline does not, and this is not its share;
- ``--callgrind N``: instructions (valgrind's callgrind) of the pipeline on the first N
  pages, of a replay of exactly the language work that run did (the texts it judged and
  split, in a fresh process, profiles loaded), and of a process that only imports and
  reads the pages; share = (replay - base) / (pipeline - base).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "boilerplate-dev"


def read_pages(spec: str) -> list[str]:
    start, _, stop = spec.partition(":")
    files = sorted(p for p in PAGES.glob("*.txt") if not p.name.endswith(".gold.txt"))
    files = files[int(start or 0) : int(stop) if stop else None]
    return [p.read_text(encoding="utf-8", errors="replace") for p in files]


class Recorder:
    """Times (and records, for a replay) the calls into cleaner.language that do work."""

    def __init__(self) -> None:
        import cleaner.language as language

        self.language = language
        self.spent = 0.0
        self.calls: dict[str, int] = {}
        self.judged: list[tuple[str, int]] = []
        self.split: list[str] = []
        # A checkout before the close-pair commit judged through packed_sum and verdict_of
        # and split paragraphs in DocumentLanguages.__init__ (``--checkout`` for a before figure).
        self.old = not hasattr(language, "_judge")
        judge = language.packed_sum if self.old else language._judge
        split = language.paragraph_spans if self.old else language.DocumentLanguages._split
        self._originals = (judge, language.DocumentLanguages.__init__, split, language.verdict_of)

    def __enter__(self) -> Recorder:
        language = self.language
        judge, init, split, verdict_of = self._originals

        def timed(name, fn, record=None):
            def wrapper(*a, **k):
                t = time.perf_counter()
                try:
                    return fn(*a, **k)
                finally:
                    self.spent += time.perf_counter() - t
                    self.calls[name] = self.calls.get(name, 0) + 1
                    if record is not None:
                        record(a)
            return wrapper

        if self.old:
            language.packed_sum = timed("judge", judge, lambda a: self.judged.append((a[0], a[2] if len(a) > 2 else 400)))
            language.verdict_of = timed("verdicts", verdict_of)
            language.DocumentLanguages.__init__ = timed("documents", init, lambda a: self.split.append(a[1]))
            return self
        language._judge = timed("judge", judge, lambda a: self.judged.append((a[0], a[2])))
        language.DocumentLanguages.__init__ = timed("documents", init)
        language.DocumentLanguages._split = timed("paragraph splits", split, lambda a: self.split.append(a[0]._text))
        return self

    def __exit__(self, *exc) -> None:
        language = self.language
        judge, init, split, verdict_of = self._originals
        language.DocumentLanguages.__init__, language.verdict_of = init, verdict_of
        if self.old:
            language.packed_sum = judge
        else:
            language._judge, language.DocumentLanguages._split = judge, split


def in_process(spec: str) -> dict:
    """Run in a fresh process (``--child``): cold pass, warm pass, and the bound."""
    pages = read_pages(spec)
    from cleaner import Config, clean_text
    from cleaner.language import document_languages, profiles

    config = Config()
    out: dict = {"pages": len(pages), "characters": sum(map(len, pages))}
    for label in ("cold", "warm"):
        with Recorder() as rec:
            t = time.perf_counter()
            for page in pages:
                clean_text(page, config)
            pipeline = time.perf_counter() - t
        out[label] = {"pipeline": pipeline, "language": rec.spent, "calls": rec.calls}
    t = time.perf_counter()
    for page in pages:
        found = document_languages(page, profiles())
        found.document, found.paragraphs
    out["every verdict"] = time.perf_counter() - t
    return out


def record(spec: str, path: str) -> None:
    """Clean the pages and write the language work the run did (for the replay)."""
    from cleaner import Config, clean_text

    pages = read_pages(spec)
    config = Config()
    with Recorder() as rec:
        for page in pages:
            clean_text(page, config)
    Path(path).write_text(json.dumps({"judged": rec.judged, "split": rec.split}))


def replay(path: str) -> None:
    import cleaner.language as language

    work = json.loads(Path(path).read_text())
    prof = language.profiles()
    if not hasattr(language, "_judge"):  # a checkout from before the close-pair commit
        for text in work["split"]:
            language.DocumentLanguages(text, prof)
        for text, limit in work["judged"]:
            language.verdict_of(*language.packed_sum(text, prof, limit), prof)
        return
    for text in work["split"]:
        language.DocumentLanguages(text, prof)._split()
    for text, limit in work["judged"]:
        language._judge(text, prof, limit)


def pipeline(spec: str) -> None:
    from cleaner import Config, clean_text

    config = Config()
    for page in read_pages(spec):
        clean_text(page, config)


def base(spec: str) -> None:
    import cleaner  # noqa: F401  (what every run imports)
    import cleaner.language  # noqa: F401

    read_pages(spec)


def child_env(checkout: Path) -> dict[str, str]:
    """The environment of a child process importing ``checkout``'s cleaner."""
    return {**os.environ, "PYTHONPATH": str(checkout.resolve())}


def callgrind(what: str, spec: str, extra: list[str], checkout: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__,
               "--child", what, "--pages", spec, *extra]
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=child_env(checkout))
        found = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
        assert found, "no callgrind totals"
        return int(found.group(1))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", default="200:710", help="which pages (start:stop of the sorted non-gold pages)")
    ap.add_argument("--callgrind", type=int, default=0, help="also count instructions on this many pages")
    ap.add_argument("--checkout", type=Path, default=ROOT, help="the checkout measured (another one for a before figure)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "in-process":
        print(json.dumps(in_process(args.pages)))
        return 0
    if args.child:
        {"record": lambda: record(args.pages, args.work), "replay": lambda: replay(args.work),
         "pipeline": lambda: pipeline(args.pages), "base": lambda: base(args.pages)}[args.child]()
        return 0

    found = json.loads(subprocess.run([sys.executable, __file__, "--child", "in-process", "--pages", args.pages],
                                      check=True, capture_output=True, text=True, cwd=ROOT,
                                      env=child_env(args.checkout)).stdout)
    n = found["pages"]
    import cleaner  # the checkout measured, as the children import it
    print(f"{args.checkout}: web pages {args.pages} of ../shared/boilerplate-dev: {n}, {found['characters'] / n / 1000:.0f} k characters on average")
    for label in ("cold", "warm"):
        run = found[label]
        print(f"  {label}: pipeline {run['pipeline']:.2f} s ({run['pipeline'] / n * 1e3:.2f} ms a page); language "
              f"identification it asked for {run['language']:.3f} s = {run['language'] / run['pipeline']:.1%} "
              f"({', '.join(f'{k} {v}' for k, v in sorted(run['calls'].items()))})")
    bound = found["every verdict"]
    print(f"  bound (not the pipeline's share): every verdict of every page, {bound:.2f} s = "
          f"{bound / found['warm']['pipeline']:.1%} of a warm pipeline pass")
    if args.callgrind:
        spec = f"{args.pages.partition(':')[0] or 0}:{int(args.pages.partition(':')[0] or 0) + args.callgrind}"
        with tempfile.TemporaryDirectory() as tmp:
            work = str(Path(tmp) / "work.json")
            subprocess.run([sys.executable, __file__, "--child", "record", "--pages", spec, "--work", work],
                           check=True, cwd=ROOT, env=child_env(args.checkout))
            counts = {what: callgrind(what, spec, ["--work", work], args.checkout) for what in ("base", "pipeline", "replay")}
        pipe, lang = counts["pipeline"] - counts["base"], counts["replay"] - counts["base"]
        print(f"  callgrind, pages {spec}: pipeline {pipe / 1e6:,.0f} M instructions, its language work replayed "
              f"{lang / 1e6:,.0f} M = {lang / pipe:.1%} (a process that only imports and reads: {counts['base'] / 1e6:,.0f} M)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

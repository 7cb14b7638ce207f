"""Two versions of the spelling stage in one process, their passes alternated.

    git archive <commit> | tar -x -C /tmp/base
    python bench/spelling_ab.py /tmp/base .              # old, new: warm MB/s, ratio to baseline
    perf stat -e instructions:u python bench/spelling_ab.py /tmp/base . --only 1 --passes 6

On a shared machine, two runs in two processes differ by more than a speed
change does (the ``\\w+`` baseline itself moved between 12 and 22 MB/s in one
afternoon).  Here each checkout's ``cleaner`` package is copied under its own
name (``cleaner_0``, ``cleaner_1``, each with its ``rules/``), both are
imported, and the stage's two rules run on the 709 raw boilerplate-dev pages,
old and new and a ``\\w+`` findall baseline in turn, ``--rounds`` times; each
figure is the minimum CPU time.  Cold passes (every word type decided afresh,
the lexicon already loaded) are alternated likewise, ``--cold-rounds`` times.  Both must give the same texts (``--allow-diff``
for a behaviour change).  ``--only I --passes N`` runs version I alone, N warm
passes after one cold pass, for ``perf stat``: the difference between two
``--passes`` values, divided, is one warm pass.
"""

from __future__ import annotations

import argparse
import glob
import importlib
import re
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path


def load(checkouts: list[str], into: Path) -> list[tuple]:
    versions = []
    for i, checkout in enumerate(checkouts):
        home = into / str(i)
        shutil.copytree(Path(checkout) / "cleaner", home / f"cleaner_{i}", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(Path(checkout) / "rules", home / "rules")
        sys.path.insert(0, str(home))
        stage = importlib.import_module(f"cleaner_{i}.stages.spelling")
        rules = importlib.import_module(f"cleaner_{i}.rules")
        spec = tomllib.loads((home / "rules" / "spelling.toml").read_text(encoding="utf-8"))["rule"]
        versions.append((checkout, stage, rules, spec[0].get("options", {})))
    return versions


def run(version, texts: list[str]) -> tuple[float, list[str]]:
    _, stage, rules, options = version
    # A version whose fix_words takes one Settings object, or (older) its options as keywords.
    settings_type = getattr(stage.fix_words, "settings_type", None)
    if settings_type is not None:
        settings = settings_type.from_options(options)

        def fix_words(text, ctx):
            return stage.fix_words(text, ctx, settings)
    else:
        def fix_words(text, ctx):
            return stage.fix_words(text, ctx, **options)
    out = []
    start = time.process_time()
    for text in texts:
        doc = rules.document_for(None)
        text, _ = fix_words(text, rules.Context(doc, "spelling.words"))
        text, _ = stage.fix_doubled(text, rules.Context(doc, "spelling.doubled"))
        out.append(text)
    return time.process_time() - start, out


# The caches that make a warm pass warm, by name, for versions older than
# ``clear_caches()``: each is cleared if the version has it.
CACHES = (
    "_setup", "decider", "looker", "initial_fix", "_chunk_splitter", "_settled_chunks", "_foreign_judge", "_tokens",
    "_chunk_set", "_code_lines",
)


def clear(version) -> None:
    """Forget every word type the version has seen (its lexicon stays loaded)."""
    stage = version[1]
    if hasattr(stage, "clear_caches"):
        stage.clear_caches()
        return
    fuzzy = importlib.import_module(stage.__name__ + "_fuzzy")
    for name in CACHES:
        if hasattr(stage, name):
            getattr(stage, name).cache_clear()
    for cache in (fuzzy.sounds_like, fuzzy.Channel.extra_costs, fuzzy.Channel.missing_costs):
        cache.cache_clear()


def cold_run(version, texts: list[str]) -> float:
    clear(version)
    return run(version, texts)[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkouts", nargs=2, help="old and new checkout (each with cleaner/ and rules/)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--allow-diff", action="store_true")
    parser.add_argument("--only", type=int, choices=(0, 1), help="run this version alone (for perf stat)")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--cold-rounds", type=int, default=3, help="cold passes per version (each after clearing its caches)")
    args = parser.parse_args()
    files = [f for f in sorted(glob.glob(f"{args.shared}/boilerplate-dev/*.txt")) if not f.endswith(".gold.txt")]
    texts = [Path(f).read_text(encoding="utf-8") for f in files]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        checkouts = args.checkouts if args.only is None else [args.checkouts[args.only]]
        versions = load(checkouts, Path(tmp))
        if args.only is not None:
            for _ in range(1 + args.passes):
                run(versions[0], texts)
            return 0
        cold = [run(v, texts) for v in versions]
        if cold[0][1] != cold[1][1] and not args.allow_diff:
            print("the two versions give different texts (--allow-diff to time them anyway)")
            return 1
        token = re.compile(r"\w+")
        # Cold passes, alternated too: every word type decided afresh (the lexicon is loaded by now).
        cold_best = [cold_run(v, texts) for v in versions]
        for _ in range(args.cold_rounds - 1):
            for i, version in enumerate(versions):
                cold_best[i] = min(cold_best[i], cold_run(version, texts))
        best = [float("inf")] * 3
        for _ in range(args.rounds):
            for i, version in enumerate(versions):
                best[i] = min(best[i], run(version, texts)[0])
            start = time.process_time()
            for text in texts:
                token.findall(text)
            best[2] = min(best[2], time.process_time() - start)
    print(f"{mb:.2f} MB, {len(texts)} pages; CPU time, min of {args.rounds} alternated rounds")
    for i, (checkout, *_rest) in enumerate(versions):
        print(f"  {('old', 'new')[i]} {checkout}: cold {mb / cold_best[i]:.1f} MB/s, warm {mb / best[i]:.1f} MB/s, "
              f"x{best[2] / best[i]:.2f} baseline")
    print(f"  baseline \\w+ findall {mb / best[2]:.1f} MB/s; new/old warm speed x{best[0] / best[1]:.2f}, "
          f"cold x{cold_best[0] / cold_best[1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

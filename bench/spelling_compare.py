"""Spelling speed of whichever cleaner is first on sys.path, to compare two versions.

    git archive <commit> | tar -x -C /tmp/base
    PYTHONPATH=/tmp/base python bench/spelling_compare.py    # the old version
    PYTHONPATH=.         python bench/spelling_compare.py    # this one

Runs the spelling rules of that version on the raw boilerplate-dev pages: cold
(fresh caches, lexicon loaded beforehand) and warm, beside a \\w+ findall
baseline in the same process; CPU time (process_time), since the machine is
shared.  Also the full lexicon's load time and allocations (under tracemalloc,
so slower than bench/spelling.py reports).  Uses only APIs both versions have.
"""
import glob, re, sys, time, resource, tracemalloc
from pathlib import Path
import cleaner
from cleaner.rules import Context, document_for, load_rule_file
root = Path(cleaner.__file__).resolve().parent.parent
rules = load_rule_file(root / "rules" / "spelling.toml")[0]
files = [f for f in sorted(glob.glob('/work/shared/boilerplate-dev/*.txt')) if not f.endswith('.gold.txt')]
texts = [Path(f).read_text(encoding='utf-8') for f in files]
mb = sum(len(t.encode()) for t in texts) / 1e6
from cleaner.stages.spelling.lexicon import lexicon
tracemalloc.start()
t0 = time.perf_counter()
lex = lexicon()
for name in ("table", "misspellings", "zipf", "dictionary", "candidates", "candidates_by_initial", "sounds", "gb_words", "us_words"):
    getattr(lex, name, None)
load = time.perf_counter() - t0
_, peak = tracemalloc.get_traced_memory(); tracemalloc.stop()
def stage():
    t = time.process_time()
    for text in texts:
        d = document_for(None)
        for r in rules:
            text = r.apply(text, Context(d, r.id))[0]
    return time.process_time() - t
tok = re.compile(r"\w+")
def base():
    t = time.process_time(); [tok.findall(x) for x in texts]; return time.process_time() - t
cold = stage(); warm = min(stage() for _ in range(3)); b = min(base() for _ in range(3))
print(f"{cleaner.__file__}: {mb:.2f} MB; full lexicon load {load:.2f} s, allocations {peak/1e6:.0f} MB; "
      f"cold {mb/cold:.1f} MB/s, warm {mb/warm:.1f} MB/s; baseline \\w+ findall {mb/b:.1f} MB/s; "
      f"ratio warm {b/warm:.2f}, cold {b/cold:.2f}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024:.0f} MB")

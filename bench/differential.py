"""Two checkouts of cleaner, the same random texts: which outputs, edits or notes differ?

    git archive <commit> | tar -x -C /tmp/base
    python bench/differential.py /tmp/base . [--texts 4000] [--seed 1]

A speed change must not change behaviour, and the stage snapshots
(``spelling_snapshot.py``, ``boilerplate_snapshot.py``) only hold the texts we
have.  This makes texts nobody wrote: real words (the bundled seeds') mixed with
fragments that the stages treat specially (backticks, straight and curly quotes,
spaced stops and commas, brackets, URLs, ``.NET``, ``e.g.``, code lines, fences,
line and paragraph breaks, no-break and zero-width spaces, known misspellings),
half of them with the pieces glued together.  Every text runs through the whole
default pipeline of each checkout (as ``.txt`` and, every third one, as ``.md``),
each checkout in its own process, and every text whose result differs is listed
with the edits and notes only one side made.  Not a measurement: a search for
behaviour a change did not mean to make.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRAGMENTS = (
    "`", '"', "“", "”", " .", " ,", "\n", "\n\n", "(", ")", " )", " ( ", "https://x.com/a.B,c", ".NET",
    "Word.Word", " . ", " ; ", ":", "!", "?", "...", "…", "-", "recieved", "teh", "the the", "Juche",
    "x = f(a,b);", "    code line", "```", "'", "’", "e.g.", "U.S.", "3.14", " .The", ",and", "A.B.C",
    "\u00a0", "\u200b",
)


def texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "seeds").iterdir())).split()
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(5, 120)):
            r = rng.random()
            parts.append(rng.choice(FRAGMENTS) if r < 0.3 else (" " if r < 0.5 else "") + rng.choice(words))
        out.append(" ".join(parts) if rng.random() < 0.5 else "".join(parts))
    return out


# Run in each checkout's own process: clean every text, print one JSON result per text.
WORKER = """
import json, sys
import cleaner
from cleaner import clean_text
print(cleaner.__file__)
for k, text in enumerate(json.load(open(sys.argv[1], encoding="utf-8"))):
    r = clean_text(text, path="x.md" if k % 3 == 0 else "x.txt")
    print(json.dumps([r.text, [str(e) for e in r.edits], [str(n) for n in r.notes]], ensure_ascii=False))
"""


def run(checkout: str, corpus: Path) -> list[list]:
    env = {**os.environ, "PYTHONPATH": str(Path(checkout).resolve())}
    done = subprocess.run(  # run from the corpus's folder: ``-c`` puts the working directory first on sys.path
        [sys.executable, "-c", WORKER, str(corpus)], env=env, capture_output=True, text=True, encoding="utf-8",
        cwd=corpus.parent,
    )
    if done.returncode:
        raise SystemExit(f"{checkout}: {done.stderr.strip().splitlines()[-1]}")
    package, *results = done.stdout.splitlines()
    print(f"{checkout}: {package}")
    return [json.loads(line) for line in results]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs=2, help="old and new checkout (each with cleaner/ and rules/)")
    parser.add_argument("--texts", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    made = texts(args.texts, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "texts.json"
        corpus.write_text(json.dumps(made, ensure_ascii=False), encoding="utf-8")
        old, new = (run(c, corpus) for c in args.checkouts)
    differ = 0
    for k, (a, b) in enumerate(zip(old, new)):
        if a == b:
            continue
        differ += 1
        what = [name for name, x, y in zip(("text", "edits", "notes"), a, b) if x != y]
        print(f"text {k} ({', '.join(what)} differ): {made[k][:100]!r}")
        for side, mine, theirs in (("old", a, b), ("new", b, a)):
            for item in [e for e in mine[1] if e not in theirs[1]] + [n for n in mine[2] if n not in theirs[2]]:
                print(f"    only {side}: {item}")
    print(f"{len(made)} texts, {differ} differ")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Rebuild the spelling stage's data files in rules/spelling/ from their sources.

The stage ships derived data, not its sources, so that it loads fast and needs
nothing at run time but wordfreq.  This script is how that data was made, so a
reviewer can check every filtering decision and anyone can redo it:

    apt-get install wamerican-large wbritish-large        # SCOWL size 70 lists
    python bench/spelling_build.py /work/shared/spelling   # writes rules/spelling/

Outputs:
- ``typos.csv``: the misspelling table, rows of typos-words.csv (crate-ci/typos,
  MIT) that survive the filters below, sorted, lowercase.
- ``dictionary.txt``: SCOWL size-70 American + British words (the "real word"
  reference that web frequency lists cannot be: they contain ``recieve``).
- ``variants.tsv``: British<TAB>American spelling pairs derived from SCOWL's two
  lists, so a document's own preference can pick between them.

Why rows of the typos table are dropped (each is a reason a "fix" would be wrong):
- the typo is a dictionary word in either spelling, or a name (``bloc``,
  ``rouge``, ``Nam``, ``discreet``): real words are never replaced;
- the typo is common on the web (Zipf >= 3): a token that frequent is a name,
  slang or a word of another language far more often than a slip (``goin``,
  ``claus``, ``ist``);
- the typo is a common word of another major language (``absolument``);
- a correction is in neither the dictionary nor the web list, or is itself a listed typo.
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

from wordfreq import get_frequency_dict

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "rules" / "spelling"
DICT_FILES = {
    "us": Path("/usr/share/dict/american-english-large"),
    "gb": Path("/usr/share/dict/british-english-large"),
}
COMMON_ON_WEB = 3.0
FOREIGN = ("fr", "de", "es", "it", "pt", "nl")
FOREIGN_COMMON = 3.5

# Spelling differences between British and American English, as (GB, US)
# substrings.  Applied one or two at a time to a British-only word; the result
# counts as its American twin only when SCOWL's American list has it.
GB_US = [
    ("ise", "ize"), ("isi", "izi"), ("isa", "iza"), ("yse", "yze"), ("ysi", "yzi"),
    ("our", "or"), ("tre", "ter"), ("ogue", "og"), ("ence", "ense"), ("ll", "l"),
    ("ae", "e"), ("oe", "e"), ("mme", "m"), ("eable", "able"), ("dg", "dge"),
]


def zipf(freqs: dict[str, float], word: str) -> float:
    f = freqs.get(word)
    return math.log10(f) + 9 if f else 0.0


def read_dictionary() -> tuple[set[str], set[str]]:
    lists = {}
    for name, path in DICT_FILES.items():
        words = set()
        for line in path.read_text(encoding="utf-8", errors="strict").split("\n"):
            word = line.strip()
            if word and not word.endswith("'s"):
                words.add(word)
        lists[name] = words
    return lists["us"], lists["gb"]


def variant_pairs(us: set[str], gb: set[str]) -> list[tuple[str, str]]:
    us_only = {w for w in us - gb if w.islower()}
    gb_only = sorted(w for w in gb - us if w.islower())
    pairs = []
    for word in gb_only:
        found = None
        for a, b in GB_US:
            if a in word:
                one = word.replace(a, b)
                if one in us_only:
                    found = one
                    break
                for c, d in GB_US:
                    if c in one and (c, d) != (a, b):
                        two = one.replace(c, d)
                        if two in us_only:
                            found = two
                            break
            if found:
                break
        if found:
            pairs.append((word, found))
    return pairs


def main(source: Path) -> None:
    en = get_frequency_dict("en")
    foreign = [get_frequency_dict(lang) for lang in FOREIGN]
    us, gb = read_dictionary()
    both = us | gb
    real = {w.lower() for w in both}

    def is_word(w: str) -> bool:
        # Corrections are often rare technical words (``underflows``): any
        # dictionary or web-list presence will do; a listed typo will not.
        return all(p.lower() in real or p.lower() in en for p in w.replace("-", " ").split(" "))

    rows = []
    with open(source / "typos-words.csv", encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            rows.append((row[0].strip().lower(), [x.strip() for x in row[1:] if x.strip()]))
    typos = {typo for typo, _ in rows}
    kept = []
    dropped = {"real word": 0, "common on web": 0, "foreign word": 0, "bad correction": 0}
    for typo, fixes in rows:
        if typo in real:
            dropped["real word"] += 1
            continue
        if zipf(en, typo) >= COMMON_ON_WEB:
            dropped["common on web"] += 1
            continue
        if any(zipf(f, typo) >= FOREIGN_COMMON for f in foreign):
            dropped["foreign word"] += 1
            continue
        if not fixes or any(f.lower() in typos or not is_word(f) for f in fixes):
            dropped["bad correction"] += 1
            continue
        kept.append((typo, fixes))
    kept.sort()
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "typos.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for typo, fixes in kept:
            writer.writerow([typo, *fixes])
    with open(OUT / "dictionary.txt", "w", encoding="utf-8") as fh:
        fh.write("\n".join(sorted(both)) + "\n")
    pairs = variant_pairs(us, gb)
    with open(OUT / "variants.tsv", "w", encoding="utf-8") as fh:
        fh.write("".join(f"{g}\t{u}\n" for g, u in pairs))
    print(f"typos: {len(rows)} rows, kept {len(kept)}, dropped {dropped}")
    print(f"dictionary: {len(both)} words; variants: {len(pairs)} pairs")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/spelling"))

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

Then, from those files and wordfreq, the compiled lexicon the stage loads at
run time (``python bench/spelling_build.py --compile`` redoes only this step,
e.g. after editing ``ours.csv``).  It is precomputed so that a process loads it
with a few ``str.split`` and ``frozenset`` calls, without importing wordfreq:
- ``gate.txt``: the word gate, lowercase, one a line: dictionary words, web words
  with Zipf >= 2.5 and contraction stems, minus every listed misspelling;
- ``gate-forms.txt``: the other forms the gate accepts as written: Title case of
  its words with Zipf >= 3, and common contractions with either apostrophe;
- ``dictionary-lower.txt``: ``dictionary.txt``'s words in lowercase, sorted, once
  each (a run with few words to look up bisects it instead of building a set);
- ``zipf.txt``: wordfreq's English list (lowercase alphabetic tokens): a first
  line with one character per word, chr(Zipf x 100 + 0x100), then the words
  sorted, one a line (searched by bisection at run time, no dict to build);
- ``candidates.txt``: fuzzy-lookup targets: dictionary words written in
  lowercase, ASCII letters only, Zipf >= 1.5, not a listed misspelling; one
  line per first letter: the letter, a tab, the words from shortest to longest;
- ``sounds.txt``: the same words by sound skeleton (``spelling.sounds.skeleton``),
  ``skeleton TAB words``, so a slip by ear finds its word;
- ``loose.txt``: the same words by loose key (``spelling.sounds.loose_key``: the
  skeleton with voiced and voiceless consonants and the nasals made one), for
  the second look at a long word with no candidate in reach;
- ``table.tsv`` and ``ambiguous.tsv``: ``typos.csv`` and ``ours.csv`` merged
  (ours wins), as ``typo TAB fix``, and ``typo TAB fix,fix...`` for rows with
  several corrections: each read with one split.
The thresholds are the defaults of ``rules/spelling.toml``; the first line of
``gate.txt`` records them, and other settings are computed at run time instead.

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

from cleaner.stages.spelling.lexicon import LOWER_DICTIONARY_FILE

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


# Thresholds of the compiled files: the defaults of rules/spelling.toml.
GATE_ZIPF = 2.5
CANDIDATE_ZIPF = 1.5
TITLE_ZIPF = 3.0
ZIPF_OFFSET = 0x100  # as in cleaner.stages.spelling.lexicon: Zipf centibels stored as chr(value + offset)
CONTRACTION_STEMS = (
    "aren couldn didn doesn don hadn hasn haven isn mightn mustn needn oughtn shan "
    "shouldn wasn weren won wouldn ain y'all ma'am o'clock"
).split()


def _table_typos() -> set[str]:
    typos = set()
    for name in ("typos.csv", "ours.csv"):
        for line in (OUT / name).read_text(encoding="utf-8").split("\n"):
            if line and not line.startswith("#"):
                typos.add(line.split(",", 1)[0])
    return typos


def compile_lexicon() -> None:
    """Write the run-time files (see the module docstring) from the shipped sources."""
    en = get_frequency_dict("en")
    zipf = {w: round((math.log10(f) + 9) * 100) for w, f in en.items()}  # wordfreq's own centibel steps
    misspellings = _table_typos()
    words = [w for w in (OUT / "dictionary.txt").read_text(encoding="utf-8").split("\n") if w]
    dictionary = {w.lower() for w in words}
    common = {w for w, z in zipf.items() if z >= GATE_ZIPF * 100 and w.isalpha()}
    known = (dictionary | common | set(CONTRACTION_STEMS)) - misspellings
    forms = {w.title() for w in known if zipf.get(w, 0) >= TITLE_ZIPF * 100}
    apostrophed = {w for w, z in zipf.items() if z >= TITLE_ZIPF * 100 and "'" in w and w.replace("'", "").isalpha()}
    apostrophed |= {w.replace("'", "\u2019") for w in apostrophed}
    forms |= apostrophed | {w[0].upper() + w[1:] for w in apostrophed}
    forms -= known
    header = f"# gate_zipf={GATE_ZIPF} candidate_zipf={CANDIDATE_ZIPF} title_zipf={TITLE_ZIPF}"
    (OUT / "gate.txt").write_text(header + "\n" + "\n".join(sorted(known)) + "\n", encoding="utf-8")
    (OUT / "gate-forms.txt").write_text("\n".join(sorted(forms)) + "\n", encoding="utf-8")
    (OUT / LOWER_DICTIONARY_FILE).write_text("\n".join(sorted(dictionary)) + "\n", encoding="utf-8")
    alpha = sorted(w for w in zipf if w.isalpha() and w == w.lower())
    values = "".join(chr(zipf[w] + ZIPF_OFFSET) for w in alpha)
    (OUT / "zipf.txt").write_text(values + "\n" + "\n".join(alpha) + "\n", encoding="utf-8")
    lower_dictionary = {w for w in words if w.islower()}
    candidates = sorted(
        w for w in lower_dictionary
        if w.isalpha() and w.isascii() and w not in misspellings and zipf.get(w, 0) >= CANDIDATE_ZIPF * 100
    )
    by_initial: dict[str, list[str]] = {}
    for w in sorted(candidates, key=lambda w: (len(w), w)):
        by_initial.setdefault(w[0], []).append(w)
    (OUT / "candidates.txt").write_text(
        "".join(f"{c}\t{' '.join(ws)}\n" for c, ws in sorted(by_initial.items())), encoding="utf-8"
    )
    from cleaner.stages.spelling.sounds import skeleton

    sounds: dict[str, list[str]] = {}
    for w in candidates:
        sounds.setdefault(skeleton(w), []).append(w)
    (OUT / "sounds.txt").write_text("".join(f"{k}\t{' '.join(ws)}\n" for k, ws in sorted(sounds.items())), encoding="utf-8")
    from cleaner.stages.spelling.sounds import loose_key

    loose: dict[str, list[str]] = {}
    for k, ws in sorted(sounds.items()):
        loose.setdefault(loose_key(k), []).extend(ws)
    (OUT / "loose.txt").write_text("".join(f"{k}\t{' '.join(ws)}\n" for k, ws in sorted(loose.items())), encoding="utf-8")
    table: dict[str, str] = {}
    for name in ("typos.csv", "ours.csv"):  # ours last: our own entries win
        for line in (OUT / name).read_text(encoding="utf-8").split("\n"):
            if line and not line.startswith("#"):
                typo, _, fixes = line.partition(",")
                table[typo] = ",".join(x for x in fixes.split(",") if x)
    for name, rows in (
        ("table.tsv", {t: f for t, f in table.items() if "," not in f}),
        ("ambiguous.tsv", {t: f for t, f in table.items() if "," in f}),
    ):
        (OUT / name).write_text("".join(f"{t}\t{f}\n" for t, f in sorted(rows.items())), encoding="utf-8")
    print(
        f"gate: {len(known)} words + {len(forms)} forms; "
        f"zipf: {len(alpha)} words; candidates: {len(candidates)}; table: {len(table)} rows"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--compile"]:
        compile_lexicon()
    else:
        main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/spelling"))
        compile_lexicon()

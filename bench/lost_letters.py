"""Letters lost to U+FFFD: restored / quoted / left / wrong, per language.

Damaged copies of ../shared/multilingual-dev (13 languages, 800 sentences
each, CC BY-SA 4.0): every non-ASCII letter replaced by U+FFFD, as a
Latin-1 or cp1250 file read as UTF-8 with replacement shows it (--all-chars:
every non-ASCII character, quotes and signs too).  Each damaged
document (--per-doc sentences of one language, one paragraph each) is cleaned
by the encoding stage alone, and every damaged word is compared with the
original:
- restored: the original word exactly;
- quoted: a quote mark stands where a letter was;
- left: still holds U+FFFD (reported by the stage);
- case: the original word in another case (a name's lost capital: ``�stanbul``);
- wrong: anything else (another word, a letter dropped).
English is damaged the same way: there the lost characters are mostly quotes,
apostrophes and dashes, and "restored" means the original character came back.

    python bench/lost_letters.py [--per-doc 10] [--show 0]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

from cleaner import Config, clean_text

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "multilingual-dev"
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f²³¹ºª]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
QUOTES = set("“”‘’\"'«»„")


def damage(text: str, everything: bool = False) -> str:
    return (_NON_ASCII if everything else _NON_ASCII_LETTER).sub("\ufffd", text)


def classify(original: str, got: str) -> str:
    if got == original:
        return "restored"
    if "\ufffd" in got:
        return "left"
    if any(c in QUOTES and c not in original for c in got):
        return "quoted"
    if got.lower() == original.lower():
        return "case"
    return "wrong"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-doc", type=int, default=10, help="sentences per damaged document")
    ap.add_argument("--show", type=int, default=0, help="print this many wrong or quoted words per language")
    ap.add_argument("--only", default="")
    ap.add_argument("--all-chars", action="store_true", help="damage every non-ASCII character, not only letters")
    args = ap.parse_args()
    config = Config(select=("encoding",))
    print(f"{'lang':5} {'damaged':>8} {'restored':>9} {'quoted':>7} {'left':>7} {'case':>7} {'wrong':>7}")
    totals: Counter[str] = Counter()
    for path in sorted(DEV.glob("*.txt")):
        lang = path.stem
        if args.only and lang != args.only:
            continue
        sentences = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        counts: Counter[str] = Counter()
        shown = 0
        for i in range(0, len(sentences), args.per_doc):
            original = "\n\n".join(sentences[i:i + args.per_doc]) + "\n"
            broken = damage(original, args.all_chars)
            cleaned = clean_text(broken, config).text
            a, b, c = original.split(" "), broken.split(" "), cleaned.split(" ")
            if len(a) != len(c):
                # a word was removed: align the rest, the removed ones are wrong
                pairs = []
                for op, i1, i2, j1, j2 in SequenceMatcher(None, b, c, autojunk=False).get_opcodes():
                    if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
                        pairs += [(a[i], b[i], c[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
                    else:
                        pairs += [(a[i], b[i], "") for i in range(i1, i2)]
            else:
                pairs = list(zip(a, b, c))
            for orig, dam, got in pairs:
                if "\ufffd" not in dam:
                    continue
                kind = classify(orig, got)
                counts[kind] += 1
                if kind in ("wrong", "quoted", "case") and shown < args.show:
                    print(f"  {lang} {kind}: {orig!r} -> {dam!r} -> {got!r}")
                    shown += 1
        n = sum(counts.values()) or 1
        totals.update(counts)
        print(f"{lang:5} {n:8} {counts['restored'] / n:9.1%} {counts['quoted'] / n:7.1%} "
              f"{counts['left'] / n:7.1%} {counts['case'] / n:7.1%} {counts['wrong'] / n:7.1%}")
    n = sum(totals[k] for k in totals) or 1
    print(f"{'all':5} {n:8} {totals['restored'] / n:9.1%} {totals['quoted'] / n:7.1%} "
          f"{totals['left'] / n:7.1%} {totals['case'] / n:7.1%} {totals['wrong'] / n:7.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time of the default pipeline on adversarial inputs: one huge token, one
huge hyphenated chunk, runs of one odd character, and so on.

    python bench/adversarial.py [--size 300000]
    python bench/adversarial.py --rules [--rule-size 1000000] [--only encoding.mojibake spelling]

Scraped text holds such things (a base64 blob, a minified line, a table of
dashes), and a step that is quadratic in a line's or a word's length turns a
0.3 MB file into minutes.  Every input is about ``--size`` characters; each
figure is CPU time beside a ``\\w+`` findall over the same text in the same
process (the ratio), and beside its time at half the size (the growth: about 2
for a linear step, 4 for a quadratic one), so a step that went quadratic stands
out at once, on any machine.  Generated texts are random with a fixed seed; the "real words"
inputs lay out the bundled seeds' words as no writer would (one line, one a
line, joined by full stops...).
"""

from __future__ import annotations

import argparse
import base64
import random
import re
import resource
import string
import time
from pathlib import Path


SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"


def inputs(size: int) -> dict[str, str]:
    rng = random.Random(0)

    def letters(n: int) -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(n))

    # Real words (the bundled seeds'), laid out as no writer would.
    real = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())).split()
    real = (real * (size // max(1, len(real)) + 1))[: size // 5]
    words = size // 7
    return {
        "real words on one line": " ".join(real)[:size],
        "real words one a line": "\n".join(real)[:size],
        "real words joined by full stops": ".".join(w.title() for w in real)[:size],
        "real words each doubled": " ".join(w + " " + w for w in real)[:size],
        "real words with spaced stops": " .".join(real)[:size],
        "one lowercase token": letters(size),
        "one capitalised token": "A" + letters(size),
        "one camel-case token": "".join(letters(5).title() for _ in range(size // 5)),
        "one hyphenated chunk": "-".join(letters(6) for _ in range(words)),
        "one dotted chunk": ".".join(letters(6) for _ in range(words)),
        "one comma-joined chunk": ",".join(letters(6) for _ in range(words)),
        "one line of random words": " ".join(letters(6) for _ in range(words)),
        "short lines of random words": "\n".join(letters(6) for _ in range(words)),
        "base64 blob": base64.b64encode(rng.randbytes(size * 3 // 4)).decode(),
        "spaced dots": ". " * (size // 2),
        "ellipses": "…" * size,
        "U+FFFD run": "\ufffd" * size,
        "no-break spaces between letters": "a\u00a0" * (size // 2),
        "zero-width spaces": "\u200b" * size,
        "digits": "1" * size,
        "blank lines": "\n" * size,
        "HTML tags": "<div>" * (size // 5),
        "one word repeated": "abc " * (size // 4),
    }


# One unit of text on which each rule has work to do (or, for the line-level
# rules, plain words): repeated into one line of 1 MB and 2 MB by --rules.
RULE_UNITS = {
    "encoding.html-entities": "a &amp; b ",
    "encoding.gbk-latin1": "\xa1\xb0\xd6\xd0\xb9\xfa\xa1\xb1 ",
    "encoding.mojibake": "cafÃ© ",
    "encoding.controls": "a\x1ab ",
    "encoding.soft-hyphen": "co\xadop ",
    "encoding.lost-letter": "caf\ufffd ",
    "encoding.lost-quote": "don\ufffdt ",
    "encoding.lost-char": "a\ufffdb ",
    "whitespace.odd-spaces": "a\u00a0b ",
    "whitespace.zero-width": "a\u200bb ",
    "whitespace.trailing": "word \t",
    "whitespace.inner-spaces": "a  b ",
    "spacing.ellipsis-run": "word…. ",
    "spacing.space-before-punct": "word , word ",
    "spacing.space-before-close-paren": "x ) ",
    "spacing.space-after-open-paren": "( x ",
    "spacing.possessive": "John ’s ",
    "spacing.quote-direction": "”word” ",
    "spacing.quote-glued": "said“hello” ",
    "spacing.space-after-sentence": "end.Next ",
    "spacing.space-after-comma": "a,b ",
    "spacing.space-after-colon": "note:this ",
    "spelling.doubled": "the the ",
    "spelling.words": "recieve teh word ",
}
GROWTH_LIMIT = 2.5  # time at 2x the size; 2 is linear, 4 quadratic


def rule_growth(size: int, only: tuple[str, ...] = ()) -> int:
    """Each rule alone on one line of ``size`` and ``2 * size`` characters of
    its own pattern (the rules whose id starts with one of only, if given);
    returns how many grow faster than GROWTH_LIMIT."""
    from cleaner import Config, clean_text
    from cleaner.pipeline import active_rules

    print(f"{'rule':36s} {'MB':>5s} {'s':>7s} {'s at 2x':>8s} {'growth':>7s}")
    steep = 0
    for rule in active_rules(Config(select=tuple(RULE_UNITS) + ("boilerplate",))):
        if only and not rule.id.startswith(only):
            continue
        unit = RULE_UNITS.get(rule.id, "plain words on one line ")
        config = Config(select=(rule.id,))
        clean_text("Warm up.\n", config)
        times = []
        for n in (size, 2 * size):
            text = unit * (n // len(unit)) + "\n"
            times.append(_cpu(lambda t: clean_text(t, config), text))
        growth = times[1] / max(times[0], 1e-3)
        flag = "  <- steeper than linear" if growth > GROWTH_LIMIT and times[1] > 0.05 else ""
        steep += bool(flag)
        print(f"{rule.id:36s} {size / 1e6:5.1f} {times[0]:7.2f} {times[1]:8.2f} {growth:7.1f}{flag}")
    return steep


def _cpu(function, text: str) -> float:
    start = time.process_time()
    function(text)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=300_000, help="characters per input")
    parser.add_argument(
        "--rules", action="store_true",
        help="instead: each rule alone on one line of its own pattern, 1 MB and 2 MB (see --rule-size), with a growth check",
    )
    parser.add_argument("--rule-size", type=int, default=1_000_000, help="characters of the smaller line for --rules")
    parser.add_argument("--only", nargs="+", default=(), help="with --rules: only the rules whose id starts with one of these")
    args = parser.parse_args()
    if args.rules:
        steep = rule_growth(args.rule_size, tuple(args.only))
        print(f"rules growing more than {GROWTH_LIMIT}x for 2x the size: {steep}")
        raise SystemExit(1 if steep else 0)
    from cleaner import clean_text

    clean_text("Warm up: the lexicon is loaded once, recieved.\n")  # load time is not the input's
    token = re.compile(r"\w+")
    halves = inputs(args.size // 2)
    print(f"{'input':34s} {'MB':>5s} {'s':>7s} {'MB/s':>7s} {'x findall':>10s} {'growth':>7s}")
    worst = steepest = 0.0
    for name, text in inputs(args.size).items():
        text += "\n"
        mb = len(text.encode("utf-8")) / 1e6
        spent = _cpu(clean_text, text)
        base = max(_cpu(token.findall, text), 1e-6)
        # Time at half the size: about 2x for a linear step, 4x for a quadratic one.
        growth = spent / max(_cpu(clean_text, halves[name] + "\n"), 1e-3)
        worst, steepest = max(worst, spent / base), max(steepest, growth)
        print(f"{name:34s} {mb:5.2f} {spent:7.2f} {mb / max(spent, 1e-6):7.1f} {spent / base:10.0f} {growth:7.1f}")
    print(
        f"slowest input: {worst:.0f}x a \\w+ findall; steepest growth from half size: {steepest:.1f}x;"
        f" peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()

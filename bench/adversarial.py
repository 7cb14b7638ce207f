"""Time of the default pipeline on adversarial inputs: one huge token, one
huge hyphenated chunk, runs of one odd character, and so on.

    python bench/adversarial.py [--size 300000]

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


def _cpu(function, text: str) -> float:
    start = time.process_time()
    function(text)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=300_000, help="characters per input")
    args = parser.parse_args()
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

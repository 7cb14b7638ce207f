"""Write the encoding stage's precompiled lost-letter lists (rules/encoding/).

    python bench/encoding_build.py

- ``lost-letters.tsv``: the English index, at the rule's default min_zipf (2.0);
- ``lost-letters-<lang>.txt``: for each other Latin-script language wordfreq
  covers that writes non-ASCII letters, its words that hold one.

The files are derived from wordfreq's lists, so they are CC BY-SA 4.0 like
wordfreq's data.  tests/test_encoding.py checks that they match wordfreq.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cleaner.stages.encoding.lexicon import (
    COMPILED_FILE, LANGUAGE_FILE, LANGUAGES, compiled_language_text, compiled_text,
)

DEFAULT_MIN_ZIPF = 2.0


def main() -> int:
    folder = Path(__file__).resolve().parent.parent / "rules" / "encoding"
    folder.mkdir(exist_ok=True)
    out = folder / COMPILED_FILE
    out.write_text(compiled_text(DEFAULT_MIN_ZIPF), encoding="utf-8")
    print(f"wrote {out}")
    total = 0
    for language in LANGUAGES:
        out = folder / LANGUAGE_FILE.format(language)
        out.write_text(compiled_language_text(language), encoding="utf-8")
        total += out.stat().st_size
    print(f"wrote {len(LANGUAGES)} language lists, {total:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

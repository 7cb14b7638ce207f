"""Write rules/encoding/lost-letters.tsv, the encoding stage's precompiled lost-letter index,
and rules/encoding/ftfy-facts.txt, what its fast path needs to know of the installed ftfy.

    python bench/encoding_build.py            # at the rule's default min_zipf (2.0)

The file is derived from wordfreq's English list, so it is CC BY-SA 4.0 like
wordfreq's data.  tests/test_encoding.py checks that it matches wordfreq.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cleaner.stages.encoding.fixes import FTFY_FACTS_FILE, ftfy_facts_text
from cleaner.stages.encoding.lexicon import COMPILED_FILE, compiled_text

DEFAULT_MIN_ZIPF = 2.0


def main() -> int:
    out = Path(__file__).resolve().parent.parent / "rules" / "encoding" / COMPILED_FILE
    out.parent.mkdir(exist_ok=True)
    out.write_text(compiled_text(DEFAULT_MIN_ZIPF), encoding="utf-8")
    print(f"wrote {out}")
    facts = out.parent / FTFY_FACTS_FILE
    facts.write_text(ftfy_facts_text(), encoding="utf-8")
    print(f"wrote {facts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

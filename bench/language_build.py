"""Write rules/language/profiles.tsv, the language identifier's compiled word profiles.

    python bench/language_build.py

The profiles are derived from wordfreq's lists (``compiled_profiles_text``, the
commonest words of each language by Zipf value), then compiled into the sorted
table the identifier looks words up in (``compiled_profiles_file``); and
rules/language/pairs.tsv, the second look at close pairs of languages
(``compiled_pairs_text``).  Both are CC BY-SA 4.0 like wordfreq's data.  tests/test_language.py checks that the file
matches what this script would write.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cleaner.language import PAIRS_FILE, PROFILES_FILE, compiled_pairs_text, compiled_profiles_file, compiled_profiles_text


def main() -> int:
    out = Path(__file__).resolve().parent.parent / "rules" / "language" / PROFILES_FILE
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(compiled_profiles_file(compiled_profiles_text()))
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    pairs = out.parent / PAIRS_FILE
    pairs.write_text(compiled_pairs_text(), encoding="utf-8")
    print(f"wrote {pairs} ({pairs.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

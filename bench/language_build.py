"""Write rules/language/profiles.txt, the language identifier's word profiles.

    python bench/language_build.py

The file is derived from wordfreq's lists, so it is CC BY-SA 4.0 like
wordfreq's data.  tests/test_language.py checks that it matches wordfreq.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cleaner.language import PROFILES_FILE, compiled_profiles_text


def main() -> int:
    out = Path(__file__).resolve().parent.parent / "rules" / "language" / PROFILES_FILE
    out.parent.mkdir(exist_ok=True)
    out.write_text(compiled_profiles_text(), encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write rules/compiled-toml.marshal, the built-in TOML files parsed ahead of time.

    python bench/rules_build.py

Run it after editing any TOML file under rules/ (tests/test_rules.py checks that
the shipped file matches the sources).  A stale entry is never used, only slower:
``cleaner.rules.read_toml`` parses a file whose size or CRC-32 differs.
"""

from __future__ import annotations

import sys

from cleaner.rules import COMPILED_TOML_FILE, builtin_rules_dir, builtin_toml_files, compiled_toml_bytes


def main() -> int:
    files = builtin_toml_files()
    out = builtin_rules_dir() / COMPILED_TOML_FILE
    out.write_bytes(compiled_toml_bytes(files))
    print(f"wrote {out} ({out.stat().st_size:,} bytes, {len(files)} TOML files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

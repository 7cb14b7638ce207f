"""The README's first two commands are what a new user runs, and what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block, "README must open with a sh code block"
    assert text.index(block.group(0)) < text.index("## "), "the commands come before any section"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_install_and_test_commands():
    commands = _readme_commands()
    assert len(commands) == 2
    install, test = commands
    assert "pip install" in install and "cleaner run samples/" in install
    assert "pytest" in test


def test_ci_runs_exactly_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in _readme_commands():
        assert command in ci, f"{command!r} is not run by .ci/run"


def test_installed_package_finds_every_rule_file(tmp_path):
    """Run from outside the checkout, so the installed package (a wheel in CI) is used."""
    import subprocess
    import sys

    code = "import cleaner.rules as r; print(r.builtin_rules_dir())"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    installed = Path(out.stdout.strip())
    shipped = sorted(p.name for p in installed.glob("*.toml"))
    assert shipped == sorted(p.name for p in (ROOT / "rules").glob("*.toml"))
    assert "whitespace.toml" in shipped

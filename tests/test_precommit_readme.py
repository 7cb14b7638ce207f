"""The README's pre-commit snippet, exactly as it stands there, run by pre-commit in a throwaway repository.

The snippet is a ``repo: local`` hook with ``language: system``: it runs the
``cleaner`` installed beside this test's Python, so no environment is built
and nothing is downloaded.  (tests/test_precommit.py runs the hooks of
``.pre-commit-hooks.yaml`` the other way, with pre-commit installing cleaner.)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIRTY = "A line with  two spaces.   \n\n\n\nThe end."
CLEANED = "A line with two spaces.\n\nThe end.\n"


def readme_precommit_config() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## pre-commit\n"):]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "the README's pre-commit section shows a yaml block"
    return block.group(1)


def _tool(name: str) -> str:
    here = Path(sys.executable).with_name(name)
    if here.exists():
        return str(here)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (it comes with the project's 'test' extra)")
    return found


def test_readme_snippet_names_no_tag_that_does_not_exist():
    config = readme_precommit_config()
    assert "rev:" not in config and "repo: local" in config


def test_readme_precommit_snippet_works_as_written(tmp_path):
    cleaner_bin = Path(_tool("cleaner")).parent
    env = dict(os.environ)
    env.update(
        PATH=f"{cleaner_bin}{os.pathsep}{env.get('PATH', '')}",
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.invalid",
        PRE_COMMIT_COLOR="never",
    )
    env.pop("PRE_COMMIT", None)
    work = tmp_path / "work"
    work.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, timeout=300)

    assert run("git", "init", "-q").returncode == 0
    (work / ".pre-commit-config.yaml").write_text(readme_precommit_config(), encoding="utf-8")
    installed = run(_tool("pre-commit"), "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    (work / "notes.txt").write_text(DIRTY, encoding="utf-8")
    (work / "tool.py").write_text("x  =  1   \n", encoding="utf-8")
    assert run("git", "add", ".").returncode == 0

    first = run("git", "commit", "-m", "add notes")
    out = first.stdout + first.stderr
    assert first.returncode != 0, out
    assert "files were modified by this hook" in out
    assert (work / "notes.txt").read_text(encoding="utf-8") == CLEANED
    assert (work / "tool.py").read_text(encoding="utf-8") == "x  =  1   \n"  # not prose: left alone

    assert run("git", "add", "notes.txt").returncode == 0
    second = run("git", "commit", "-m", "add notes")
    assert second.returncode == 0, second.stdout + second.stderr
    assert run("git", "show", "HEAD:notes.txt").stdout == CLEANED

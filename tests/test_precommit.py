"""The two hooks of .pre-commit-hooks.yaml, run by pre-commit itself in throwaway git repositories.

This is how users meet cleaner in a project: a ``.pre-commit-config.yaml``
naming this repository at a revision.  So the test does what pre-commit does
for them: the project's current working tree is committed into a temporary
repository, another repository points at that commit, pre-commit builds its own
environment (pip-installing cleaner from the commit, which needs the package
registry and a minute or two) and ``git commit`` runs the hook.

Slow, but part of the default run: a hook that does not install or does not
fail the commit is exactly what unit tests cannot see.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[1]
DIRTY = "A line with  two spaces.   \n\n\n\nThe last line has no newline."
DIRTY_CLEANED = "A line with two spaces.\n\nThe last line has no newline.\n"
CODE = "x  =  1   \n"  # prose fixes must not reach source code


def _pre_commit() -> str:
    here = Path(sys.executable).with_name("pre-commit")
    if here.exists():
        return str(here)
    found = shutil.which("pre-commit")
    if found is None:
        pytest.fail("pre-commit is not installed (it comes with the project's 'test' extra)")
    return found


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(home),
        GIT_CONFIG_GLOBAL=os.devnull,  # no user hooksPath, signing or templates
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        PRE_COMMIT_COLOR="never",
    )
    env.pop("PRE_COMMIT", None)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    proc = _run(["git", *args], cwd, env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _project_files() -> list[str]:
    """Tracked and untracked, not ignored files of the working tree (what a user would commit)."""
    proc = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT, capture_output=True,
    )
    if proc.returncode == 0:
        names = [n for n in proc.stdout.decode("utf-8").split("\0") if n]
    else:  # not a git checkout (an unpacked sdist): what the package is built from
        names = [
            p.relative_to(PROJECT).as_posix()
            for top in ("cleaner", "rules")
            for p in (PROJECT / top).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        ]
        names += ["pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"]
    return sorted(n for n in set(names) if (PROJECT / n).is_file())


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """(repository path, commit sha, PRE_COMMIT_HOME shared by the tests of this module)."""
    base = tmp_path_factory.mktemp("precommit")
    home = base / "pre-commit-home"
    env = _env(home)
    repo = base / "cleaner-hooks"
    repo.mkdir()
    for name in _project_files():
        dest = repo / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / name, dest)
    assert (repo / ".pre-commit-hooks.yaml").is_file()
    _git(repo, env, "init", "-q")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "snapshot of the cleaner working tree")
    sha = _git(repo, env, "rev-parse", "HEAD").strip()
    return repo, sha, home


def _user_repo(path: Path, hook_repo, hook_id: str) -> dict[str, str]:
    repo, sha, home = hook_repo
    env = _env(home)
    path.mkdir()
    _git(path, env, "init", "-q")
    (path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {sha}\n    hooks:\n      - id: {hook_id}\n"
        # Other stages change under these tests; the whitespace stage is enough
        # to show the hook at work, and users pass flags the same way.
        f"        args: [--select, whitespace]\n",
        encoding="utf-8",
    )
    _git(path, env, "add", ".pre-commit-config.yaml")
    proc = _run([_pre_commit(), "install"], path, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Build the hook's environment now, with a long timeout: pip installs cleaner.
    proc = _run([_pre_commit(), "install-hooks"], path, env, timeout=1200)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return env


def _has_commit(path: Path, env: dict[str, str]) -> bool:
    return _run(["git", "rev-parse", "--verify", "-q", "HEAD"], path, env).returncode == 0


def test_cleaner_hook_fixes_the_file_and_fails_the_commit_then_passes(tmp_path, hook_repo):
    work = tmp_path / "work"
    env = _user_repo(work, hook_repo, "cleaner")
    (work / "notes.txt").write_text(DIRTY, encoding="utf-8")
    (work / "README.md").write_text("Title\n\nHard break  \nnext line.\n", encoding="utf-8")
    (work / "tool.py").write_text(CODE, encoding="utf-8")
    _git(work, env, "add", "notes.txt", "README.md", "tool.py")

    first = _run(["git", "commit", "-m", "add notes"], work, env, timeout=600)
    out = first.stdout + first.stderr
    assert first.returncode != 0, out
    assert "files were modified by this hook" in out
    assert not _has_commit(work, env)
    assert (work / "notes.txt").read_text(encoding="utf-8") == DIRTY_CLEANED
    assert (work / "README.md").read_text(encoding="utf-8") == "Title\n\nHard break  \nnext line.\n"
    assert (work / "tool.py").read_text(encoding="utf-8") == CODE  # not plain text or Markdown

    _git(work, env, "add", "notes.txt")
    second = _run(["git", "commit", "-m", "add notes"], work, env, timeout=600)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout + second.stderr
    assert _git(work, env, "show", "HEAD:notes.txt") == DIRTY_CLEANED
    assert _git(work, env, "show", "HEAD:tool.py") == CODE


def test_cleaner_check_hook_fails_the_commit_and_leaves_the_file_alone(tmp_path, hook_repo):
    work = tmp_path / "work"
    env = _user_repo(work, hook_repo, "cleaner-check")
    notes = work / "notes.txt"
    notes.write_text(DIRTY, encoding="utf-8")
    _git(work, env, "add", "notes.txt")
    mtime = notes.stat().st_mtime_ns

    first = _run(["git", "commit", "-m", "add notes"], work, env, timeout=600)
    out = first.stdout + first.stderr
    assert first.returncode != 0, out
    assert "would change: notes.txt" in out
    assert "files were modified by this hook" not in out
    assert not _has_commit(work, env)
    assert notes.read_text(encoding="utf-8") == DIRTY and notes.stat().st_mtime_ns == mtime

    notes.write_text(DIRTY_CLEANED, encoding="utf-8")
    _git(work, env, "add", "notes.txt")
    second = _run(["git", "commit", "-m", "add notes"], work, env, timeout=600)
    assert second.returncode == 0, second.stdout + second.stderr
    assert _has_commit(work, env)

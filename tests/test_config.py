"""Config discovery: the nearest cleaner.toml / pyproject.toml, found from the real location."""

from __future__ import annotations

import os

import pytest

from cleaner.config import find_config_file


def _nearest_by_resolving(start):
    """The reference: resolve the path afresh and look in each folder above it."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    while True:
        for name in ("cleaner.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file() and (name == "cleaner.toml" or "[tool.cleaner]" in candidate.read_text()):
                return candidate
        if folder.parent == folder:
            return None
        folder = folder.parent


def test_the_nearest_config_is_found_from_where_a_path_really_is(tmp_path, monkeypatch):
    real = tmp_path / "real"
    (real / "a" / "b").mkdir(parents=True)
    (real / "cleaner.toml").write_text("line-ending = 'keep'\n")
    (tmp_path / "other" / "c").mkdir(parents=True)
    (tmp_path / "other" / "pyproject.toml").write_text("[tool.cleaner]\nexclude = ['x']\n")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "link").symlink_to(real / "a")
    (tmp_path / "other" / "c" / "up").symlink_to(real / "a" / "b")
    monkeypatch.chdir(tmp_path / "other")
    starts = [
        real / "a" / "b" / "f.txt",
        tmp_path / "link" / "b" / "f.txt",  # through a symlinked folder: the real folder's config
        tmp_path / "link" / ".." / "f.txt",  # '..' after a symlink: the real parent, not tmp_path
        tmp_path / "other" / "c" / "up" / "f.txt",
        tmp_path / "other" / "c" / "missing" / "deeper" / "f.txt",  # a folder that does not exist
        tmp_path / "plain" / "f.txt",  # a pyproject.toml without [tool.cleaner] is passed over
        tmp_path / "link",
        real / "a",
        real,
    ]
    starts += [p.relative_to(tmp_path / "other") for p in starts if p.is_relative_to(tmp_path / "other")]
    starts += [type(real)("c") / "up" / "g.txt", type(real)(".."), type(real)("../link/b")]
    expected = [_nearest_by_resolving(p) for p in starts]
    assert expected[:4] == [real / "cleaner.toml"] * 4
    assert expected[4] == tmp_path / "other" / "pyproject.toml"
    for _ in range(2):  # asked again, from what is remembered
        assert [find_config_file(p) for p in starts] == expected


def test_a_tree_deeper_than_the_recursion_limit_is_searched(tmp_path):
    (tmp_path / "cleaner.toml").write_text("line-ending = 'keep'\n")
    deepest = tmp_path.joinpath(*["d"] * 1100)  # deeper than Python's default recursion limit (1000)
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(1100):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        os.close(fd)
        assert find_config_file(deepest / "f.txt") == tmp_path / "cleaner.toml"
    finally:
        # Removed here, whatever happened: pytest's own clean-up recurses once per folder.
        while deepest != tmp_path:
            if deepest.exists():
                os.rmdir(deepest)
            deepest = deepest.parent


def test_a_path_through_a_file_or_too_long_is_taken_as_resolve_takes_it(tmp_path):
    (tmp_path / "cleaner.toml").write_text("line-ending = 'keep'\n")
    (tmp_path / "file.txt").write_text("x\n")
    through_file = tmp_path / "file.txt" / "a" / "f.txt"  # lstat: not a directory
    assert find_config_file(through_file) == _nearest_by_resolving(through_file) == tmp_path / "cleaner.toml"
    too_long = tmp_path.joinpath(*["L" * 250] * 18, "f.txt")  # over PATH_MAX: an OSError, as before
    for find in (find_config_file, _nearest_by_resolving):
        with pytest.raises(OSError):
            find(too_long)

"""RunOptions.config_for: settings looked up once per folder give what a lookup per file gives."""

from __future__ import annotations

import os

from cleaner.runner import RunOptions


def test_settings_per_folder_equal_settings_per_file_symlinks_included(tmp_path, monkeypatch):
    (tmp_path / "cleaner.toml").write_text('select = ["whitespace"]\n', encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    other = tmp_path / "other"
    other.mkdir()
    (other / "cleaner.toml").write_text('select = ["spacing"]\nline-ending = "keep"\n', encoding="utf-8")
    for folder in (tmp_path, deep, other):
        (folder / "f.txt").write_text("x  \n", encoding="utf-8")
    os.symlink(other / "f.txt", deep / "link.txt")  # a link has the settings of where it points
    options = RunOptions(overrides=(("ignore", ("whitespace.trailing",)),))
    paths = [tmp_path / "f.txt", deep / "f.txt", other / "f.txt", deep / "link.txt", deep, tmp_path / "gone.txt"]
    for path in paths * 2:  # the second time from the per-folder cache
        assert options.config_for(path) == options.settings_for(path), path
    assert options.config_for(deep / "f.txt").select == ("whitespace",)
    assert options.config_for(deep / "link.txt").select == ("spacing",)
    assert options.config_for(deep / "link.txt").line_ending == "keep"
    assert options.config_for(other / "f.txt").ignore == ("whitespace.trailing",)
    monkeypatch.chdir(deep)  # a relative path is looked up from where the run is, not cached
    assert options.config_for(type(deep)("f.txt")).select == ("whitespace",)
    monkeypatch.chdir(other)
    assert options.config_for(type(deep)("f.txt")).select == ("spacing",)

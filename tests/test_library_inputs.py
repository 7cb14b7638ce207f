"""The library says what is wrong with its arguments, and takes what a Python user would pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Config, clean_text


def test_config_takes_lists_and_strings_for_its_tuples():
    assert Config(ignore=["spelling"]) == Config(ignore=("spelling",))
    assert Config(select="whitespace").select == ("whitespace",)
    text = "Teh  river.\n"
    assert clean_text(text, Config(select=["whitespace"], ignore=["whitespace.inner-spaces"])).text == text
    assert clean_text(text, Config(select=["whitespace"])).text == "Teh river.\n"
    hash(Config(include=["*.txt"]))  # usable as a cache key, as the pipeline does


def test_config_rejects_values_of_the_wrong_type():
    with pytest.raises(TypeError, match=r"Config\(ignore=\.\.\.\) wants a list of strings"):
        Config(ignore=[1, 2])
    with pytest.raises(ValueError, match="line_ending"):
        Config(line_ending="crlf")


def test_clean_text_wants_str_not_bytes():
    with pytest.raises(TypeError, match="clean_text wants str, not bytes: decode first"):
        clean_text(b"some text\n")
    with pytest.raises(TypeError, match="not int"):
        clean_text(3)
    with pytest.raises(TypeError, match="cleaner.Config"):
        clean_text("text\n", {"ignore": ["spelling"]})


def test_clean_text_takes_a_path_object():
    text = "Hard break  \nnext line.\n"  # Markdown keeps a hard line break
    assert clean_text(text, path=Path("notes.md")).text == clean_text(text, path="notes.md").text == text

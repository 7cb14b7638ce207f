"""The generic rule test: every rule's own examples, run through that rule alone.

For each rule in rules/: each example input gives its output, each unchanged
input stays as it is, the reported edits replay to the output, and a second
pass changes nothing.  Then the whole default pipeline must be idempotent on
every example too, so rules of different stages do not fight each other.
"""

from __future__ import annotations

import pytest

from cleaner import Config, clean_text
from cleaner.rules import STAGES, check_examples, load_ruleset

RULES = load_ruleset().rules


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule):
    assert check_examples(rule) == []


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_is_documented_and_exemplified(rule):
    assert rule.description.strip()
    assert rule.examples, "a rule needs an example it changes"
    assert rule.unchanged, "a rule needs an example it must leave alone"
    assert rule.stage in STAGES


def _all_example_inputs():
    for rule in RULES:
        for ex in rule.examples + rule.unchanged:
            yield pytest.param(ex.input, ex.path, id=f"{rule.id}:{ex.input[:30]!r}")


@pytest.mark.parametrize(("text", "path"), list(_all_example_inputs()))
def test_default_pipeline_is_idempotent_on_examples(text, path):
    once = clean_text(text, path=path).text
    assert clean_text(once, path=path).text == once


def test_rule_ids_are_unique_and_ordered_by_stage():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    stages = [STAGES.index(r.stage) for r in RULES]
    assert stages == sorted(stages)


def test_select_by_stage_runs_only_that_stage():
    text = "a\u00a0b  c\n\n\n"
    only = clean_text(text, Config(select=("whitespace",)))
    assert set(only.counts) <= {r.id for r in RULES if r.stage == "whitespace"}
    assert only.text == "a b c\n"


def test_the_compiled_toml_files_match_their_sources():
    """rules/compiled-toml.marshal holds every built-in TOML file as it is now
    (after editing a TOML file under rules/, run: python bench/rules_build.py)."""
    import marshal
    import tomllib
    import zlib

    from cleaner.rules import COMPILED_TOML_FILE, builtin_rules_dir, builtin_toml_files, read_toml

    root = builtin_rules_dir()
    files = builtin_toml_files()
    assert {f.name for f in files} >= {f"{stage}.toml" for stage in STAGES} | {"protected.toml"}
    _, entries = marshal.loads((root / COMPILED_TOML_FILE).read_bytes())
    assert sorted(entries) == sorted(f.relative_to(root).as_posix() for f in files), "run python bench/rules_build.py"
    for path in files:
        raw = path.read_bytes()
        size, crc, data = entries[path.relative_to(root).as_posix()]
        assert (size, crc) == (len(raw), zlib.crc32(raw)), f"{path.name} is newer: run python bench/rules_build.py"
        assert marshal.loads(data) == tomllib.loads(raw.decode("utf-8")) == read_toml(path)


def test_a_toml_file_unlike_its_compiled_form_is_read_as_toml(tmp_path, monkeypatch):
    import cleaner.rules as rules

    root = rules.builtin_rules_dir()
    copy = tmp_path / "rules"
    copy.mkdir()
    for path in rules.builtin_toml_files():
        target = copy / path.relative_to(root)
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(path.read_bytes())
    (copy / rules.COMPILED_TOML_FILE).write_bytes(rules.compiled_toml_bytes(rules.builtin_toml_files()))
    edited = copy / "whitespace.toml"
    edited.write_text(edited.read_text(encoding="utf-8").replace('description = """', 'description = """Edited. ', 1),
                      encoding="utf-8")
    monkeypatch.setattr(rules, "builtin_rules_dir", lambda: copy)
    rules._compiled_toml.cache_clear()
    try:
        from_compiled = rules.read_toml(copy / "spelling.toml")
        assert from_compiled == rules.read_toml(root / "spelling.toml")
        assert rules.read_toml(edited)["rule"][0]["description"].startswith("Edited. ")  # not the compiled copy
        assert rules.load_rule_file(edited)[0][0].description.startswith("Edited. ")
    finally:
        rules._compiled_toml.cache_clear()

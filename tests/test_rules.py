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

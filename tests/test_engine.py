"""The rule engine and pipeline: loading, validation, kinds, selection, line mapping."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner.pipeline import SelectionError
from cleaner.rules import (
    Context,
    RuleFileError,
    check_examples,
    document_for,
    drop_lines,
    load_rule_file,
    load_ruleset,
    replay,
)


def _write(tmp_path: Path, body: str, name: str = "house.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_every_problem_in_a_rule_file_is_reported_at_once(tmp_path):
    path = _write(tmp_path, """
        [[rule]]
        id = "spacing.bad-regex"
        kind = "regex"
        description = "broken"
        pattern = "(unclosed"
        replace = ""
        examples = [{ input = "a", output = "b" }]

        [[rule]]
        id = "spacing.bad-kind"
        kind = "telepathy"
        description = "no such kind"

        [[rule]]
        id = "spacing.extra-key"
        kind = "regex"
        description = "has a typo in a key"
        pattern = "a"
        replace = "b"
        replacement = "c"
        examples = [{ input = "a", output = "b" }]

        [[rule]]
        id = "spacing.dup"
        kind = "regex"
        description = "first"
        pattern = "a"
        replace = "b"
        examples = [{ input = "a", output = "b" }]

        [[rule]]
        id = "spacing.dup"
        kind = "regex"
        description = "second"
        pattern = "a"
        replace = "b"
        examples = [{ input = "a", output = "b" }]

        [[rule]]
        id = "nostage.rule"
        kind = "regex"
        description = "unknown stage"
        pattern = "a"
        replace = "b"
        examples = [{ input = "a", output = "b" }]
    """)
    rules, problems = load_rule_file(path)
    text = "\n".join(str(p) for p in problems)
    assert [r.id for r in rules] == ["spacing.dup"]
    assert f"{path}: spacing.bad-regex: pattern: bad regex" in text
    assert f"{path}: spacing.bad-kind: kind: unknown kind 'telepathy'" in text
    assert f"{path}: spacing.extra-key: replacement: unknown key" in text
    assert f"{path}: spacing.dup: id: duplicate rule id" in text
    assert f"{path}: nostage.rule: id: unknown stage 'nostage'" in text
    assert all("\n" not in str(p) for p in problems)


def test_bad_replacement_template_is_caught_at_load_time(tmp_path):
    path = _write(tmp_path, r"""
        [[rule]]
        id = "spacing.bad-group"
        kind = "regex"
        description = "refers to a group that does not exist"
        pattern = '(a)'
        replace = '\2'
        examples = [{ input = "a", output = "b" }]
    """)
    _, problems = load_rule_file(path)
    assert len(problems) == 1 and problems[0].key == "replace"


def test_a_user_rule_id_may_not_shadow_a_builtin(tmp_path):
    path = _write(tmp_path, """
        [[rule]]
        id = "whitespace.trailing"
        kind = "regex"
        description = "mine"
        pattern = "x"
        replace = "y"
        examples = [{ input = "x", output = "y" }]
    """)
    with pytest.raises(RuleFileError) as info:
        load_ruleset((str(path),))
    assert "duplicate rule id" in str(info.value)


def test_not_toml_is_one_problem(tmp_path):
    path = _write(tmp_path, "[[rule]\nid = ")
    rules, problems = load_rule_file(path)
    assert rules == [] and len(problems) == 1 and "not valid TOML" in problems[0].message


def test_user_rules_run_after_the_builtin_rules_of_their_stage(tmp_path):
    path = _write(tmp_path, """
        [[rule]]
        id = "whitespace.house-tabs"
        kind = "literal"
        description = "Tabs between words become a space (our corpus has no tables)."
        map = { "\\t" = " " }
        examples = [{ input = "a\\tb", output = "a b" }]
        unchanged = ["a b"]
    """)
    ruleset = load_ruleset((str(path),))
    ids = [r.id for r in ruleset.rules if r.stage == "whitespace"]
    assert ids[-1] == "whitespace.house-tabs"
    result = clean_text("one\ttwo\n", Config(extend_rules=(str(path),)))
    assert result.text == "one two\n"
    assert result.counts["whitespace.house-tabs"] == 1


def test_line_drop_matches_whole_normalised_lines_only(tmp_path):
    path = _write(tmp_path, """
        [[rule]]
        id = "boilerplate.house-share"
        kind = "line_drop"
        description = "A share-button line."
        lines = ["Share this:"]
        examples = [{ input = "Story.\\n\\nShare this:\\n\\nMore story.\\n", output = "Story.\\n\\nMore story.\\n" }]
        unchanged = ["You may share this: it is free.\\n"]
    """)
    rules, problems = load_rule_file(path)
    assert problems == []
    rule = rules[0]
    assert check_examples(rule) == []
    assert rule.run("  SHARE   this:  \nkept\n") == "kept\n"


def test_line_drop_at_edges_only_trims_the_top_and_bottom(tmp_path):
    path = _write(tmp_path, """
        [[rule]]
        id = "boilerplate.house-nav"
        kind = "line_drop"
        description = "Navigation words at the edges of a page."
        patterns = ['home|news|sport|contact']
        where = "edges"
        examples = [{ input = "Home\\nNews\\n\\nStory about news.\\nNews\\nMore story.\\n\\nContact\\n", output = "Story about news.\\nNews\\nMore story.\\n" }]
        unchanged = ["Story.\\nNews\\nMore.\\n"]
    """)
    rules, problems = load_rule_file(path)
    assert problems == [] and check_examples(rules[0]) == []


def test_block_drop_needs_its_end_line(tmp_path):
    path = _write(tmp_path, """
        [[rule]]
        id = "boilerplate.house-form"
        kind = "block_drop"
        description = "A reply form from its heading to its last line."
        start = ['leave a reply']
        body = ['.*(log out|comment).*', '.{0,30}']
        end = ['connecting to %s']
        examples = [{ input = "Story.\\n\\nLeave a Reply\\n\\nYou are commenting using your account. Log Out\\n\\nConnecting to %s\\n", output = "Story.\\n" }]
        unchanged = ["Story.\\n\\nLeave a Reply\\n\\nThis long paragraph of the article goes on without the form ever ending, so nothing may be dropped here at all.\\n"]
    """)
    rules, problems = load_rule_file(path)
    assert problems == [] and check_examples(rules[0]) == []


def test_word_table_keeps_case_and_reports_ambiguous_rows(tmp_path):
    (tmp_path / "typos.csv").write_text("recieve,receive\nteh,the\nthier,their,there\n", encoding="utf-8")
    path = _write(tmp_path, """
        [[rule]]
        id = "spelling.house-table"
        kind = "word_table"
        description = "Our table."
        table = "typos.csv"
        examples = [{ input = "Recieve teh RECIEVE", output = "Receive the RECEIVE" }]
        unchanged = ["receive the"]
    """)
    rules, problems = load_rule_file(path)
    assert problems == [] and check_examples(rules[0]) == []
    ctx = Context(document_for(None), rules[0].id)
    out, edits = rules[0].apply("thier house, ReCiEvE", ctx)
    assert out == "thier house, ReCiEvE"  # ambiguous: reported; mixed case: left
    assert edits == [] and len(ctx.notes) == 1 and "ambiguous" in ctx.notes[0][2]


def test_a_missing_word_table_is_a_load_problem(tmp_path):
    path = _write(tmp_path, """
        [[rule]]
        id = "spelling.house-table"
        kind = "word_table"
        description = "Our table."
        table = "nowhere.csv"
        examples = [{ input = "a", output = "b" }]
    """)
    _, problems = load_rule_file(path)
    assert len(problems) == 1 and problems[0].key == "table"


def test_drop_lines_tidies_blank_lines_it_leaves_behind():
    text = "Title\n\nNav\n\nBody one.\n\nFooter\n\nMore footer\n"
    out, edits = drop_lines(text, {2, 6, 8})
    assert out == "Title\n\nBody one.\n"
    assert replay(text, edits) == out
    out, _ = drop_lines("Ad\n\nStory\n", {0})
    assert out == "Story\n"


def test_edits_point_at_lines_of_the_input_even_after_lines_move():
    text = "\n\n\nfirst   line\n\n\n\n\nsecond\u00a0line  \n"
    result = clean_text(text, Config(select=("whitespace",)))
    assert result.text == "first line\n\nsecond line\n"
    lines = {(e.rule, e.line) for e in result.edits}
    assert ("whitespace.inner-spaces", 4) in lines
    assert ("whitespace.odd-spaces", 9) in lines
    assert ("whitespace.trailing", 9) in lines
    assert ("whitespace.leading-blank-lines", 1) in lines
    assert sum(result.counts.values()) == len(result.edits)


def test_selection_by_id_stage_and_ignore():
    text = "a  b \n\n\n"
    only_trailing = clean_text(text, Config(select=("whitespace.trailing",)))
    assert only_trailing.text == "a  b\n\n\n"
    no_inner = clean_text(text, Config(ignore=("whitespace.inner-spaces",)))
    assert no_inner.text == "a  b\n"
    with pytest.raises(SelectionError):
        clean_text(text, Config(select=("whitespace.nonsense",)))


def test_crlf_and_cr_become_lf_before_rules_run():
    result = clean_text("one\r\ntwo\rthree", Config(select=("whitespace",)))
    assert result.text == "one\ntwo\nthree\n"
    assert result.changed


def test_a_removed_run_is_reported_at_its_first_line_with_content(tmp_path):
    path = _write(tmp_path, """
        [[rule]]
        id = "boilerplate.house-ad"
        kind = "line_drop"
        description = "An advert line."
        lines = ["Buy now"]
        examples = [{ input = "Story.\\n\\nBuy now\\n\\nMore.\\n", output = "Story.\\n\\nMore.\\n" }]
        unchanged = ["Story.\\n"]
    """)
    text = "Story.\n\nMore story.\n\nBuy now\n"
    result = clean_text(text, Config(select=("boilerplate.house-ad",), extend_rules=(str(path),)))
    assert result.text == "Story.\n\nMore story.\n"
    assert [(e.rule, e.line) for e in result.edits] == [("boilerplate.house-ad", 5)]


def test_regex_prefilter_is_validated_and_a_wrong_one_fails_the_examples(tmp_path):
    body = """
        [[rule]]
        id = "spacing.house-dash"
        kind = "regex"
        description = "Two hyphens become an en dash."
        pattern = ' -- '
        replace = ' – '
        prefilter = PREFILTER
        examples = [{ input = "a -- b", output = "a – b" }]
        unchanged = ["a - b"]
    """
    _, problems = load_rule_file(_write(tmp_path, body.replace("PREFILTER", '"--"'), "bad.toml"))
    assert [p.key for p in problems] == ["prefilter"]
    rules, problems = load_rule_file(_write(tmp_path, body.replace("PREFILTER", '["--"]'), "good.toml"))
    assert problems == [] and check_examples(rules[0]) == []
    rules, problems = load_rule_file(_write(tmp_path, body.replace("PREFILTER", '["~~"]'), "wrong.toml"))
    assert problems == [] and check_examples(rules[0]) != []  # the prefilter skips its own example

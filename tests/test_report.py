"""cleaner.report without a browser: what the pages hold, escaping, many documents.

The browser test (test_report_browser.py) checks the pages as a person sees
them; these check the HTML itself on real cleaning results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner.report import HtmlReport, ReportError, render_changes
from cleaner.rules import load_ruleset

DESCRIPTIONS = {r.id: r.description for r in load_ruleset().rules}


@dataclass
class Doc:
    display: str
    status: str
    message: str = ""
    original: str = ""
    cleaned: str = ""
    edits: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def cleaned(name: str, text: str, config: Config | None = None) -> Doc:
    result = clean_text(text, config, path=name)
    return Doc(name, "changed" if result.changed else "unchanged", "", text, result.text, result.edits, result.notes)


def test_a_document_holding_markup_is_shown_as_text(tmp_path):
    text = 'Hi <script>alert("x")</script> &amp; <img src=x onerror=alert(1)>  there.\n'
    doc = cleaned('<b>evil</b>".txt', text, Config(select=("whitespace",)))
    report = HtmlReport(tmp_path / "r", DESCRIPTIONS)
    report.add(doc)
    report.finish({"seen": 1, "changed": 1, "skipped": 0, "errors": 0})
    page = (tmp_path / "r" / "d" / "1.html").read_text(encoding="utf-8")
    index = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    for html in (page, index):
        assert "<b>evil</b>" not in html and "&lt;b&gt;evil&lt;/b&gt;&quot;.txt" in html
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<img" not in page and "&amp;amp;" in page
    # The only scripts are the report's own (none on a document page).
    assert page.count("<script") == 0 and index.count("<script>") == 1


def test_document_page_marks_removed_lines_and_replacements_with_their_rules():
    text = "Title\n\nThe council met on Tuesday .It agreed.\nShare on Facebook\nLast  line.\n"
    doc = cleaned("a.txt", text)
    html = render_changes(doc.original, doc.cleaned, doc.edits, DESCRIPTIONS)
    removed = re.findall(r'<div class="ln removed" data-rule="([^"]*)"[^>]*><span class="no">(\d+)</span><del class="tx">([^<]*)</del>', html)
    assert ("boilerplate.ui-lines", "4", "Share on Facebook") in removed
    reps = re.findall(r'<span class="rep" data-rule="([^"]*)" data-tip="([^"]*)"[^>]*>(.*?)</span>', html)
    by_rule = {rule: inner for rule, _, inner in reps}
    assert by_rule["spacing.space-before-punct"] == "<del> .</del><ins>. </ins>"
    assert by_rule["whitespace.inner-spaces"] == "<del>\u2423</del>"  # one of the two spaces goes
    tips = {rule: tip for rule, tip, _ in reps}
    assert tips["whitespace.inner-spaces"].startswith("whitespace.inner-spaces: ")
    # Unchanged lines keep their input line numbers.
    assert '<span class="no">1</span><span class="tx">Title</span>' in html


def test_long_unchanged_runs_are_folded_with_context():
    lines = [f"Line number {i} of a long and clean document." for i in range(1, 101)]
    lines[49] = "Line number 50 has  two spaces."
    text = "\n".join(lines) + "\n"
    doc = cleaned("long.txt", text, Config(select=("whitespace",)))
    html = render_changes(doc.original, doc.cleaned, doc.edits, DESCRIPTIONS)
    assert html.count("<details") == 2
    assert "46 unchanged lines" in html and "47 unchanged lines" in html
    numbers = [int(n) for n in re.findall(r'<span class="no">(\d+)</span>', html)]
    assert numbers == list(range(1, 101))  # folded, but all there


def test_an_existing_folder_is_only_reused_for_an_earlier_report(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("mine\n")
    with pytest.raises(ReportError, match="not empty"):
        HtmlReport(tmp_path / "mine", DESCRIPTIONS)
    first = HtmlReport(tmp_path / "r", DESCRIPTIONS)
    for i in range(3):
        first.add(cleaned(f"{i}.txt", "a  b\n", Config(select=("whitespace",))))
    first.finish({"seen": 3})
    second = HtmlReport(tmp_path / "r", DESCRIPTIONS)
    second.add(cleaned("x.txt", "a  b\n", Config(select=("whitespace",))))
    second.finish({"seen": 1})
    assert sorted(p.name for p in (tmp_path / "r" / "d").iterdir()) == ["1.html"]  # no stale pages


@pytest.mark.parametrize("count", [300, pytest.param(10_000, marks=pytest.mark.slow)])
def test_many_documents_make_one_small_page_each_and_an_index_row_each(tmp_path, count):
    config = Config(select=("whitespace",))
    template = cleaned("t.txt", "A line with  two spaces.\nAnother line.   \n", config)
    report = HtmlReport(tmp_path / "r", DESCRIPTIONS)
    for i in range(count):
        report.add(Doc(f"docs/{i:05}.txt", "changed", "", template.original, template.cleaned, template.edits))
    report.add(Doc("bad.txt", "error", "cannot read: Permission denied"))
    report.add(Doc("blob.txt", "skipped", "binary file"))
    index = report.finish({"seen": count + 2, "changed": count, "skipped": 1, "errors": 1}, mode="check")
    html = index.read_text(encoding="utf-8")
    assert html.count("<tr data-rules=") == count
    assert len(html) < 600 * count  # about one short row per document
    pages = list((tmp_path / "r" / "d").iterdir())
    assert len(pages) == count
    last = (tmp_path / "r" / "d" / f"{count}.html").read_text(encoding="utf-8")
    assert f'href="{count - 1}.html">previous' in last and 'rel="next"' not in last
    first = (tmp_path / "r" / "d" / "1.html").read_text(encoding="utf-8")
    assert 'href="2.html">next' in first and 'rel="prev"' not in first
    assert "bad.txt</code>: cannot read: Permission denied" in html and "blob.txt</code>: binary file" in html
    assert '<tr data-rule="whitespace.inner-spaces">' in html and f'<td class="n">{count:,}</td>' in html
    assert "Nothing was written" in html


def _sides(html: str) -> tuple[str, str]:
    """The text before and after, read back from a rendered line's HTML."""
    import html as html_module

    before = re.sub(r"<ins>.*?</ins>", "", html)
    after = re.sub(r"<del>.*?</del>", "", html)
    strip = lambda s: html_module.unescape(re.sub(r"<[^>]+>", "", s)).replace("\u2423", " ").replace("\u2192", "\t")
    return strip(before), strip(after)


def test_a_changed_line_shows_exactly_its_before_and_after():
    """Thousands of random line pairs (seeded): each renders as exactly its before and its after."""
    import random

    from cleaner.report import _Attribution, _inline

    rng = random.Random(21)
    alphabet = "ab .,'\t<&é"
    who = _Attribution([], {})
    for _ in range(5000):
        old = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        new = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        if rng.random() < 0.5:  # mostly alike, as real edits are
            cut = rng.randrange(len(old) + 1)
            new = old[:cut] + new[: rng.randrange(3)] + old[cut + rng.randrange(3):]
        assert _sides(_inline(old, new, [], who)) == (old, new), (old, new)


def test_a_long_removed_run_is_folded_but_kept():
    nav = [f"Menu item {i}" for i in range(1, 41)]
    text = "\n".join(["Story title", ""] + nav + ["", "The story itself is told in a sentence of prose here."]) + "\n"
    after = "Story title\n\nThe story itself is told in a sentence of prose here.\n"
    html = render_changes(text, after, [], DESCRIPTIONS)
    removed = re.findall(r'<del class="tx">(Menu item \d+)</del>', html)
    assert removed == nav  # every removed line is on the page
    assert html.count('class="fold removed-run"') == 1
    folded = html[html.index('class="fold removed-run"'):html.index("</details>")]
    assert folded.count('<div class="ln removed"') == len(re.findall(r"Menu item", folded)) > 20

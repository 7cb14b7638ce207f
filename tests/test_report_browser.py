"""The HTML report (--report) opened in a real browser: headless Chromium, driven by Playwright.

The report is run by the command line on a small corpus, then looked at the
way a person would: the index shows a bar per rule, a click on a rule's button
filters the documents table, a document page strikes a removed line through
and shows a replacement's before and after, and a document holding
``<script>`` shows it as text (the script never runs).  Screenshots of both
pages are saved in the test's tmp folder and copied to ``tests/artifacts/``
(git-ignored) for people to look at.

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and the ``playwright``
package (no browser download: its executable path is given).  ``.ci/run``
installs both and sets ``CLEANER_REQUIRE_BROWSER=1``, so in CI a missing
browser fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _browser_or_skip():
    chromium = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    missing = []
    if chromium is None:
        missing.append("Debian's chromium (apt-get install chromium)")
    if sync_playwright is None:
        missing.append("the playwright package (pip install playwright)")
    if missing:
        reason = "needs " + " and ".join(missing)
        if os.environ.get("CLEANER_REQUIRE_BROWSER"):
            pytest.fail(reason + " (CLEANER_REQUIRE_BROWSER is set, as in .ci/run)")
        pytest.skip(reason)
    return chromium, sync_playwright


EVIL = (
    "Breaking news <script>window.PWNED = 1;</script> from the desk.\n"
    "\n"
    "The council met on Tuesday .It agreed that it would recieve the money for the new bridge.\n"
    "\n"
    "Share on Facebook\n"
)
PLAIN = "A quiet line with trailing spaces.   \nAnother line.\n"
CLEAN = "Nothing to change here.\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("report")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(EVIL, encoding="utf-8")
    (corpus / "plain.txt").write_text(PLAIN, encoding="utf-8")
    (corpus / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (corpus / "binary.txt").write_bytes(b"\x00\x01binary")
    out = base / "review"
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "run", str(corpus), "--check", "--report", str(out), "--jobs", "1"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 1, proc.stderr  # --check: changes found, nothing written
    assert (corpus / "evil.txt").read_text(encoding="utf-8") == EVIL
    assert (out / "index.html").is_file(), proc.stderr
    return out


def _save(page, tmp_path: Path, name: str) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy2(shot, ARTIFACTS / name)


def test_report_in_headless_chromium(report, tmp_path):
    chromium, sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto((report / "index.html").as_uri())

            # The chart: one row per rule that edited something, each with a drawn bar.
            chart_rows = page.locator("#rules tbody tr")
            rules = [chart_rows.nth(i).get_attribute("data-rule") for i in range(chart_rows.count())]
            assert "boilerplate.ui-lines" in rules and "whitespace.trailing" in rules
            assert "spacing.space-after-sentence" in rules
            for i in range(chart_rows.count()):
                box = chart_rows.nth(i).locator("td.bar span").bounding_box()
                assert box is not None and box["width"] >= 2 and box["height"] > 5
            trailing = page.locator('#rules tr[data-rule="whitespace.trailing"] td')
            assert trailing.nth(1).inner_text() == "Spaces and tabs at the end of a line go."  # the description's gist
            assert [trailing.nth(i).inner_text() for i in (3, 4, 5, 6)] == ["1", "3", "0", "1"]  # edits, chars, lines, docs

            # The documents table: both changed documents, then only the one a rule touched.
            visible = page.locator("#docs tbody tr:visible")
            assert visible.count() == 2
            assert "2 of 2 documents" in page.locator("#filter-status").inner_text()
            page.locator('#rules button.rule-filter[data-rule="whitespace.trailing"]').click()
            assert visible.count() == 1
            assert "plain.txt" in visible.first.inner_text()
            assert "touched by whitespace.trailing" in page.locator("#filter-status").inner_text()
            page.locator('#rules button.rule-filter[data-rule="whitespace.trailing"]').click()  # off again
            assert visible.count() == 2

            # Sorting by edits, most first, then least first.
            page.locator("#docs thead th", has_text="edits").locator("button").click()
            assert "evil.txt" in visible.first.inner_text()
            page.locator("#docs thead th", has_text="edits").locator("button").click()
            assert "plain.txt" in visible.first.inner_text()

            # Skipped files are listed.
            assert "binary.txt" in page.locator("#skipped").inner_text()
            page.locator('#rules button.rule-filter[data-rule="boilerplate.ui-lines"]').click()
            assert visible.count() == 1
            _save(page, tmp_path, "report-index.png")

            # The document page of evil.txt.
            visible.first.locator("a").click()
            page.wait_for_load_state()
            assert page.locator("h1").inner_text().endswith("evil.txt")
            removed = page.locator(".ln.removed", has_text="Share on Facebook")
            assert removed.count() == 1
            decoration = removed.locator(".tx").evaluate("e => getComputedStyle(e).textDecorationLine")
            assert "line-through" in decoration
            assert "boilerplate.ui-lines" in removed.get_attribute("data-rule").split()

            replacements = page.locator(".rep")
            texts = [replacements.nth(i).inner_text() for i in range(replacements.count())]
            assert any("recieve" in t and "receive" in t for t in texts), texts
            teh = page.locator(".rep", has=page.locator("del", has_text="recieve")).first
            assert teh.locator("ins").inner_text() == "receive"
            assert teh.get_attribute("data-rule") == "spelling.words"
            ins_bg = teh.locator("ins").evaluate("e => getComputedStyle(e).backgroundColor")
            del_deco = teh.locator("del").evaluate("e => getComputedStyle(e).textDecorationLine")
            assert ins_bg not in ("rgba(0, 0, 0, 0)", "transparent") and "line-through" in del_deco
            teh.focus()  # the rule and its description on focus (and on hover)
            tip = teh.evaluate("e => getComputedStyle(e, '::after').content")
            assert "spelling.words" in tip

            # <script> in a document is text on the page, never run.
            shown = page.locator("#text").inner_text()
            assert "Breaking news <script>window." in shown and "PWNED = 1;</script> from the desk." in shown
            assert page.locator("#text script").count() == 0
            assert page.evaluate("typeof window.PWNED") == "undefined"
            _save(page, tmp_path, "report-document.png")
            assert not errors, errors
        finally:
            browser.close()


def test_a_large_index_shows_rows_a_page_at_a_time(tmp_path):
    """1,200 documents: 500 rows laid out at first, 'show more' adds 500, a filter starts again at 500."""
    chromium, sync_playwright = _browser_or_skip()
    from cleaner import Config, clean_text
    from cleaner.report import HtmlReport

    texts = ["A line with  two spaces.\n", "Trailing spaces.   \nNext.\n"]
    results = [(t, clean_text(t, Config(select=("whitespace",)))) for t in texts]

    class Doc:
        def __init__(self, i):
            text, result = results[i % 2]
            self.display, self.status, self.message = f"docs/{i:04}.txt", "changed", ""
            self.original, self.cleaned, self.edits, self.notes = text, result.text, result.edits, result.notes

    report = HtmlReport(tmp_path / "big", {})
    for i in range(1200):
        report.add(Doc(i))
    index = report.finish({"seen": 1200, "changed": 1200})
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(index.as_uri())
            visible = page.locator("#docs tbody tr:visible")
            assert visible.count() == 500
            assert page.locator("#filter-status").inner_text() == "1200 of 1200 documents (the first 500 shown)"
            page.locator("#show-more").click()
            assert visible.count() == 1000
            page.locator('#rules button.rule-filter[data-rule="whitespace.trailing"]').click()
            assert visible.count() == 500
            assert "600 of 1200 documents touched by whitespace.trailing" in page.locator("#filter-status").inner_text()
            page.locator("#show-more").click()
            assert visible.count() == 600 and page.locator("#show-more").is_hidden()
            assert all("whitespace.trailing" in r.split() for r in visible.evaluate_all("rows => rows.map(r => r.dataset.rules)"))
        finally:
            browser.close()

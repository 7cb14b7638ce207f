"""A static HTML report of a run, for people who would rather look than read.

``HtmlReport`` writes a folder that opens from disk in any browser: no
server, no network, its style and script inside the pages.  ``index.html``
holds the run's summary, a bar per rule, a table of the documents changed
(sortable, filterable by rule) and the errors and skipped files; every
changed document gets a page of its own under ``d/``, written as the run goes,
so ten thousand documents cost ten thousand small files and an index of one
row each, never one huge page.

A document page shows the original text with removed lines struck through and
each replacement in place (before and after), labelled with the rule that made
it.  What changed is found by comparing the text before and after, line by
line and then word by word, so the page shows the net change even where
several rules touched one spot; the edits' line numbers say which rules did.

Every piece of text that reaches a page (documents, names, messages, rule
descriptions) goes through ``html.escape``: a document holding ``<script>``
is shown as text.
"""

from __future__ import annotations

import difflib
import html
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Protocol, Sequence

from .pipeline import Edit, Note, normalise_newlines

__all__ = ["HtmlReport", "ReportError", "render_changes"]

# A document page shows unchanged runs longer than this folded, with this
# many lines of context either side of each change.
_FOLD_AFTER = 12
_CONTEXT = 3
# Unchanged lines of a document larger than this are left out of its page
# (folded runs say how many), so a huge dump does not make a huge page.
_MAX_FOLDED_CHARS = 1_000_000
# The index's document table shows this many rows at a time ("show more").
_ROWS_PER_PAGE = 500
# A removed run longer than this shows its first and last lines, the rest folded.
_FOLD_REMOVED = 30
# Line blocks changed as a whole are paired line with line when no larger.
_MAX_PAIRING = 60
_MARKER = "<!-- cleaner report -->"


class ReportError(Exception):
    """The report folder cannot be written; the message names it."""


class DocumentLike(Protocol):
    """What the report reads of one document (``runner.FileReport`` has it)."""

    display: str
    status: str  # "changed", "unchanged", "skipped" or "error"
    message: str
    original: str
    cleaned: str
    edits: Sequence[Edit]
    notes: Sequence[Note]


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _safe(text: str) -> str:
    """A file name's undecodable bytes (lone surrogates) shown as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class _RuleTotals:
    edits: int = 0
    chars_removed: int = 0
    lines_removed: int = 0
    documents: int = 0


@dataclass
class _Row:
    number: int
    name: str
    status: str
    edits: int
    chars_removed: int
    share: float
    rules: tuple[str, ...]


@dataclass
class _Pending:
    """What a document's page needs, kept until the next document is known."""

    number: int
    name: str
    original: str
    cleaned: str
    edits: Sequence[Edit]
    notes: Sequence[Note]


@dataclass
class HtmlReport:
    """Collects documents one at a time (``add``) and writes ``index.html`` on ``finish``.

    ``descriptions`` maps rule ids to their descriptions (shown beside the
    bars and on hover).  The folder is created; an existing folder is reused
    only when it is empty or holds an earlier report, whose pages are replaced.
    """

    folder: Path
    descriptions: Mapping[str, str] = field(default_factory=dict)
    title: str = "cleaner report"
    rows: list[_Row] = field(default_factory=list, init=False)
    problems: list[tuple[str, str, str]] = field(default_factory=list, init=False)
    totals: dict[str, _RuleTotals] = field(default_factory=dict, init=False)
    documents_seen: int = field(default=0, init=False)
    _pending: _Pending | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        self._prepare_folder()

    def _prepare_folder(self) -> None:
        folder = self.folder
        index = folder / "index.html"
        try:
            if folder.exists():
                if not folder.is_dir():
                    raise ReportError(f"{folder}: not a folder")
                entries = list(folder.iterdir())
                earlier = index.is_file() and _MARKER in index.read_text(encoding="utf-8", errors="replace")[:4096]
                if entries and not earlier:
                    raise ReportError(f"{folder}: folder is not empty and holds no earlier cleaner report")
                if earlier and (folder / "d").is_dir():
                    shutil.rmtree(folder / "d")
            (folder / "d").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReportError(f"{folder}: cannot write the report: {exc.strerror or exc}") from None

    # -- collecting -------------------------------------------------------

    def add(self, doc: DocumentLike) -> None:
        """Record one document; a changed one (or one with notes) gets a page."""
        self.documents_seen += 1
        name = _safe(doc.display)
        if doc.status in ("error", "skipped"):
            self.problems.append((doc.status, name, _safe(doc.message)))
            return
        if doc.status != "changed" and not doc.notes:
            return
        touched: Counter[str] = Counter()
        for edit in doc.edits:
            totals = self.totals.setdefault(edit.rule, _RuleTotals())
            totals.edits += 1
            totals.chars_removed += len(edit.before) - len(edit.after)
            totals.lines_removed += max(0, edit.before.count("\n") - edit.after.count("\n"))
            touched[edit.rule] += 1
        for rule in touched:
            self.totals[rule].documents += 1
        original = normalise_newlines(doc.original)
        removed = len(original) - len(doc.cleaned)
        number = len(self.rows) + 1
        self.rows.append(
            _Row(number, name, doc.status, len(doc.edits), removed,
                 removed / len(original) if original else 0.0, tuple(sorted(touched)))
        )
        # A page links to the next one, so it is written when the next arrives.
        self._flush(next_number=number)
        self._pending = _Pending(number, name, doc.original, doc.cleaned, tuple(doc.edits), tuple(doc.notes))

    def _flush(self, next_number: int | None) -> None:
        pending = self._pending
        if pending is None:
            return
        self._pending = None
        previous = pending.number - 1 if pending.number > 1 else None
        page = _document_page(pending, self.descriptions, self.title, previous, next_number)
        self._write(self.folder / "d" / f"{pending.number}.html", page)

    def finish(self, summary: Mapping[str, int], mode: str = "fix") -> Path:
        """Write the last document page and the index; returns the index's path."""
        self._flush(next_number=None)
        index = self.folder / "index.html"
        self._write(index, _index_page(self, summary, mode))
        return index

    def _write(self, path: Path, text: str) -> None:
        try:
            path.write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            raise ReportError(f"{path}: cannot write the report: {exc.strerror or exc}") from None


# -- pages -------------------------------------------------------------------

_STYLE = """
:root { --del: #ffd7d5; --del-ink: #82071e; --ins: #ccf2d4; --ins-ink: #055d20; --line: #d0d7de; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 78rem; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; } h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; }
a { color: #0550ae; }
.summary { display: flex; gap: 1.5rem; flex-wrap: wrap; margin: .5rem 0 1rem; }
.summary div { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; }
.summary b { display: block; font-size: 1.3rem; }
.mode { padding: .5rem .8rem; border-left: 4px solid #bf8700; background: #fff8c5; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort=ascending] button::after { content: " \\25B2"; } th[aria-sort=descending] button::after { content: " \\25BC"; }
.chart td.bar { width: 30%; }
.bar span { display: block; height: 1rem; background: #218bff; border-radius: 2px; min-width: 2px; }
button.rule-filter { font: 13px ui-monospace, monospace; background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; cursor: pointer; padding: .1rem .35rem; }
button.rule-filter[aria-pressed=true] { background: #218bff; color: white; border-color: #218bff; }
code, .rule { font-family: ui-monospace, monospace; font-size: 13px; }
/* Fixed layout: hiding or sorting thousands of rows does not re-measure every cell. */
#docs { table-layout: fixed; }
#docs th:nth-child(1) { width: 34%; } #docs th:nth-child(2) { width: 8%; } #docs th:nth-child(3) { width: 7%; }
#docs th:nth-child(4) { width: 10%; } #docs th:nth-child(5) { width: 9%; }
#docs td { overflow-wrap: anywhere; }
#filter-bar { margin: .5rem 0; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
.doc { font: 13px/1.5 ui-monospace, monospace; border: 1px solid var(--line); border-radius: 6px; }
.ln { display: flex; white-space: pre-wrap; word-break: break-word; }
.ln .no { flex: 0 0 4.5em; text-align: right; padding-right: .8em; color: #6e7781; user-select: none; background: #f6f8fa; }
.ln .tx { flex: 1; padding-left: .5em; }
.ln.removed { background: var(--del); }
.ln.removed .tx { text-decoration: line-through; color: var(--del-ink); }
.ln.added { background: var(--ins); }
.ln.added .tx { color: var(--ins-ink); text-decoration: none; }
.rep del { background: var(--del); color: var(--del-ink); text-decoration: line-through; }
.rep ins { background: var(--ins); color: var(--ins-ink); text-decoration: none; }
.rep { outline: 1px dotted #bf8700; }
[data-tip] { position: relative; cursor: help; }
[data-tip]:hover::after, [data-tip]:focus::after {
  content: attr(data-tip); position: absolute; left: 0; top: 100%; z-index: 2; white-space: pre-wrap;
  background: #24292f; color: white; font: 12px/1.4 system-ui, sans-serif; padding: .3rem .5rem; border-radius: 4px; width: max-content; max-width: 36rem; }
details.fold summary { color: #6e7781; padding-left: 5.3em; cursor: pointer; font-style: italic; }
nav.pager { display: flex; gap: 1rem; margin: .5rem 0 1rem; }
.muted { color: #6e7781; }
"""

_SCRIPT = """
(function () {
  var table = document.getElementById('docs');
  if (!table) return;
  var body = table.tBodies[0];
  var status = document.getElementById('filter-status');
  var nameBox = document.getElementById('name-filter');
  var pressed = document.getElementById('pressed-style');
  var rows = Array.prototype.slice.call(body.rows);
  // Read once: a row's rules and name; a filter only flips rows whose state changes.
  var facts = rows.map(function (tr) {
    return { rules: ' ' + tr.getAttribute('data-rules') + ' ', name: tr.getAttribute('data-name').toLowerCase(), shown: !tr.hidden };
  });
  var current = '';
  // Only this many matching rows are laid out at a time: a browser lays out
  // every visible row of a table, and ten thousand take seconds.
  var PAGE = ROWS_PER_PAGE, limit = PAGE;
  var more = document.getElementById('show-more');
  function apply() {
    var matched = 0, needle = nameBox.value.toLowerCase();
    for (var i = 0; i < rows.length; i++) {
      var f = facts[i];
      var ok = (!current || f.rules.indexOf(' ' + current + ' ') >= 0) && (!needle || f.name.indexOf(needle) >= 0);
      if (ok) matched++;
      ok = ok && matched <= limit;
      if (ok !== f.shown) { rows[i].hidden = !ok; f.shown = ok; }
    }
    status.textContent = matched + ' of ' + rows.length + ' documents' + (current ? ' touched by ' + current : '')
      + (matched > limit ? ' (the first ' + limit + ' shown)' : '');
    more.hidden = matched <= limit;
    // The chosen rule's buttons (chart and table) light up through one style rule, not one change per button.
    pressed.textContent = current
      ? 'button.rule-filter[data-rule="' + CSS.escape(current) + '"] { background: #218bff; color: white; border-color: #218bff; }'
      : '';
    var chart = document.querySelectorAll('#rules button.rule-filter');
    for (var j = 0; j < chart.length; j++) {
      chart[j].setAttribute('aria-pressed', String(chart[j].getAttribute('data-rule') === current));
    }
    document.getElementById('show-all').hidden = !current;
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest('button.rule-filter');
    if (button) {
      var rule = button.getAttribute('data-rule');
      current = current === rule ? '' : rule;
      limit = PAGE;
      apply();
    }
  });
  document.getElementById('show-all').addEventListener('click', function () { current = ''; limit = PAGE; apply(); });
  more.addEventListener('click', function () { limit += PAGE; apply(); });
  nameBox.addEventListener('input', function () { limit = PAGE; apply(); });
  var heads = table.tHead.rows[0].cells;
  for (var k = 0; k < heads.length; k++) {
    (function (column, th) {
      var button = th.querySelector('button');
      if (!button) return;
      var numeric = th.classList.contains('n');
      var keys = null;
      button.addEventListener('click', function () {
        var descending = th.getAttribute('aria-sort') !== 'descending';
        for (var h = 0; h < heads.length; h++) heads[h].removeAttribute('aria-sort');
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        if (keys === null) {
          keys = new Map();
          rows.forEach(function (row) {
            var v = row.cells[column].getAttribute('data-v');
            keys.set(row, numeric ? parseFloat(v) : v);
          });
        }
        var order = rows.map(function (row, i) { return i; });
        order.sort(function (a, b) {
          var x = keys.get(rows[a]), y = keys.get(rows[b]);
          var c = numeric ? x - y : (x < y ? -1 : x > y ? 1 : 0);
          return (descending ? -c : c) || a - b;
        });
        rows = order.map(function (i) { return rows[i]; });
        facts = order.map(function (i) { return facts[i]; });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (row) { fragment.appendChild(row); });
        body.appendChild(fragment);
        apply();
      });
    })(k, heads[k]);
  }
  apply();
})();
"""


def _page(title: str, body: str, script: str = "") -> str:
    return (
        f"<!DOCTYPE html>\n<html lang=\"en\">\n{_MARKER}\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_esc(title)}</title>\n<style>{_STYLE}</style>\n<style id=\"pressed-style\"></style>\n</head>\n<body>\n{body}\n"
        + (f"<script>{script}</script>\n" if script else "")
        + "</body>\n</html>\n"
    )


def _gist(description: str, limit: int = 160) -> str:
    """A rule description's first sentence, for a chart row or a tooltip."""
    text = " ".join(description.split())
    for match in re.finditer(r"(?<=[.!?])\s+(?=[A-Z(`])", text):
        if match.start() > limit:
            break
        if text.count("`", 0, match.start()) % 2 == 0:  # not inside `code`
            return text[: match.start()]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _index_page(report: HtmlReport, summary: Mapping[str, int], mode: str) -> str:
    parts = [f"<h1>{_esc(report.title)}</h1>"]
    if mode == "fix":
        parts.append('<p class="mode">Files were written: the changes below are in the cleaned files.</p>')
    else:
        parts.append('<p class="mode">Nothing was written: this is what a run would change.</p>')
    cells = []
    for key, label in (("seen", "files seen"), ("changed", "changed" if mode == "fix" else "would change"),
                       ("skipped", "skipped"), ("errors", "errors")):
        if key in summary:
            cells.append(f"<div><b>{summary[key]:,}</b>{_esc(label)}</div>")
    total_edits = sum(t.edits for t in report.totals.values())
    cells.append(f"<div><b>{total_edits:,}</b>edits</div>")
    parts.append(f'<div class="summary" id="summary">{"".join(cells)}</div>')

    parts.append("<h2>Edits by rule</h2>")
    if report.totals:
        most = max(t.edits for t in report.totals.values()) or 1
        rows = []
        for rule, t in sorted(report.totals.items(), key=lambda item: (-item[1].edits, item[0])):
            width = 100.0 * t.edits / most
            rows.append(
                f'<tr data-rule="{_esc(rule)}"><td><button type="button" class="rule-filter" data-rule="{_esc(rule)}" '
                f'aria-pressed="false" title="Show only the documents this rule changed">{_esc(rule)}</button></td>'
                f'<td title="{_esc(report.descriptions.get(rule, ""))}">{_esc(_gist(report.descriptions.get(rule, "")))}</td>'
                f'<td class="bar"><span style="width:{width:.1f}%"></span></td>'
                f'<td class="n">{t.edits:,}</td><td class="n">{t.chars_removed:,}</td>'
                f'<td class="n">{t.lines_removed:,}</td><td class="n">{t.documents:,}</td></tr>'
            )
        parts.append(
            '<table class="chart" id="rules"><thead><tr><th>rule</th><th>description</th><th></th>'
            '<th class="n">edits</th><th class="n">characters removed</th><th class="n">lines removed</th>'
            f'<th class="n">documents</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        )
    else:
        parts.append('<p class="muted">No rule changed anything.</p>')

    parts.append("<h2>Documents</h2>")
    if report.rows:
        parts.append(
            '<div id="filter-bar"><label>Name contains <input id="name-filter" type="search"></label>'
            '<span id="filter-status" role="status"></span>'
            '<button type="button" id="show-all" hidden>show all documents</button></div>'
        )
        body = []
        for position, row in enumerate(report.rows):
            chips = " ".join(
                f'<button type="button" class="rule-filter" data-rule="{_esc(r)}">{_esc(r)}</button>'
                for r in row.rules
            )
            body.append(
                f'<tr data-rules="{_esc(" ".join(row.rules))}" data-name="{_esc(row.name)}"'
                f'{" hidden" if position >= _ROWS_PER_PAGE else ""}>'
                f'<td data-v="{_esc(row.name)}"><a href="d/{row.number}.html">{_esc(row.name)}</a></td>'
                f'<td data-v="{_esc(row.status)}">{_esc(row.status)}</td>'
                f'<td class="n" data-v="{row.edits}">{row.edits:,}</td>'
                f'<td class="n" data-v="{row.chars_removed}">{row.chars_removed:,}</td>'
                f'<td class="n" data-v="{row.share:.6f}">{100 * row.share:.1f}%</td>'
                f"<td>{chips}</td></tr>"
            )
        parts.append(
            '<table id="docs"><thead><tr><th><button type="button">document</button></th>'
            '<th><button type="button">status</button></th>'
            '<th class="n"><button type="button">edits</button></th>'
            '<th class="n"><button type="button">characters removed</button></th>'
            '<th class="n"><button type="button">share removed</button></th><th>rules</th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>'
            f'<p><button type="button" id="show-more" hidden>show {_ROWS_PER_PAGE} more</button></p>'
        )
    else:
        parts.append('<p class="muted">No document changed.</p>')

    errors = [p for p in report.problems if p[0] == "error"]
    skipped = [p for p in report.problems if p[0] == "skipped"]
    for heading, items, ident in (("Errors", errors, "errors"), ("Skipped", skipped, "skipped")):
        parts.append(f"<h2>{heading} ({len(items):,})</h2>")
        if items:
            lines = "".join(f"<li><code>{_esc(name)}</code>: {_esc(message)}</li>" for _, name, message in items)
            parts.append(f'<ul id="{ident}">{lines}</ul>')
        else:
            parts.append(f'<p class="muted" id="{ident}">None.</p>')
    return _page(report.title, "\n".join(parts), _SCRIPT.replace("ROWS_PER_PAGE", str(_ROWS_PER_PAGE)))


def _document_page(doc: _Pending, descriptions: Mapping[str, str], title: str,
                   previous: int | None, following: int | None) -> str:
    name = doc.name
    pager = ['<a href="../index.html">index</a>']
    pager.append(f'<a rel="prev" href="{previous}.html">previous</a>' if previous else '<span class="muted">previous</span>')
    pager.append(f'<a rel="next" href="{following}.html">next</a>' if following else '<span class="muted">next</span>')
    nav = f'<nav class="pager">{"".join(pager)}</nav>'
    counts = Counter(e.rule for e in doc.edits)
    listing = ", ".join(f"<span class=\"rule\">{_esc(r)}</span> {n}" for r, n in sorted(counts.items()))
    parts = [nav, f"<h1>{_esc(name)}</h1>", f"<p>{_plural(len(doc.edits), 'edit')}{': ' + listing if listing else ''}</p>"]
    parts.append(render_changes(doc.original, doc.cleaned, doc.edits, descriptions))
    if doc.notes:
        items = "".join(
            f'<li>line {n.line} <span class="rule" title="{_esc(descriptions.get(n.rule, ""))}">{_esc(n.rule)}</span>: '
            f"{_esc(n.message)}</li>"
            for n in doc.notes
        )
        parts.append(f'<h2>Notes (reported, not changed)</h2><ul id="notes">{items}</ul>')
    parts.append(nav)
    return _page(f"{name} - {title}", "\n".join(parts))


# -- what changed, in place --------------------------------------------------

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


class _Attribution:
    """Which rules touched which input lines, from the edits' line numbers."""

    def __init__(self, edits: Iterable[Edit], descriptions: Mapping[str, str]):
        self.descriptions = descriptions
        self.by_line: dict[int, list[Edit]] = {}
        for edit in edits:
            first = edit.line
            if not edit.after and edit.before.startswith("\n") and edit.before.strip("\n"):
                # A removed run is reported at its first line with content.
                first -= len(edit.before) - len(edit.before.lstrip("\n"))
            last = first + edit.before.count("\n") - (1 if edit.before.endswith("\n") and edit.before.strip("\n") else 0)
            for line in range(first, last + 1):
                self.by_line.setdefault(line, []).append(edit)

    def edits(self, lines: range) -> list[Edit]:
        found: dict[int, Edit] = {}
        for line in lines:
            for edit in self.by_line.get(line, ()):
                found.setdefault(id(edit), edit)
        return list(found.values())

    def tip(self, edits: Sequence[Edit]) -> tuple[str, str]:
        """(space-separated rule ids, hover text) for a change."""
        rules = sorted({e.rule for e in edits})
        if not rules:
            return "", "changed (no single rule: the net effect of several edits)"
        text = "\n".join(f"{r}: {_gist(self.descriptions.get(r, ''))}".rstrip(": ") for r in rules)
        return " ".join(rules), text

    def narrow(self, edits: Sequence[Edit], removed: str, added: str) -> list[Edit]:
        """The edits of a line that explain one replacement, or all of them."""
        fitting = [
            e for e in edits
            if (removed.strip() and removed.strip() in e.before) or (added.strip() and added.strip() in e.after)
            or (removed and not removed.strip() and removed in e.before)
        ]
        return fitting or list(edits)


def _line(number: str, inner: str, cls: str = "", attrs: str = "") -> str:
    klass = f' class="ln {cls}"' if cls else ' class="ln"'
    return f'<div{klass}{attrs}><span class="no">{number}</span>{inner}</div>'


def _tip_attrs(rules: str, tip: str) -> str:
    return f' data-rule="{_esc(rules)}" data-tip="{_esc(tip)}" tabindex="0"'


def _visible(text: str) -> str:
    """A change that is only spaces is shown with visible space marks."""
    return text if text.strip() or not text else text.replace(" ", "\u2423").replace("\t", "\u2192")


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _segments(old: str, new: str) -> list[tuple[str, str, bool]]:
    """(before, after, changed) pieces of one line, changed pieces cut at word boundaries."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    while 0 < start < limit and _word(old[start - 1]) and (_word(old[start]) or _word(new[start])):
        start -= 1  # never split a word: 'recieve' -> 'receive' is one change
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    while 0 < end < limit and _word(old[-end]) and (_word(old[-end - 1]) or _word(new[-end - 1])):
        end -= 1
    a_mid, b_mid = old[start:len(old) - end], new[start:len(new) - end]
    pieces: list[tuple[str, str, bool]] = [(old[:start], old[:start], False)]
    a_tok, b_tok = _TOKEN.findall(a_mid), _TOKEN.findall(b_mid)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a_tok, b_tok, autojunk=False).get_opcodes():
        removed, added = "".join(a_tok[i1:i2]), "".join(b_tok[j1:j2])
        pieces.append((removed, added, op != "equal"))
    pieces.append((old[len(old) - end:], old[len(old) - end:], False))
    # One change, not two, across a short gap without letters ('Tuesday .It' -> 'Tuesday. It').
    merged: list[tuple[str, str, bool]] = []
    for piece in pieces:
        if not piece[0] and not piece[1]:
            continue
        if (piece[2] and len(merged) >= 2 and merged[-2][2] and not merged[-1][2]
                and len(merged[-1][0]) <= 2 and not any(map(_word, merged[-1][0]))):
            gap = merged.pop()
            first = merged.pop()
            piece = (first[0] + gap[0] + piece[0], first[1] + gap[1] + piece[1], True)
        elif piece[2] and merged and merged[-1][2]:
            first = merged.pop()
            piece = (first[0] + piece[0], first[1] + piece[1], True)
        merged.append(piece)
    return merged


def _inline(old: str, new: str, edits: Sequence[Edit], who: _Attribution) -> str:
    """One changed line: unchanged words as they are, each replacement as before/after."""
    out = []
    for removed, added, changed in _segments(old, new):
        if not changed:
            out.append(_esc(removed))
            continue
        rules, tip = who.tip(who.narrow(edits, removed, added))
        inner = (f"<del>{_esc(_visible(removed))}</del>" if removed else "") + (
            f"<ins>{_esc(_visible(added))}</ins>" if added else "")
        out.append(f'<span class="rep"{_tip_attrs(rules, tip)}>{inner}</span>')
    return f'<span class="tx">{"".join(out)}</span>'


def _pair(a: list[str], b: list[str]) -> list[tuple[int | None, int | None]]:
    """Pair the lines of a changed block: (a index, b index), None for a line alone."""
    if len(a) == len(b):
        return [(i, i) for i in range(len(a))]
    if len(a) * len(b) > _MAX_PAIRING * _MAX_PAIRING:
        return [(i, None) for i in range(len(a))] + [(None, j) for j in range(len(b))]
    pairs: list[tuple[int | None, int | None]] = []
    i = 0
    for j, line in enumerate(b):
        best, best_ratio = None, 0.5
        for k in range(i, len(a)):
            ratio = difflib.SequenceMatcher(None, a[k], line, autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = k, ratio
        if best is None:
            pairs.append((None, j))
            continue
        pairs += [(k, None) for k in range(i, best)]
        pairs.append((best, j))
        i = best + 1
    pairs += [(k, None) for k in range(i, len(a))]
    return pairs


def render_changes(original: str, cleaned: str, edits: Sequence[Edit], descriptions: Mapping[str, str] = {}) -> str:
    """HTML of a document's original text with what cleaning changed marked in place.

    Removed lines are struck through (``.ln.removed``), added lines marked
    (``.ln.added``), and a replacement inside a line shows its before (``del``)
    and after (``ins``) side by side (``.rep``); every change carries the rule
    ids (``data-rule``) and their descriptions (``data-tip``, on hover or focus).
    Long unchanged runs are folded.
    """
    a = normalise_newlines(original).split("\n")
    b = cleaned.split("\n")
    if len(a) > 1 and len(b) > 1 and a[-1] == b[-1] == "":
        a.pop()  # both end with a line break: no empty last line to show
        b.pop()
    who = _Attribution(edits, descriptions)
    show_unchanged = len(original) <= _MAX_FOLDED_CHARS
    out: list[str] = []
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            lines = list(range(i1, i2))
            if len(lines) <= _FOLD_AFTER or len(opcodes) == 1:
                head, folded, tail = lines, [], []
            else:
                head = [] if index == 0 else lines[:_CONTEXT]
                tail = [] if index == len(opcodes) - 1 else lines[-_CONTEXT:]
                folded = lines[len(head):len(lines) - len(tail)]
            out += [_line(str(i + 1), f'<span class="tx">{_esc(a[i])}</span>') for i in head]
            if folded:
                inner = "".join(_line(str(i + 1), f'<span class="tx">{_esc(a[i])}</span>') for i in folded) if show_unchanged else ""
                out.append(f'<details class="fold"><summary>{_plural(len(folded), "unchanged line")}</summary>{inner}</details>')
            out += [_line(str(i + 1), f'<span class="tx">{_esc(a[i])}</span>') for i in tail]
            continue
        if op == "delete" and i2 - i1 > _FOLD_REMOVED:
            # A long removed run (a page's navigation, a comment thread): its
            # first and last lines, the middle folded.
            rules, tip = who.tip(who.edits(range(i1 + 1, i2 + 1)))
            shown = [_line(str(k + 1), f'<del class="tx">{_esc(a[k])}</del>', "removed", _tip_attrs(rules, tip))
                     for k in range(i1, i2)]
            head, tail = shown[:_CONTEXT * 3], shown[-_CONTEXT:]
            middle = shown[_CONTEXT * 3:len(shown) - _CONTEXT]
            summary = f'<summary>{_plural(len(middle), "more removed line")}</summary>'
            out += head + [f'<details class="fold removed-run">{summary}{"".join(middle)}</details>'] + tail
            continue
        for ai, bj in _pair(a[i1:i2], b[j1:j2]) if op == "replace" else (
            [(k, None) for k in range(i2 - i1)] if op == "delete" else [(None, k) for k in range(j2 - j1)]
        ):
            if ai is not None and bj is not None:
                line = i1 + ai
                out.append(_line(str(line + 1), _inline(a[line], b[j1 + bj], who.edits(range(line + 1, line + 2)), who), "changed"))
            elif ai is not None:
                line = i1 + ai
                rules, tip = who.tip(who.edits(range(line + 1, line + 2)))
                out.append(_line(str(line + 1), f'<del class="tx">{_esc(a[line])}</del>', "removed", _tip_attrs(rules, tip)))
            else:
                # An added line sits where it lands, between input lines i1 and i1 + 1.
                rules, tip = who.tip(who.edits(range(i1, i1 + 2)))
                out.append(_line("+", f'<ins class="tx">{_esc(b[j1 + bj])}</ins>', "added", _tip_attrs(rules, tip)))
    return f'<div class="doc" id="text">{"".join(out)}</div>'

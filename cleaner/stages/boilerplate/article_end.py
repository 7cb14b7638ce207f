"""Boilerplate: where the article starts and ends, for boilerplate.page-edges.

Below an article, web pages stack furniture that holds prose of its own: an
author's bio, teaser titles with one-paragraph summaries, a newsletter pitch,
readers' comments.  The page-shape rule (boilerplate.page-edges) counts that
prose as part of the body and keeps it.  But these sections are announced by a
heading ("About the Author", "Related Posts", "You may also like", "Comments",
"Share this article", "Tags") or by an author box (a name, perhaps after
"About" or "Written by", then "NAME is a writer ..." or a paragraph about
"NAME" as he or she), and from the first of them on, nothing of the article
follows.  Only the page's first author box counts: in a list of people, each
named and described, the first one stands high in the article, where no cut
is made.
So the page is cut there (``article_end_line``), when it stands below the bulk
of the article's prose and the prose under it is small beside the prose above
it.  Two kinds of heading need more evidence, because they also stand inside
articles: a teaser box ("Related Articles" and three titles) is often set
between two sections of the article, so below it the page must hold no long
run of paragraphs; and a bare heading that may title a section of the article
("Related", "Comments", "Author") needs a line under it that is not a
paragraph.

Above the article, the page's <title> is the first line of a text dump, and the
headline repeats it (``headline_line``): page-edges starts the article there
when little prose stands above it.  page-edges acts only on web pages (several
navigation labels), so neither function is asked about a letter or a README.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate, compress

from .lines import META, PROSE, LineAnalysis, compile_patterns, fullmatching, is_markup

# Headings are a few words long; longer lines are not matched.
_HEADING_CHARS = 100


def article_end_line(analysis: LineAnalysis, *, headers: list[str], box_headers: list[str],
                     bare_headers: list[str], min_above_share: float, max_below_ratio: float,
                     max_heading_words: int, paragraph_words: int,
                     max_box_run: int, bio_roles: list[str], bio_prefixes: list[str],
                     bio_pronouns: list[str], bio_words: int, teaser_run: dict | None) -> int | None:
    """The line where the furniture under the article starts, or None.

    It is the first heading matching ``headers`` that stands below
    ``min_above_share`` of the page's finished paragraphs, with at most
    ``max_below_ratio`` as many words of prose from it to the end as there are
    above it.  Below a ``box_headers`` heading, no run of consecutive
    finished paragraphs may exceed ``max_box_run`` words (the article resuming
    under an inline box; a teaser's title without a final stop breaks a run); a ``bare_headers`` heading needs a line right below that is
    not a finished paragraph of ``paragraph_words`` words or more.
    """
    lines, infos = analysis
    content = analysis.content
    prose = analysis.sentence_words
    # Prose above each content line; headings above min_above_share of it
    # are not looked at.
    above_at = list(accumulate([prose[i] for i in content], initial=0))
    total = above_at[-1]
    if not total:
        return None
    first = bisect_left(above_at, min_above_share * total)
    norms = analysis.norms
    words = analysis.words
    candidates = [k for k in range(first, len(content))
                  if words[content[k]] <= max_heading_words and len(norms[content[k]]) <= _HEADING_CHARS]
    if not candidates:
        return None
    names = [norms[content[k]] for k in candidates]
    # One pass of all the headings over the lines, then the few lines found
    # are sorted into the three kinds.
    any_heading = compile_patterns(tuple(headers) + tuple(box_headers) + tuple(bare_headers))
    matched = fullmatching(any_heading, names) if any_heading is not None else set()
    found = []
    for patterns in (headers, box_headers, bare_headers):
        pattern = compile_patterns(tuple(patterns))
        found.append({name for name in matched if pattern.fullmatch(name)} if pattern is not None and matched else set())
    strong, box, bare = found
    run_k = _dated_run(analysis, first, **teaser_run) if teaser_run else None
    n = len(content)
    box_options = dict(role_re=compile_patterns(tuple(bio_roles)),
                       prefix_re=compile_patterns(tuple(bio_prefixes)) if bio_prefixes else None,
                       pronouns=frozenset(bio_pronouns), min_words=bio_words) if bio_roles else None

    def author_box(hi: int) -> int | None:
        # The page's first author box, when it stands among the candidates
        # above content line hi: its content line.
        i = _author_box(analysis, candidates[0], hi, **box_options)
        if i is None or _author_box(analysis, 0, candidates[0], **box_options) is not None:
            return None
        return bisect_left(content, i)

    author_k = None
    looked = False
    if not (strong or box or bare) and run_k is None:
        if box_options is None:
            return None
        author_k, looked = author_box(n), True
        if author_k is None:
            return None
    # From the end up to the first candidate: the prose below each line
    # (every line of prose counts, finished or not: a list of references is
    # the article's; a teaser's one-line summary between two titles does
    # not), and the longest run of consecutive paragraphs below it.
    kinds = analysis.kinds
    start = candidates[0] if run_k is None else min(candidates[0], run_k)
    below_words = [0] * (n + 1)
    longest_from = [0] * (n + 1)
    seen: set[str] = set()
    run = 0
    for k in range(n - 1, start - 1, -1):
        i = content[k]
        extra = 0
        if kinds[i] == PROSE and not (norms[i][0] == "<" and is_markup(norms[i])):
            # A run of finished paragraphs: a teaser's title (no final stop)
            # between two summaries breaks it.
            run = run + words[i] if infos[i].terminal else 0
            if norms[i] not in seen and _in_paragraphs(kinds, content, k):
                seen.add(norms[i])
                extra = words[i]
        else:
            run = 0
        below_words[k] = below_words[k + 1] + extra
        longest_from[k] = max(run, longest_from[k + 1])

    def ends_here(k: int, strong_heading: bool, box_heading: bool) -> bool:
        if below_words[k] > max_below_ratio * above_at[k]:
            return False
        if not strong_heading:
            if not box_heading:
                nxt = infos[content[k + 1]] if k + 1 < n else None
                if nxt is not None and nxt.kind == PROSE and nxt.terminal and nxt.words >= paragraph_words:
                    return False
            # The article resumes under an inline box: a long run of paragraphs.
            if longest_from[k + 1] > max_box_run:
                return False
        return True

    if run_k is not None and run_k not in candidates:
        candidates = sorted(candidates + [run_k])
    end = None
    for k in candidates:
        norm = norms[content[k]]
        if k == run_k:
            if ends_here(k, False, True):
                end = k
                break
        elif norm in strong or norm in box or norm in bare:
            if ends_here(k, norm in strong, norm in box):
                end = k
                break
    # An author box counts only above the heading found (looked for there
    # alone: most of the page's lines are not read again).
    if box_options is not None and not looked:
        author_k = author_box(n if end is None else end)
    if author_k is not None and (end is None or author_k < end) and ends_here(author_k, True, False):
        end = author_k
    return None if end is None else content[end]


def _in_paragraphs(kinds: list[int], content: list[int], k: int) -> bool:
    """Whether content line k has a line of prose right above or below it:
    paragraphs come in runs, a teaser's one-line summary stands alone."""
    return (k > 0 and kinds[content[k - 1]] == PROSE) or (k + 1 < len(content) and kinds[content[k + 1]] == PROSE)


def _dated_run(analysis: LineAnalysis, lo: int, *, min_items: int, max_gap: int, max_header: int) -> int | None:
    """The content line where a list of dated teasers starts, from content line ``lo`` on, or None.

    Teasers without a heading still show their shape: a date (or a byline
    with a date) every few lines, title and summary between.  The list is
    ``min_items`` dates (consecutive date lines count once) at most
    ``max_gap`` lines apart; it starts with its first teaser's lines above the
    first date (at most one gap's worth, and not a paragraph next to another),
    and up to ``max_header`` short lines above them ("Blog", "Also in the news").
    """
    content = analysis.content
    kinds = analysis.kinds
    norms = analysis.norms
    n = len(content)
    groups: list[int] = []
    dates: list[tuple[int, int, int]] = []
    last = -2
    for k in range(lo, n):
        i = content[k]
        if kinds[i] != META:
            continue
        date = _date(norms[i])
        if date is None:
            continue
        if k != last + 1:
            groups.append(k)
            dates.append(date)
        last = k
    g = 0
    while g < len(groups):
        # The longest run of dates from here with the teasers' spacing.
        end = g + 1
        while end < len(groups) and 2 <= groups[end] - groups[end - 1] <= max_gap:
            end += 1
        start, g = g, end
        # Newest first, as listings are; an agenda or a timeline runs forwards.
        if end - start < min_items or any(dates[t + 1] > dates[t] for t in range(start, end - 1)):
            continue
        k = groups[start]

        for _ in range(groups[start + 1] - groups[start] - 1):
            if k - 1 < lo or (kinds[content[k - 1]] == PROSE and _in_paragraphs(kinds, content, k - 1)):
                break
            k -= 1
        for _ in range(max_header):
            if k - 1 < lo or kinds[content[k - 1]] == PROSE:
                break
            k -= 1
        return k
    return None


_MONTH_NUMBERS = {name: n for n, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE_FORMS = (
    (re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b"), (3, 1, 2)),
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)? (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,? (\d{4})\b"), (3, 2, 1)),
    (re.compile(r"\b(\d{4})-(\d\d)-(\d\d)\b"), (1, 2, 3)),
)


def _date(norm: str) -> tuple[int, int, int] | None:
    """(year, month, day) of the first date written out in a line, or None."""
    for pattern, (y, m, d) in _DATE_FORMS:
        found = pattern.search(norm)
        if found is not None:
            month = found.group(m)
            return int(found.group(y)), _MONTH_NUMBERS[month] if month.isalpha() else int(month), int(found.group(d))
    return None


def _author_box(analysis: LineAnalysis, lo: int, hi: int, *, role_re: re.Pattern[str] | None, prefix_re: re.Pattern[str] | None,
                pronouns: frozenset[str], min_words: int) -> int | None:
    """The name line of the first author box with its paragraph among content lines lo to hi, or None.

    An author box is a line holding a name of two to four capitalised words
    (after a ``prefix_re`` such as "About" or "Written by"), then within three
    lines a line that starts with the name or the first name and says what the
    person does (``role_re`` right after the name: "is a reporter"), or a
    paragraph of ``min_words`` words or more that speaks of them as he or she
    (``pronouns``: "Karina holds an MBA ... she ...").  A word in capitals
    ("LUX") is a title's, not a person's name.
    """
    lines, _ = analysis
    content = analysis.content
    norms = analysis.norms
    words = analysis.words
    kinds = analysis.kinds
    region = content[lo:hi]
    # Paragraphs, then the name-sized lines just above each that hold its
    # first word: the name lines worth a closer look.
    named = list(map(_NAME_WORDS.__contains__, map(words.__getitem__, region)))
    for r in compress(range(len(region)), map(PROSE.__eq__, map(kinds.__getitem__, region))):
        j = region[r]
        bio = norms[j]
        first = bio.partition(" ")[0]
        for q in range(r - 3 if r > 3 else 0, r):
            if not named[q]:
                continue
            i = region[q]
            if first not in norms[i]:
                continue
            after = _name_end(lines[i], norms[i], prefix_re, bio)
            if after and ((role_re is not None and role_re.match(bio, after + 1)) or
                          (words[j] >= min_words and not pronouns.isdisjoint(_WORD.findall(bio)))):
                return i
    return None


_NAME_WORDS = frozenset(range(2, 8))


def _name_end(line: str, norm: str, prefix_re: re.Pattern[str] | None, bio: str) -> int:
    """Where the name ends in ``bio`` when ``bio`` starts with the name on ``line``, or with its first name; else 0."""
    skip = 0
    if prefix_re is not None:
        found = prefix_re.match(norm)
        if found is not None:
            skip = len(norm[:found.end()].split())
    name_words = line.split()[skip:]
    if not 2 <= len(name_words) <= 4 or not all(w[:1].isupper() and not (len(w) > 2 and w.isupper())
                                                for w in name_words):
        return 0
    name = " ".join(name_words).casefold()
    first = name_words[0].casefold()
    after = len(name) if bio.startswith(name) else len(first) if bio.startswith(first) else 0
    return 0 if bio[after:after + 1].isalnum() else after


_WORD = re.compile(r"[\w’']+")


# " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » " between a headline and a site's name.
_TITLE_SEPARATOR = re.compile(r" (?:\||-|–|—|::|·|•|») ")


def headline_line(analysis: LineAnalysis, *, min_words: int = 2) -> int | None:
    """The line that repeats the page's <title> (its first line) as the headline, or None.

    A text dump starts with the document title ("How to Prune Roses | The
    Garden Blog"); the headline is the first later line equal to it, or to the
    part of it on either side of a separator (at least ``min_words`` words).
    """
    content = analysis.content
    if len(content) < 2:
        return None
    norms = analysis.norms
    title = norms[content[0]]
    names = {title} | {part for part in _TITLE_SEPARATOR.split(title) if len(part.split()) >= min_words}
    return next((i for i in content[1:] if norms[i] in names), None)

"""Boilerplate: where the article starts and ends, for boilerplate.page-edges.

Below an article, web pages stack furniture that holds prose of its own: an
author's bio, teaser titles with one-paragraph summaries, a newsletter pitch,
readers' comments.  The page-shape rule (boilerplate.page-edges) counts that
prose as part of the body and keeps it.  But these sections are announced by a
heading ("About the Author", "Related Posts", "You may also like", "Comments",
"Share this article", "Tags") or by an author box (a name, then "NAME is a
writer ..."), and from the first of them on, nothing of the article follows.
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
from itertools import accumulate

from .boilerplate import PROSE, Analysis, _compile_all, _fullmatching

# Headings are a few words long; longer lines are not matched.
_HEADING_CHARS = 100


def article_end_line(analysis: Analysis, *, headers: list[str], box_headers: list[str] = (),
                     bare_headers: list[str] = (), min_above_share: float = 0.5, max_below_ratio: float = 0.5,
                     max_heading_words: int = 10, paragraph_words: int = 20,
                     max_box_run: int = 150, bio_roles: list[str] = ()) -> int | None:
    """The line where the furniture under the article starts, or None.

    It is the first heading matching ``headers`` that stands below
    ``min_above_share`` of the page's finished paragraphs, with at most
    ``max_below_ratio`` as many words of prose from it to the end as there are
    above it.  Below a ``box_headers`` heading, no run of consecutive
    paragraphs may exceed ``max_box_run`` words (the article resuming under an
    inline box); a ``bare_headers`` heading needs a line right below that is
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
    any_heading = _compile_all(tuple(headers) + tuple(box_headers) + tuple(bare_headers))
    matched = _fullmatching(any_heading, names) if any_heading is not None else set()
    found = []
    for patterns in (headers, box_headers, bare_headers):
        pattern = _compile_all(tuple(patterns))
        found.append({name for name in matched if pattern.fullmatch(name)} if pattern is not None and matched else set())
    strong, box, bare = found
    if bio_roles:
        # An author box: the author's name, then within a few lines a
        # paragraph that starts with the name and says what they do.
        role_re = _compile_all(tuple(bio_roles))
        for k in candidates:
            i = content[k]
            if not 2 <= words[i] <= 4:
                continue
            name = norms[i]
            prefix = name + " "
            for m in content[k + 1:k + 4]:
                if norms[m].startswith(prefix) and role_re.match(norms[m], len(prefix)) and lines[i].strip()[:1].isupper():
                    strong = strong | {name}
                    break
    if not (strong or box or bare):
        return None
    # From the end up to the first candidate: the prose below each line
    # (every line of prose counts, finished or not: a list of references is
    # the article's; a teaser's one-line summary between two titles does
    # not), and the longest run of consecutive paragraphs below it.
    kinds = analysis.kinds
    n = len(content)
    start = candidates[0]
    below_words = [0] * (n + 1)
    longest_from = [0] * (n + 1)
    seen: set[str] = set()
    run = 0
    for k in range(n - 1, start - 1, -1):
        i = content[k]
        extra = 0
        if kinds[i] == PROSE:
            run += words[i]
            if norms[i] not in seen and ((k and kinds[content[k - 1]] == PROSE)
                                         or (k + 1 < n and kinds[content[k + 1]] == PROSE)):
                seen.add(norms[i])
                extra = words[i]
        else:
            run = 0
        below_words[k] = below_words[k + 1] + extra
        longest_from[k] = max(run, longest_from[k + 1])
    for k in candidates:
        i = content[k]
        norm = norms[i]
        if norm not in strong and norm not in box and norm not in bare:
            continue
        above = above_at[k]
        if below_words[k] > max_below_ratio * above:
            continue
        if norm not in strong:
            if norm not in box:
                nxt = infos[content[k + 1]] if k + 1 < n else None
                if nxt is not None and nxt.kind == PROSE and nxt.terminal and nxt.words >= paragraph_words:
                    continue
            # The article resumes under an inline box: a long run of paragraphs.
            if longest_from[k + 1] > max_box_run:
                continue
        return i
    return None


# " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » " between a headline and a site's name.
_TITLE_SEPARATOR = re.compile(r" (?:\||-|–|—|::|·|•|») ")


def headline_line(analysis: Analysis, *, min_words: int = 2) -> int | None:
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

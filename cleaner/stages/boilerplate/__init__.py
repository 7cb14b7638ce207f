"""Boilerplate: remove page furniture from text dumps of web pages, keep the article.

A crawler's text dump of a page holds the article between menus, share buttons,
cookie notices, comment forms, "More From" teaser lists and footers.  The rules
work from structure first: whole-line phrases, anchored blocks (a header and
the lines that may follow it), and the shape of the page (navigation runs at
the top and the bottom, around a body of running prose).

Modules, each importing only those above it:

- ``lines``: the shared analysis (each line's class, word count, normalised
  form), the data files and pattern helpers;
- ``dropping``: removing lines under the safety check, ``settled``;
- ``blocks``: UI lines, comment forms, teaser lists, comment threads;
- ``article_end``: where the article ends and where its headline stands;
- ``page``: the page's edges and the runs of labels inside it;
- ``repeats``: lines and stretches the page shows twice;
- ``contents``: a table of contents the page repeats.

A rule file names a fixer below by its rule id (or ``function = ...``).
"""

from __future__ import annotations

from .blocks import anchored_block, comment_thread, phrase_lines, teaser_list
from .contents import contents_list
from .dropping import settled
from .page import nav_runs, page_edges
from .repeats import repeated_block, repeated_lines

FIXERS = {
    "boilerplate.ui-lines": phrase_lines,
    "boilerplate.comment-form": anchored_block,
    "boilerplate.comment-thread": comment_thread,
    "boilerplate.teaser-list": settled(teaser_list),
    "boilerplate.page-edges": settled(page_edges),
    "boilerplate.nav-runs": settled(nav_runs),
    "boilerplate.repeated-lines": settled(repeated_lines),
    "boilerplate.contents-list": contents_list,
    "boilerplate.repeated-block": repeated_block,
}

# Settings read from [tool.cleaner.boilerplate]: none (the rules' options are in
# rules/boilerplate.toml), so any key there is reported as unknown.
OPTIONS: dict[str, str] = {}

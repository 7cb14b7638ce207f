"""Encoding repair: undo what wrong codecs did to the text, touch nothing else.

Modules: ``lexicon`` (the words a lost letter may be restored in) below
``fixes`` (one fixer per way a codec goes wrong; see its docstring).
"""

from __future__ import annotations

from .fixes import (
    controls, gbk_latin1, html_entities, lost_characters, lost_letters, lost_quotes, mojibake, soft_hyphens,
)

FIXERS = {
    "encoding.html-entities": html_entities,
    "encoding.gbk-latin1": gbk_latin1,
    "encoding.mojibake": mojibake,
    "encoding.controls": controls,
    "encoding.soft-hyphen": soft_hyphens,
    "encoding.lost-letter": lost_letters,
    "encoding.lost-quote": lost_quotes,
    "encoding.lost-char": lost_characters,
}

# Settings read from [tool.cleaner.encoding]: none (ftfy's options are the rule's, in rules/encoding.toml).
OPTIONS: dict[str, str] = {}

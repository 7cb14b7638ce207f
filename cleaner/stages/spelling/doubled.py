"""Spelling: a word typed twice keeps one (``with with`` -> ``with``)."""

from __future__ import annotations

from itertools import compress, islice
from operator import eq

from ...language import LANGUAGES_FACT, english_verdict
from ...rules import Context, RawEdit, replay
from .lexicon import lexicon
from .text import TEXT_TOKENS, LineNumbers, TextTokens, text_blocks

# Doubled words that are right as they are.
LEGIT_DOUBLES = frozenset(
    """had that is do bye ha haha hee ho blah very really so no yeah yes well now there
    knock tut tsk chop night boo pom tom go win yo hush choo cha dum bang aye far many long
    more much never again baby oh ah la na da hey bla bora walla sing can mahi aye-aye
    cous murmur pooh can-can etc peri yada""".split()
)

# A doubled word right after one of these is not doubled text (``the “the``).
_NOT_BEFORE_DOUBLE = "_'’“”\"‘"


def fix_doubled(text: str, ctx: Context) -> tuple[str, list[RawEdit]]:
    """A word typed twice keeps one (``with with`` -> ``with``); never across a
    quote or line, only a word the gate knows, and only where the paragraph is
    not surely another language."""
    split = ctx.analysis.fact(TEXT_TOKENS, text)
    doubled = _doubled_words(split) - LEGIT_DOUBLES
    if not doubled:
        return text, []
    # A word the gate does not know, written twice, is a name or a command
    # (``docker exec -it ollama ollama pull``), not a slip: slips are typed once.
    lex = lexicon()
    # Nor is a doubled single letter other than "a" and "I" (``l l``, ``x x``:
    # command output, variables), nor a web token no dictionary lists (``sz sz``: code).
    doubled = {w for w in doubled if (len(w) > 1 or w in "ai") and w in lex.words}
    if not doubled:
        return text, []
    found: list[tuple[int, int]] = []
    # A pair stays within a line, so each block is searched on its own (what
    # stands before a block's start is a line break, as good as its start).
    for offset, block in text_blocks(text):
        # Places found in the lowered block are places in the block: str.lower()
        # keeps every character one character long except "İ" (i and a dot).
        low = block.lower() if "\u0130" not in block else block.replace("\u0130", "i").lower()
        for word in doubled:
            pair = f"{word} {word}"
            n = len(pair)
            pos = low.find(pair)
            while pos != -1:
                before = block[pos - 1] if pos else " "
                after = block[pos + n] if pos + n < len(block) else " "
                second = block[pos + len(word) + 1]
                tripled = low.startswith(" " + word, pos + n)
                if (
                    not tripled
                    and not low.endswith(word + " ", 0, pos)
                    and not (before.isalnum() or before in _NOT_BEFORE_DOUBLE)
                    and not (after.isalnum() or after in "_'’")
                    and not second.isupper()  # "Walla Walla", "Duran Duran": names
                ):
                    found.append((offset + pos, n))
                pos = low.find(pair, pos + 1)
    found.sort()
    if found:
        # German `der der`, Romanian `va va`, French `très très` are right: English paragraphs only.
        languages = ctx.analysis.fact(LANGUAGES_FACT, text)
        found = [(pos, n) for pos, n in found if english_verdict(languages.at(pos)) is not False]
    if ctx.doc.markdown:
        code = split.code_lines
        line_of = LineNumbers(text)
        found = [(pos, n) for pos, n in found if not code[line_of(pos)]]
    edits: list[RawEdit] = []
    end = -1
    for pos, n in found:
        if pos >= end:  # "the the the": one edit, then the next pair after it
            edits.append((pos, text[pos : pos + n], text[pos : pos + (n - 1) // 2]))
            end = pos + n
    if not edits:
        return text, []
    return replay(text, edits), edits


def _doubled_words(split: TextTokens) -> set[str]:
    """Words written twice in a row (any whitespace between), in lowercase:
    neighbouring tokens equal but for the first one's case (``with with``,
    ``The the``), found without a Python-level loop over every token."""
    doubled: set[str] = set()
    last = None  # the previous block's last token: a pair may straddle two blocks
    for tokens in split.token_lists():
        if not tokens:
            continue
        if last is not None and last.lower() == tokens[0] and last.isalpha():
            doubled.add(tokens[0])
        doubled.update(
            w.lower() for w in compress(tokens, map(eq, map(str.lower, tokens), islice(tokens, 1, None))) if w.isalpha()
        )
        last = tokens[-1]
    return doubled

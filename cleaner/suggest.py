"""'Did you mean ...?' for a mistyped name: a rule id, a setting, a rule-file key."""

from __future__ import annotations

import difflib
from typing import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' naming the nearest known name, or '' when none is near."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}?)" if close else ""

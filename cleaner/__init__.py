"""cleaner: turn dirty scraped text into clean UTF-8.

    >>> from cleaner import clean_text
    >>> clean_text("Hello\u00a0 world  \n\n\n").text
    'Hello world\n'

The public API is ``clean_text``, ``Config`` and ``Result`` (with ``Edit`` and
``Note``).  Names are loaded on first use so that ``cleaner --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["clean_text", "Config", "Result", "Edit", "Note", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config
    from .pipeline import Edit, Note, Result, clean_text


def __getattr__(name: str):
    if name == "Config":
        from .config import Config

        return Config
    if name in ("clean_text", "Result", "Edit", "Note"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")

"""Built-in fixers, one module per stage.

Each module exposes ``FIXERS``: a registry from a builtin rule's name (its rule
id, unless the rule names another ``function``) to a function
``fixer(text, ctx, **options) -> (new_text, edits)``.  Fixers are pure: no I/O,
no global state beyond caches of immutable data, and they report every change
as ``(offset, before, after)`` edits in offset order.
"""

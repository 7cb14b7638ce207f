"""Built-in fixers: one module or package per stage, named as the stage.

Each stage exposes ``FIXERS``: a registry from a builtin rule's name (its rule
id, unless the rule names another ``function``) to a function
``fixer(text, ctx, **options) -> (new_text, edits)``, and ``OPTIONS``: the
settings it reads from ``[tool.cleaner.<stage>]``.  Fixers are pure: no I/O,
no global state beyond caches of immutable data (what one rule tells the next
goes through ``ctx.analysis``), and they report every change as
``(offset, before, after)`` edits in offset order.  A stage imports core
modules (rules, analysis, markdown), never the reverse, and never another stage.
"""

"""What the stage snapshot scripts share: the texts they freeze, and one run of a stage's rules.

A speed change must leave every edit and note as it was; ``boilerplate_snapshot.py``
and ``spelling_snapshot.py`` store a stage's behaviour on these texts and compare.
"""

from __future__ import annotations

from pathlib import Path

from cleaner.analysis import DocumentAnalysis
from cleaner.rules import Context, document_for

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def corpus() -> list[tuple[str, Path]]:
    """(name, file): the boilerplate-dev pages and gold files, the seeds, samples/dirt."""
    out = [("dev/" + p.name, p) for p in sorted((SHARED / "boilerplate-dev").glob("*.txt"))]
    for folder, tag in ((SHARED / "seeds", "seed/"), (ROOT / "samples" / "dirt", "dirt/")):
        out += [(tag + p.name, p) for p in sorted(folder.iterdir()) if p.is_file()]
    return out


def run_rules(text: str, rules, path: str | None = None) -> tuple[str, list[dict]]:
    """The rules one after the other: the output, and each rule's edits and notes."""
    doc = document_for(path)
    steps = []
    analysis = DocumentAnalysis()  # shared by the rules, as in the pipeline
    for rule in rules:
        ctx = Context(doc, rule.id, analysis=analysis)
        text, edits = rule.apply(text, ctx)
        steps.append({"rule": rule.id, "edits": [list(e) for e in edits], "notes": [list(n) for n in ctx.notes]})
    return text, steps

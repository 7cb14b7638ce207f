"""The per-document analysis (cleaner/analysis.py): facts per text, memos per document."""

from __future__ import annotations

from cleaner import clean_text
from cleaner.analysis import DocumentAnalysis, Fact, Memo
from cleaner.rules import Context, document_for


def test_a_fact_is_computed_once_per_text_and_again_when_the_text_changes():
    calls = []

    def count_lines(text: str) -> int:
        calls.append(text)
        return text.count("\n") + 1

    lines = Fact("lines", count_lines)
    shared = DocumentAnalysis()
    text = "one\ntwo\n"
    assert shared.fact(lines, text) == 3
    assert shared.fact(lines, text) == 3
    assert shared.fact(lines, "".join(["one\n", "two\n"])) == 3  # an equal text keeps its facts
    assert len(calls) == 1
    assert shared.fact(lines, "one\n") == 2
    assert calls == [text, "one\n"]


def test_a_memo_lives_as_long_as_the_document_and_starts_from_its_initial_value():
    seen: Memo[list[str]] = Memo("test.seen", list)
    shared = DocumentAnalysis()
    shared.memo(seen).append("first rule")
    assert shared.memo(seen) == ["first rule"]
    shared.put(seen, ["replaced"])
    assert shared.memo(seen) == ["replaced"]
    assert DocumentAnalysis().memo(seen) == []  # another document starts afresh


def test_a_context_made_without_an_analysis_gets_its_own():
    a, b = Context(document_for(None)), Context(document_for(None))
    assert isinstance(a.analysis, DocumentAnalysis) and a.analysis is not b.analysis


def test_the_pipeline_hands_every_rule_of_a_document_the_same_analysis(monkeypatch):
    from cleaner import pipeline

    seen = []
    real_context = pipeline.Context

    def recording_context(*args, **kwargs):
        ctx = real_context(*args, **kwargs)
        seen.append(ctx.analysis)
        return ctx

    monkeypatch.setattr(pipeline, "Context", recording_context)
    clean_text("Hello  world.\n")
    first = len(seen)
    clean_text("Another document.\n")
    assert first > 1 and len({id(a) for a in seen[:first]}) == 1
    assert seen[first] is not seen[0]

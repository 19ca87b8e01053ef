"""The span highlighter's per-block index, kept edit by edit, is the index made from scratch."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from annotator.core.model import Label, Span, make_span
from annotator.core.offsets import Utf16Map
from annotator.core.span_ops import insert_replacing
from annotator.core.tokens import trim
from annotator.ui.widgets.highlighter import SpanHighlighter
from annotator.ui.widgets.text_view import display_text

TEXT = "🇮🇩 Wali Kota Bogor\nhadir di Jakarta 📌 Selasa.\n\nKemendagri e\u0301 Makassar\n" * 3
LABELS = [
    Label(name=n, key=str(i + 1), color=c)
    for i, (n, c) in enumerate([("PERSON", "#4e79a7"), ("CITY", "#59a14f"), ("DATE", "#e15759")])
]


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[str, int, int, str]]:
    out = []
    for _ in range(draw(st.integers(1, 25))):
        s = draw(st.integers(0, len(TEXT) - 1))
        e = draw(st.integers(s + 1, min(len(TEXT), s + 30)))
        out.append(
            (
                draw(st.sampled_from(["add", "add", "remove", "relabel"])),
                s,
                e,
                draw(st.sampled_from([lab.name for lab in LABELS])),
            )
        )
    return out


def step(spans: tuple[Span, ...], edit: tuple[str, int, int, str]) -> tuple[Span, ...]:
    kind, s, e, label = edit
    if kind == "add":
        s, e = trim(TEXT, s, e)  # as every edit makes them: no span is only white space
        return insert_replacing(spans, make_span(TEXT, s, e, label)) if s < e else spans
    hit = [i for i, sp in enumerate(spans) if sp.start <= s < sp.end]
    if not hit:
        return spans
    i = hit[0]
    if kind == "remove":
        return (*spans[:i], *spans[i + 1 :])
    return (*spans[:i], make_span(TEXT, spans[i].start, spans[i].end, label), *spans[i + 1 :])


def highlighter(spans: tuple[Span, ...]) -> tuple[QPlainTextEdit, SpanHighlighter]:
    view = QPlainTextEdit()
    view.setPlainText(display_text(TEXT))
    light = SpanHighlighter(view)
    light.set_labels(LABELS, view.palette().base().color(), 0.3)
    light.attach(view.document(), Utf16Map(TEXT), spans)
    return view, light


@settings(max_examples=60, deadline=None)
@given(edits(), st.lists(st.integers(0, len(TEXT)), max_size=25))
def test_an_index_kept_edit_by_edit_is_the_index_made_afresh(
    qapp: QApplication, todo: list[tuple[str, int, int, str]], picks: list[int]
) -> None:
    spans: tuple[Span, ...] = ()
    _view, kept = highlighter(spans)
    for i, edit in enumerate(todo):
        after = step(spans, edit)
        kept.update(spans, after)
        spans = after
        if i < len(picks):  # a span selected (drawn solid), or none, between edits
            kept.select(kept.span_at(picks[i]))
    kept.select(None)
    _fresh_view, fresh = highlighter(spans)
    assert kept.spans == spans
    assert kept._starts == [s.start for s in spans]
    assert kept._ends == [s.end for s in spans]
    assert {n: b for n, b in kept._blocks.items() if b} == fresh._blocks
    for span in spans:
        assert kept.contains(span)
        assert kept.span_at(span.start) == span


@settings(max_examples=40, deadline=None)
@given(edits(), st.integers(0, len(TEXT)))
def test_the_selected_span_alone_is_marked_selected(
    qapp: QApplication, todo: list[tuple[str, int, int, str]], pick: int
) -> None:
    spans: tuple[Span, ...] = ()
    for edit in todo:
        spans = step(spans, edit)
    _view, light = highlighter(spans)
    chosen = light.span_at(pick)
    light.select(chosen)
    marked = {(n, e[0], e[1]) for n, entries in light._blocks.items() for e in entries if e[3]}
    unmarked = {n: [e[:3] for e in entries] for n, entries in light._blocks.items()}
    _other, fresh = highlighter(spans)
    assert unmarked == {n: [e[:3] for e in entries] for n, entries in fresh._blocks.items()}
    expected = set()
    if chosen is not None:
        expected = {(n, e[0], e[1]) for n, e in light._place(chosen) if e[1] > 0}
    assert {m for m in marked if m[2] > 0} == expected

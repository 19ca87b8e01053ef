"""The journal's line encoder reuses the last line's span pieces and writes the same bytes."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import journal
from annotator.core.model import Annotation, Span, make_span
from annotator.core.span_ops import insert_replacing

TEXT = 'Wali Kota 🇮🇩 Bogor "Bima" é\u0301 di Jakarta\nKemendagri, Selasa. ' * 3
LABELS = ("PERSON", "CITY", 'ÜBER "Q"', "日付")
DOCS = ("d1", "d2", "d3", "d4", "d5", "d6")


@st.composite
def a_span(draw: st.DrawFn) -> Span:
    s = draw(st.integers(0, len(TEXT) - 1))
    e = draw(st.integers(s + 1, min(len(TEXT), s + 12)))
    return make_span(TEXT, s, e, draw(st.sampled_from(LABELS)))


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, Annotation | None, bool]]:
    """Lines as a window writes them: documents edited a span at a time, some reset to
    untouched, spans relabelled as equal-but-new objects, meta and text sometimes written."""
    states: dict[str, Annotation | None] = {}
    out: list[tuple[str, Annotation | None, bool]] = []
    for _ in range(draw(st.integers(1, 30))):
        doc = draw(st.sampled_from(DOCS))
        current = states.get(doc)
        if draw(st.integers(0, 9)) == 0:
            state: Annotation | None = None
        else:
            spans = current.spans if current is not None else ()
            spans = insert_replacing(spans, draw(a_span()))
            if spans and draw(st.booleans()):
                spans = tuple(s.model_copy() for s in spans)  # equal, not the same objects
            meta = draw(st.sampled_from([{}, {"note": "catatan ✓"}, {"rejected": [[1, 2, "X"]]}]))
            state = Annotation(
                id=doc,
                text=TEXT,
                spans=spans,
                status=draw(st.sampled_from(["in_progress", "done", "skipped"])),
                annotator="ani",
                seconds=draw(st.floats(0, 1e6, allow_nan=False)),
                meta=meta,
            )
        states[doc] = state
        out.append((doc, state, draw(st.booleans())))
    return out


@settings(max_examples=150, deadline=None)
@given(histories())
def test_every_line_is_the_plain_encoding(lines: list[tuple[str, Annotation | None, bool]]) -> None:
    encoder = journal.LineEncoder()
    for doc_id, state, text_known in lines:
        got = encoder.encode(doc_id, state, text_known)
        assert got == journal.encode(doc_id, state, text_known)
        assert got.endswith(b"\n")
        assert json.loads(got)["id"] == doc_id


def test_one_encoder_used_from_two_threads_writes_the_plain_lines() -> None:
    base = Annotation(id="d1", text=TEXT, annotator="ani")
    states = []
    spans: tuple[Span, ...] = ()
    for start in range(0, len(TEXT) - 4, 5):
        spans = insert_replacing(spans, make_span(TEXT, start, start + 3, LABELS[start % 4]))
        states.append(base.model_copy(update={"spans": spans}))
    encoder = journal.LineEncoder()
    with ThreadPoolExecutor(2) as pool:
        got = list(pool.map(lambda s: encoder.encode("d1", s, True), states * 3))
    assert got == [journal.encode("d1", s, True) for s in states * 3]

"""Offsets are code points, whatever the text holds: emoji, flags, combining marks, breaks."""

from __future__ import annotations

from _texts import state
from conftest import STORES, StoreHarness
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.edit import AddSpan, SetSpans
from annotator.core.tokens import Snap, TokenIndex

PIECES = [
    "Jakarta",
    "Kemendagri",
    " di ",
    "😀",
    "🇮🇩",
    "👩‍👩‍👧",
    "e\u0301",
    "\n",
    " ",
    "Selasa (30/08/2022)",
    "日本",
    "\u200b",
    "ñ",
]
# U+0000 is left out: a PostgreSQL server cannot store it in a text, and the server store
# refuses such a document in one line (tests/pg/test_pg_store.py); the folder keeps it
# (tests/core/test_nul_text.py).
_CHARS = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
texts = st.lists(
    st.sampled_from(PIECES) | st.text(_CHARS, min_size=1, max_size=4), min_size=1, max_size=8
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    store=st.sampled_from(sorted(STORES)),
    pieces=st.lists(texts.map("".join).filter(str.strip), min_size=1, max_size=3),
    data=st.data(),
)
def test_any_text_and_spans_read_back_exactly(
    store: str, pieces: list[str], data: st.DataObject
) -> None:
    harness = STORES[store]()
    try:
        docs = {f"d{i}": text for i, text in enumerate(pieces)}
        project = harness.create(docs)
        session = project.session("ani")
        for doc, text in docs.items():
            cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=6))))
            keys = tuple((a, b, "CITY") for a, b in zip(cuts[::2], cuts[1::2], strict=False))
            session.apply(SetSpans(doc, tuple(k for k in keys if k[0] < k[1])))
            start = data.draw(st.integers(0, len(text)))
            end = data.draw(st.integers(start, len(text)))
            snap = data.draw(st.sampled_from(list(Snap)))
            made = session.apply(AddSpan(doc, start, end, "PERSON", snap)).made
            if made is not None:
                assert made.text == text[made.start : made.end] == made.text.strip()
                if snap is Snap.EXPAND:
                    assert TokenIndex(text).is_aligned(made.start, made.end)
        expected = {doc: state(session.annotation(doc)) for doc in docs}
        session.close()
        again = harness.reopen()
        assert {doc: state(again.annotation("ani", doc)) for doc in docs} == expected
        for doc, text in docs.items():
            assert again.documents.get(doc).text == text
            ann = again.annotation("ani", doc)
            for span in ann.spans if ann is not None else ():
                assert text[span.start : span.end] == span.text
    finally:
        harness.cleanup()


def test_a_span_after_an_emoji_keeps_its_code_point_offsets(harness: StoreHarness) -> None:
    text = "🇮🇩👩‍👩‍👧 e\u0301 Kota Makassar"
    project = harness.create({"d": text})
    start = text.index("Makassar")
    with project.session("ani") as session:
        made = session.apply(AddSpan("d", start, start + len("Makassar"), "CITY")).made
    assert made is not None
    assert (made.start, made.end) == (len("🇮🇩👩‍👩‍👧 e\u0301 Kota "), len(text))
    ann = harness.reopen().annotation("ani", "d")
    assert ann is not None
    assert [(s.start, s.end, s.text) for s in ann.spans] == [(start, len(text), "Makassar")]

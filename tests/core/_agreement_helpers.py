"""Hypothesis strategies for agreement tests: texts with emoji, CRLF and combining marks,
random (possibly nested) spans, and annotators who submit some documents and skip others."""

from __future__ import annotations

from hypothesis import strategies as st

from annotator.core.agreement.corpus import DEFAULT_LABEL_NAMES, Corpus

LABELS = DEFAULT_LABEL_NAMES
TEXTS = (
    "Joko Widodo visited Jakarta on 5 May 2023 with Kemendagri for the Smart City program.",
    "Walikota Bandung, Yana Mulyana, meluncurkan program Bandung Smart City pada 2022.",
    "📌 Presiden 🇮🇩 Joko Widodo 😀 tiba di Jakarta.\nLalu ke Bandung.",
    "Laporan Fikar W.Eda/ dari Takengon,\r\nAceh Tengah (30/08/2022).",
    "Cafe\u0301 milik Zoë di Yogyakarta — ditutup n\u0303 kali; negara-negara ASEAN.",
    "Rapat berlangsung hingga sore.",
    "",
    "   \n\t ",
)

Span = tuple[int, int, str]


@st.composite
def spans_for(draw: st.DrawFn, text: str, max_spans: int = 6) -> list[Span]:
    """Random spans of ``text``: may overlap, nest, repeat or touch."""
    n = len(text)
    if n == 0:
        return []
    out = []
    for _ in range(draw(st.integers(0, max_spans))):
        start = draw(st.integers(0, n - 1))
        end = draw(st.integers(start + 1, min(n, start + 25)))
        out.append((start, end, draw(st.sampled_from(LABELS))))
    return out


@st.composite
def corpora(draw: st.DrawFn, max_annotators: int = 4, max_docs: int = 4) -> Corpus:
    """2-``max_annotators`` annotators over up to ``max_docs`` documents; each annotator
    submits each document or not (skipped)."""
    doc_texts = draw(
        st.lists(st.sampled_from(TEXTS), min_size=1, max_size=max_docs).map(
            lambda ts: {f"d{k}": t for k, t in enumerate(ts)}
        )
    )
    names = [f"ann{k}" for k in range(draw(st.integers(2, max_annotators)))]
    annotations = {}
    for name in names:
        docs = {}
        for doc_id, text in doc_texts.items():
            if draw(st.integers(0, 4)):  # submitted four times out of five
                docs[doc_id] = draw(spans_for(text))
        annotations[name] = docs
    return Corpus.from_spans(doc_texts, annotations)

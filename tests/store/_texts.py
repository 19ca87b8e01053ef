"""Texts and helpers the conformance tests share."""

from __future__ import annotations

from annotator.core.model import Annotation

TEXTS = {
    "d1": "Laporan Fikar W.Eda/Jakarta 🇮🇩 Kota Makassar, Selasa (30/08/2022).",
    "d2": "Kemendagri RI dan Pemprov DKI Jakarta meluncurkan Jakarta Smart City.",
    # a CRLF file imported: line ends normalised to \n, so offsets count one per break
    "d3": "Café Ré\u0301sumé 😀\nWali Kota Bogor\nBima Arya hadir.",
    "d4": "Banyuwangi",
}


def at(doc: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """The code-point offsets of the ``nth`` occurrence of ``sub`` in ``doc``'s text."""
    start = -1
    for _ in range(nth + 1):
        start = TEXTS[doc].index(sub, start + 1)
    return start, start + len(sub)


def state(ann: Annotation | None) -> object:
    """What a store must give back exactly: text, spans, status, time, stamp and meta."""
    if ann is None:
        return None
    return (
        ann.text,
        tuple((s.start, s.end, s.label, s.text) for s in ann.spans),
        ann.status,
        ann.seconds,
        ann.updated_at,
        ann.meta,
        ann.annotator,
    )

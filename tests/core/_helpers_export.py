"""Builders shared by the export tests: projects with annotators, and awkward texts."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from annotator.core.demo import normalise_text
from annotator.core.edit import AddSpan, SetSpans
from annotator.core.model import Document, Status
from annotator.core.project import Project
from annotator.core.tokens import Snap

# Indonesian news lines with the hard cases: emoji (non-BMP), a CRLF-origin text, a combining
# mark, an empty document and one without entities.
TEXTS: dict[str, str] = {
    "emoji": "Wali Kota Bandung 😀 Yana Mulyana tiba di Jakarta 🇮🇩 pada 12 Mei 2024.",
    "crlf": normalise_text(
        "Laporan Fikar W.Eda/Jakarta\r\nKementerian Dalam Negeri (Kemendagri) di Jakarta.\r\n"
        "\r\nASEAN Smart City Network dibentuk di Singapura.\r\n"
    ),
    "combining": "Gubernur Jose\u0301 Rizal mengunjungi Surabaya bersama Kemenkes.",
    "empty": "",
    "plain": "Tidak ada nama di kalimat ini, hanya berita cuaca.",
    "multi": "Presiden  Joko Widodo\n\n\tmeresmikan program Kartu Prakerja di Medan .",
    "quotes": 'Kapolda berkata, "Jakarta aman" \\ kata Fadil Imran\x07 di Polda Metro Jaya.',
}

# (text, label) by document: the substring's first occurrence is the span.
SPANS: dict[str, list[tuple[str, str]]] = {
    "emoji": [("Bandung", "CITY"), ("Yana Mulyana", "PERSON"), ("Jakarta", "CITY"),
              ("12 Mei 2024", "DATE")],
    "crlf": [("Fikar W.Eda", "PERSON"), ("Jakarta", "CITY"),
             ("Kementerian Dalam Negeri", "AGENCY"), ("Kemendagri", "AGENCY"),
             ("ASEAN Smart City Network", "PROGRAM"), ("Singapura", "CITY")],
    "combining": [("Jose\u0301 Rizal", "PERSON"), ("Surabaya", "CITY"), ("Kemenkes", "AGENCY")],
    "empty": [],
    "plain": [],
    "multi": [("Joko Widodo", "PERSON"), ("Kartu Prakerja", "PROGRAM"), ("Medan", "CITY")],
    "quotes": [("Jakarta", "CITY"), ("Fadil Imran", "PERSON"), ("Polda Metro Jaya", "AGENCY")],
}  # fmt: skip


def at(text: str, sub: str, label: str, nth: int = 0) -> tuple[int, int, str]:
    """``(start, end, label)`` of the ``nth`` occurrence of ``sub`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return (start, start + len(sub), label)


def spans_of(doc_id: str) -> list[tuple[int, int, str]]:
    """The spans of one of the sample documents."""
    return [at(TEXTS[doc_id], sub, label) for sub, label in SPANS[doc_id]]


def make_project(root: Path, texts: dict[str, str] | None = None) -> Project:
    """A project holding ``texts`` (default: the sample documents)."""
    project = Project.init(root)
    texts = TEXTS if texts is None else texts
    project.documents.append(
        [Document(id=k, text=v, meta={"n": i}) for i, (k, v) in enumerate(texts.items())]
    )
    return project


def annotate(
    project: Project,
    name: str,
    spans: dict[str, Iterable[tuple[int, int, str]]],
    status: Status = "done",
) -> None:
    """Give ``name`` these spans per document, with ``status``, and save."""
    with project.session(name) as session:
        for doc_id, doc_spans in spans.items():
            session.apply(SetSpans(doc_id, ()))
            for start, end, label in doc_spans:
                session.apply(AddSpan(doc_id, start, end, label, Snap.EXACT))
            session.set_status(doc_id, status)


def annotate_samples(project: Project, name: str = "ani") -> None:
    """``name`` marks every sample document done with the spans in ``SPANS``."""
    annotate(project, name, {doc_id: spans_of(doc_id) for doc_id in TEXTS})

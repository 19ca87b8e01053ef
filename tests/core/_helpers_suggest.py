"""Shared builders for the suggestion tests: tiny projects with done annotations."""

from __future__ import annotations

from pathlib import Path

from annotator.core.edit import AddSpan
from annotator.core.model import Document
from annotator.core.project import Project
from annotator.core.suggest.record import Suggestion
from annotator.core.tokens import Snap

LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")

# Tiny, regular articles: a person, a city and a date in fixed frames, so a blank model can
# learn something in a couple of epochs.
PEOPLE = ["Budi Santoso", "Siti Aminah", "Rina Hapsari", "Andi Wijaya", "Dewi Lestari"]
CITIES = ["Makassar", "Surabaya", "Bandung", "Medan", "Padang", "Kupang"]
MONTHS = ["Januari", "Maret", "Juli", "Oktober"]


def tiny_article(i: int) -> tuple[str, list[tuple[int, int, str]]]:
    """Article ``i``: "Wali Kota {city} {person} hadir pada {d} {month} 2023. ..."."""
    person = PEOPLE[i % len(PEOPLE)]
    city = CITIES[i % len(CITIES)]
    date = f"{1 + i % 27} {MONTHS[i % len(MONTHS)]} 2023"
    head = "Wali Kota "
    text = f"{head}{city} {person} hadir pada {date}.\nWarga {city} menyambut {person}."
    spans = [
        (len(head), len(head) + len(city), "CITY"),
        (len(head + city + " "), len(head + city + " " + person), "PERSON"),
    ]
    d0 = text.index(date)
    spans.append((d0, d0 + len(date), "DATE"))
    c1 = text.index(city, d0)
    spans.append((c1, c1 + len(city), "CITY"))
    p1 = text.index(person, c1)
    spans.append((p1, p1 + len(person), "PERSON"))
    return text, sorted(spans)


def tiny_project(root: Path, n: int = 30, annotator: str = "ani") -> Project:
    """A project of ``n`` tiny articles, each marked done by ``annotator`` with its spans."""
    project = Project.init(root)
    articles = [tiny_article(i) for i in range(n)]
    project.documents.append(
        Document(id=f"d{i:03d}", text=text) for i, (text, _) in enumerate(articles)
    )
    with project.session(annotator) as session:
        for i, (_, spans) in enumerate(articles):
            doc_id = f"d{i:03d}"
            for s, e, label in spans:
                session.apply(AddSpan(doc_id, s, e, label, Snap.EXACT))
            session.set_status(doc_id, "done")
    return project


def found(text: str, suggestions: list[Suggestion]) -> list[tuple[str, str]]:
    """``(label, covered text)`` of each suggestion, in order."""
    return [(s.label, text[s.start : s.end]) for s in suggestions]

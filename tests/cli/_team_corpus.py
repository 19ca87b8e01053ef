"""A small team project made through the store interface, for tests that compare two stores.

Thirty documents of Indonesian news-like text (emoji, CRLF, combining marks among them), three
annotators and gold with seeded random spans and statuses, a plan, and documents in every
state: done by several, done by one, skipped, in progress, untouched.
"""

from __future__ import annotations

import random
import re

from annotator.core.assign import Assignment
from annotator.core.edit import AddSpan, SetStatus
from annotator.core.model import Document
from annotator.core.storage import AnnotatorStore, ProjectStore
from annotator.core.tokens import Snap

WORDS = [
    "Gubernur", "Anies", "Baswedan", "meresmikan", "program", "Jakarta", "Kartu", "Prakerja",
    "bersama", "Kementerian", "Sosial", "di", "Surabaya", "pada", "Senin", "5", "Mei", "2023",
    "Café", "Bandung", "Presiden", "Joko", "Widodo", "📌", "kota", "Makassar", "😀", "BPJS",
    "Kesehatan", "Ngayogyakarta", "Sri", "Mulyani", "dan", "warga", "yang", "menghadiri",
]  # fmt: skip
LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")
PEOPLE = ("ani", "budi", "citra")


def texts(n: int = 30, seed: int = 7) -> dict[str, str]:
    """``n`` seeded documents; a few with CRLF line ends and a combining mark."""
    rng = random.Random(seed)
    out = {}
    for i in range(n):
        lines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))) for _ in range(3)]
        sep = "\r\n" if i % 5 == 0 else "\n"
        text = sep.join(lines) + "."
        if i % 7 == 0:
            text = "Cafe\u0301 " + text  # a combining acute accent
        out[f"doc-{i:03d}"] = text
    return out


def _spans(text: str, rng: random.Random) -> list[tuple[int, int, str]]:
    words = [m.span() for m in re.finditer(r"\S+", text)]
    chosen = sorted(rng.sample(words, k=min(len(words), rng.randint(0, 4))))
    return [(s, e, rng.choice(LABELS)) for s, e in chosen]


def fill(store: ProjectStore, seed: int = 7, gold: bool = True) -> list[str]:
    """Add the documents, annotations and plan to ``store`` (``gold``: gold's too); returns
    the document ids."""
    docs = texts(seed=seed)
    store.documents.append([Document(id=k, text=v, meta={"n": i}) for i, (k, v) in
                            enumerate(docs.items())])  # fmt: skip
    ids = list(docs)
    rng = random.Random(seed)
    for name in (*PEOPLE, "gold") if gold else PEOPLE:
        with_session = store.session(name)
        try:
            for doc_id in ids:
                roll = rng.random()
                if roll < 0.2:
                    continue  # untouched
                spans = _spans(docs[doc_id], rng)
                if name != "gold" and roll < 0.75 and spans and rng.random() < 0.5:
                    spans = spans[:-1]  # disagree a little
                for start, end, label in spans:
                    with_session.apply(AddSpan(doc_id, start, end, label, Snap.EXACT))
                status = "done" if roll < 0.8 else ("skipped" if roll < 0.9 else "in_progress")
                if name == "gold" and status != "done":
                    continue
                with_session.apply(SetStatus(doc_id, status, seconds=round(rng.uniform(5, 90), 1)))
        finally:
            with_session.close()
    plan = {d: Assignment(tuple(sorted(rng.sample(PEOPLE, k=2 if i % 3 == 0 else 1))), 1.7e9)
            for i, d in enumerate(ids)}  # fmt: skip
    store.update_assignments(lambda _current: plan)
    return ids


def journaled(store: ProjectStore, doc_id: str) -> AnnotatorStore:
    """ani marks ``doc_id`` done with a span and keeps the session open: on a folder the edit
    is in the journal, not yet in ``annotations/ani.jsonl``. The caller closes the session."""
    session = store.session("ani")
    text = store.documents.get(doc_id).text
    start = text.index(" ") + 1
    end = text.index(" ", start)
    session.apply(AddSpan(doc_id, start, end, "CITY", Snap.EXACT))
    session.apply(SetStatus(doc_id, "done", seconds=3.0))
    return session

"""Documents listed lazily, and the assignment plan read and written under one lock."""

from __future__ import annotations

import threading

import pytest
from _texts import TEXTS
from conftest import StoreHarness

from annotator.core.assign import Assignment
from annotator.core.errors import AnnotatorError
from annotator.core.model import Document, sha256_text


def test_documents_list_in_order_without_reading_texts(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    docs = project.documents
    assert docs.ids == list(TEXTS)
    assert len(docs) == len(TEXTS)
    assert "d3" in docs
    assert "nope" not in docs
    assert [docs.position(d) for d in TEXTS] == list(range(len(TEXTS)))
    assert docs.title("d3") == "Café Ré\u0301sumé 😀"  # the first line
    assert docs.sha("d1") == sha256_text(TEXTS["d1"])
    assert docs.get("d1").text == TEXTS["d1"]
    assert [d.id for d in docs] == list(TEXTS)
    with pytest.raises(KeyError):
        docs.get("nope")
    added = docs.append([Document(id="d5", text="Kota Bogor"), Document(id="d1", text=TEXTS["d1"])])
    assert added.written == 1  # d1 is there already
    again = harness.reopen().documents
    assert again.ids == [*TEXTS, "d5"]
    assert again.errors == []


def test_the_plan_is_absent_until_written_and_reads_back(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    assert project.assignments() is None  # no plan: everyone may annotate everything
    since = 1_767_225_600.0  # 2026-01-01T00:00:00Z: plans keep whole seconds
    written = project.update_assignments(
        lambda plan: {"d1": Assignment(("ani", "budi"), since), "d2": Assignment(("budi",))}
    )
    again = harness.reopen().assignments()
    assert again is not None
    assert again.entries == dict(written)
    assert again.errors == []
    assert again.documents_of("budi") == ["d1", "d2"]
    kept = harness.reopen().update_assignments(
        lambda plan: {**(plan.entries if plan else {}), "d4": Assignment(("cici",), since)}
    )
    assert dict(kept) == {**written, "d4": Assignment(("cici",), since)}
    final = harness.reopen().assignments()
    assert final is not None
    assert final.annotators_of("d4") == ("cici",)
    assert final.annotators_of("d1") == ("ani", "budi")  # existing assignments never move


def test_a_bad_name_in_a_plan_is_refused_and_nothing_is_written(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    project.update_assignments(lambda plan: {"d1": Assignment(("ani",))})
    with pytest.raises(AnnotatorError, match="annotator name"):
        project.update_assignments(
            lambda plan: {**(plan.entries if plan else {}), "d2": Assignment(("Bad Name",))}
        )
    plan = harness.reopen().assignments()
    assert plan is not None
    assert plan.entries == {"d1": Assignment(("ani",))}


def test_two_leads_assigning_at_once_lose_nothing(harness: StoreHarness) -> None:
    harness.create(TEXTS)
    started = threading.Barrier(2)

    def lead(docs: list[str], name: str) -> None:
        store = harness.reopen()
        started.wait()
        for doc in docs:
            store.update_assignments(
                lambda plan, doc=doc: {**(plan.entries if plan else {}), doc: Assignment((name,))}
            )

    threads = [
        threading.Thread(target=lead, args=(["d1", "d3"], "ani")),
        threading.Thread(target=lead, args=(["d2", "d4"], "budi")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    plan = harness.reopen().assignments()
    assert plan is not None
    assert {d: e.annotators for d, e in plan.entries.items()} == {
        "d1": ("ani",),
        "d2": ("budi",),
        "d3": ("ani",),
        "d4": ("budi",),
    }

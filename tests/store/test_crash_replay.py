"""A writer that dies keeps every committed edit; a new writer carries on from there."""

from __future__ import annotations

from _texts import TEXTS, at, state
from conftest import StoreHarness

from annotator.core.edit import AddSpan, SetStatus


def test_committed_edits_survive_a_crash(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    session = project.session("ani")
    session.apply(AddSpan("d1", *at("d1", "Kota Makassar"), "CITY"))
    session.apply(SetStatus("d1", "done", 7.25))
    session.apply(AddSpan("d3", *at("d3", "Bima Arya"), "PERSON"))
    expected = {doc: state(session.annotation(doc)) for doc in TEXTS}
    harness.crash(session)
    again = harness.reopen()
    assert {doc: state(again.annotation("ani", doc)) for doc in TEXTS} == expected
    writer = again.session("ani")  # the lock went with the process
    assert {doc: state(writer.annotation(doc)) for doc in TEXTS} == expected
    writer.apply(AddSpan("d2", 0, len("Kemendagri"), "AGENCY"))
    writer.close()
    d2 = harness.reopen().annotation("ani", "d2")
    assert d2 is not None
    assert [s.text for s in d2.spans] == ["Kemendagri"]


def test_an_undo_back_to_untouched_survives_a_crash_after_a_save(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    session = project.session("ani")
    first = session.apply(AddSpan("d1", *at("d1", "Jakarta"), "CITY"))
    session.apply(SetStatus("d2", "done"))
    session.save()  # the record is in the clean store now
    session.apply(first.undo())
    harness.crash(session)
    again = harness.reopen()
    assert again.annotation("ani", "d1") is None
    assert again.annotation("ani", "d2") is not None
    with again.session("ani") as writer:
        assert sorted(writer.touched()) == ["d2"]
        assert writer.status("d1") is None
    final = harness.reopen()
    assert final.annotation("ani", "d1") is None
    assert final.session("ani", read_only=True).status_counts()["todo"] == len(TEXTS) - 1


def test_many_crashes_in_a_row_lose_nothing(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    words = [
        ("d1", "Laporan"),
        ("d1", "Fikar"),
        ("d2", "Pemprov"),
        ("d3", "Café"),
        ("d4", "Banyuwangi"),
    ]
    for doc, word in words:
        session = project.session("ani")
        session.apply(AddSpan(doc, *at(doc, word), "PERSON"))
        harness.crash(session)
        project = harness.reopen()
    got = {
        (doc, s.text)
        for doc in TEXTS
        if (ann := project.annotation("ani", doc)) is not None
        for s in ann.spans
    }
    assert got == set(words)

"""One writer per annotator; others are told who holds it and may read, not write."""

from __future__ import annotations

import pytest
from _texts import TEXTS, at
from conftest import StoreHarness

from annotator.core.edit import AddSpan, SetStatus
from annotator.core.errors import AnnotatorError, LockedError


def test_a_second_writer_is_refused_and_told_who_holds_it(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    first = project.session("ani")
    with pytest.raises(LockedError) as info:
        harness.reopen().session("ani")
    assert info.value.holder  # who holds it, to tell the person
    other = harness.reopen().session("budi")  # another annotator is not held up
    other.apply(SetStatus("d1", "done"))
    other.close()
    first.close()
    harness.reopen().session("ani").close()  # free again


def test_a_read_only_view_sees_the_writers_commits_and_refuses_edits(
    harness: StoreHarness,
) -> None:
    project = harness.create(TEXTS)
    writer = project.session("ani")
    writer.apply(AddSpan("d1", *at("d1", "Jakarta"), "CITY"))
    viewer = harness.reopen().session("ani", read_only=True)
    assert viewer.read_only
    assert viewer.save_state.label == "read_only"
    ann = viewer.annotation("d1")
    assert ann is not None
    assert [s.text for s in ann.spans] == ["Jakarta"]
    with pytest.raises(AnnotatorError, match="read-only"):
        viewer.apply(AddSpan("d1", 0, 7, "PERSON"))
    with pytest.raises(AnnotatorError, match="read-only"):
        viewer.commit([writer.prepare(SetStatus("d1", "done"))])
    writer.close()
    assert harness.reopen().annotation("ani", "d1") is not None


def test_save_state_says_saved_once_committed(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    with project.session("ani") as writer:
        assert writer.save_state.label == "saved"
        writer.apply(AddSpan("d1", *at("d1", "Jakarta"), "CITY"))
        state = writer.save_state
        assert state.unsaved == 0  # a commit returns once it is durable here
        assert state.label in ("journaled", "saved")
        writer.flush()
        writer.save()
        assert writer.save_state.label == "saved"
        assert writer.save_state.unsynced == 0

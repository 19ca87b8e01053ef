"""Edits that cannot be made are refused in one line, and nothing already saved is harmed."""

from __future__ import annotations

import pytest
from _texts import TEXTS, at, state
from conftest import StoreHarness

from annotator.core.edit import (
    AddSpan,
    EditError,
    Put,
    Relabel,
    SetStatus,
    StaleEditError,
)
from annotator.core.errors import AnnotatorError
from annotator.core.model import Annotation


def test_refused_edits_change_nothing(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    session = project.session("ani")
    session.apply(AddSpan("d1", *at("d1", "Jakarta"), "CITY"))
    before = {doc: state(session.annotation(doc)) for doc in TEXTS}
    refused = [
        AddSpan("d1", 0, 7, "GPE"),  # no such label
        Relabel("d1", (*at("d1", "Jakarta"), "CITY"), "ORG"),
        AddSpan("nope", 0, 3, "CITY"),  # no such document
        Put(Annotation(id="d2", text="another text", annotator="ani")),
    ]
    for edit in refused:
        with pytest.raises(EditError) as info:
            session.apply(edit)
        assert "\n" not in str(info.value)
    assert {doc: state(session.annotation(doc)) for doc in TEXTS} == before
    session.close()
    assert {doc: state(harness.reopen().annotation("ani", doc)) for doc in TEXTS} == before


def test_a_batch_with_one_bad_edit_writes_none_of_it(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    with project.session("ani") as session:
        with pytest.raises(EditError):
            session.apply_many([SetStatus("d1", "done"), AddSpan("d2", 0, 3, "GPE")])
        assert list(session.touched()) == []
    assert harness.reopen().annotation("ani", "d1") is None


def test_a_change_prepared_before_the_state_moved_is_refused(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    with project.session("ani") as session:
        early = session.prepare(AddSpan("d1", *at("d1", "Jakarta"), "CITY"))
        session.apply(SetStatus("d1", "done"))
        with pytest.raises(StaleEditError):
            session.commit([early])
        done = session.annotation("d1")
        assert done is not None
        assert done.spans == ()
        undo_of_nothing = early.undo()  # undo of a step that never happened
        with pytest.raises(StaleEditError):
            session.apply(undo_of_nothing)
    assert state(harness.reopen().annotation("ani", "d1")) == state(done)


@pytest.mark.parametrize("name", ["Ani", "bad name", "", "x" * 65, "ani/../budi", "ñ"])
def test_a_bad_annotator_name_is_refused(harness: StoreHarness, name: str) -> None:
    project = harness.create(TEXTS)
    with pytest.raises((AnnotatorError, ValueError), match="annotator name"):
        project.session(name)

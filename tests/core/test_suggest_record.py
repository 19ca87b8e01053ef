"""Suggestions against accepted spans: filtering, accepting, rejecting (through the Session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from annotator.core.edit import AcceptSuggestions, AddSpan, RejectSuggestions
from annotator.core.model import Document, make_span
from annotator.core.project import Project
from annotator.core.suggest.record import (
    REJECTED_KEY,
    Suggestion,
    aligned,
    rejected_keys,
    resolve,
    visible,
    visible_for,
)
from annotator.core.tokens import Snap

TEXT = "Kemendagri di Kota Makassar, Selasa (30/08/2022)."
KEMENDAGRI = Suggestion(start=0, end=len("Kemendagri"), label="AGENCY", source="gazetteer")
KOTA = Suggestion(
    start=len("Kemendagri di "), end=len("Kemendagri di Kota Makassar"), label="CITY", score=0.9
)
DATE = Suggestion(
    start=len("Kemendagri di Kota Makassar, "), end=len(TEXT) - 1, label="DATE", score=0.95
)


def test_a_suggestion_needs_a_positive_length_and_a_score_in_range() -> None:
    with pytest.raises(ValidationError):
        Suggestion(start=3, end=3, label="CITY")
    with pytest.raises(ValidationError):
        Suggestion(start=0, end=3, label="CITY", score=1.5)


def test_visible_hides_what_overlaps_an_accepted_span_or_was_rejected() -> None:
    makassar = len("Kemendagri di Kota ")
    accepted = [make_span(TEXT, makassar, makassar + len("Makassar"), "CITY")]
    shown = visible([KEMENDAGRI, KOTA, DATE], accepted, rejected=[DATE.key])
    assert shown == [KEMENDAGRI]


def test_touching_spans_do_not_hide_a_suggestion() -> None:
    accepted = [make_span(TEXT, len("Kemendagri "), len("Kemendagri di"), "CITY")]
    assert visible([KEMENDAGRI, KOTA], accepted) == [KEMENDAGRI, KOTA]


def test_resolve_keeps_a_flat_set_by_score_then_length() -> None:
    inner = Suggestion(start=KOTA.start + 5, end=KOTA.end, label="CITY", score=0.9)
    weak = Suggestion(start=KOTA.start, end=KOTA.end, label="AGENCY", score=0.3)
    assert resolve([inner, KOTA, weak]) == [KOTA]
    assert resolve([weak, inner], longest_first=True) == [weak]


def test_aligned_drops_what_is_off_token_boundaries_or_past_the_end() -> None:
    half = Suggestion(start=1, end=len("Kemendagri"), label="AGENCY")
    past = Suggestion(start=0, end=len(TEXT) + 3, label="AGENCY")
    assert aligned(TEXT, [half, KEMENDAGRI, past]) == [KEMENDAGRI]


def test_accept_reject_and_undo_through_the_session(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    project.documents.append([Document(id="d", text=TEXT)])
    with project.session("ani") as session:
        accepted = session.apply(AcceptSuggestions("d", (KEMENDAGRI.key, KOTA.key)))
        rejected = session.apply(RejectSuggestions("d", (DATE.key,)))
    session = project.session("ani")
    ann = session.annotation("d")
    assert ann is not None
    assert [s.key for s in ann.spans] == [KEMENDAGRI.key, KOTA.key]
    assert ann.status == "in_progress"
    assert rejected_keys(ann) == {DATE.key}
    assert ann.meta[REJECTED_KEY] == [list(DATE.key)]
    assert visible_for([KEMENDAGRI, KOTA, DATE], ann) == []
    # undo, as the window's undo command does: the rejection, then the accepting
    session.apply(rejected.undo())
    session.apply(accepted.undo())
    assert session.annotation("d") is None  # back to untouched
    assert visible_for([KEMENDAGRI, KOTA, DATE], session.annotation("d")) == [
        KEMENDAGRI,
        KOTA,
        DATE,
    ]
    session.close()


def test_accept_never_replaces_the_annotators_own_spans(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    project.documents.append([Document(id="d", text=TEXT)])
    with project.session("ani") as session:
        session.apply(AddSpan("d", KOTA.start, KOTA.start + len("Kota"), "CITY", Snap.EXACT))
        change = session.apply(AcceptSuggestions("d", (KOTA.key, DATE.key)))
    ann = change.after
    assert ann is not None
    assert [(s.start, s.end) for s in ann.spans] == [
        (KOTA.start, KOTA.start + len("Kota")),
        (DATE.start, DATE.end),
    ]

"""The core edit model, case by case: what each edit does, skips and refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from _store_helpers import make_project

from annotator.core.edit import (
    AcceptSuggestions,
    AddSpan,
    AddTime,
    EditContext,
    EditError,
    Editor,
    LabelAll,
    Put,
    RejectSuggestions,
    Relabel,
    RemoveSpan,
    Restore,
    SetSpans,
    SetStatus,
    SkipReason,
    StaleEditError,
    TakeVersion,
    apply_edit,
    label_key_edit,
    rejected_keys,
)
from annotator.core.model import Annotation, make_span
from annotator.core.tokens import Snap

LABELS = frozenset({"PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"})
TEXT = (
    "Kemendagri RI menggelar rapat. Menurut Kemendagri, warga Kota Makassar dan "
    "Makassar hadir. Kemendagri 🇮🇩 e\u0301 Kemendagri\r\nKemendagri."
)


def ctx(text: str = TEXT) -> EditContext:
    return EditContext("d", text, "ani", LABELS)


def at(sub: str, nth: int = 0, text: str = TEXT) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def with_spans(*keys: tuple[int, int, str], text: str = TEXT) -> Annotation:
    return apply_edit(None, SetSpans("d", keys), ctx(text)).after or ctx(text).fresh()


def test_label_all_reports_what_it_left_alone_and_why() -> None:
    first = at("Kemendagri", 1)  # "Menurut Kemendagri," (a capital that only starts a sentence)
    state = with_spans((*first, "AGENCY"), (*at("Kota Makassar"), "CITY"))
    change = apply_edit(state, LabelAll("d", (*first, "AGENCY")), ctx())
    added = [s for s in change.spans_after if s not in state.spans]
    # after "hadir. ", after a combining mark, after a line break: all free
    assert [(s.start, s.end) for s in added] == [at("Kemendagri", n) for n in (2, 3, 4)]
    assert all(s.label == "AGENCY" for s in added)
    # "Kemendagri RI": the guidelines want the longer name, which a person labels
    assert [(s.start, s.end, s.reason) for s in change.skipped] == [
        (*at("Kemendagri", 0), SkipReason.LONGER_NAME)
    ]
    assert change.made == state.spans[0]


def test_label_all_skips_what_overlaps_a_span_or_sits_in_a_longer_name() -> None:
    text = "Makassar hari ini. Kota Makassar dan Makassar RI. Pemprov Makassar. Di Makassar."
    kota = at("Kota Makassar", text=text)
    state = with_spans((*at("Makassar", text=text), "CITY"), (*kota, "CITY"), text=text)
    change = apply_edit(state, LabelAll("d", (*at("Makassar", text=text), "CITY")), ctx(text))
    reasons = {(s.start, s.end): s.reason for s in change.skipped}
    assert reasons == {
        at("Makassar", 1, text): SkipReason.OVERLAPS_SPAN,  # inside the span "Kota Makassar"
        at("Makassar", 2, text): SkipReason.LONGER_NAME,  # "Makassar RI"
    }
    added = {(s.start, s.end) for s in change.spans_after} - {(s.start, s.end) for s in state.spans}
    # a capital that starts a sentence is taken for an ordinary word ("Di", "Menurut"), so
    # "Pemprov Makassar." at a sentence start is labelled too: the rule errs towards labelling
    assert added == {at("Makassar", 3, text), at("Makassar", 4, text)}


def test_label_all_reports_a_partial_overlap() -> None:
    text = "Bank Jakarta dan Jakarta."
    state = with_spans((0, len("Bank Jak"), "AGENCY"), (*at("Jakarta", 1, text), "CITY"), text=text)
    change = apply_edit(state, LabelAll("d", (*at("Jakarta", 1, text), "CITY")), ctx(text))
    assert [(s.start, s.end, s.reason) for s in change.skipped] == [
        (*at("Jakarta", 0, text), SkipReason.OVERLAPS_SPAN)
    ]
    assert not change.changed


def test_add_span_snaps_replaces_and_selects_the_existing_one() -> None:
    start, end = at("Makassar")
    change = apply_edit(None, AddSpan("d", start + 2, end - 1, "CITY"), ctx())
    assert change.made is not None
    assert (change.made.start, change.made.end) == (start, end)  # widened to the token
    assert change.after is not None
    assert change.after.status == "in_progress"
    exact = apply_edit(None, AddSpan("d", start - 1, end + 1, "CITY", Snap.EXACT), ctx())
    assert exact.made is not None
    assert exact.made.text == "Makassar"
    again = apply_edit(change.after, AddSpan("d", start, end, "CITY"), ctx())
    assert not again.changed
    assert again.made == change.made
    wider = apply_edit(change.after, AddSpan("d", *at("Kota Makassar"), "CITY"), ctx())
    assert [s.text for s in wider.spans_after] == ["Kota Makassar"]
    nothing = apply_edit(None, AddSpan("d", 0, 0, "CITY"), ctx())
    assert not nothing.changed
    assert nothing.made is None
    with pytest.raises(EditError, match="unknown label 'GPE'"):
        apply_edit(None, AddSpan("d", start, end, "GPE"), ctx())


def test_relabel_remove_take_and_set_spans() -> None:
    city = (*at("Makassar"), "CITY")
    state = with_spans(city)
    relabelled = apply_edit(state, Relabel("d", city, "AGENCY"), ctx())
    assert [s.label for s in relabelled.spans_after] == ["AGENCY"]
    assert not apply_edit(state, Relabel("d", city, "CITY"), ctx()).changed
    assert not apply_edit(state, Relabel("d", (0, 3, "CITY"), "AGENCY"), ctx()).changed
    assert apply_edit(state, RemoveSpan("d", city), ctx()).spans_after == ()
    kota = at("Kota Makassar")
    taken = apply_edit(state, TakeVersion("d", *kota, ((*kota, "CITY"),)), ctx())
    assert [s.text for s in taken.spans_after] == ["Kota Makassar"]
    neither = apply_edit(state, TakeVersion("d", *kota, ()), ctx())
    assert neither.spans_after == ()
    assert not apply_edit(state, SetSpans("d", (city,)), ctx()).changed


def test_skipped_reopens_on_a_span_edit_but_not_on_a_rejection() -> None:
    state = with_spans().model_copy(update={"status": "skipped"})
    added = apply_edit(state, AddSpan("d", *at("Makassar"), "CITY"), ctx())
    assert added.after is not None
    assert added.after.status == "in_progress"
    rejected = apply_edit(state, RejectSuggestions("d", ((0, 10, "AGENCY"),)), ctx())
    assert rejected.after is not None
    assert rejected.after.status == "skipped"
    assert rejected_keys(rejected.after) == {(0, 10, "AGENCY")}
    assert not apply_edit(
        rejected.after, RejectSuggestions("d", ((0, 10, "AGENCY"),)), ctx()
    ).changed


def test_accepting_suggestions_skips_overlaps_and_names_a_single_one() -> None:
    state = with_spans((*at("Kota Makassar"), "CITY"))
    one = apply_edit(state, AcceptSuggestions("d", ((0, len("Kemendagri"), "AGENCY"),)), ctx())
    assert one.made is not None
    assert one.made.text == "Kemendagri"
    both = apply_edit(
        state,
        AcceptSuggestions("d", ((0, len("Kemendagri"), "AGENCY"), (*at("Makassar"), "CITY"))),
        ctx(),
    )
    assert [s.text for s in both.spans_after] == ["Kemendagri", "Kota Makassar"]
    assert [(s.start, s.end) for s in both.skipped] == [at("Makassar")]


def test_time_status_put_and_restore() -> None:
    assert not apply_edit(None, AddTime("d", 3.0), ctx()).changed  # untouched stays untouched
    done = apply_edit(None, SetStatus("d", "done", 2.25), ctx())
    assert done.after is not None
    assert (done.after.status, done.after.seconds) == ("done", 2.25)
    later = apply_edit(done.after, AddTime("d", 1.0), ctx()).after
    assert later is not None
    undone = apply_edit(later, done.undo(), ctx())
    assert undone.after is None  # untouched again: no record, no time
    with pytest.raises(StaleEditError):
        apply_edit(None, done.undo(), ctx())  # no longer in the state the step left
    foreign = Annotation(id="d", text=TEXT, annotator="budi", status="done")
    put = apply_edit(None, Put(foreign), ctx())
    assert put.after is not None
    assert put.after.annotator == "ani"
    with pytest.raises(EditError, match="another text"):
        apply_edit(None, Put(Annotation(id="d", text="other", annotator="ani")), ctx())
    with pytest.raises(EditError, match="another text"):
        apply_edit(with_spans(), AddSpan("d", 0, 3, "CITY"), ctx("Kemendagri"))
    stale = Restore("d", done.after, None)
    assert apply_edit(done.after, stale, ctx()).after is None


def test_an_edit_of_another_document_is_refused() -> None:
    with pytest.raises(EditError, match="applied to 'd'"):
        apply_edit(None, AddSpan("e", 0, 3, "CITY"), ctx())


def test_label_key_means_add_then_relabel_then_nothing() -> None:
    span = make_span(TEXT, 0, 10, "AGENCY")
    assert label_key_edit("d", (0, 10), span, "CITY", exact=True) == AddSpan(
        "d", 0, 10, "CITY", Snap.EXACT
    )
    assert label_key_edit("d", None, span, "CITY", exact=False) == Relabel("d", span.key, "CITY")
    assert label_key_edit("d", None, None, "CITY", exact=False) is None


def test_the_editor_commits_through_the_store_and_follows_undo(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"d": TEXT, "e": "Wali Kota Bogor"})
    session = project.session("ani")
    editor = Editor(session, project.documents, LABELS)
    editor.open("d")
    made = editor.apply(AddSpan("d", *at("Makassar"), "CITY"))
    assert session.annotation("d") is editor.annotation
    editor.open("e")
    back = editor.undo(made)  # a change of a document that is not open
    assert back.after is None
    assert session.annotation("d") is None
    assert session.status("d") is None
    editor.redo(made)
    assert [s.text for s in editor.store.annotation("d").spans] == ["Makassar"]  # type: ignore[union-attr]
    session.close()


def test_documents_read_ahead_open_as_they_are_stored_after_any_change(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"d": TEXT, "e": "Wali Kota Bogor", "f": "Di Makassar"})
    session = project.session("ani")
    editor = Editor(session, project.documents, LABELS)
    editor.open("d")
    made = editor.apply(AddSpan("d", *at("Makassar"), "CITY"))
    editor.open("e")
    editor.apply(AddSpan("e", 10, 15, "CITY"))
    reads: list[tuple[str, str]] = []
    get, annotation = project.documents.get, session.annotation

    def counted_get(doc_id: str) -> object:
        reads.append(("document", doc_id))
        return get(doc_id)

    def counted_annotation(doc_id: str) -> object:
        reads.append(("annotation", doc_id))
        return annotation(doc_id)

    project.documents.get = counted_get  # type: ignore[method-assign,assignment]
    session.annotation = counted_annotation  # type: ignore[method-assign,assignment]
    editor.read_ahead(["d", "f", "nosuch"], annotations=True)
    assert reads == [
        ("document", "d"),
        ("annotation", "d"),
        ("document", "f"),
        ("annotation", "f"),
        ("document", "nosuch"),
    ]
    reads.clear()
    editor.undo(made)  # d changes after it was read ahead
    reads.clear()  # what the undo read
    editor.open("f")
    assert reads == []  # as read ahead
    assert editor.doc is not None
    assert editor.doc.text == "Di Makassar"
    assert editor.annotation is None
    editor.open("d")
    assert reads == [("annotation", "d")]  # its text as read ahead, its annotation read again
    assert editor.annotation is None  # undone, not the span read ahead
    with pytest.raises(KeyError):
        editor.open("nosuch")
    editor.read_ahead(["e"], annotations=False)  # a store others write: the documents only
    reads.clear()
    editor.open("e")
    assert reads == [("annotation", "e")]
    assert [s.text for s in editor.spans] == ["Bogor"]
    session.close()

"""Every kind of edit, committed and read back, by the same store and by a new one."""

from __future__ import annotations

from _texts import TEXTS, at, state
from conftest import StoreHarness

from annotator.core.edit import (
    AcceptSuggestions,
    AddSpan,
    AddTime,
    LabelAll,
    Put,
    RejectSuggestions,
    Relabel,
    RemoveSpan,
    SetSpans,
    SetStatus,
    TakeVersion,
    rejected_keys,
)
from annotator.core.model import Annotation, make_span
from annotator.core.tokens import Snap


def test_every_edit_reads_back_the_same_from_a_new_store(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    session = project.session("ani")
    made = session.apply(AddSpan("d1", at("d1", "Jakar")[0] + 1, at("d1", "Jakarta")[1], "CITY"))
    assert made.made is not None
    assert made.made.text == "Jakarta"  # snapped out to the whole token
    session.apply(AddSpan("d1", *at("d1", "Kota Makassar"), "CITY", Snap.EXACT))
    session.apply(Relabel("d1", made.made.key, "AGENCY"))
    session.apply(RemoveSpan("d1", (*at("d1", "Jakarta"), "AGENCY")))
    session.apply(AddSpan("d2", *at("d2", "Jakarta", 1), "CITY"))
    all_jakarta = session.apply(LabelAll("d2", (*at("d2", "Jakarta", 1), "CITY")))
    # "Pemprov DKI Jakarta" is a longer name: left for a person, and said so
    assert [(s.start, s.end) for s in all_jakarta.skipped] == [at("d2", "Jakarta", 0)]
    session.apply(AddSpan("d3", *at("d3", "Bima Arya"), "PERSON"))
    session.apply(LabelAll("d3", (*at("d3", "Bima Arya"), "PERSON")))  # nothing else: no step
    session.apply(AcceptSuggestions("d2", ((0, len("Kemendagri RI"), "AGENCY"),)))
    session.apply(RejectSuggestions("d2", ((*at("d2", "Smart City"), "PROGRAM"),)))
    session.apply(SetSpans("d3", ((*at("d3", "Wali Kota Bogor"), "PERSON"),)))
    session.apply(TakeVersion("d3", *at("d3", "Wali Kota Bogor"), ((*at("d3", "Bogor"), "CITY"),)))
    session.apply(SetStatus("d3", "done", 12.5))
    session.apply(AddTime("d3", 2.25))
    session.apply(SetStatus("d4", "skipped"))
    expected = {doc: state(session.annotation(doc)) for doc in TEXTS}
    assert expected["d1"] is not None
    assert session.status("d3") == "done"
    assert sorted(session.touched()) == ["d1", "d2", "d3", "d4"]
    session.close()

    again = harness.reopen()
    assert {doc: state(again.annotation("ani", doc)) for doc in TEXTS} == expected
    reader = again.session("ani", read_only=True)
    d3 = reader.annotation("d3")
    assert d3 is not None
    assert ([s.text for s in d3.spans], d3.status, d3.seconds) == (["Bogor"], "done", 14.75)
    d2 = reader.annotation("d2")
    assert d2 is not None
    assert [s.text for s in d2.spans] == ["Kemendagri RI", "Jakarta"]
    assert rejected_keys(d2) == {(*at("d2", "Smart City"), "PROGRAM")}
    assert reader.status("d4") == "skipped"
    assert reader.status_counts() == {"in_progress": 2, "done": 1, "skipped": 1}
    assert again.annotators() == ["ani"]


def test_a_batch_of_puts_is_one_commit_and_reads_back(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    anns = [
        Annotation(
            id=doc,
            text=text,
            annotator="someone",  # the store's annotator wins
            status="done",
            spans=(make_span(text, 0, len(text.split()[0]), "PERSON"),),
            seconds=3.5,
            meta={"imported_from": f"x.jsonl:{i}"},
        )
        for i, (doc, text) in enumerate(TEXTS.items(), 1)
    ]
    with project.session("budi") as session:
        changes = session.apply_many([Put(a) for a in anns])
        assert [c.doc_id for c in changes] == list(TEXTS)
    again = harness.reopen()
    for ann in anns:
        stored = again.annotation("budi", ann.id)
        assert stored is not None
        assert stored.annotator == "budi"
        assert state(stored) == state(ann.model_copy(update={"annotator": "budi"}))


def test_an_unchanged_edit_writes_nothing_and_untouched_stays_untouched(
    harness: StoreHarness,
) -> None:
    project = harness.create(TEXTS)
    with project.session("ani") as session:
        assert not session.apply(AddTime("d1", 5.0)).changed
        assert not session.apply(RemoveSpan("d1", (0, 3, "CITY"))).changed
        assert not session.apply(AddSpan("d4", 0, 0, "CITY")).changed
        assert list(session.touched()) == []
    again = harness.reopen()
    assert again.annotators() == []
    assert again.annotation("ani", "d1") is None


def test_undo_and_redo_restore_exact_states_across_stores(harness: StoreHarness) -> None:
    project = harness.create(TEXTS)
    session = project.session("ani")
    skipped = session.apply(SetStatus("d1", "skipped", 1.5))
    labelled = session.apply(AddSpan("d1", *at("d1", "Jakarta"), "CITY"))
    assert labelled.after is not None
    assert labelled.after.status == "in_progress"  # a touched skipped document reopens
    session.apply(labelled.undo())
    assert state(session.annotation("d1")) == state(skipped.after)  # skipped again, exactly
    session.apply(skipped.undo())
    assert session.annotation("d1") is None  # untouched, as before the first edit
    session.close()
    assert harness.reopen().annotation("ani", "d1") is None
    session = harness.reopen().session("ani")
    session.apply(skipped.redo())
    session.apply(labelled.redo())
    assert state(session.annotation("d1")) == state(labelled.after)
    session.close()
    assert state(harness.reopen().annotation("ani", "d1")) == state(labelled.after)

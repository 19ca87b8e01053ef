"""The lead's agreement report from kept per-document parts (decision 0089) is the report
computed again from every annotation: the same JSON, on the first report (every part
computed), on the next (every part read back), after edits, a document taken back from done,
a reassignment and a change of labels; and only what changed is computed again."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from _pg_helpers import PgDb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from _team_corpus import PEOPLE

from annotator.cli import main
from annotator.core.agreement.intervals import Bootstrap
from annotator.core.agreement.loading import load_corpus
from annotator.core.agreement.report import agreement_report, report_json
from annotator.core.assign import Assignment
from annotator.core.edit import AddSpan, SetStatus
from annotator.core.model import Document
from annotator.core.pg import parts
from annotator.core.pg.store import PgProject, open_pg_project
from annotator.core.tokens import Snap


def _full(team_store: PgProject, names: list[str]) -> dict[str, Any]:
    corpus = load_corpus(team_store, names, include_gold=False)
    return report_json(agreement_report(corpus, names))


def _fast(team_store: PgProject, names: list[str]) -> dict[str, Any]:
    report = parts.fast_report(team_store, names)
    assert report is not None
    return report_json(report)


def _kept(db: PgDb) -> dict[tuple[str, str, str], Any]:
    with db.admin() as conn:
        rows = conn.execute("SELECT a, b, document_id, computed_at FROM agreement_parts").fetchall()
    return {(a, b, d): when for a, b, d, when in rows}


def _edit(team_store: PgProject, name: str, doc_id: str, label: str = "CITY") -> None:
    session = team_store.session(name)
    try:
        text = team_store.documents.get(doc_id).text
        start = text.index(" ") + 1
        session.apply(AddSpan(doc_id, start, text.index(" ", start), label, Snap.EXACT))
        session.apply(SetStatus(doc_id, "done", seconds=4.0))
        assert session.wait_synced(10.0)
        session.save()
    finally:
        session.close()


def test_the_kept_parts_give_the_full_report(team_store: PgProject, pg_project: PgDb) -> None:
    names = list(PEOPLE)
    assert parts.fast_report(team_store, names) is not None
    first = _kept(pg_project)
    assert first, "the first report keeps its parts"
    full = _full(team_store, names)
    assert full["documents"]["compared"] >= 5
    assert _fast(team_store, names) == full
    assert _kept(pg_project) == first, "nothing changed: every part is read back"
    for pair in (["ani", "budi"], ["budi", "citra"]):
        assert _fast(team_store, pair) == _full(team_store, pair)

    # an edit of a document two annotators submitted: only its parts are computed again
    shared = next(d for (a, b, d) in first if (a, b) == ("ani", "budi"))
    _edit(team_store, "ani", shared, "PERSON")
    assert _fast(team_store, names) == _full(team_store, names)
    after = _kept(pg_project)
    changed = {k for k in after if after[k] != first.get(k)}
    assert changed
    assert all(d == shared and "ani" in (a, b) for a, b, d in changed)

    # a document newly done by a second annotator joins; one taken back from done leaves
    single = [d for d in team_store.documents.ids if sum(
        team_store.session(n, read_only=True).status(d) == "done" for n in names) == 1]  # fmt: skip
    _edit(team_store, "citra", single[0])
    session = team_store.session("budi")
    try:
        session.apply(SetStatus(shared, "in_progress"))
        assert session.wait_synced(10.0)
        session.save()
    finally:
        session.close()
    full = _full(team_store, names)
    assert _fast(team_store, names) == full
    assert not any(d["id"] == shared and "budi" in d["annotators"] for d in full["per_document"])

    # a reassignment moves no annotation: the report is the same both ways
    team_store.update_assignments(
        lambda current: {d: Assignment(tuple(PEOPLE), 1.7e9) for d in team_store.documents.ids}
    )
    assert _fast(team_store, names) == _full(team_store, names) == full


def test_the_command_gives_the_kept_report_without_gold(
    team_store: PgProject, pg_project: PgDb, capsys: pytest.CaptureFixture[str]
) -> None:
    with pg_project.admin() as conn:
        conn.execute("DELETE FROM gold")
        conn.commit()
    full = json.loads(json.dumps(_full(team_store, list(PEOPLE))))
    assert not _kept(pg_project)
    capsys.readouterr()
    assert main(["agreement", pg_project.admin_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == full
    assert _kept(pg_project), "the command kept the parts"


def test_new_labels_compute_every_part_again(team_store: PgProject, pg_project: PgDb) -> None:
    names = list(PEOPLE)
    parts.fast_report(team_store, names)
    before = _kept(pg_project)
    with pg_project.admin() as conn:
        conn.execute("UPDATE labels SET position = -position WHERE project_id = %s",
                     (pg_project.project_id,))  # fmt: skip
        conn.execute("UPDATE labels SET position = -position - 10 WHERE project_id = %s"
                     " AND name = 'PERSON'", (pg_project.project_id,))  # fmt: skip
        conn.commit()
    reopened = open_pg_project(pg_project.admin_url, cache_dir=team_store.cache_dir)
    try:
        assert reopened.config.label_names != team_store.config.label_names
        assert _fast(reopened, names) == _full(reopened, names)
        after = _kept(pg_project)
        assert all(after[k] != before[k] for k in before)
    finally:
        reopened.close()


def test_an_annotator_gets_no_fast_report(
    pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    team_store = open_pg_project(pg_project.url_for("ani"), cache_dir=tmp_path / "ani")
    try:
        assert parts.fast_report(team_store, ["ani", "budi"]) is None
    finally:
        team_store.close()


def test_the_state_kept_on_the_desktop_gives_the_same_report(
    team_store: PgProject, pg_project: PgDb
) -> None:
    """The next report takes the unchanged parts and the replicate sums from the state kept on
    the desktop (decision 0098): after an edit, only the edited document's parts are read or
    computed, the sums are updated by difference, and the report is the full one."""
    names = list(PEOPLE)
    full = _full(team_store, names)
    assert full["ci95"]["span_f1"]["strict"] is not None
    assert _fast(team_store, names) == full
    kept = list(team_store.cache_dir.glob("state-*.bin"))
    assert len(kept) == 1
    with pg_project.admin() as conn:  # the server's parts are not read again
        conn.execute("DELETE FROM agreement_parts")
        conn.commit()
    edited = next(
        d for d in team_store.documents.ids if d in {x["id"] for x in full["per_document"]}
    )
    _edit(team_store, "budi", edited)
    after = _full(team_store, names)
    assert after != full
    assert _fast(team_store, names) == after
    assert {d for _, _, d in _kept(pg_project)} == {edited}, "only the edited one computed"
    for shared in (True, False):  # a damaged copy: the server's, else everything again
        for state in team_store.cache_dir.glob("state-*.bin"):
            state.write_bytes(b"not a numpy file")
        for report in team_store.cache_dir.glob("report-*.pickle"):
            report.unlink()
        if not shared:
            with pg_project.admin() as conn:
                conn.execute("DELETE FROM agreement_states")
                conn.commit()
        assert _fast(team_store, names) == after
        assert (len({d for _, _, d in _kept(pg_project)}) > 1) is not shared


def test_a_new_desktop_starts_from_the_state_a_lead_kept_on_the_server(
    team_store: PgProject, pg_project: PgDb, tmp_path: Path
) -> None:
    """A lead's first report on another desktop starts from the state the first report kept
    on the server (``agreement_states``): with no part kept on the server any more, it
    computes only the documents edited since, and is the full report; an annotator reads
    none of it."""
    names = list(PEOPLE)
    assert _fast(team_store, names) == _full(team_store, names)
    with pg_project.admin() as conn:
        assert conn.execute("SELECT count(*) FROM agreement_states").fetchone() == (1,)
        conn.execute("DELETE FROM agreement_parts")
        conn.commit()
    edited = next(d for d in team_store.documents.ids)
    _edit(team_store, "citra", edited)
    other = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "other-desktop")
    try:
        assert _fast(other, names) == _full(other, names)
        assert {d for _, _, d in _kept(pg_project)} <= {edited}
    finally:
        other.close()
    pg_project.add_person("ani", "annotator")
    with pg_project.connect_as("ani") as conn:
        for sql in (
            "SELECT state FROM agreement_states",
            "UPDATE agreement_states SET state = ''::bytea",
            "INSERT INTO agreement_states (project_id, annotators, made_under, state, documents)"
            f" VALUES ({pg_project.project_id}, '[]', '', '', 0)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)


def test_the_report_kept_on_the_desktop_is_the_answer_until_its_inputs_change(
    team_store: PgProject, pg_project: PgDb
) -> None:
    names = list(PEOPLE)
    full = _full(team_store, names)
    assert _fast(team_store, names) == full
    assert len(list(team_store.cache_dir.glob("report-*.pickle"))) == 1
    with pg_project.admin() as conn:
        conn.execute("DELETE FROM agreement_parts")
        conn.commit()
    # nothing the report is made of changed: the kept report answers, no part is computed
    assert _fast(team_store, names) == full
    assert not _kept(pg_project)
    # an edit of one of them: made again (every part, since none is kept now)
    _edit(team_store, "budi", next(d for d in team_store.documents.ids))
    after_edit = _full(team_store, names)
    assert after_edit != full
    assert _fast(team_store, names) == after_edit
    assert _kept(pg_project)
    # a new document, a damaged copy, other settings: made again, the same as the full report
    pg_project.add_documents(Document(id="zz-new", text="Berita baru dari Medan."))
    team_store.documents.reload()
    with_doc = _full(team_store, names)
    assert with_doc["documents"]["total"] == after_edit["documents"]["total"] + 1
    assert _fast(team_store, names) == with_doc
    for kept in team_store.cache_dir.glob("report-*.pickle"):
        kept.write_bytes(b"\x80\x05not a pickle")
    assert _fast(team_store, names) == with_doc
    fewer = Bootstrap(resamples=100)
    assert report_json(parts.fast_report(team_store, names, fewer) or _no()) == report_json(
        agreement_report(load_corpus(team_store, names, include_gold=False), names, bootstrap=fewer)
    )


def _no() -> Any:
    raise AssertionError("the fast report did not apply")


def _noted(db: PgDb) -> dict[tuple[str, str, str], Any]:
    with db.admin() as conn:
        rows = conn.execute(
            "SELECT a, b, document_id, notes FROM agreement_parts WHERE notes IS NOT NULL"
        ).fetchall()
    return {(a, b, d): notes for a, b, d, notes in rows}


def test_spans_left_out_with_a_warning_keep_the_parts_and_the_warnings(
    team_store: PgProject, pg_project: PgDb
) -> None:
    """A label taken out of the project, a span beyond its text and a duplicate, written to
    the server as an annotator's own script could (decision 0116): the report from kept parts
    is still the report over every annotation, warnings included, and the next one computes
    nothing again."""
    names = list(PEOPLE)
    assert parts.fast_report(team_store, names) is not None
    compared = sorted({d for (_, _, d) in _kept(pg_project)})
    first, second = compared[0], compared[1]
    with pg_project.admin() as conn:
        # ani: a span past the end of one text, and a span of one listed twice in another
        conn.execute(
            'UPDATE annotations SET spans = spans || \'[{"start": 0, "end": 99999,'
            ' "label": "PERSON"}]\'::jsonb WHERE annotator = \'ani\' AND document_id = %s',
            (second,),
        )
        twice = '{"start": 0, "end": 3, "label": "PERSON"}'
        conn.execute(
            "UPDATE annotations SET spans = spans || %s::jsonb"
            " WHERE annotator = 'ani' AND document_id = %s",
            (f"[{twice}, {twice}]", first),
        )
        conn.execute(
            "DELETE FROM labels WHERE project_id = %s AND name = 'CITY'", (pg_project.project_id,)
        )
        conn.commit()
    reopened = open_pg_project(pg_project.admin_url, cache_dir=team_store.cache_dir)
    try:
        assert "CITY" not in reopened.config.label_names
        full = _full(reopened, names)
        assert any("excluded: unknown label 'CITY'" in w for w in full["warnings"])
        assert any("excluded: out of range" in w for w in full["warnings"])
        assert any("duplicate span" in w for w in full["warnings"])
        assert _fast(reopened, names) == full
        kept = _kept(pg_project)
        noted = _noted(pg_project)
        assert noted, "the parts of annotations with spans left out are kept, with notes"
        assert {d for (_, _, d) in noted} <= {d for (_, _, d) in kept}
        # the next report reads every part back, notes included, and computes none again
        again = open_pg_project(pg_project.admin_url, cache_dir=team_store.cache_dir / "other")
        try:
            assert _fast(again, names) == full
        finally:
            again.close()
        assert _kept(pg_project) == kept
        for pair in (["ani", "budi"], ["budi", "citra"]):
            assert _fast(reopened, pair) == _full(reopened, pair)
        # a record changed: its part is computed again, its notes with it
        _edit(reopened, "budi", first, "PERSON")
        assert _fast(reopened, names) == _full(reopened, names)
        # the span beyond the text taken out again: its part kept anew has no notes left
        with pg_project.admin() as conn:
            conn.execute(
                "UPDATE annotations SET spans = spans - (jsonb_array_length(spans) - 1)"
                " WHERE annotator = 'ani' AND document_id = %s",
                (second,),
            )
            conn.commit()
        fixed = open_pg_project(pg_project.admin_url, cache_dir=team_store.cache_dir / "fixed")
        try:
            # two of the three first: the third's parts of that document (and their notes)
            # are of ani's old record, and must not speak for the new one
            pair = ["ani", "budi"]
            assert _fast(fixed, pair) == _full(fixed, pair)
            full = _full(fixed, names)
            assert not any("out of range" in w for w in full["warnings"])
            assert _fast(fixed, names) == full
        finally:
            fixed.close()
        left = [
            line
            for (_, _, d), notes in _noted(pg_project).items()
            if d == second
            for line in notes.get("ani", [[], []])[0]
        ]
        assert not any("out of range" in line for line in left), "no old notes stay"
        # the label back: every part is computed again, and where no span is left out any
        # more, no note stays behind
        with pg_project.admin() as conn:
            conn.execute(
                "INSERT INTO labels (project_id, name, position) VALUES (%s, 'CITY', 2)",
                (pg_project.project_id,),
            )
            conn.commit()
        back = open_pg_project(pg_project.admin_url, cache_dir=team_store.cache_dir / "back")
        try:
            full = _full(back, names)
            assert not any("CITY" in w for w in full["warnings"])
            assert _fast(back, names) == full
        finally:
            back.close()
    finally:
        reopened.close()

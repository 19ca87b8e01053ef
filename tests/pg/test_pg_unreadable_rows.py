"""Rows the desktop cannot decode, and an annotator's own row that is no annotation (decision
0117): the commands and the lead's window leave a row nested too deeply out and name it, as
a project folder names the same line; an annotator's window opens a document whose saved row
is no annotation with what can be read of it, and says what is wrong.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from _pg_helpers import PgDb
from _pg_window import WAIT_MS, action, label, open_url
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from annotator.cli import main
from annotator.core.errors import AnnotatorError
from annotator.core.export import EXPORTERS
from annotator.core.model import Document, sha256_text
from annotator.core.pg.store import open_pg_project
from annotator.core.project import Project

TEXTS = {
    "doc-0": "Gubernur Anies meresmikan program di Jakarta 😀 pada Senin.",
    "doc-1": "Presiden Joko Widodo\r\nberkunjung ke Bandung.",
    "doc-2": "Cafe\u0301 Makassar dibuka oleh Sri Mulyani.",
}
DEEP = "[" * 2000 + "]" * 2000  # deeper than Python's JSON decoder goes
STAMP = "2026-12-01T05:00:00Z"


def _spans(text: str, *words: tuple[str, str]) -> list[dict[str, Any]]:
    out = []
    for word, lab in words:
        s = text.index(word)
        out.append({"start": s, "end": s + len(word), "label": lab, "text": word})
    return out


def _line(doc: str, who: str, spans: str) -> str:
    text = json.dumps(TEXTS[doc], ensure_ascii=False)
    return (
        f'{{"id":"{doc}","text":{text},"spans":{spans},"status":"done","annotator":"{who}",'
        f'"text_sha256":"{sha256_text(TEXTS[doc])}","updated_at":"{STAMP}","seconds":3.5,'
        '"meta":{}}'
    )


def _deep_spans(doc: str) -> str:
    s = TEXTS[doc].index("Sri")
    return f'[{{"start":{s},"end":{s + 3},"label":{DEEP},"text":"Sri"}}]'


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


def _place(line: str, location: str) -> str:
    """A line naming an unreadable record with its document for its place."""
    line = re.sub(r"^server project, annotator ani, document (\S+): ", r"\1: ", line)
    line = re.sub(rf"^{re.escape(location)}:3: ", "doc-2: ", line)
    return line.removesuffix(" (left out)").removesuffix(" (line skipped)")


@pytest.fixture
def twins(
    pg_db: PgDb, tmp_path: Path, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Project, str]:
    """A folder and a server with the same records; ani's record of doc-2 holds a label
    nested too deeply, in the folder's line and in the server's row (written by ani)."""
    folder = Project.init(tmp_path / "news", "news")
    folder.documents.append([Document(id=d, text=t) for d, t in TEXTS.items()])
    for who, words in (("ani", ("Jakarta", "Bandung", "Sri")), ("budi", ("Jakarta", "Joko"))):
        lines = []
        for doc, text in TEXTS.items():
            found = [(w, "CITY") for w in words if w in text]
            lines.append(_line(doc, who, json.dumps(_spans(text, *found), ensure_ascii=False)))
        (folder.annotations_dir / f"{who}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    url = pg_db.admin_url
    assert run(capsys, "push", str(folder.root), url)[0] == 0
    pg_db.add_person("ani", "annotator")
    path = folder.annotations_dir / "ani.jsonl"
    lines = path.read_text("utf-8").splitlines()
    lines[2] = _line("doc-2", "ani", _deep_spans("doc-2"))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pg_db.connect_as("ani") as ani:
        ani.execute(
            "UPDATE annotations SET spans = %s::jsonb, revision = revision + 1"
            " WHERE annotator = 'ani' AND document_id = 'doc-2'",
            (_deep_spans("doc-2"),),
        )
    return folder, url


def test_a_row_nested_too_deeply_is_left_out_and_named_as_the_folders_line_is(
    twins: tuple[Project, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, url = twins
    location = str(folder.annotations_dir / "ani.jsonl")
    here, there = str(folder.root), url

    reports = []
    for where in (here, there):
        code, out, err = run(capsys, "agreement", where, "--json")
        assert code == 0, err
        report = json.loads(out)
        report["warnings"] = [_place(w, location) for w in report["warnings"]]
        reports.append(report)
    assert reports[0] == reports[1]
    assert reports[0]["warnings"] == ["doc-2: invalid JSON: nested too deeply"]
    assert reports[0]["documents"]["compared"] == 2  # ani's doc-2 is left out, not empty

    named = []
    for where in (here, there):
        code, out, err = run(capsys, "validate", where)
        assert code == 1
        named.append([_place(x, location) for x in err.splitlines()])
    assert named[0] == named[1] == ["doc-2: invalid JSON: nested too deeply"]

    for fmt in EXPORTERS:
        made = []
        for tag, where in (("a", here), ("b", there)):
            into = tmp_path / fmt / tag
            code, out, err = run(capsys, "export", where, "--format", fmt, "--out", str(into))
            assert code == 0, err
            assert "1 unreadable line skipped" in out
            made.append({p.name: p.read_bytes() for p in into.iterdir() if "." in p.name[1:]
                         and p.name not in ("README.md", "meta.json")})  # fmt: skip
        assert made[0] == made[1], fmt

    code, out, err = run(capsys, "pull", there, str(tmp_path / "snapshot"))
    assert code == 0, err
    assert err.splitlines() == [
        "annotator: warning: server project, annotator ani, document doc-2: invalid JSON:"
        " nested too deeply: left out of the snapshot"
    ]
    for command in ("stats", "progress"):
        code, out, err = run(capsys, command, there)
        assert code == 0, err


def test_the_leads_window_computes_the_report_and_names_the_row(
    qtbot: QtBot,
    twins: tuple[Project, str],
    pg_db: PgDb,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from annotator.ui.review.review_data import ReviewData

    monkeypatch.setenv("PGPASSWORD", pg_db.add_person("lea", "lead"))
    lead = open_url(qtbot, tmp_path / "lead", pg_db.url_for("lea"))
    action(lead, "review.agreement").trigger()
    data = lead.findChild(ReviewData, "review_data")
    assert data is not None
    qtbot.waitUntil(
        lambda: (data.report is not None or data.error is not None) and not data.busy,
        timeout=WAIT_MS,
    )
    assert data.error is None, data.error
    assert data.report is not None
    assert data.report.documents_compared == 2
    assert data.report.warnings == [
        "server project, annotator ani, document doc-2: invalid JSON: nested too deeply (left out)"
    ]
    lead.close()


def test_an_annotators_window_opens_their_invalid_row_and_says_what_is_wrong(
    qtbot: QtBot, pg_project: PgDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Walikota Bandung Yana Mulyana hadir di Jakarta 🙂 pada Selasa."
    pg_project.add_documents(Document(id="d1", text=text), Document(id="d2", text="Di Bandung."))
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    saved = [
        *_spans(text, ("Bandung", "CITY"), ("Yana Mulyana", "PERSON")),
        {"start": text.index("Jakarta"), "end": text.index("Jakarta") + 7, "label": "CITY"},
        {"start": "0", "end": 8, "label": "PERSON", "text": "Walikota"},
    ]  # two sound spans; one without its text, one with an offset as a string: a script's
    with pg_project.connect_as("ani") as ani:
        ani.execute(
            "INSERT INTO annotations (project_id, document_id, annotator, text_sha256, spans,"
            " status, updated_at, seconds) VALUES (%s, 'd1', 'ani', %s, %s::jsonb, 'in_progress',"
            " %s, 40)",
            (pg_project.project_id, sha256_text(text), json.dumps(saved), STAMP),
        )

    window = open_url(qtbot, tmp_path, pg_project.url_for("ani"))
    assert window.work.doc_id == "d1"  # opened, not an error
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "saved_record_box") is not None, timeout=WAIT_MS
    )
    box = window.findChild(QMessageBox, "saved_record_box")
    assert box is not None
    assert box.isVisible()
    assert "Your saved annotation of d1 is not valid as saved: spans.2.text: Field required;" in (
        box.text()
    )
    assert "spans.3.start: Input should be a valid integer" in box.text()
    assert "the 2 span(s) of it that can be read" in box.text()
    shown = [(s.start, s.end, s.label) for s in window.work.editor.spans]
    assert shown == [(s["start"], s["end"], s["label"]) for s in saved[:2]]
    assert window.work.editor.annotation is not None
    assert window.work.editor.annotation.status == "in_progress"
    box.accept()  # read, and closed: back to the text
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "saved_record_box") is None)
    window.activateWindow()
    window.text.setFocus()

    label(qtbot, window, "Jakarta", "3")  # the next change saves what is shown, and it
    jakarta = text.index("Jakarta")
    assert (jakarta, jakarta + 7, "CITY") in [
        (s.start, s.end, s.label) for s in window.work.editor.spans
    ]

    def stored() -> Any:
        store = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "check")
        try:
            return store.annotation("ani", "d1")
        except AnnotatorError:
            return None
        finally:
            store.close()

    qtbot.waitUntil(lambda: stored() is not None, timeout=WAIT_MS)  # a valid annotation again
    ann = stored()
    assert ann is not None
    assert [(s.start, s.end, s.label) for s in ann.spans] == [
        *[(s["start"], s["end"], s["label"]) for s in saved[:2]],
        (jakarta, jakarta + 7, "CITY"),
    ]

    qtbot.keyClick(window.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.work.doc_id == "d2", timeout=WAIT_MS)  # d1 done, d2 open
    assert window.work.editor.problem is None  # a sound document: nothing to say
    assert window.findChild(QMessageBox, "saved_record_box") is None
    window.close()

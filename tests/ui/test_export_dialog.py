"""File > Export in the window: the dialog's choices, its worker, its summary and its errors."""

from __future__ import annotations

import json
import shlex
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _helpers_window import (
    ARTICLE,
    action,
    drag_select,
    key,
    make_project,
    settings_at,
    window_on,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from annotator.cli import main
from annotator.core.edit import AddSpan, Put, SetSpans
from annotator.core.export import ExportOptions, ExportSummary, Progress
from annotator.core.model import Annotation, make_span
from annotator.core.project import Project
from annotator.core.tokens import Snap
from annotator.ui.export import export_worker
from annotator.ui.export.export_dialog import ExportDialog
from annotator.ui.window.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton
EMOJI = "Wali Kota Bandung 😀 Yana Mulyana tiba di Jakarta 🇮🇩 pada 12 Mei 2024."
PLAIN = "Kabupaten Banyuwangi meluncurkan aplikasi baru."


def annotate(
    root: Path, name: str, spans: dict[str, list[tuple[str, str]]], status: str = "done"
) -> None:
    """Give ``name`` the first occurrence of each ``(text, label)`` per document, saved."""
    project = Project.open(root)
    with project.session(name) as session:
        for doc_id, pairs in spans.items():
            text = project.documents.get(doc_id).text
            session.apply(SetSpans(doc_id, ()))
            for sub, label in pairs:
                start = text.index(sub)
                session.apply(AddSpan(doc_id, start, start + len(sub), label, Snap.EXACT))
            session.set_status(doc_id, status)  # type: ignore[arg-type]


def open_export(qtbot: QtBot, win: MainWindow) -> ExportDialog:
    """File > Export, through the action as the menu would trigger it."""
    action(win, "file.export").trigger()
    dialog = win.findChild(ExportDialog, "export_dialog")
    assert isinstance(dialog, ExportDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def widget(dialog: ExportDialog, kind: type[Any], name: str) -> Any:
    found = dialog.findChild(kind, name)
    assert isinstance(found, kind), name
    return found


def pick(qtbot: QtBot, dialog: ExportDialog, name: str, letter: str) -> QComboBox:
    """Choose the item of a combo box that starts with ``letter`` by typing it."""
    combo = widget(dialog, QComboBox, name)
    combo.setFocus()
    qtbot.keyClicks(combo, letter)
    return combo


def retype(qtbot: QtBot, field: QWidget, text: str) -> None:
    """Select all in a text field and type ``text`` over it."""
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(field, text)


def run_export(qtbot: QtBot, dialog: ExportDialog) -> str:
    """Click Export and wait for the outcome."""
    with qtbot.waitSignal(dialog.export_finished, timeout=20_000) as blocker:
        qtbot.mouseClick(widget(dialog, QPushButton, "export_start"), LEFT)
    assert not dialog.running
    return str(blocker.args[0])


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_jsonl_of_the_done_documents_from_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("emoji", EMOJI), ("d1", ARTICLE), ("d3", PLAIN)])
    yana, jakarta = EMOJI.index("Yana Mulyana"), EMOJI.index("Jakarta")
    with window_on(qtbot, root) as win:
        assert win.work.doc_id == "emoji"
        drag_select(qtbot, win, yana, yana + len("Yana Mulyana"))
        key(qtbot, win, Qt.Key.Key_1)
        drag_select(qtbot, win, jakarta, jakarta + len("Jakarta"))
        key(qtbot, win, Qt.Key.Key_3)
        key(qtbot, win, Qt.Key.Key_Return, CTRL)  # done; on to d1
        assert win.work.doc_id == "d1"
        key(qtbot, win, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
        assert win.work.doc_id == "d3"
        key(qtbot, win, Qt.Key.Key_Return, CTRL)  # done with no entities; back to d1
        assert win.work.doc_id == "d1"
        city = ARTICLE.index("Jakarta")
        drag_select(qtbot, win, city, city + len("Jakarta"))
        key(qtbot, win, Qt.Key.Key_3)  # d1 stays in progress: not exported
        # once fsynced; "saved" if the compaction owed by the last switch, which follows its
        # paint, ran after this key's fsync
        qtbot.waitUntil(lambda: win.windowTitle().endswith(("saved (journaled)", "— saved")))

        key(qtbot, win, Qt.Key.Key_E, CTRL | SHIFT)  # the shortcut of File > Export
        dialog = win.findChild(ExportDialog, "export_dialog")
        assert isinstance(dialog, ExportDialog)
        qtbot.waitUntil(dialog.isVisible)
        assert widget(dialog, QComboBox, "export_source").currentData() == "merged"
        assert widget(dialog, QLineEdit, "export_out").text() == str(root.resolve() / "exports")
        assert not widget(dialog, QCheckBox, "export_split_on").isChecked()
        assert not widget(dialog, QComboBox, "export_scheme").isEnabled()  # jsonl has no tags
        pick(qtbot, dialog, "export_format", "c")
        assert widget(dialog, QComboBox, "export_scheme").isEnabled()
        qtbot.keyClick(widget(dialog, QComboBox, "export_format"), Qt.Key.Key_Up)
        assert widget(dialog, QComboBox, "export_format").currentData() == "jsonl"
        assert pick(qtbot, dialog, "export_source", "a").currentData() == "ani"
        assert not widget(dialog, QSpinBox, "export_seed").isEnabled()  # no split, no seed

        assert run_export(qtbot, dialog) == "succeeded"
        assert win.windowTitle().endswith("— saved")  # the session was saved first
        progress = widget(dialog, QProgressBar, "export_progress")
        assert progress.value() == progress.maximum()
        summary = widget(dialog, QPlainTextEdit, "export_summary").toPlainText()
        message = widget(dialog, QLabel, "export_message").text()

    out = root / "exports"
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "all.jsonl", "meta.json"]
    records = lines(out / "all.jsonl")
    assert [r["id"] for r in records] == ["emoji", "d3"]  # d1 is not done
    emoji = records[0]
    assert emoji["text"] == EMOJI
    spans = [(s["start"], s["end"], s["label"]) for s in emoji["spans"]]
    assert spans == [
        (yana, yana + len("Yana Mulyana"), "PERSON"),
        (jakarta, jakarta + len("Jakarta"), "CITY"),
    ]
    assert [EMOJI[s:e] for s, e, _ in spans] == ["Yana Mulyana", "Jakarta"]
    assert records[1]["spans"] == []
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["format"] == "jsonl"
    assert meta["source"] == "ani"
    assert meta["seed"] == 0  # recorded as given, though without a split it decides nothing
    assert meta["counts"]["all"]["documents"] == 2
    assert meta["command"] == shlex.join([
        "annotator", "export", str(root.resolve()), "--format", "jsonl", "--source", "ani",
        "--out", str(out.resolve()), "--scheme", "iob2", "--misaligned", "widen",
        "--max-words", "256", "--seed", "0",
    ])  # fmt: skip
    assert f"annotator export {root.resolve()}" in (out / "README.md").read_text(encoding="utf-8")
    assert summary.splitlines()[0] == f"exported 2 documents of 'p' as jsonl to {out.resolve()}"
    assert "source ani: 2 documents" in summary
    row = next(line.split() for line in summary.splitlines() if line.startswith("all "))
    assert row[:3] == ["all", "2", str(meta["counts"]["all"]["tokens"])]
    assert row[3:] == ["1", "0", "1", "0", "0"]  # PERSON AGENCY CITY DATE PROGRAM
    assert "1 project document without a done annotation left out" in summary
    assert message == f"Exported 2 documents to {out.resolve()}."


def test_merged_split_is_remembered_and_reproducible_from_the_shell(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "p"
    docs = [("d1", ARTICLE), ("d2", PLAIN), ("d3", EMOJI), ("d4", "Belum ada yang selesai.")]
    make_project(root, docs)
    both = {
        "d2": [("Banyuwangi", "CITY")],
        "d3": [("Yana Mulyana", "PERSON"), ("Bandung", "CITY")],
    }
    annotate(root, "budi", {**both, "d1": [("Jakarta", "CITY")]})
    extra = [*both["d3"], ("Jakarta", "CITY")]  # budi did not mark this one
    annotate(root, "citra", {**both, "d3": extra, "d1": [("Kemendagri", "AGENCY")]})
    annotate(root, "gold", {"d1": [("Fikar W.Eda", "PERSON"), ("Kemendagri", "AGENCY")]})
    annotate(root, "citra", {"d4": []}, status="in_progress")
    settings = settings_at(tmp_path / "settings.ini")
    out = tmp_path / "data"
    with window_on(qtbot, root, name="lead", settings=settings) as win:
        dialog = open_export(qtbot, win)
        sources = widget(dialog, QComboBox, "export_source")
        items = [sources.itemData(i) for i in range(sources.count())]
        assert items == ["merged", "gold", "budi", "citra"]
        pick(qtbot, dialog, "export_format", "c")
        pick(qtbot, dialog, "export_scheme", "b")
        retype(qtbot, widget(dialog, QLineEdit, "export_out"), str(out))
        split_on = widget(dialog, QCheckBox, "export_split_on")
        assert not widget(dialog, QLineEdit, "export_split").isEnabled()
        qtbot.mouseClick(split_on, LEFT, pos=split_on.rect().center())
        assert split_on.isChecked()
        retype(qtbot, widget(dialog, QLineEdit, "export_split"), "50,50")
        retype(qtbot, widget(dialog, QSpinBox, "export_seed"), "7")
        assert run_export(qtbot, dialog) == "succeeded"
        summary = widget(dialog, QPlainTextEdit, "export_summary").toPlainText()
        assert sources.itemText(0) == "merged (gold, else majority)"  # also once refreshed

    assert sorted(p.name for p in out.iterdir()) == [
        "README.md", "dev.conll", "meta.json", "train.conll",
    ]  # fmt: skip
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["source"] == "merged"
    assert meta["scheme"] == "bilou"
    assert meta["split"] == pytest.approx([0.5, 0.5])
    assert meta["seed"] == 7
    assert meta["origins"] == {"gold": 1, "majority": 2}
    assert sorted(meta["documents"]["train"] + meta["documents"]["dev"]) == ["d1", "d2", "d3"]
    assert "source merged: 3 documents: 2 from a majority of the annotators, 1 from gold" in summary
    assert "1 span without a majority of the annotators left out" in summary  # d3's Jakarta
    assert "1 project document without a done annotation left out" in summary  # d4
    for split in ("train", "dev"):
        row = next(line.split() for line in summary.splitlines() if line.startswith(split))
        assert row[1:3] == [
            str(meta["counts"][split]["documents"]),
            str(meta["counts"][split]["tokens"]),
        ]

    # the command meta.json records makes the same files from a shell
    args = shlex.split(meta["command"])
    assert args[:2] == ["annotator", "export"]
    again = tmp_path / "again"
    args[args.index("--out") + 1] = str(again)
    assert main(args[1:]) == 0
    capsys.readouterr()
    for name in ("train.conll", "dev.conll"):
        assert (again / name).read_bytes() == (out / name).read_bytes()

    with window_on(qtbot, root, name="lead", settings=settings) as win:  # choices remembered
        dialog = open_export(qtbot, win)
        assert widget(dialog, QComboBox, "export_format").currentData() == "conll"
        assert widget(dialog, QComboBox, "export_scheme").currentData() == "bilou"
        assert widget(dialog, QLineEdit, "export_out").text() == str(out)
        assert widget(dialog, QCheckBox, "export_split_on").isChecked()
        assert widget(dialog, QLineEdit, "export_split").text() == "50,50"
        assert widget(dialog, QSpinBox, "export_seed").value() == 7
        qtbot.mouseClick(widget(dialog, QPushButton, "export_cancel"), LEFT)  # Close
        assert not dialog.isVisible()


@pytest.fixture
def gate(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[threading.Event, threading.Event, list[Any]]]:
    """Hold the export thread at its progress check at 256 written documents until released."""
    reached, release = threading.Event(), threading.Event()
    calls: list[tuple[str, int, int, bool | None]] = []
    real = export_worker.export_project

    def gated(project: Project, options: ExportOptions, progress: Progress) -> ExportSummary:
        def hook(phase: str, done: int, total: int) -> bool | None:
            if (phase, done) == ("writing", 256):
                reached.set()
                release.wait(timeout=30)
            answer = progress(phase, done, total)
            calls.append((phase, done, total, answer))
            return answer

        return real(project, options, hook)

    monkeypatch.setattr(export_worker, "export_project", gated)
    yield reached, release, calls
    release.set()


def test_cancel_stops_between_documents_and_keeps_the_previous_export(
    qtbot: QtBot, tmp_path: Path, gate: tuple[threading.Event, threading.Event, list[Any]]
) -> None:
    reached, release, calls = gate
    root = tmp_path / "p"
    n = 600
    texts = [(f"n{i:03}", f"Berita {i} dari Jakarta hari ini.") for i in range(n)]
    make_project(root, texts)
    project = Project.open(root)
    with project.session("budi") as session:
        anns = []
        for doc_id, text in texts:
            start = text.index("Jakarta")
            span = make_span(text, start, start + len("Jakarta"), "CITY")
            anns.append(
                Annotation(id=doc_id, text=text, annotator="budi", status="done", spans=(span,))
            )
        session.apply_many([Put(a) for a in anns])
    out = root / "exports"
    with window_on(qtbot, root) as win:
        dialog = open_export(qtbot, win)
        release.set()  # the first export runs through
        assert run_export(qtbot, dialog) == "succeeded"
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        assert sorted(before) == ["README.md", "all.jsonl", "meta.json"]

        reached.clear()
        release.clear()
        calls.clear()
        pick(qtbot, dialog, "export_format", "c")
        with qtbot.waitSignal(dialog.export_finished, timeout=20_000) as blocker:
            qtbot.mouseClick(widget(dialog, QPushButton, "export_start"), LEFT)
            qtbot.waitUntil(reached.is_set)
            assert dialog.running
            cancel = widget(dialog, QPushButton, "export_cancel")
            assert cancel.text() == "Cancel"
            assert not widget(dialog, QPushButton, "export_start").isEnabled()
            qtbot.mouseClick(cancel, LEFT)
            release.set()
        assert blocker.args == ["cancelled"]
        assert calls[-1] == ("writing", 256, n, False)  # stopped with 344 documents to go
        assert widget(dialog, QLabel, "export_message").text() == (
            "Export cancelled; nothing was written."
        )
        assert widget(dialog, QPushButton, "export_cancel").text() == "Close"
        assert widget(dialog, QPushButton, "export_start").isEnabled()
        assert widget(dialog, QProgressBar, "export_progress").value() == 0
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # no all.conll, no scratch folder, the old meta.json untouched


def test_refused_misaligned_span_names_the_document(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", PLAIN), ("d2", ARTICLE)])
    annotate(root, "budi", {"d1": [("Banyuwangi", "CITY")], "d2": [("Jakart", "CITY")]})
    jakart = ARTICLE.index("Jakart")
    with window_on(qtbot, root) as win:
        dialog = open_export(qtbot, win)
        assert pick(qtbot, dialog, "export_source", "b").currentData() == "budi"
        assert pick(qtbot, dialog, "export_misaligned", "r").currentData() == "refuse"
        assert run_export(qtbot, dialog) == "failed"
        message = widget(dialog, QLabel, "export_message").text()
        summary = widget(dialog, QPlainTextEdit, "export_summary").toPlainText()
        assert widget(dialog, QPushButton, "export_start").isEnabled()  # fix it and go again
    assert "\n" not in message
    assert message.startswith("Export refused: a span is not on token boundaries")
    assert f"d2 {jakart}-{jakart + 6} 'Jakart' (CITY)" in message
    assert summary == f"d2 {jakart}-{jakart + 6} 'Jakart' (CITY): refused, not on token boundaries"
    assert not (root / "exports" / "all.jsonl").exists()
    assert not (root / "exports" / "meta.json").exists()


def test_bad_choices_and_unwritable_folder_are_one_line_errors(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", PLAIN)])
    annotate(root, "budi", {"d1": [("Banyuwangi", "CITY")]})
    blocker_file = tmp_path / "a-file"
    blocker_file.write_text("not a folder", encoding="utf-8")
    with window_on(qtbot, root) as win:
        dialog = open_export(qtbot, win)
        message = widget(dialog, QLabel, "export_message")
        split_on = widget(dialog, QCheckBox, "export_split_on")
        qtbot.mouseClick(split_on, LEFT, pos=split_on.rect().center())
        retype(qtbot, widget(dialog, QLineEdit, "export_split"), "0,10")
        qtbot.mouseClick(widget(dialog, QPushButton, "export_start"), LEFT)
        assert not dialog.running  # refused before it started
        assert message.text().startswith("--split '0,10': give 2 or 3 non-negative numbers")
        qtbot.mouseClick(split_on, LEFT, pos=split_on.rect().center())

        retype(qtbot, widget(dialog, QLineEdit, "export_out"), str(blocker_file / "out"))
        assert run_export(qtbot, dialog) == "failed"
        assert message.text().startswith(
            f"Export failed: cannot write the export to {blocker_file}"
        )
        assert "\n" not in message.text()
        assert "Traceback" not in message.text()


def test_dialog_speaks_the_window_language(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", PLAIN)])
    with window_on(qtbot, root) as win:
        dialog = open_export(qtbot, win)
        start = widget(dialog, QPushButton, "export_start")
        assert (dialog.windowTitle(), start.text()) == ("Export training data", "&Export")
        try:
            action(win, "view.language.id").trigger()
            qtbot.waitUntil(lambda: dialog.windowTitle() == "Ekspor data latih")
            assert start.text() == "&Ekspor"
            assert widget(dialog, QPushButton, "export_cancel").text() == "Tutup"
            misaligned = widget(dialog, QComboBox, "export_misaligned")
            assert misaligned.currentText() == "lebarkan ke token utuh"
        finally:
            action(win, "view.language.en").trigger()
        qtbot.waitUntil(lambda: dialog.windowTitle() == "Export training data")

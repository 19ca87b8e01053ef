"""The interface in English and Bahasa Indonesia: switching live, and a complete catalogue."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from _helpers_window import ARTICLE, action, make_project, settings_at, window_on
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from annotator.core.paths import resources_dir
from annotator.ui.app import application
from annotator.ui.window.i18n import Translations

ROOT = Path(__file__).resolve().parents[2]
TS = resources_dir() / "i18n" / "annotator_id.ts"
QM = resources_dir() / "i18n" / "annotator_id.qm"
BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """Translators are application-wide: a failed test must not leave the next in Indonesian."""
    yield
    Translations.shared(application()).install("en")


def menu_titles(win: object) -> list[str]:
    bar = win.menuBar()  # type: ignore[attr-defined]
    return [a.text() for a in bar.actions() if isinstance(a.menu(), QMenu)]


def test_switching_language_retranslates_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE), ("d2", "Dua.")])
    settings = settings_at(tmp_path / "settings.ini")
    with window_on(qtbot, root, settings=settings) as win:
        assert menu_titles(win) == ["&File", "&Edit", "&Document", "&View", "&Review", "&Help"]
        action(win, "view.language.id").trigger()
        qtbot.waitUntil(lambda: menu_titles(win)[0] == "&Berkas")
        assert menu_titles(win) == [
            "&Berkas",
            "&Sunting",
            "&Dokumen",
            "&Tampilan",
            "&Tinjau",
            "&Bantuan",
        ]
        assert action(win, "file.save").text() == "&Simpan"
        assert action(win, "edit.undo").text() == "&Urungkan"
        assert win.docks["documents_dock"].windowTitle() == "Dokumen"
        assert win.documents.progress_label.text() == "0 / 2 selesai"
        assert win.windowTitle().endswith("tersimpan")
        assert win.mode_label.text() == "Token utuh"
        palette = win.palette_view
        rect = palette.visualRect(win.label_model.index(2, 1))  # CITY
        qtbot.mouseClick(palette.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.waitUntil(lambda: win.guidelines.toPlainText().startswith("CITY — Kota, kabupaten"))
        assert action(win, "label.PERSON").text() == "PERSON"  # label names are data
    with window_on(qtbot, root, settings=settings) as again:  # the choice is remembered
        assert menu_titles(again)[0] == "&Berkas"
        action(again, "view.language.en").trigger()
        qtbot.waitUntil(lambda: menu_titles(again)[0] == "&File")
        assert again.documents.progress_label.text() == "0 / 2 done"


def test_catalogue_has_every_string_translated(tmp_path: Path) -> None:
    lupdate = BIN / "pyside6-lupdate"
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    sources = sorted(str(p) for p in (ROOT / "annotator" / "ui").rglob("*.py"))
    subprocess.run(
        [str(lupdate), *sources, "-ts", str(fresh), "-no-obsolete", "-locations", "none"],
        check=True,
        capture_output=True,
    )
    unfinished = [
        m.findtext("source")
        for m in ET.parse(fresh).getroot().iter("message")
        if m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    ]
    assert unfinished == []


def test_compiled_catalogue_matches_its_source(tmp_path: Path) -> None:
    out = tmp_path / "id.qm"
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(out)], check=True, capture_output=True
    )
    assert out.read_bytes() == QM.read_bytes()

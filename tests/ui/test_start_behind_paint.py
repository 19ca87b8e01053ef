"""What the window builds just after its first paint is there, and works, once it has painted.

The suggestions (their controller, pane, status-bar count, menu entries and worker) are built,
and the guideline's Markdown rendered, behind the first paint (decision 0091). These tests
open the real window, wait for the signal that says the start is finished, and use the
deferred parts as a person would; and they show that an action triggered before then is not
lost.
"""

from __future__ import annotations

from pathlib import Path

from _helpers_window import _LAUNCHERS, action, click, key, make_project, settings_at, stored
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from annotator.ui.app import Launcher, application
from annotator.ui.window.i18n import Translations
from annotator.ui.window.main_window import MainWindow

TEXT = (
    "🇮🇩📌 Berita: Kementerian Dalam Negeri (Kemendagri) meminta Pemerintah Kota Makassar "
    "bersiap. Dr Budi Santoso hadir pada Selasa (30/08/2022) di Kota Makassar."
)


def opened(tmp_path: Path) -> MainWindow:
    """The window on a fresh project, built but not shown (so not painted)."""
    root = tmp_path / "p"
    make_project(root, [("d1", TEXT), ("d2", "Berita kedua tanpa nama.")])
    app = application()
    translations = Translations.shared(app)
    translations.install("en")
    launcher = Launcher(settings_at(tmp_path / "settings.ini"), translations)
    _LAUNCHERS.append(launcher)
    window = launcher.open(root, "ani")
    assert window is not None
    return window


def test_the_suggestions_are_built_after_the_first_paint_and_work(
    qtbot: QtBot, tmp_path: Path
) -> None:
    win = opened(tmp_path)
    try:
        # before the first paint: the text is there, the suggestions are not built yet
        assert not win.started
        assert win.text.toPlainText().startswith("🇮🇩📌 Berita")
        assert "suggestions_dock" not in win.docks
        assert win.findChild(QLabel, "suggestion_count_label") is None
        assert win.guidelines.toPlainText() == ""
        with qtbot.waitSignal(win.text.painted, timeout=10_000):
            win.show()
        with qtbot.waitSignal(win.start_finished, timeout=10_000):
            pass  # queued by the first paint, run by the event loop right after it
        assert win.started
        assert win.guidelines.toPlainText().startswith("GENERAL — rules for every label")
        # the pane, the count in the status bar, the menu entries
        assert win.docks["suggestions_dock"].widget() is win.suggestions.pane
        assert win.findChild(QLabel, "suggestion_count_label") is win.suggestions.count_label
        panels = [a.objectName() for a in win.registry.menu("panels").actions()]
        assert "view.panel.suggestions_dock" in panels
        sources = [a.objectName() for a in win.registry.menu("suggest_from").actions()]
        assert sources == [f"suggest.from.{m}" for m in ("rules", "model", "both", "none")]
        assert action(win, "suggest.from.rules").isChecked()
        # the open document's suggestions arrive, and a key accepts one
        qtbot.waitUntil(lambda: win.suggestions.ready, timeout=10_000)
        assert win.suggestions.count_label.text() == "6 suggestion(s) left"
        win.activateWindow()
        qtbot.waitUntil(lambda: win.isActiveWindow())
        win.text.setFocus()
        click(qtbot, win, TEXT.index("Budi"))
        key(qtbot, win, "A")
        budi = TEXT.index("Budi Santoso")
        assert [(s.start, s.end, s.label) for s in win.work.spans] == [
            (budi, budi + len("Budi Santoso"), "PERSON")
        ]
        qtbot.waitUntil(lambda: win.suggestions.count_label.text() == "5 suggestion(s) left")
        ann = stored(tmp_path / "p", "ani", "d1")
        assert ann is not None
        assert [s.text for s in ann.spans] == ["Budi Santoso"]
    finally:
        win.close()


def test_an_action_triggered_before_the_start_finished_is_not_lost(
    qtbot: QtBot, tmp_path: Path
) -> None:
    win = opened(tmp_path)
    try:
        assert not win.started
        # View > Suggest from > Nothing, chosen before the suggestions exist: they are built
        # first (which checks the remembered source, the rules), then the choice is applied
        action(win, "suggest.from.none").trigger()
        assert win.started
        assert win.suggestions.mode == "none"
        assert action(win, "suggest.from.none").isChecked()
        assert not action(win, "suggest.from.rules").isChecked()
        # a checkable one keeps the state the person just gave it
        action(win, "view.suggestions").trigger()
        assert not win.suggestions.layer.visible
        win.settings.sync()
        remembered = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        assert remembered.value("suggestions/show") == "false"
        # the start that the first paint queues finds the work done and changes nothing
        with qtbot.waitSignal(win.text.painted, timeout=10_000):
            win.show()
        qtbot.waitUntil(lambda: win.suggestions.count_label.text() == "")
        assert win.suggestions.mode == "none"
        assert not action(win, "view.suggestions").isChecked()
    finally:
        win.close()

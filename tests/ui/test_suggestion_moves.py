"""After A or R the status bar describes the suggestion now current (never the one decided),
and N goes to it: no suggestion is skipped. Every suggestion source has a text."""

from __future__ import annotations

from pathlib import Path

from _helpers_window import click, key, make_project, window_on
from PySide6.QtCore import QTranslator
from pytestqt.qtbot import QtBot
from test_suggestions_window import TEXT, ready, shown

from annotator.core.paths import resources_dir
from annotator.core.suggest import record
from annotator.ui.suggestions.suggestions_controller import CONTEXT, SOURCE_TEXTS


def test_after_reject_and_accept_the_status_bar_and_n_follow_the_next(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", TEXT)])
    with window_on(qtbot, root) as win:
        ready(qtbot, win)
        first = TEXT.index("Kementerian")
        click(qtbot, win, first + 1)
        key(qtbot, win, "r")  # reject "Kementerian Dalam Negeri"
        # the status bar follows once the text has painted
        qtbot.waitUntil(lambda: "“Kemendagri”" in win.selection_label.text())
        status = win.selection_label.text()
        assert "“Kemendagri”" in status
        assert "Kementerian" not in status
        assert win.suggestions.layer.current is not None
        assert TEXT[win.suggestions.layer.current.start :].startswith("Kemendagri")
        key(qtbot, win, "n")  # to the one described: nothing skipped
        assert win.text.caret() == TEXT.index("Kemendagri")
        key(qtbot, win, "a")  # accept Kemendagri: the next is described
        qtbot.waitUntil(lambda: "Pemerintah Kota Makassar" in win.selection_label.text())
        key(qtbot, win, "n")
        assert win.text.caret() == TEXT.index("Pemerintah")
        assert len(shown(win)) == 5


def test_every_suggestion_source_has_a_text_in_both_languages() -> None:
    sources = {
        value
        for name, value in vars(record).items()
        if name.isupper() and isinstance(value, str) and name not in ("REJECTED_KEY",)
    }
    assert "context" in sources
    assert sources <= set(SOURCE_TEXTS)
    translator = QTranslator()
    assert translator.load(str(resources_dir() / "i18n" / "annotator_id.qm"))
    for source in sources:
        indonesian = translator.translate(CONTEXT, SOURCE_TEXTS[source])
        assert indonesian
        assert indonesian != SOURCE_TEXTS[source] or source == "model"

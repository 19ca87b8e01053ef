"""What a cold start leaves for after its first paint arrives, and works (decision 0096).

The window opens with less than it used to do before its first paint: the watch on the
person's activity (an application-wide event filter) is installed just after it. These tests
open the real window, wait for the signal that says the start is finished, and act as a
person would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _helpers_window import key, make_project, window_on
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

TEXT = "Dr Budi Santoso 🇮🇩 hadir di Kota Makassar pada Selasa (30/08/2022).\r\nBerita kedua."


def test_keys_and_clicks_count_as_activity_once_the_start_is_finished(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", TEXT)])
    with window_on(qtbot, root) as win:
        if not win.started:
            with qtbot.waitSignal(win.start_finished, timeout=10_000):
                pass  # queued by the first paint
        seen: list[float] = []
        clock = win.work.clock
        real = clock.activity

        def activity(now: float) -> None:
            seen.append(now)
            real(now)

        monkeypatch.setattr(clock, "activity", activity)
        qtbot.waitUntil(win.isActiveWindow)
        key(qtbot, win, Qt.Key.Key_Right)
        assert len(seen) >= 1  # the key press reached the document's clock
        before = len(seen)
        qtbot.mouseClick(win.text.viewport(), Qt.MouseButton.LeftButton)
        assert len(seen) > before

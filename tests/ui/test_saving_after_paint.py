"""A label key paints its span at once; the journal's fsync follows, and only its return makes
the window say "saved" (decision 0064)."""

from __future__ import annotations

import errno
import os
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from _helpers_window import ARTICLE, drag_select, make_project, spans_on_disk, window_on
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from annotator.core.store import Session
from annotator.ui.annotating import annotating_controller
from annotator.ui.widgets import text_view


def formatted(win: object, pos: int) -> bool:
    """True when the text view's layout has a format over code point ``pos`` (drawn)."""
    view = win.text  # type: ignore[attr-defined]
    pos16 = view.umap.to_utf16(pos)
    block = view.document().findBlock(pos16)
    rel = pos16 - block.position()
    return any(r.start <= rel < r.start + r.length for r in block.layout().formats())


def test_the_span_paints_before_the_fsync_and_saved_follows_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    start = ARTICLE.index("Jakarta")
    end = start + len("Jakarta")
    returned: list[float] = []
    titles: list[tuple[float, str]] = []
    with window_on(qtbot, root) as win:
        win.windowTitleChanged.connect(lambda t: titles.append((time.monotonic(), t)))
        painted: list[float] = []
        win.text.painted.connect(
            lambda: painted.append(time.monotonic()) if formatted(win, start) else None
        )
        drag_select(qtbot, win, start, end)
        entered, release = held_journal_fsync(monkeypatch, returned)
        try:
            qtbot.keyClick(win.text, Qt.Key.Key_3)
            assert entered.wait(10)  # the write is in its fsync, which has not returned
            qtbot.waitUntil(lambda: bool(painted))  # and the span is on screen all the same
            assert [(s.start, s.end, s.label) for s in win.work.spans] == [(start, end, "CITY")]
            assert win.windowTitle() == "p — ani — saving…"  # never "saved" before the fsync
            release.set()
            qtbot.waitUntil(lambda: win.windowTitle() == "p — ani — saved (journaled)")
            assert returned
            assert painted[0] < returned[0]  # painted first, fsynced after
            saved_at = [t for t, title in titles if title.endswith("saved (journaled)")]
            assert saved_at
            assert min(saved_at) >= returned[0]  # "saved" only once the fsync had returned
        finally:  # a failed check must not leave the journal thread held
            release.set()
        monkeypatch.undo()
    assert spans_on_disk(root, "ani", "d1") == [(start, end, "CITY", "Jakarta")]


def test_keys_faster_than_one_fsync_share_the_next(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    words = ["Fikar", "Jakarta", "Kemendagri"]
    real_fsync = os.fsync
    release = threading.Event()
    entered = threading.Event()
    writes: list[int] = []

    def held_fsync(fd: int) -> None:
        if threading.current_thread().name == "journal-writer":
            writes.append(fd)
            entered.set()
            assert release.wait(30)
        real_fsync(fd)

    with window_on(qtbot, root) as win:
        monkeypatch.setattr(os, "fsync", held_fsync)
        try:
            for n, word in enumerate(words):
                start = ARTICLE.index(word)
                drag_select(qtbot, win, start, start + len(word))
                qtbot.keyClick(win.text, Qt.Key.Key_1)
                if n == 0:
                    assert entered.wait(10)  # the first edit's fsync is held
            assert len(win.work.spans) == 3  # all three shown while the disk is busy
            assert win.work.store.save_state.unsaved == 3
            assert win.windowTitle().endswith("saving…")
            release.set()
            qtbot.waitUntil(lambda: win.windowTitle().endswith("saved (journaled)"))
            assert len(writes) == 2  # the first edit's fsync, then one for the two after it
        finally:  # a failed check must not leave the journal thread held
            release.set()
        monkeypatch.setattr(os, "fsync", real_fsync)
    assert [s[3] for s in spans_on_disk(root, "ani", "d1")] == ["Fikar", "Jakarta", "Kemendagri"]


def test_a_full_disk_keeps_the_edit_shown_unsaved_and_writes_it_later(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window never says saved for an edit whose append failed; the edit is kept and
    written with the next one once there is space again."""
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    real_write = os.write
    full = threading.Event()
    full.set()

    with window_on(qtbot, root) as win:
        store = win.work.store
        assert isinstance(store, Session)
        journal = os.stat(store.journal_path).st_ino

        def write(fd: int, data: bytes) -> int:  # the journal's disk is full, whoever writes
            if full.is_set() and os.fstat(fd).st_ino == journal:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_write(fd, data)

        monkeypatch.setattr(os, "write", write)
        first = ARTICLE.index("Jakarta")
        drag_select(qtbot, win, first, first + len("Jakarta"))
        qtbot.keyClick(win.text, Qt.Key.Key_3)
        box = None

        def told() -> bool:
            nonlocal box
            box = win.findChild(QMessageBox, "edit_failed_box")
            return box is not None and box.isVisible()

        qtbot.waitUntil(told)
        assert box is not None
        assert "No space left" in box.text()
        assert win.windowTitle().endswith("saving…")  # not saved, and not claimed to be
        assert len(win.work.spans) == 1  # the edit stays shown
        box.close()  # and gone once closed: a day of failed saves leaves no hidden boxes
        qtbot.waitUntil(lambda: win.findChild(QMessageBox, "edit_failed_box") is None)
        with qtbot.waitActive(win):  # the keys go to the window again
            win.activateWindow()
        win.text.setFocus()
        full.clear()  # space was freed
        second = ARTICLE.index("Kemendagri")
        drag_select(qtbot, win, second, second + len("Kemendagri"))
        qtbot.keyClick(win.text, Qt.Key.Key_2)
        assert len(win.work.spans) == 2
        qtbot.waitUntil(lambda: win.windowTitle().endswith("saved (journaled)"))
        monkeypatch.setattr(os, "write", real_write)
    assert [s[3] for s in spans_on_disk(root, "ani", "d1")] == ["Jakarta", "Kemendagri"]


def held_journal_fsync(
    monkeypatch: pytest.MonkeyPatch, returned: list[float] | None = None
) -> tuple[threading.Event, threading.Event]:
    """From now, the journal thread's fsync waits for ``release`` (``entered``: it is held;
    ``returned`` gets the time each of its fsyncs returned)."""
    real_fsync = os.fsync
    entered, release = threading.Event(), threading.Event()

    def held_fsync(fd: int) -> None:
        if threading.current_thread().name != "journal-writer":
            real_fsync(fd)
            return
        entered.set()
        assert release.wait(30)  # the disk is slow: held until the test lets it go
        real_fsync(fd)
        if returned is not None:
            returned.append(time.monotonic())

    monkeypatch.setattr(os, "fsync", held_fsync)
    return entered, release


def event_loop_turns(qtbot: QtBot, turns: int = 3) -> None:
    """Let the event loop run a few times round (work queued for after a paint runs then)."""
    for _ in range(turns):
        ran: list[bool] = []
        QTimer.singleShot(0, lambda ran=ran: ran.append(True))
        qtbot.waitUntil(lambda ran=ran: bool(ran))


def test_the_panes_follow_the_key_once_its_fsync_returned(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal's thread needs the interpreter for a moment once its fsync returns, to
    report the edit saved; the work after the key's paint (the span list, the counts) waits
    for that report rather than hold the interpreter meanwhile (decision 0104)."""
    monkeypatch.setattr(text_view, "AFTER_PAINT_WAIT_MS", 60_000)  # held as long as it takes
    monkeypatch.setattr(annotating_controller, "PANES_LATEST_MS", 60_000)
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    start = ARTICLE.index("Jakarta")
    with window_on(qtbot, root) as win:
        painted: list[bool] = []
        win.text.painted.connect(lambda: painted.append(formatted(win, start)))
        drag_select(qtbot, win, start, start + len("Jakarta"))
        entered, release = held_journal_fsync(monkeypatch)
        try:
            qtbot.keyClick(win.text, Qt.Key.Key_3)
            assert entered.wait(10)
            qtbot.waitUntil(lambda: any(painted))  # the span is on screen
            event_loop_turns(qtbot)
            assert win.span_model.rowCount() == 0  # the list waits for the fsync
            assert win.windowTitle().endswith("saving…")
            release.set()
            qtbot.waitUntil(lambda: win.span_model.rowCount() == 1)
            assert win.label_model.counts == Counter({"CITY": 1})
            assert win.windowTitle().endswith("saved (journaled)")
        finally:  # a failed check must not leave the journal thread held
            release.set()


def test_the_panes_wait_for_a_slow_fsync_only_briefly(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    start = ARTICLE.index("Jakarta")
    with window_on(qtbot, root) as win:
        drag_select(qtbot, win, start, start + len("Jakarta"))
        entered, release = held_journal_fsync(monkeypatch)
        try:
            qtbot.keyClick(win.text, Qt.Key.Key_3)
            assert entered.wait(10)
            qtbot.waitUntil(lambda: win.span_model.rowCount() == 1)  # AFTER_PAINT_WAIT_MS on
            assert win.windowTitle().endswith("saving…")  # the fsync is still held
        finally:
            release.set()
        qtbot.waitUntil(lambda: win.windowTitle().endswith("saved (journaled)"))

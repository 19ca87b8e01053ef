"""Starting the window where it cannot write or cannot show: read-only and why, or one line."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from _helpers_window import ARTICLE, drag_select, key, make_project, window_on
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.core import jsonl
from annotator.core.project import Project
from annotator.ui.app import display_problem


@pytest.mark.parametrize("with_state", [True, False])
def test_a_read_only_project_opens_read_only_with_the_reason(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    read_only_fs: Callable[[Path], None],
    with_state: bool,
) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    if not with_state:
        shutil.rmtree(root / ".annotator")
    files = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    read_only_fs(root)
    with window_on(qtbot, root) as window:
        assert window.work.read_only
        assert window.notice.isVisible()
        text = window.notice.text()
        assert "This project cannot be written here (" in text
        assert ": Read-only file system). This window is read-only" in text
        start = ARTICLE.index("Kemendagri")
        drag_select(qtbot, window, start, start + len("Kemendagri"))
        key(qtbot, window, Qt.Key.Key_2)
        assert window.work.spans == ()
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == files


def test_a_full_disk_at_start_opens_read_only_and_keeps_the_journal(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", ARTICLE)])
    start = ARTICLE.index("Kemendagri")
    # a process that journals an edit and dies before compacting it
    script = (
        "import os, sys; from annotator.core.project import Project; "
        "from annotator.core.edit import AddSpan; "
        "s = Project.open(sys.argv[1]).session('ani'); "
        f"s.apply(AddSpan('d1', {start}, {start + len('Kemendagri')}, 'AGENCY')); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", script, str(root)], check=True, timeout=60)
    journal_path = root / ".annotator" / "ani.journal"
    journal = journal_path.read_bytes()
    assert journal

    real_fdopen = os.fdopen

    def full(fd: int, *args: object, **kwargs: object) -> object:
        f = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

        def write(data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        f.write = write
        return f

    monkeypatch.setattr(jsonl.os, "fdopen", full)  # replaying the journal cannot compact it
    with window_on(qtbot, root) as window:
        assert window.work.read_only
        assert "No space left on device" in window.notice.text()
        assert "This window is read-only" in window.notice.text()
        # the journaled edit is shown, and still safe in the journal
        assert [s.text for s in window.work.spans] == ["Kemendagri"]
    monkeypatch.undo()
    assert journal_path.read_bytes() == journal
    reopened = Project.open(root).session("ani")
    ann = reopened.annotation("d1")
    assert ann is not None
    assert [s.text for s in ann.spans] == ["Kemendagri"]
    reopened.close()


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({}, "neither DISPLAY nor WAYLAND_DISPLAY is set"),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "DISPLAY is not set"),
        ({"QT_QPA_PLATFORM": "wayland"}, "WAYLAND_DISPLAY is not set"),
        ({"DISPLAY": ":0"}, ""),
        ({"WAYLAND_DISPLAY": "wayland-0"}, ""),
        ({"QT_QPA_PLATFORM": "offscreen"}, ""),
    ],
)
def test_display_problem(env: dict[str, str], problem: str) -> None:
    got = display_problem(env, "linux")
    assert (problem in got) if problem else got == ""
    assert display_problem({}, "darwin") == ""


def run_without_display(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    root = tmp_path / "p"
    Project.init(root)
    return subprocess.run(
        [sys.executable, "-m", "annotator", str(root), "--annotator", "ani"],
        capture_output=True,
        text=True,
        env={**clean, **env},
        check=False,
        timeout=60,
    )


def test_no_display_is_one_line_and_exit_1(tmp_path: Path) -> None:
    out = run_without_display(tmp_path)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1
    assert out.stderr.startswith(
        "annotator: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set)"
    )
    assert "'annotator --help' lists them" in out.stderr


def test_a_display_qt_cannot_reach_is_one_line_and_exit_1(tmp_path: Path) -> None:
    # a display name no server answers: Qt fails inside, and would abort with 134
    out = run_without_display(tmp_path, DISPLAY=":87", QT_QPA_PLATFORM="xcb")
    assert out.returncode == 1, out.stderr
    assert out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith("annotator: the window cannot start (")
    assert "Traceback" not in out.stderr

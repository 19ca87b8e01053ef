"""What a cold start leaves for after its first paint arrives, and works (decision 0096).

The window opens with less than it used to do before its first paint: the watch on the
person's activity (an application-wide event filter) is installed just after it; the socket
module and the dialogs' classes are imported when used; the application is made in the style
every theme uses; the window's imports run with the cyclic garbage collector paused. These
tests open the real window, in this process or a new one, and act as a person would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

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


# A new process opens the window on a project folder as the ``annotator`` command does, and
# reports what it had imported at the text's first paint and once the start had finished.
START = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from annotator.ui.app import Launcher, application
from annotator.ui.window.i18n import Translations
from annotator.ui.window.settings import Settings

app = application()
settings = Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
window = Launcher(settings, Translations.shared(app)).open(Path(sys.argv[1]), "ani")
report = {}

def painted():
    if "paint" not in report and window.text.toPlainText():
        report["paint"] = sorted(sys.modules)
        report["started_at_paint"] = window.started

def finished():
    report["finished"] = sorted(sys.modules)
    report["style"] = app.style().name()
    window.close()
    app.quit()

window.text.painted.connect(painted)
window.start_finished.connect(finished)
window.show()
app.exec()
print(json.dumps(report))
"""


def run_child(code: str, *args: str, **env: str) -> dict[str, Any]:
    """Run ``code`` in a new Python process (offscreen Qt) and return the JSON object it
    printed last."""
    run = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
    )
    assert run.returncode == 0, run.stderr
    report: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return report


def start_in_new_process(tmp_path: Path, **env: str) -> dict[str, Any]:
    root = tmp_path / "p"
    make_project(root, [("d1", TEXT), ("d2", "Berita kedua.")])
    return run_child(START, str(root), str(tmp_path / "settings.ini"), **env)


# modules the start imported before decisions 0096 and 0100 that nothing shown at the first
# paint needs
NOT_AT_PAINT = ("socket", "annotator.core.edit.intents", "filelock")


def test_a_start_imports_at_its_first_paint_only_what_the_paint_needs(tmp_path: Path) -> None:
    report = start_in_new_process(tmp_path, QT_STYLE_OVERRIDE="Windows")
    assert report["started_at_paint"] is False  # the deferred parts came after the paint
    at_paint = set(report["paint"])
    assert "annotator.ui.window.main_window" in at_paint  # the report is of a real start
    for module in NOT_AT_PAINT:
        assert module not in at_paint, module
    # the window is in the style every theme uses, whatever the desktop asked for
    assert report["style"].lower() == "fusion"


COLLECTOR = """
import gc, json, sys
was = sys.argv[1] == "on"
if not was:
    gc.disable()
import annotator.ui
print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


@pytest.mark.parametrize("state", ["on", "off"])
def test_the_window_imports_leave_the_garbage_collector_as_they_found_it(state: str) -> None:
    report = run_child(COLLECTOR, state)
    assert report["enabled"] is (state == "on")  # collecting again, unless it was not before
    assert report["frozen"] > 10_000  # what the imports made is out of the collector's way


# A new process imports the window as the ``annotator`` command does (nothing of Qt before it),
# then opens the window and reports which import function is in place (decision 0100).
IMPORT_HOOK = """
import builtins, json, sys
before = builtins.__import__
import annotator.ui
from annotator.ui.app import application
from PySide6.QtWidgets import QPlainTextEdit
app = application()
view = QPlainTextEdit()
view.setPlainText("Dr Budi 🇮🇩")
print(json.dumps({
    "same": builtins.__import__ is before,
    "pyside": "PySide6.QtCore" in sys.modules,
    "text": view.toPlainText(),
}))
"""


def test_the_window_imports_leave_pythons_import_function_in_place() -> None:
    report = run_child(IMPORT_HOOK)
    assert report["pyside"] is True  # Qt was imported by the window's package...
    assert report["same"] is True  # ...and its __feature__ import hook is not left in place
    assert report["text"] == "Dr Budi 🇮🇩"  # Qt works without it


def test_no_module_of_the_app_selects_a_pyside_feature() -> None:
    # the hook put aside above is what makes ``from __feature__ import ...`` work
    package = Path(__file__).resolve().parents[2] / "annotator"
    statement = re.compile(r"^\s*(from\s+__feature__\s+import|import\s+__feature__)", re.M)
    users = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if statement.search(path.read_text("utf-8"))
    ]
    assert users == []


# A new process imports the window as the ``annotator`` command does, and reports what the
# table of run-time compiled code did (decision 0105).
CODE_TABLE = """
import json
import annotator.ui
from annotator import _code_cache
table = _code_cache.installed
report = {"added": table.added, "used": len(table.used), "programs": len(table.programs)}
print(json.dumps({**report, "path": str(table.path)}))
"""


def test_a_second_start_compiles_none_of_the_code_the_first_compiled(tmp_path: Path) -> None:
    cache_home = str(tmp_path / "cache")
    first = run_child(CODE_TABLE, XDG_CACHE_HOME=cache_home)
    assert first["added"] > 300  # pydantic's dataclasses and forward references...
    assert first["programs"] > 10  # ...and regular expressions (tomllib's, the core's)...
    assert Path(first["path"]).is_relative_to(tmp_path)
    assert Path(first["path"]).exists()  # ...kept at exit
    second = run_child(CODE_TABLE, XDG_CACHE_HOME=cache_home)
    assert second["added"] == 0  # nothing compiled again
    assert second["used"] == first["used"]


# The package itself puts the tables in place, before any part of it imports pydantic: the
# ``annotator`` command imports the command line (which imports pydantic) before the window.
FIRST_IMPORT = """
import json, sys
import annotator
from annotator import _code_cache
before = sorted(m for m in ("pydantic", "pydantic_core", "PySide6") if m in sys.modules)
import annotator.cli
print(json.dumps({"installed": _code_cache.installed is not None, "before": before}))
"""


def test_the_tables_are_in_place_before_anything_of_the_package_imports_pydantic() -> None:
    report = run_child(FIRST_IMPORT)
    assert report["installed"] is True
    assert report["before"] == []

"""The new processes of the window benchmark: each prints one JSON line once it has painted.

    python bench/ui_child.py ours-start                 # the demo project (BENCH_SETTINGS)
    python bench/ui_child.py floor-start DOCS ID W H PT  # a bare QPlainTextEdit, one article
    python bench/ui_child.py ours-open PROJECT NAME SETTINGS

Each imports only what its figure needs, so a start-up figure is the cost of that start-up:
``floor-start`` imports PySide6 and the standard library, never ``annotator``. The line is
printed just after the first paint of the text view's viewport that shows a document, with
the process's memory (``rss_mb``, ``peak_mb``) at that moment.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

T0 = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def memory() -> dict[str, float]:
    """Resident and peak resident memory of this process, in MB."""
    found: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found["rss_mb" if key == "VmRSS" else "peak_mb"] = int(value.split()[0]) / 1024
    return found


def report(values: dict[str, object]) -> None:
    print(json.dumps({**values, **memory()}), flush=True)


def first_paint(viewport: Any, shown: Callable[[], bool], then: Callable[[], None]) -> Any:
    """Call ``then()`` from the event loop right after the first paint at which ``shown()``."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        done = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.done and shown():
                self.done = True
                QTimer.singleShot(0, then)
            return False

    probe = FirstPaint()
    viewport.installEventFilter(probe)
    return probe


def ours_start() -> int:
    """The demo project, as ``annotator`` with no arguments opens it."""
    from PySide6.QtCore import QSettings

    from annotator.ui.app import Launcher, application
    from annotator.ui.i18n import Translations
    from annotator.ui.settings import Settings

    app = application()
    settings = Settings(QSettings(os.environ["BENCH_SETTINGS"], QSettings.Format.IniFormat))
    window = Launcher(settings, Translations.shared(app)).open(None, "bench")
    assert window is not None
    text = window.text

    def done() -> None:
        size = text.size()
        report(
            {
                "seconds": time.perf_counter() - T0,
                "documents": str(window.work.project.documents_path),
                "doc": window.work.doc_id,
                "size": [size.width(), size.height()],
                "point_size": text.font().pointSize(),
            }
        )
        window.close()  # saves and releases the lock, as a person closing it would
        app.quit()

    shown = lambda: window.work.doc is not None and text.document().characterCount() > 1  # noqa: E731
    _probe = first_paint(text.viewport(), shown, done)
    window.show()
    return int(app.exec())


def floor_start(documents: str, doc_id: str, width: int, height: int, point_size: int) -> int:
    """A bare window: a QPlainTextEdit holding one article read from the documents file."""
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    app = QApplication(sys.argv[:1])
    text = ""
    with open(documents, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record.get("id") == doc_id:
                text = record["text"]
                break
    view = QPlainTextEdit()
    view.setReadOnly(True)
    font = view.font()
    font.setPointSize(point_size)
    view.setFont(font)
    view.setPlainText(text)
    view.resize(width, height)

    def done() -> None:
        report({"seconds": time.perf_counter() - T0})
        app.quit()

    _probe = first_paint(view.viewport(), lambda: True, done)
    view.show()
    return int(app.exec())


def ours_open(project: str, name: str, settings_path: str) -> int:
    """Open a project to its first painted document; exit without saving (nothing changed)."""
    from PySide6.QtCore import QSettings

    from annotator.ui.app import Launcher, application
    from annotator.ui.i18n import Translations
    from annotator.ui.settings import Settings

    app = application()
    settings = Settings(QSettings(settings_path, QSettings.Format.IniFormat))
    launcher = Launcher(settings, Translations.shared(app))
    t_open = time.perf_counter()
    window = launcher.open(project, name)
    assert window is not None
    text = window.text

    def done() -> None:
        now = time.perf_counter()
        report({"seconds": now - T0, "open_seconds": now - t_open, "doc": window.work.doc_id})
        # no edit was made: leave as a crash would, so the next run finds the files unchanged
        # (a close would record the seconds spent and rewrite a 100,000-record file)
        os._exit(0)

    shown = lambda: window.work.doc is not None and text.document().characterCount() > 1  # noqa: E731
    _probe = first_paint(text.viewport(), shown, done)
    window.show()
    return int(app.exec())


def main(argv: list[str]) -> int:
    what, args = argv[0], argv[1:]
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's annotator
    if what == "ours-start":
        return ours_start()
    if what == "floor-start":
        return floor_start(args[0], args[1], int(args[2]), int(args[3]), int(args[4]))
    if what == "ours-open":
        return ours_open(args[0], args[1], args[2])
    raise SystemExit(f"unknown child {what!r}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

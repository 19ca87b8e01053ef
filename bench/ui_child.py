"""The new processes of the window benchmark: each prints one JSON line once it has painted.

    python bench/ui_child.py ours-start                 # the demo project (BENCH_SETTINGS)
    python bench/ui_child.py floor-start DOCS ID W H PT  # a bare QPlainTextEdit, one article
    python bench/ui_child.py ours-open PROJECT NAME SETTINGS

Each imports only what its figure needs, so a start-up figure is the cost of that start-up:
``floor-start`` imports PySide6 and the standard library, never ``annotator``. The line is
printed once the first paint of the text view's viewport that shows a document is on screen
(``ui_floor.PaintProbe``), with the process's memory (``rss_mb``, ``peak_mb``) at that moment.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

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
    """The painted line: ``values``, the memory, and the CPU time this process had used.

    With ``BENCH_EXIT_AT_PAINT`` set the process ends right after it, so a tool that counts
    what the whole process did (``valgrind --tool=callgrind``) counts the start alone.
    """
    cpu = {"cpu_seconds": time.process_time()}
    print(json.dumps({**values, **memory(), **cpu}), flush=True)
    if os.environ.get("BENCH_EXIT_AT_PAINT"):
        os._exit(0)


def ours_start() -> int:
    """The demo project, as ``annotator`` with no arguments opens it: the app's modules are
    imported first, as the ``annotator`` command does, then what the benchmark itself uses."""
    from annotator.ui.app import Launcher, application  # noqa: I001 (the app's order)
    from annotator.ui.window.i18n import Translations
    from annotator.ui.window.settings import Settings
    from PySide6.QtCore import QSettings
    from ui_floor import PaintProbe

    app = application()
    settings = Settings(QSettings(os.environ["BENCH_SETTINGS"], QSettings.Format.IniFormat))
    window = Launcher(settings, Translations.shared(app)).open(None, "bench")
    assert window is not None
    text = window.text
    probe = PaintProbe(text.viewport())
    probe.arm(lambda: window.work.doc is not None and text.document().characterCount() > 1)
    window.show()
    shown = probe.wait(app)
    size = text.size()
    report(
        {
            "seconds": shown - T0,
            "documents": str(window.work.project.documents_path),
            "doc": window.work.doc_id,
            "size": [size.width(), size.height()],
            "point_size": text.font().pointSize(),
        }
    )
    window.close()  # saves and releases the lock, as a person closing it would
    return 0


def floor_start(documents: str, doc_id: str, width: int, height: int, point_size: int) -> int:
    """A bare window: a QPlainTextEdit holding one article read from the documents file."""
    from PySide6.QtWidgets import QApplication, QPlainTextEdit
    from ui_floor import PaintProbe

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
    probe = PaintProbe(view.viewport())
    probe.arm()
    view.show()
    report({"seconds": probe.wait(app) - T0})
    return 0


def ours_open(project: str, name: str, settings_path: str) -> int:
    """Open a project to its first painted document; exit without saving (nothing changed)."""
    from PySide6.QtCore import QSettings
    from ui_floor import PaintProbe

    from annotator.ui.app import Launcher, application
    from annotator.ui.window.i18n import Translations
    from annotator.ui.window.settings import Settings

    app = application()
    settings = Settings(QSettings(settings_path, QSettings.Format.IniFormat))
    launcher = Launcher(settings, Translations.shared(app))
    t_open = time.perf_counter()
    window = launcher.open(project, name)
    assert window is not None
    text = window.text
    probe = PaintProbe(text.viewport())
    probe.arm(lambda: window.work.doc is not None and text.document().characterCount() > 1)
    window.show()
    shown = probe.wait(app)
    report({"seconds": shown - T0, "open_seconds": shown - t_open, "doc": window.work.doc_id})
    # no edit was made: leave as a crash would, so the next run finds the files unchanged
    # (a close would record the seconds spent and rewrite a 100,000-record file)
    os._exit(0)


def main(argv: list[str]) -> int:
    what, args = argv[0], argv[1:]
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here), str(here.parent)]  # ui_floor, and this checkout's annotator
    if what == "ours-start":
        return ours_start()
    if what == "floor-start":
        return floor_start(args[0], args[1], int(args[2]), int(args[3]), int(args[4]))
    if what == "ours-open":
        return ours_open(args[0], args[1], args[2])
    raise SystemExit(f"unknown child {what!r}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

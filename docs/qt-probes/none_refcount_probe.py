"""Probe: does this PySide6 + Python pair lose a reference to None on every void call?

PySide6 6.12.0 on CPython 3.11 and older drops one reference to ``None`` each time a method
that returns nothing (``QTextCursor.setPosition``, ``setCharFormat``, ...) is called. After
about as many calls as ``None`` had references at start-up (some thousands) CPython aborts with
``Fatal Python error: none_dealloc``. Python 3.12+ is immune (``None`` is immortal, PEP 683);
PySide6 6.8.3 to 6.11.3 are fine. Run this before moving the PySide6 pin (docs/qt.md section 1):

    .venv/bin/python docs/qt-probes/none_refcount_probe.py

Exit status 0 means the pair is fine; an abort (SIGABRT, status 134 or -6) means it is affected.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import PySide6
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument

CALLS = 100_000  # far more than None's references at start-up


def main() -> int:
    """Print the change in None's reference count per call, then make many void calls."""
    doc = QTextDocument("abc " * 100)
    cursor = QTextCursor(doc)
    calls: dict[str, Callable[[], object]] = {
        "QTextCursor.setPosition (void)": lambda: cursor.setPosition(3),
        "QTextCursor.clearSelection (void)": cursor.clearSelection,
        "QTextCursor.setCharFormat (void)": lambda: cursor.setCharFormat(QTextCharFormat()),
        "QTextCursor.movePosition (returns bool)": lambda: cursor.movePosition(
            QTextCursor.MoveOperation.Right
        ),
    }
    print(
        f"Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}, "
        f"None has {sys.getrefcount(None)} references"
    )
    for name, call in calls.items():
        before = sys.getrefcount(None)
        for _ in range(100):
            call()
        change = (sys.getrefcount(None) - before) / 100
        print(f"  {name:40s} change per call: {change:+.2f}")
    for _ in range(CALLS):
        cursor.setPosition(1)
    print(f"survived {CALLS:,} void calls: this pair is not affected")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

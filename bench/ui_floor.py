"""The floors of the window benchmark: the same work done by bare PySide6, and how paint is seen.

A floor is what the toolkit alone costs for one of the window's figures, measured in the same
process run, on the same data, at the same widget size and font size:

- ``BareView``: a ``QPlainTextEdit`` with a ``QSyntaxHighlighter`` that reads a per-block span
  index (the fastest way found to draw 5,000 spans, see ``docs/qt.md``). ``show`` converts
  the spans to UTF-16 block positions and sets the text; ``add_span`` indexes one more span and
  re-highlights its block.
- ``append_fsync``: append one line to a file and fsync it (the journal's floor).
- ``read_once``: read a file once, in large blocks, parsing nothing (the 100k open's floor).

``PaintProbe`` is how every figure, ours or a floor, is stopped: at the first real paint event
of a viewport, after the change, at which a check of what is on screen holds (never a timer).
"""

from __future__ import annotations

import os
import re
import time
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
PAINT_TIMEOUT_S = 30.0
COLOURS = ("#ffd54f", "#81d4fa", "#a5d6a7", "#ef9a9a", "#ce93d8")


class PaintProbe(QObject):
    """Watches one widget's paint events; ``wait`` returns once one passed a check.

    ``arm(check)`` starts watching: the next Paint event at which ``check()`` is true counts
    (the check runs before that paint, so it sees the state being drawn). ``wait`` runs the
    event loop until then and returns the time when the loop came back from that paint.
    """

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        self.count = 0
        self._check: Callable[[], bool] | None = None
        self._hit = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
            if self._check is not None and not self._hit and self._check():
                self._hit = True
        return False

    def arm(self, check: Callable[[], bool] = lambda: True) -> None:
        """Count the next paint at which ``check()`` holds."""
        self._check, self._hit = check, False

    def wait(self, app: QApplication) -> float:
        """Run the event loop until the armed paint happened; the time it came back from it."""
        deadline = time.perf_counter() + PAINT_TIMEOUT_S
        while True:
            app.processEvents()
            now = time.perf_counter()
            if self._hit:
                self._check = None
                return now
            if now > deadline:
                raise RuntimeError("the view never painted what was expected")


def timed_paint(
    app: QApplication, probe: PaintProbe, act: Callable[[], object], check: Callable[[], bool]
) -> float:
    """Seconds from ``act()`` to the end of the first paint at which ``check()`` holds."""
    probe.arm(check)
    t0 = time.perf_counter()
    act()
    return probe.wait(app) - t0


def formatted_at(document: QTextDocument, pos16: int) -> bool:
    """True when the layout of the block holding UTF-16 ``pos16`` has a format over it.

    Formats in a block's layout are what a ``QSyntaxHighlighter`` set there: this is the check
    that a span is drawn, whatever code put it there.
    """
    block = document.findBlock(pos16)
    if not block.isValid():
        return False
    rel = pos16 - block.position()
    return any(r.start <= rel < r.start + r.length for r in block.layout().formats())


def utf16_positions(text: str) -> Callable[[int], int]:
    """Code point -> UTF-16 position in ``text`` (the bare form of the conversion)."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return lambda pos: pos
    return lambda pos: pos + bisect_left(astral, pos)


class BareHighlighter(QSyntaxHighlighter):
    """Colours the spans of a per-block index: ``{block number: [(start16, length16, fmt)]}``."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.blocks: dict[int, list[tuple[int, int, QTextCharFormat]]] = {}

    def highlightBlock(self, text: str) -> None:
        for start, length, fmt in self.blocks.get(self.currentBlock().blockNumber(), ()):
            self.setFormat(start, length, fmt)


class BareView(QPlainTextEdit):
    """The floor's widget: read-only text, spans drawn by ``BareHighlighter``."""

    def __init__(self, labels: Sequence[str], size: tuple[int, int], point_size: int) -> None:
        super().__init__()
        self.setReadOnly(True)
        font = self.font()
        font.setPointSize(point_size)
        self.setFont(font)
        self.resize(*size)
        self.highlighter = BareHighlighter(self.document())
        self.formats: dict[str, QTextCharFormat] = {}
        for i, label in enumerate(labels):
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(COLOURS[i % len(COLOURS)]))
            self.formats[label] = fmt
        self.block_starts: list[int] = [0]
        self.to16: Callable[[int], int] = lambda pos: pos
        self.probe = PaintProbe(self.viewport())

    def show_text(self, text: str, spans: Sequence[tuple[int, int, str]] = ()) -> None:
        """Index ``spans`` (code points) by block, then set the text (highlighted as it is set)."""
        self.to16 = utf16_positions(text)
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:  # every "\n" ends a block (imports normalise the other breaks away)
            starts.append(self.to16(i + 1))
            i = find("\n", i + 1)
        self.block_starts = starts
        blocks: dict[int, list[tuple[int, int, QTextCharFormat]]] = {}
        for start, end, label in spans:
            self._place(blocks, start, end, label)
        self.highlighter.blocks = blocks
        self.setPlainText(text)

    def add_span(self, start: int, end: int, label: str) -> int:
        """Index one more span and re-highlight its block; its start in UTF-16."""
        number = self._place(self.highlighter.blocks, start, end, label)
        self.highlighter.rehighlightBlock(self.document().findBlockByNumber(number))
        return self.to16(start)

    def _place(
        self,
        blocks: dict[int, list[tuple[int, int, QTextCharFormat]]],
        start: int,
        end: int,
        label: str,
    ) -> int:
        s16, e16 = self.to16(start), self.to16(end)
        number = bisect_right(self.block_starts, s16) - 1
        base = self.block_starts[number]
        # the spans of the benchmark are words: one block each
        entry = (s16 - base, e16 - s16, self.formats[label])
        insort(blocks.setdefault(number, []), entry, key=lambda e: e[0])
        return number


def append_fsync(path: Path, line: bytes) -> float:
    """Seconds to append ``line`` to ``path`` and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        t0 = time.perf_counter()
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        return time.perf_counter() - t0
    finally:
        os.close(fd)


def read_once(path: Path, block: int = 1 << 20) -> tuple[float, int]:
    """Seconds to read ``path`` once in ``block``-byte reads, parsing nothing; and its bytes."""
    buffer = bytearray(block)
    total = 0
    t0 = time.perf_counter()
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buffer):
            total += n
    return time.perf_counter() - t0, total

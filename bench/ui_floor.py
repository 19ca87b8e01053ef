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
``run_until`` and ``settle`` wait on the event loop between figures.
"""

from __future__ import annotations

import json
import os
import re
import time
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
PAINT_TIMEOUT_S = 30.0
COLOURS = ("#ffd54f", "#81d4fa", "#a5d6a7", "#ef9a9a", "#ce93d8")


class PaintProbe(QObject):
    """Watches a viewport's paint events; ``wait`` returns once one showed what was expected.

    ``arm(check)`` starts watching: the next Paint event of the viewport at which ``check()``
    is true counts (the check runs just before that paint, so it sees the state drawn). The
    time taken is the end of the window's repaint that held that paint: the probe delivers the
    window's UpdateRequest itself (every dirty widget painted, the backing store flushed) and
    notes the time it returned, so work queued to run after the paint is not counted. A paint
    outside an UpdateRequest (a synchronous repaint) counts when the event loop comes back.
    """

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self.widget = viewport
        self.count = 0
        self._check: Callable[[], bool] | None = None
        self._hit = False
        self._shown_at: float | None = None
        self._inside = False
        self._window_filter = _UpdateFilter(self, viewport.window())
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
            if self._check is not None and not self._hit and self._check():
                self._hit = True
        return False

    def deliver(self, window: QObject, event: QEvent) -> bool:
        """Deliver ``window``'s UpdateRequest now and note when it returned (while armed)."""
        if self._check is None or self._inside:
            return False
        self._inside = True
        try:
            QCoreApplication.sendEvent(window, event)
        finally:
            self._inside = False
        if self._hit and self._shown_at is None:
            self._shown_at = time.perf_counter()
        return True  # delivered above: not again

    def arm(self, check: Callable[[], bool] = lambda: True) -> None:
        """Count the next paint at which ``check()`` holds."""
        self._check, self._hit, self._shown_at = check, False, None

    def wait(self, app: QApplication) -> float:
        """Run the event loop until the armed paint was shown; the time it was."""
        give_up = QTimer()  # wakes the wait below if nothing ever comes
        give_up.setSingleShot(True)
        give_up.start(int(PAINT_TIMEOUT_S * 1000))
        deadline = time.perf_counter() + PAINT_TIMEOUT_S
        while not self._hit:
            # blocks until events come, rather than spinning: a spinning loop would take the
            # interpreter from the window's own worker thread
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            if time.perf_counter() > deadline:
                raise RuntimeError("the view never painted what was expected")
        give_up.stop()
        shown = self._shown_at if self._shown_at is not None else time.perf_counter()
        self._check = None
        return shown


class _UpdateFilter(QObject):
    """Hands a window's UpdateRequests to its ``PaintProbe``."""

    def __init__(self, probe: PaintProbe, window: QWidget) -> None:
        super().__init__(probe)
        self.probe = probe
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            return self.probe.deliver(watched, event)
        return False


def timed_paint(
    app: QApplication, probe: PaintProbe, act: Callable[[], object], check: Callable[[], bool]
) -> float:
    """Seconds from ``act()`` to the first paint shown at which ``check()`` holds."""
    probe.arm(check)
    t0 = time.perf_counter()
    act()
    return probe.wait(app) - t0


def run_until(app: QApplication, done: Callable[[], bool], what: str, seconds: float) -> None:
    """Run the event loop until ``done()``, waiting for events rather than spinning (a spinning
    loop would take the interpreter from the window's worker thread)."""
    give_up = QTimer()  # wakes the wait if nothing else comes
    give_up.start(int(seconds * 1000))
    deadline = time.perf_counter() + seconds
    while not done():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{what} never happened")
    give_up.stop()


def settle(app: QApplication, rounds: int = 3) -> None:
    """Let work queued for after a paint run, so it is not timed with the next figure."""
    for _ in range(rounds):
        ran: list[bool] = []
        QTimer.singleShot(0, lambda ran=ran: ran.append(True))
        run_until(app, lambda ran=ran: bool(ran), "the event loop's turn", 30)


def repainted(app: QApplication, probe: PaintProbe) -> None:
    """Make the widget paint once more and run until it has (after a scroll or a selection)."""
    probe.widget.update()
    probe.arm()
    probe.wait(app)
    settle(app)


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


def desktop_screen(config: Path) -> None:
    """Give Qt's offscreen platform a desktop's screen, 1920x1080, for this process and its
    children (set before the QApplication is made).

    Its own screen is 800x800: a window remembered at 1400x900 comes back squeezed into it,
    its text a column 166 px wide, and every figure would paint that column only.
    """
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        return
    screen = {"name": "bench", "x": 0, "y": 0, "width": 1920, "height": 1080}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


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

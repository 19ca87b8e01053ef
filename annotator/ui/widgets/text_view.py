"""The article text: read-only, selectable by mouse and keyboard, spans drawn over it.

Qt counts UTF-16 units and Python code points (docs/design.md section 4, docs/qt.md section 4);
every position that leaves this widget goes through the document's ``Utf16Map``, and the text
is never read back from Qt.
Spans get their label colour from the highlighter; this view adds, for each visible span, a
thick underline whose pattern differs per label (solid, dashed, dotted, dash-dot, double), so
a label is readable without colour, and a tooltip naming the label. The underlines of each
block are kept until its spans or its layout change (``_underlines``).

A paint draws the text, then the underlines and the layers added with ``add_layer`` (the
suggestion outlines) with one painter, over the blocks in the paint's rectangle only (a label
key repaints one paragraph). Work that waits for the screen asks ``after_paint``: it runs once,
just after the next paint, all of it from one queued call; while ``hold_after_paint``'s test
says more urgent work is under way (the journal's fsync of the edit just painted, whose thread
needs the interpreter for a moment once it returns), it waits for ``release_after_paint``,
``AFTER_PAINT_WAIT_MS`` at most (decision 0104).

Signals:
    clicked(int): a click without a drag, at this code point.
    selected_span_changed(object): the selected span (a Span) or None.
    zoom_changed(int): the zoom step after Ctrl+= / Ctrl+-.
    painted(): the text was just painted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from annotator.core.contrast import underline_colour
from annotator.core.model import Label, Span
from annotator.core.offsets import Utf16Map
from annotator.ui.widgets.highlighter import BlockLayout, BlockSpan, SpanHighlighter

# Pen dash patterns (in pen widths), one per label in project order, then repeated.
PATTERNS: tuple[tuple[str, Sequence[float]], ...] = (
    ("solid", ()),
    ("dashed", (3.0, 2.0)),
    ("dotted", (1.0, 1.5)),
    ("dash-dot", (4.0, 1.5, 1.0, 1.5)),
    ("double", ()),
)
BASE_POINT_SIZE = 12
AFTER_PAINT_WAIT_MS = 25  # the longest the work after a paint waits for ``hold_after_paint``


def display_text(text: str) -> str:
    """The text as given to Qt, with the same length in UTF-16 units as the stored one.

    ``setPlainText`` would drop a leading byte-order mark and fold ``\\r\\n`` into one break,
    shifting every later position (docs/qt.md section 4). Import normalises both away; this
    guards the view against a document written by hand.
    """
    if text.startswith("\ufeff"):
        text = "\u200b" + text[1:]
    return text.replace("\r\n", " \n")


def pattern_of(index: int) -> tuple[str, Sequence[float]]:
    """The underline pattern of the label at ``index`` in project order."""
    return PATTERNS[index % len(PATTERNS)]


class TextView(QPlainTextEdit):
    """The read-only article with its spans; see the module docstring."""

    clicked = Signal(int)
    selected_span_changed = Signal(object)
    zoom_changed = Signal(int)
    painted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("text_view")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        # a re-highlighted block repaints its own rectangle only (highlighter.BlockLayout)
        document = QTextDocument(self)
        self._layout = BlockLayout(document)
        document.setDocumentLayout(self._layout)
        self.setDocument(document)
        self.document().setUndoRedoEnabled(False)
        self.document().setDocumentMargin(12)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSize(BASE_POINT_SIZE)
        self.setFont(font)
        self.highlighter = SpanHighlighter(self)
        self.umap = Utf16Map("")
        self.selected_span: Span | None = None
        self.zoom = 0
        self._labels: dict[str, tuple[QColor, int]] = {}
        self._pens: dict[tuple[str, float], tuple[QPen, bool]] = {}
        # block number -> (its spans, (width, line count, pen width), underlines): _underlines
        self._underline_cache: dict[int, tuple[list[BlockSpan], tuple[float, ...], list[Any]]] = {}
        self._press: QPoint | None = None
        self._on_screen: list[tuple[QTextBlock, QRectF]] | None = None
        self._paint_rect: QRect | None = None  # while a paint event is drawn
        self._layers: list[Callable[[QPainter], None]] = []
        self._after: dict[Callable[[], None], None] = {}  # jobs for after the next paint
        self._after_run = QTimer(self)  # runs them from the event loop, after the paint
        self._after_run.setSingleShot(True)
        self._after_run.setInterval(0)
        self._after_run.timeout.connect(self._run_after)
        self._after_latest = QTimer(self)  # runs them, held or not, once they waited enough
        self._after_latest.setSingleShot(True)
        self._after_latest.setInterval(AFTER_PAINT_WAIT_MS)
        self._after_latest.timeout.connect(lambda: self._run_after(held=False))
        self._after_held: Callable[[], bool] = lambda: False
        self._after_waiting = False
        self.setMouseTracking(True)

    # -- content -------------------------------------------------------------------------

    def set_labels(self, labels: Sequence[Label], base: QColor, alpha: float) -> None:
        """Colours and underline patterns of the project's labels (and the theme's base)."""
        # the underline in the label's colour, made to stand out on the span's fill
        self._labels = {
            label.name: (QColor(underline_colour(label.color, base.name(), alpha)), i)
            for i, label in enumerate(labels)
        }
        self._pens.clear()
        self._underline_cache.clear()
        self.highlighter.set_labels(labels, base, alpha)
        if self.highlighter.document() is not None:
            self.highlighter.rehighlight()
        self.viewport().update()

    def show_document(self, text: str, umap: Utf16Map, spans: tuple[Span, ...]) -> None:
        """Show a new text with its spans; the caret starts at the top."""
        shown = display_text(text)
        light = self.highlighter
        self.umap = umap
        self.selected_span = None
        self._underline_cache.clear()
        if light.document() is self.document():
            # indexed first, the new text is coloured as Qt lays it out: one pass, as in a
            # bare QPlainTextEdit; the old paragraphs go with their formats
            light.prepare(shown, umap, spans)
            self.setPlainText(shown)
            light.check()
        else:
            self.setPlainText(shown)
            light.attach(self.document(), umap, spans)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.selected_span_changed.emit(None)

    def update_spans(self, before: tuple[Span, ...], after: tuple[Span, ...]) -> None:
        """Repaint the blocks whose spans changed (never the whole text)."""
        # rehighlightBlock repaints the blocks it touched: no whole-viewport update here
        self.highlighter.update(before, after)
        if self.selected_span is not None and not self.highlighter.contains(self.selected_span):
            self.select_span(None)

    @property
    def spans(self) -> tuple[Span, ...]:
        """The spans shown."""
        return self.highlighter.spans

    # -- positions (code points outside, UTF-16 inside) ---------------------------------

    def selection_range(self) -> tuple[int, int] | None:
        """The selected text as code points ``[start, end)``, None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self.umap.to_code_point(cursor.selectionStart())
        end = self.umap.to_code_point(cursor.selectionEnd())
        # a selection ending inside a surrogate pair includes that character
        if self.umap.to_utf16(end) < cursor.selectionEnd():
            end += 1
        return (start, end) if start < end else None

    def clear_selection(self) -> None:
        """Drop the text selection, keeping the caret where the selection ended."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def cursor_at(self, pos: int) -> QTextCursor:
        """A cursor at code point ``pos``."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.umap.to_utf16(min(max(0, pos), self.umap.length)))
        return cursor

    def point_of(self, pos: int) -> QPoint:
        """The viewport point at the middle of the caret before code point ``pos``."""
        return self.cursorRect(self.cursor_at(pos)).center()

    def position_at(self, point: QPoint) -> int:
        """The code point under a viewport point."""
        return self.umap.to_code_point(self.cursorForPosition(point).position())

    def caret(self) -> int:
        """The caret's position in code points."""
        return self.umap.to_code_point(self.textCursor().position())

    # -- spans -----------------------------------------------------------------------------

    def select_span(self, span: Span | None, scroll: bool = True) -> None:
        """Make ``span`` the selected span (drawn solid), the caret at its start."""
        if span is not None and not self.highlighter.contains(span):
            span = None
        self.selected_span = span
        self.highlighter.select(span)
        if span is not None:
            cursor = self.cursor_at(span.start)
            self.setTextCursor(cursor)
            if scroll:
                self.ensureCursorVisible()
        self.selected_span_changed.emit(span)

    def step_span(self, forward: bool) -> Span | None:
        """Select the next (or previous) span after the selected one or the caret."""
        spans = self.spans
        if not spans:
            return None
        current = self.selected_span
        if current is not None:
            i = self.highlighter.position_of(current) + (1 if forward else -1)
        else:
            i = self.highlighter.span_index(self.caret())
            i = i if forward else i - 1
        span = spans[i % len(spans)]
        self.select_span(span)
        return span

    # -- zoom ------------------------------------------------------------------------------

    def set_zoom(self, step: int) -> None:
        """Font size ``BASE_POINT_SIZE + step`` points (clamped to 6..32)."""
        size = max(6, min(32, BASE_POINT_SIZE + step))
        self.zoom = size - BASE_POINT_SIZE
        font = QFont(self.font())
        font.setPointSize(size)
        self.setFont(font)
        self.zoom_changed.emit(self.zoom)

    # -- events ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if (
            event.button() == Qt.MouseButton.LeftButton
            and press is not None
            and (event.position().toPoint() - press).manhattanLength() < 4
            and not self.textCursor().hasSelection()
        ):
            self.clicked.emit(self.position_at(event.position().toPoint()))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            point = self.viewport().mapFrom(self, event.pos())
            span = self._span_under(point)
            if span is not None:
                QToolTip.showText(event.globalPos(), f"{span.label}: {span.text}", self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _span_under(self, point: QPoint) -> Span | None:
        cursor = self.cursorForPosition(point)
        pos = self.umap.to_code_point(cursor.position())
        span = self.highlighter.span_at(pos)
        if span is None and pos > 0:
            span = self.highlighter.span_at(pos - 1)  # the right half of the last character
        return span

    def add_layer(self, draw: Callable[[QPainter], None]) -> None:
        """Call ``draw(painter)`` in every paint, after the text and the underlines (the
        painter's state is restored after it)."""
        self._layers.append(draw)

    def after_paint(self, job: Callable[[], None]) -> None:
        """Run ``job`` once, just after the next paint of the text (not inside it); a job
        asked for twice before then runs once."""
        self._after[job] = None

    def hold_after_paint(self, held: Callable[[], bool]) -> None:
        """While ``held()`` is true, the work after a paint waits (``AFTER_PAINT_WAIT_MS``
        at most) for ``release_after_paint``."""
        self._after_held = held

    def release_after_paint(self) -> None:
        """Run the work after the last paint now, if it waited and ``held()`` is over."""
        if self._after_waiting and not self._after_held():
            self._run_after(held=False)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self._on_screen = None  # walked again, once, by what paints over the text below
        self._paint_rect = event.rect()
        try:
            if self.highlighter.spans or self._layers:
                painter = QPainter(self.viewport())
                try:
                    if self.highlighter.spans:
                        self._paint_underlines(painter)
                    for draw in self._layers:
                        painter.save()
                        draw(painter)
                        painter.restore()
                finally:
                    painter.end()
            self.painted.emit()
            if self._after and not self._after_waiting:
                self._after_run.start()
        finally:
            self._on_screen = None
            self._paint_rect = None

    def _run_after(self, held: bool = True) -> None:
        if held and self._after_held():
            if not self._after_waiting:
                self._after_waiting = True
                self._after_latest.start()
            return
        self._after_latest.stop()
        self._after_waiting = False
        jobs, self._after = self._after, {}
        for job in jobs:
            job()

    def blocks_on_screen(self) -> list[tuple[QTextBlock, QRectF]]:
        """The visible blocks, with their geometry in viewport coordinates: inside a paint
        event, those in the paint's rectangle, walked once and shared by the underlines and
        the layers; outside one, every block on screen."""
        found = self._on_screen
        if found is None:
            found = []
            offset = self.contentOffset()
            area = self._paint_rect if self._paint_rect is not None else self.viewport().rect()
            top, bottom = area.top(), area.bottom()
            block = self.firstVisibleBlock()
            while block.isValid():
                geometry = self.blockBoundingGeometry(block).translated(offset)
                if geometry.top() > bottom:
                    break
                if block.isVisible() and geometry.bottom() >= top:
                    found.append((block, geometry))
                block = block.next()
            self._on_screen = found
        return found

    def _paint_underlines(self, painter: QPainter) -> None:
        width = max(2.0, self.font().pointSizeF() / 7)
        spans_of = self.highlighter.block_spans
        for block, geometry in self.blocks_on_screen():
            entries = spans_of(block.blockNumber())
            if entries:
                left, y0 = geometry.left(), geometry.top()
                size = (geometry.width(), geometry.height())
                for pen, lines in self._underlines(block, size, entries, width):
                    painter.setPen(pen)
                    for x1, y, x2 in lines:
                        painter.drawLine(int(left + x1), int(y0 + y), int(left + x2), int(y0 + y))

    def _underlines(
        self,
        block: QTextBlock,
        size: tuple[float, float],
        entries: list[BlockSpan],
        width: float,
    ) -> list[tuple[QPen, list[tuple[float, float, float]]]]:
        """The underlines of one block, ``(pen, [(x1, y, x2)])`` in the block's coordinates.

        Kept per block and made again only when what they are made from changes: the block's
        spans (the highlighter gives a changed block a new list), its size and line count
        (a resize or a zoom lays it out again), the font or the pen width. Finding an x asks Qt for
        each span end (``cursorToX``): a full repaint of the viewport after a label key
        redrew some 200 of them in Python where one block had changed."""
        layout = block.layout()
        number = block.blockNumber()
        key = (*size, layout.lineCount(), self.font().pointSizeF(), width)
        found = self._underline_cache.get(number)
        if found is not None and found[0] is entries and found[1] == key:
            return found[2]
        lines = []
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            lo = line.textStart()
            lines.append((lo, lo + line.textLength(), line))
        out: list[tuple[QPen, list[tuple[float, float, float]]]] = []
        current: str | None = None
        double = False
        drawn: list[tuple[float, float, float]] = []
        for start, length, label, _selected in entries:
            if length <= 0 or label not in self._labels:
                continue
            if label != current:  # one pen per label, made once per width
                pen, double = self._pen(label, width)
                drawn = []
                out.append((pen, drawn))
                current = label
            end = start + length
            for lo, hi, line in lines:
                if hi <= start or lo >= end:
                    continue
                x1 = caret_x(line, max(start, lo))
                x2 = caret_x(line, min(end, hi))
                # a pixel of gap where a span starts or ends, so touching spans stay two
                x1 += 1 if start >= lo else 0
                x2 -= 1 if end <= hi else 0
                y = line.y() + line.height() - width / 2
                drawn.append((x1, y, x2))
                if double:
                    drawn.append((x1, y - width * 1.5, x2))
        self._underline_cache[number] = (entries, key, out)
        return out

    def _pen(self, label: str, width: float) -> tuple[QPen, bool]:
        """The underline pen of ``label`` at ``width`` (cached), and whether it is doubled."""
        key = (label, width)
        found = self._pens.get(key)
        if found is None:
            color, index = self._labels[label]
            name, dashes = pattern_of(index)
            pen = QPen(color, width if name != "double" else width / 2)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            if dashes:
                pen.setDashPattern(list(dashes))
            found = self._pens[key] = (pen, name == "double")
        return found


def caret_x(line: QTextLine, pos: int) -> float:
    """The x of the caret before ``pos`` (UTF-16, in the block) on ``line``.

    PySide returns ``(x, pos)`` where its stub says ``object``.
    """
    return float(cast(tuple[float, int], line.cursorToX(pos))[0])

"""Review mode's page: the queue beside the gold being built and every annotator's version.

Laid out as INCEpTION's curation page is: the queue of documents (most disputed first) on
the left; on the right the gold panel on top, where the lead edits, and under it one read-only
panel per annotator who submitted the document, side by side for up to three annotators and
stacked in rows for more. Each panel draws its spans as the main view does; spans that not
every annotator agrees on are outlined in red (dashed), and the disagreement being decided is
framed in every panel. The keys are listed on the page itself.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.core.contrast import TEXT, ink
from annotator.core.model import Label, Span
from annotator.core.offsets import Utf16Map
from annotator.ui.review.queue_model import QueueModel
from annotator.ui.widgets.text_view import TextView, caret_x

DISPUTED = QColor("#d62728")
RESOLVED = QColor("#2e8b3e")
MAX_SIDE_BY_SIDE = 3


class ReviewText(TextView):
    """A read-only text with spans, plus outlines: disputed ranges and the one in focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.marks: list[tuple[int, int]] = []  # code points, sorted
        self._mark_starts: list[int] = []
        self._longest = 0
        self.focus_range: tuple[int, int] | None = None
        self.resolved: frozenset[tuple[int, int]] = frozenset()

    def set_marks(
        self,
        marks: Sequence[tuple[int, int]],
        focus: tuple[int, int] | None,
        resolved: Collection[tuple[int, int]] = (),
    ) -> None:
        """Outline ``marks`` (dashed red while open, solid green once ``resolved``) and frame
        ``focus`` (the disagreement being decided)."""
        self.marks = sorted(marks)
        self.resolved = frozenset(resolved)
        self._mark_starts = [start for start, _ in self.marks]
        self._longest = max((end - start for start, end in self.marks), default=0)
        self.focus_range = focus
        self.viewport().update()

    def reveal(self, pos: int) -> None:
        """Scroll so that code point ``pos`` is in view (the text selection is dropped)."""
        self.setTextCursor(self.cursor_at(pos))
        self.ensureCursorVisible()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.marks and self.focus_range is None:
            return
        painter = QPainter(self.viewport())
        area = QRectF(event.rect())
        # only the marks that can be on screen: a 200 KB article has thousands
        first = self.umap.to_code_point(self.cursorForPosition(event.rect().topLeft()).position())
        last = self.umap.to_code_point(
            self.cursorForPosition(event.rect().bottomRight()).position()
        )
        lo = bisect_left(self._mark_starts, first - self._longest)
        hi = bisect_right(self._mark_starts, last)
        base = self.palette().color(QPalette.ColorRole.Base).name()
        open_pen = QPen(QColor(ink(DISPUTED.name(), base, TEXT)), 1.5, Qt.PenStyle.DashLine)
        done_pen = QPen(QColor(ink(RESOLVED.name(), base, TEXT)), 1.5)
        for start, end in self.marks[lo:hi]:
            painter.setPen(done_pen if (start, end) in self.resolved else open_pen)
            for rect in self._rects(start, end):
                if rect.intersects(area):
                    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        if self.focus_range is not None:
            painter.setPen(QPen(self.palette().color(self.foregroundRole()), 2.5))
            for rect in self._rects(*self.focus_range):
                if rect.intersects(area):
                    painter.drawRect(rect.adjusted(-2, -1, 2, 1))
        painter.end()

    def _rects(self, start: int, end: int) -> Iterator[QRectF]:
        """One rectangle per laid-out line that ``[start, end)`` covers (viewport points)."""
        if start >= end:
            return
        s16, e16 = self.umap.to_utf16(start), self.umap.to_utf16(end)
        offset = self.contentOffset()
        block = self.document().findBlock(s16)
        while block.isValid() and block.position() < e16:
            layout = block.layout()
            base = block.position()
            lo_b = max(s16, base) - base
            hi_b = min(e16, base + block.length() - 1) - base
            if layout.lineCount() and hi_b > lo_b:
                geometry = self.blockBoundingGeometry(block).translated(offset)
                # a long paragraph has thousands of lines: go straight to the ones covered
                first = layout.lineForTextPosition(lo_b).lineNumber()
                last = layout.lineForTextPosition(max(lo_b, hi_b - 1)).lineNumber()
                for n in range(max(0, first), max(first, last) + 1):
                    line = layout.lineAt(n)
                    lo, hi = line.textStart(), line.textStart() + line.textLength()
                    if hi <= lo_b or lo >= hi_b:
                        continue
                    x1 = caret_x(line, max(lo_b, lo))
                    x2 = caret_x(line, min(hi_b, hi))
                    yield QRectF(
                        geometry.left() + x1, geometry.top() + line.y(), x2 - x1, line.height()
                    )
            block = block.next()


class Panel(QWidget):
    """A title over a ReviewText."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.title = QLabel(self)
        self.title.setObjectName(f"{object_name}_title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.text = ReviewText(self)
        self.text.setObjectName(f"{object_name}_text")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)

    def show_text(self, text: str, umap: Utf16Map, spans: tuple[Span, ...]) -> None:
        """Show ``text`` with ``spans``."""
        self.text.show_document(text, umap, spans)


class AdjudicationPage(QWidget):
    """The whole page of Review mode; the AdjudicationMode object fills it and reacts to it."""

    def __init__(self, queue: QueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_page")
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("review_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.notice = QLabel(self)
        self.notice.setObjectName("review_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "QLabel { background: #fff3cd; color: #5c4400; padding: 8px;"
            " border-bottom: 1px solid #e0c36c; }"
        )
        self.notice.hide()

        # -- the queue ------------------------------------------------------------------
        left = QWidget(self)
        self.queue_title = QLabel(left)
        self.queue_status = QLabel(left)
        self.queue_status.setObjectName("review_status")
        self.queue_status.setWordWrap(True)
        self.queue = QTableView(left)
        self.queue.setObjectName("adjudication_queue")
        self.queue.setModel(queue)
        self.queue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue.setTabKeyNavigation(False)
        self.queue.verticalHeader().hide()
        self.queue.setWordWrap(False)
        header = self.queue.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 4, 4)
        left_layout.addWidget(self.queue_title)
        left_layout.addWidget(self.queue, 1)
        left_layout.addWidget(self.queue_status)

        # -- the document being adjudicated ---------------------------------------------
        right = QWidget(self)
        self.header = QLabel(right)
        self.header.setObjectName("review_header")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        font = self.header.font()
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.header.setFont(font)
        self.candidate = QLabel(right)
        self.candidate.setObjectName("candidate_label")
        self.candidate.setTextFormat(Qt.TextFormat.PlainText)
        self.candidate.setWordWrap(True)
        self.keys = QLabel(right)
        self.keys.setObjectName("review_keys")
        self.keys.setTextFormat(Qt.TextFormat.PlainText)
        self.keys.setWordWrap(True)
        self.gold = Panel("gold_panel", right)
        self.annotators = QSplitter(Qt.Orientation.Horizontal, right)
        self.annotators.setObjectName("annotator_panels")
        self.annotators.setChildrenCollapsible(False)
        self.panels: list[Panel] = []
        body = QSplitter(Qt.Orientation.Vertical, right)
        body.addWidget(self.gold)
        body.addWidget(self.annotators)
        body.setObjectName("review_body")
        body.setChildrenCollapsible(False)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        body.setSizes([400, 400])  # gold and the annotators share the height
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 4, 4, 4)
        right_layout.addWidget(self.header)
        right_layout.addWidget(self.candidate)
        right_layout.addWidget(body, 1)
        right_layout.addWidget(self.keys)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("review_split")
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([340, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.notice)
        layout.addWidget(split, 1)

    def set_panel_count(
        self, count: int, labels: Sequence[Label], base: QColor, alpha: float
    ) -> None:
        """Have exactly ``count`` annotator panels: side by side up to three, else stacked."""
        while len(self.panels) > count:
            panel = self.panels.pop()
            panel.hide()
            panel.setParent(None)
            panel.deleteLater()
        while len(self.panels) < count:
            panel = Panel(f"annotator_panel_{len(self.panels) + 1}", self.annotators)
            panel.text.set_labels(labels, base, alpha)
            self.annotators.addWidget(panel)
            self.panels.append(panel)
        vertical = count > MAX_SIDE_BY_SIDE
        self.annotators.setOrientation(
            Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal
        )

    def texts(self) -> list[ReviewText]:
        """Every text of the page: gold first, then the annotators'."""
        return [self.gold.text, *(p.text for p in self.panels)]

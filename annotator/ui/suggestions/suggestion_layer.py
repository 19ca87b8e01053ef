"""Suggestions drawn over the text: a dashed outline in the label's colour, never a fill.

A span is filled with its label's colour; a suggestion is only outlined, so the two never
look alike (and a suggestion never overlaps a span). The one that accept and reject act on
(under the caret, else the next one) is outlined solid and thicker.

The layer adds nothing to the text document or the span highlighter: it is one of the view's
layers (``TextView.add_layer``), drawn in its paint event after the text, only the blocks in
the paint's rectangle, asking ``ShownSuggestions`` by bisection which
suggestions lie in each. The outlines of a block are kept, in its coordinates, until what is
shown, the current suggestion, the font or the block's layout changes: Qt repaints the whole
viewport after a label key, and the outlines are then drawn without asking Qt again where
each suggestion's characters are. A change repaints only the rectangles of the blocks it
touches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPalette, QPen, QTextBlock
from PySide6.QtWidgets import QToolTip

from annotator.core.contrast import outline_colour
from annotator.core.model import Label
from annotator.core.suggest.record import Suggestion
from annotator.core.suggest.shown import ShownSuggestions
from annotator.ui.widgets.text_view import TextView, caret_x

DASHES = (3.0, 2.0)


class SuggestionLayer(QObject):
    """Paints the shown suggestions of the open document; see the module docstring."""

    def __init__(self, view: TextView, describe: Callable[[Suggestion], str]) -> None:
        super().__init__(view)
        self.view = view
        self.describe = describe
        self.shown = ShownSuggestions()
        self.current: Suggestion | None = None
        self.visible = True
        self._colors: dict[str, QColor] = {}
        self._inks: dict[tuple[str, str], QColor] = {}
        # the outlines of each block, in its coordinates, while what they show is unchanged
        self._drawn: dict[int, tuple[tuple[float, ...], list[tuple[QPen, list[QRectF]]]]] = {}
        self._drawn_for: tuple[object, ...] = ()
        view.add_layer(self._paint)
        view.installEventFilter(self)

    # -- state ---------------------------------------------------------------------------

    def set_labels(self, labels: Sequence[Label]) -> None:
        """The outline colour of each label."""
        self._colors = {label.name: QColor(label.color) for label in labels}
        self._inks = {}
        self._drawn_for = ()
        self.view.viewport().update()

    def _ink(self, label: str) -> QColor | None:
        """The outline's colour: the label's, made to stand out on the text's background."""
        colour = self._colors.get(label)
        if colour is None:
            return None
        base = self.view.palette().color(QPalette.ColorRole.Base).name()
        key = (label, base)
        found = self._inks.get(key)
        if found is None:
            found = self._inks[key] = QColor(outline_colour(colour.name(), base))
        return found

    def set_shown(self, shown: ShownSuggestions) -> None:
        """Draw these suggestions (a document opened, or its suggestions arrived)."""
        self.shown = shown
        self.current = None
        self.view.viewport().update()

    def set_visible(self, visible: bool) -> None:
        """Show or hide every suggestion."""
        self.visible = visible
        self.view.viewport().update()

    def set_current(self, suggestion: Suggestion | None) -> None:
        """Draw ``suggestion`` as the one the keys act on."""
        if suggestion == self.current:
            return
        old, self.current = self.current, suggestion
        self.repaint([s for s in (old, suggestion) if s is not None])

    def repaint(self, suggestions: Iterable[Suggestion]) -> None:
        """Repaint the blocks these suggestions lie in (when they are on screen)."""
        view = self.view
        viewport = view.viewport()
        screen = viewport.rect()
        offset = view.contentOffset()
        doc = view.document()
        umap = view.umap
        for sug in suggestions:
            block = doc.findBlock(umap.to_utf16(sug.start))
            last = doc.findBlock(max(0, umap.to_utf16(sug.end) - 1))
            while block.isValid():
                rect = view.blockBoundingGeometry(block).translated(offset).toAlignedRect()
                rect = rect.adjusted(-2, -2, 2, 2).intersected(screen)
                if not rect.isEmpty():
                    viewport.update(rect)
                if block.blockNumber() >= last.blockNumber():
                    break
                block = block.next()

    def at_point(self, point: QPoint) -> Suggestion | None:
        """The suggestion shown under a viewport point, if any."""
        if not self.visible:
            return None
        pos = self.view.position_at(point)
        sug = self.shown.at(pos)
        if sug is not None and sug.start <= pos < sug.end:
            return sug
        before = self.shown.at(pos - 1) if pos > 0 else None  # right half of the last character
        return before if before is not None and before.end == pos else None

    # -- painting ------------------------------------------------------------------------

    def _paint(self, painter: QPainter) -> None:
        if not self.visible or not self.shown.count:
            return
        view = self.view
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        width = max(1.0, view.font().pointSizeF() / 10)
        base = view.palette().color(QPalette.ColorRole.Base).name()
        font = view.font().pointSizeF()
        shown_as = (self.shown, self.shown.version, self.current, font, width, base)
        if shown_as != self._drawn_for:
            self._drawn.clear()
            self._drawn_for = shown_as
        for block, geometry in view.blocks_on_screen():
            outlines = self._block_outlines(block, geometry, width)
            if outlines:
                painter.translate(geometry.topLeft())
                for pen, rects in outlines:
                    painter.setPen(pen)
                    painter.drawRects(rects)
                painter.translate(-geometry.topLeft())

    def _block_outlines(
        self, block: QTextBlock, geometry: QRectF, width: float
    ) -> list[tuple[QPen, list[QRectF]]]:
        """The outlines of one block, ``(pen, rects)`` in the block's coordinates: made again
        only when the block is laid out anew (its size or line count) or what is shown, the
        current suggestion, the pen width or the background changed. A full repaint (a label
        key repaints the whole viewport) draws from here instead of asking Qt for every
        suggestion's x again."""
        number = block.blockNumber()
        key = (geometry.width(), geometry.height(), float(block.layout().lineCount()))
        found = self._drawn.get(number)
        if found is not None and found[0] == key:
            return found[1]
        umap = self.view.umap
        pos = block.position()
        lo = umap.to_code_point(pos)
        hi = umap.to_code_point(pos + max(0, block.length() - 1))
        suggestions = self.shown.in_range(lo, max(hi, lo + 1))
        outlines = self._outline(block, suggestions, width) if suggestions else []
        self._drawn[number] = (key, outlines)
        return outlines

    def _outline(
        self, block: QTextBlock, suggestions: list[Suggestion], width: float
    ) -> list[tuple[QPen, list[QRectF]]]:
        layout = block.layout()
        pos = block.position()
        length = max(0, block.length() - 1)
        umap = self.view.umap
        out: list[tuple[QPen, list[QRectF]]] = []
        for sug in suggestions:
            color = self._ink(sug.label)
            if color is None:
                continue
            current = sug == self.current
            pen = QPen(color, width * 2 if current else width)
            if not current:
                pen.setDashPattern(list(DASHES))
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            start = max(0, umap.to_utf16(sug.start) - pos)
            end = min(length, umap.to_utf16(sug.end) - pos)
            if end <= start:
                continue
            rects: list[QRectF] = []
            line = layout.lineForTextPosition(start)
            while line.isValid() and line.textStart() < end:
                lo, hi = line.textStart(), line.textStart() + line.textLength()
                if hi > start:
                    x1, x2 = caret_x(line, max(start, lo)), caret_x(line, min(end, hi))
                    rect = QRectF(x1, line.y() + 1, x2 - x1, line.height() - 2)
                    rects.append(rect.adjusted(0.5, 0.5, -0.5, -0.5))
                if line.lineNumber() + 1 >= layout.lineCount():
                    break
                line = layout.lineAt(line.lineNumber() + 1)
            out.append((pen, rects))
        return out

    # -- tooltips ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            point = self.view.viewport().mapFrom(self.view, event.pos())
            if self.view.highlighter.span_at(self.view.position_at(point)) is None:
                sug = self.at_point(point)
                if sug is not None:
                    QToolTip.showText(event.globalPos(), self.describe(sug), self.view)
                    return True
        return False

"""A ring in the highlight colour round the pane that has the keyboard focus.

The Fusion style shows focus on line edits and buttons, but not on the window's big panes (the
text, the document list, the label palette, the span list): after a click a person cannot see
where their keys will go. ``FocusRing`` follows the application's focus and draws a 2-pixel
ring round whichever of the given widgets has it. It is a child of the window laid over the
pane, transparent to the mouse, painting only the ring; it follows the pane (and the docks
around it) as they move and resize. Its mask is the ring's band: a repaint inside the pane (a
label key's paragraph, a switch's scroll bar) never paints the ring, nor what lies under it.
A pane deleted before the ring (as a window is torn down) is let go of without being touched.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen, QRegion
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

WIDTH = 2
BAND = WIDTH + 1  # the mask's band: the ring's rounded corners reach a pixel further in
FOLLOWED = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)


class FocusRing(QWidget):
    """See the module docstring; ``watch`` names the widgets that get a ring."""

    def __init__(self, window: QWidget, watch: Iterable[QWidget]) -> None:
        super().__init__(window)
        self.setObjectName("focus_ring")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        self.window_ = window
        self.watched = list(watch)
        self.target: QWidget | None = None
        self._followed: list[QWidget] = []
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    def watch(self, *widgets: QWidget) -> None:
        """Ring these widgets too (a page made later, such as the review page)."""
        self.watched += [w for w in widgets if w not in self.watched]

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        target = None
        while new is not None and target is None:
            if new in self.watched:
                target = new
            new = new.parentWidget()
        if target is self.target:
            return
        for widget in self._followed:
            if isValid(widget):  # a window torn down deletes its panes before its ring
                widget.removeEventFilter(self)
        self.target, self._followed = target, []
        node = target
        while node is not None and node is not self.window_:  # the pane and its docks
            node.installEventFilter(self)
            self._followed.append(node)
            node = node.parentWidget()
        self.place()

    def place(self) -> None:
        """Lay the ring round the pane with the focus (hidden when none has it)."""
        target = self.target
        if target is None or not isValid(target) or not target.isVisible():
            self.hide()
            return
        corner = target.mapTo(self.window_, QPoint(0, 0))
        rect = QRect(corner, target.size()).adjusted(-WIDTH, -WIDTH, WIDTH, WIDTH)
        self.setGeometry(rect)
        whole = QRect(0, 0, rect.width(), rect.height())
        inside = whole.adjusted(BAND, BAND, -BAND, -BAND)
        self.setMask(QRegion(whole).subtracted(QRegion(inside)))
        self.raise_()
        self.show()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in FOLLOWED:
            self.place()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = WIDTH / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 3, 3)
        painter.end()

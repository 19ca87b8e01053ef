"""Small icons drawn with QPainter: document statuses and label swatches (no image files).

Status icons differ in shape as well as colour (empty ring, half disc, tick, slashed ring),
so they read without colour and in both themes.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

STATUS_COLORS = {
    "todo": "#8a8f98",
    "in_progress": "#e0a100",
    "done": "#2e9d58",
    "skipped": "#8a8f98",
}
SIZE = 16


def _canvas() -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(SIZE * 2, SIZE * 2)  # drawn at 2x so it stays crisp on high-dpi screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


@cache
def status_icon(status: str) -> QIcon:
    """The icon of a document status: ``todo``, ``in_progress``, ``done`` or ``skipped``."""
    pixmap, painter = _canvas()
    color = QColor(STATUS_COLORS.get(status, "#8a8f98"))
    ring = QRectF(2.5, 2.5, SIZE - 5, SIZE - 5)
    painter.setPen(QPen(color, 1.6))
    if status == "done":
        painter.setBrush(color)
        painter.drawEllipse(ring)
        tick = QPainterPath(QPointF(5, 8.3))
        tick.lineTo(QPointF(7.2, 10.5))
        tick.lineTo(QPointF(11.2, 5.8))
        painter.setPen(QPen(QColor("white"), 1.8))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tick)
    elif status == "in_progress":
        painter.drawEllipse(ring)
        half = QPainterPath()
        half.moveTo(ring.center())
        half.arcTo(ring, 90, 180)
        half.closeSubpath()
        painter.fillPath(half, color)
    elif status == "skipped":
        painter.drawEllipse(ring)
        painter.drawLine(QPointF(4.5, 11.5), QPointF(11.5, 4.5))
    else:
        painter.drawEllipse(ring)
    painter.end()
    return QIcon(pixmap)


@cache
def swatch_icon(color: str) -> QIcon:
    """A rounded square of a label's colour."""
    pixmap, painter = _canvas()
    painter.setPen(QPen(QColor(color).darker(130), 1))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(QRectF(2.5, 2.5, SIZE - 5, SIZE - 5), 3, 3)
    painter.end()
    return QIcon(pixmap)

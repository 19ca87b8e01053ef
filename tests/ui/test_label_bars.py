"""The per-label bar chart prints every number beside the 1.0 grid line, never across it."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPalette
from pytestqt.qtbot import QtBot

from annotator.ui.review.agreement_plots import LabelBars

ROWS = [
    ("PERSON", (0.79, ""), (0.91, "")),
    ("AGENCY", (1.0, ""), (1.0, "")),
    ("PROGRAM", (None, "no spans"), (0.0, "")),
]


def test_numbers_never_cross_a_grid_line_or_a_bar(qtbot: QtBot) -> None:
    bars = LabelBars()
    qtbot.addWidget(bars)
    bars.set_values(ROWS, ("strict", "type"))
    bars.resize(bars.sizeHint())
    zero, one = bars.grid_x()
    for k in range(len(ROWS)):
        for n in range(2):
            rect = bars.caption_rect(k, n)
            assert rect.left() > one  # right of the 1.0 line, whatever the value
            assert rect.right() < bars.width()  # and inside the widget
    # as painted: the 1.0 line's column is free of text ink at every caption's height
    palette = bars.palette()
    palette.setColor(QPalette.ColorRole.Mid, QColor("#00ff00"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#ff0000"))
    bars.setPalette(palette)
    image = QImage(bars.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    bars.render(image)
    for k in range(len(ROWS)):
        rect: QRect = bars.caption_rect(k, 0)
        near = [
            image.pixelColor(x, y)
            for x in range(one - 3, one + 4)
            for y in range(rect.top(), rect.bottom())
        ]
        assert all(c.red() < 200 or c.green() > 100 for c in near)  # no red text there
    assert zero < one

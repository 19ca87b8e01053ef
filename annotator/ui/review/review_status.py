"""Small widgets every Review pane uses: the freshness line, a headline figure, the table style.

While a recount runs it shows a busy bar (the old numbers stay on screen); when one ends it
says "Updated hh:mm:ss" and how long the count took; when one fails, the one-line error in a
warning colour. A Reload button (the ``review.reload`` action, F5) sits at its end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTime
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement.intervals import Interval
from annotator.ui.review.agreement_models import DASH, interval_text, number, reason_text
from annotator.ui.review.review_data import ReviewData

if TYPE_CHECKING:
    from annotator.ui.review.team_data import TeamData


class StatusLine(QWidget):
    """Busy bar, freshness text, error text and the Reload button of one Review pane."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("review_busy")
        self.busy.setRange(0, 0)  # indeterminate
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(12)
        self.busy.hide()
        self.text = QLabel(self)
        self.text.setObjectName("review_updated")
        self.error = QLabel(self)
        self.error.setObjectName("review_error")
        self.error.setWordWrap(False)
        self.error.hide()
        self.reload = QToolButton(self)
        self.reload.setObjectName("review_reload")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.busy)
        layout.addWidget(self.text)
        layout.addWidget(self.error, 1)
        layout.addStretch()
        layout.addWidget(self.reload)
        self.data: ReviewData | TeamData | None = None
        self._updated_at: QTime | None = None
        self._seconds: float | None = None
        self._retranslate()

    def set_reload_action(self, action: QAction) -> None:
        """The button triggers ``action`` (Review > Reload) and shows its text."""
        self.reload.setDefaultAction(action)

    def attach(self, data: ReviewData | TeamData) -> None:
        """Follow ``data``'s recounts."""
        self.data = data
        data.started.connect(self._started)
        data.updated.connect(self._updated)
        data.failed.connect(self._failed)
        if data.busy:
            self._started()
        elif data.numbers is not None:
            self._updated()

    def _started(self) -> None:
        self.busy.show()
        self._retranslate()

    def _updated(self) -> None:
        self.busy.hide()  # a recount queued behind this one says ``started`` again
        self.error.hide()
        self._updated_at = QTime.currentTime()
        numbers = self.data.numbers if self.data is not None else None
        self._seconds = numbers.seconds if numbers is not None else None
        self._retranslate()

    def _failed(self, message: str) -> None:
        self.busy.hide()
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self.error.setStyleSheet(f"color: {'#ff8a80' if dark else '#b3261e'};")
        self.error.setText(self.tr("Could not count: %1").replace("%1", message))
        self.error.setToolTip(message)
        self.error.show()

    def _retranslate(self) -> None:
        if self._updated_at is not None:
            text = self.tr("Updated %1").replace("%1", self._updated_at.toString("HH:mm:ss"))
            if self._seconds is not None:
                text += " · " + self.tr("counted in %1 s").replace("%1", number(self._seconds, 1))
        elif self.data is not None and self.data.busy:
            text = self.tr("Counting the annotators' files…")
        else:
            text = self.tr("Not counted yet")
        self.text.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def table_view(parent: QWidget, name: str) -> QTableView:
    """A read-only, compact table as every Review pane uses."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()  # rows are named in their first column
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class Figure(QFrame):
    """One headline number: a caption, the value in large type, a note (or why it is "—")."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel(self)
        self.value = QLabel(DASH, self)
        self.value.setObjectName(f"{name}_value")
        font = self.value.font()
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.interval = QLabel(self)  # the 95% interval beside the figure (decision 0072)
        self.interval.setObjectName(f"{name}_ci")
        self.interval.hide()
        self.note = QLabel(self)
        self.note.setObjectName(f"{name}_note")
        self.note.setWordWrap(True)
        self.lines = QVBoxLayout(self)
        self.lines.setContentsMargins(8, 6, 8, 6)
        self.lines.setSpacing(2)
        self.lines.addWidget(self.caption)
        self.lines.addWidget(self.value)
        self.lines.addWidget(self.interval)
        self.lines.addWidget(self.note)
        self.setMinimumWidth(170)

    def show_value(self, value: float | None, note: str, reason: str | None = None) -> None:
        """``value`` (or "—" with ``reason`` as note and tooltip) and a note under it."""
        self.value.setText(number(value))
        why = reason_text(reason) if value is None else ""
        self.value.setToolTip(why)
        self.note.setText(why if value is None and why else note)

    def show_interval(self, interval: Interval | None) -> None:
        """The figure's 95% interval under it, or "too few documents" (hidden when none)."""
        text, tip = interval_text(interval)
        shown = bool(text) and text != DASH
        if text.startswith("["):
            text = self.tr("95% CI %1").replace("%1", text)
        self.interval.setText(text if shown else "")
        self.interval.setToolTip(tip)
        self.interval.setVisible(shown)

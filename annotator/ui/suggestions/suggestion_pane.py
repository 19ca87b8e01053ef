"""The Suggestions pane: how many are left on the document, where they come from, and how good
the project's model is (held-out precision, recall and F1 per label), with Accept all and
Train model buttons.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.suggest.model import ModelInfo


def figure(value: object) -> str:
    """A held-out figure as shown: two decimals, or a dash when undefined."""
    return f"{value:.2f}" if isinstance(value, int | float) else "n/a"


class SuggestionPane(QWidget):
    """See the module docstring. ``show_*`` methods are called by the suggestions controller."""

    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestion_pane")
        self._count = 0
        self._mode_text = ""
        self._info: ModelInfo | None = None
        self._note = ""
        self.count_label = QLabel(self)
        self.count_label.setObjectName("suggestion_pane_count")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        self.source_label = QLabel(self)
        self.source_label.setObjectName("suggestion_pane_source")
        self.source_label.setWordWrap(True)
        self.model_label = QLabel(self)
        self.model_label.setObjectName("model_summary")
        self.model_label.setWordWrap(True)
        self.model_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("model_per_label")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QHBoxLayout()
        for action in actions:
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setObjectName(f"button.{action.objectName()}")
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.source_label)
        layout.addLayout(buttons)
        layout.addWidget(self.model_label)
        layout.addWidget(self.table, 1)
        self.retranslate()

    # -- what is shown -------------------------------------------------------------------

    def show_count(self, count: int, pending: bool = False) -> None:
        """How many suggestions are left on the open document."""
        self._count = -1 if pending else count
        self._show_count()

    def show_source(self, text: str) -> None:
        """Where suggestions come from (already translated)."""
        self._mode_text = text
        self.source_label.setText(text)

    def show_model(self, info: ModelInfo | None, note: str = "") -> None:
        """The current model's held-out figures (None: no model yet); ``note`` says why."""
        self._info = info
        self._note = note
        self._show_model()

    # -- texts ---------------------------------------------------------------------------

    def _show_count(self) -> None:
        if self._count < 0:
            self.count_label.setText(self.tr("Finding suggestions…"))
        else:
            self.count_label.setText(self.tr("%n suggestion(s) left", "", self._count))

    def _show_model(self) -> None:
        info = self._info
        if info is None:
            text = self.tr("No model trained yet: Review ▸ Train suggestion model.")
            self.model_label.setText(f"{text}\n{self._note}" if self._note else text)
            self.table.setRowCount(0)
            return
        text = (
            self.tr("Model: F1 %1 (precision %2, recall %3) on %4 held-out documents")
            .replace("%1", figure(info.f1))
            .replace("%2", figure(info.precision))
            .replace("%3", figure(info.recall))
            .replace("%4", str(info.held_out))
        )
        detail = (
            self.tr("Trained on %1 documents (%2), %3.")
            .replace("%1", str(info.documents))
            .replace("%2", info.source)
            .replace("%3", info.trained_at.replace("T", " ").rstrip("Z"))
        )
        lines = [text, detail] + ([self._note] if self._note else [])
        self.model_label.setText("\n".join(lines))
        rows = [(name, info.per_label[name]) for name in info.labels if name in info.per_label]
        self.table.setRowCount(len(rows))
        for r, (name, figures) in enumerate(rows):
            values = [
                name,
                figure(figures.get("precision")),
                figure(figures.get("recall")),
                figure(figures.get("f1")),
                str(figures.get("support", "")),
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)

    def retranslate(self) -> None:
        """Every text in the current language."""
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Label"),
                self.tr("Precision"),
                self.tr("Recall"),
                self.tr("F1"),
                self.tr("Held out"),
            ]
        )
        self._show_count()
        self._show_model()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

"""Review > Annotators against gold: each annotator's precision, recall and F1 against gold.

Rows are annotators; after the overall group come precision, recall and F1 per label, with
the weakest value of each column marked, so a lead sees who needs guidance on what. Gold is
the reference (docs/agreement.md 3.4): it is never a rater, and this is accuracy, not agreement.
Until gold has a submitted document the view says so and how to make one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from annotator.core.agreement.spans import Scheme
from annotator.ui.review.agreement_models import SCHEME_NAMES, GoldTableModel, translated
from annotator.ui.review.review_data import ReviewData
from annotator.ui.review.review_status import StatusLine, table_view


class GoldView(QWidget):
    """See the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gold_view")
        self.data: ReviewData | None = None
        self.status = StatusLine(self)
        self.scheme_box = QComboBox(self)
        self.scheme_box.setObjectName("gold_scheme")
        for scheme in ("strict", "type"):
            self.scheme_box.addItem("", scheme)
        self.scheme_label = QLabel(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.empty = QLabel(self)
        self.empty.setObjectName("gold_empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.model = GoldTableModel(self)
        self.table = table_view(self, "gold_table")
        self.table.setModel(self.model)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        choose = QHBoxLayout()
        choose.addWidget(self.scheme_label)
        choose.addWidget(self.scheme_box)
        choose.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.status)
        layout.addLayout(choose)
        layout.addWidget(self.note)
        layout.addWidget(self.stack, 1)
        self.scheme_box.currentIndexChanged.connect(self._scheme_chosen)
        self.retranslate()

    def attach(self, data: ReviewData) -> None:
        """Show ``data``'s scores now and whenever they are recounted."""
        self.data = data
        self.status.attach(data)
        data.updated.connect(self.show_numbers)
        self.show_numbers()

    @property
    def has_gold(self) -> bool:
        """True when gold shares at least one submitted document with an annotator."""
        return any(s.documents for s in self.model.scores)

    def show_numbers(self) -> None:
        """Repaint from the data's latest scores."""
        data = self.data
        report = data.report if data is not None else None
        if data is None or report is None:
            self.model.set_scores([], ())
        else:
            self.model.set_scores(data.gold, report.labels)
        self._empty_text()
        self.stack.setCurrentIndex(1 if self.has_gold else 0)

    def _scheme_chosen(self) -> None:
        scheme: Scheme = self.scheme_box.currentData() or "strict"
        self.model.set_scheme(scheme)

    def _empty_text(self) -> None:
        if self.data is None or self.data.report is None:
            self.empty.setText(self.tr("Counting the annotators' files…"))
        else:
            self.empty.setText(
                self.tr(
                    "No gold yet. Adjudicate documents (Review > Adjudicate) to build the gold "
                    "set; each annotator's precision, recall and F1 against it then appear here."
                )
            )

    def retranslate(self) -> None:
        """Every text in the current language."""
        self.scheme_label.setText(self.tr("Matches count as:"))
        for i in range(self.scheme_box.count()):
            self.scheme_box.setItemText(
                i, translated(SCHEME_NAMES[str(self.scheme_box.itemData(i))])
            )
        self.note.setText(
            self.tr(
                "Gold is the reference: precision is the share of the annotator's spans that "
                "gold has, recall the share of gold's spans the annotator found. The lowest "
                "value of each column is marked."
            )
        )
        self._empty_text()
        self.model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

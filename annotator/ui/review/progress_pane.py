"""Review > Progress: per annotator, what is assigned and how far they are, kept live.

The same table as ``annotator progress`` (decision 0071): assigned, done, skipped, in
progress, not started, hours, documents per hour, last activity, and of their overlap
documents how many every annotator assigned has finished; under it the overlap of the whole
project and each pair's shared documents. ``TeamData`` counts in the background and recounts
when annotators' files change, so the pane follows the team as it works.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QLocale, QObject, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from annotator.core.progress import AnnotatorProgress, PairProgress, Progress
from annotator.ui.review.agreement_models import DASH, _Table, count, number, pair_name
from annotator.ui.review.review_status import StatusLine, table_view
from annotator.ui.review.team_data import TeamData


def when(seconds: float | None) -> str:
    """A POSIX time as the locale writes a short date and time; "—" for None."""
    if seconds is None:
        return DASH
    stamp = QDateTime.fromSecsSinceEpoch(int(seconds))
    return QLocale().toString(stamp, QLocale.FormatType.ShortFormat)


class AnnotatorProgressModel(_Table):
    """One row per annotator."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows_: list[AnnotatorProgress] = []

    def set_progress(self, progress: Progress | None) -> None:
        """Show the annotators of ``progress``."""
        self.beginResetModel()
        self.rows_ = list(progress.annotators) if progress is not None else []
        self.endResetModel()

    def headers(self) -> list[tuple[str, str]]:
        return [
            (self.tr("Annotator"), ""),
            (self.tr("Assigned"), self.tr("Documents assigned to them")),
            (self.tr("Done"), ""),
            (self.tr("Skipped"), ""),
            (self.tr("In progress"), self.tr("Started, not yet done or skipped")),
            (self.tr("Not started"), ""),
            (self.tr("Hours"), self.tr("Time recorded on their assigned documents")),
            (self.tr("Docs / hour"), self.tr("Documents done per hour of recorded time")),
            (self.tr("Last activity"), self.tr("Their latest edit in the project")),
            (
                self.tr("Overlap done by all"),
                self.tr(
                    "Of their documents shared with others, how many every annotator "
                    "assigned has done: what agreement can be computed on"
                ),
            ),
        ]

    def rows(self) -> int:
        return len(self.rows_)

    def cell(self, row: int, column: int) -> tuple[str, Any, str]:
        r = self.rows_[row]
        if column == 0:
            tip = (
                self.tr("%1 documents they have records of are not assigned to them").replace(
                    "%1", count(r.outside_plan)
                )
                if r.outside_plan
                else ""
            )
            return r.name, r.name, tip
        counts = (r.assigned, r.done, r.skipped, r.in_progress, r.not_started)
        if 1 <= column <= 5:
            return count(counts[column - 1]), counts[column - 1], ""
        if column == 6:
            return number(r.hours, 1), r.hours, ""
        if column == 7:
            return number(r.per_hour, 1), r.per_hour, ""
        if column == 8:
            tip = datetime.fromtimestamp(r.last_activity).isoformat() if r.last_activity else ""
            return when(r.last_activity), r.last_activity, tip
        text = (
            self.tr("%1 of %2")
            .replace("%1", count(r.overlap_finished))
            .replace("%2", count(r.overlap))
            if r.overlap
            else DASH
        )
        return text, r.overlap_finished, ""


class PairProgressModel(_Table):
    """One row per pair sharing documents."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pairs: list[PairProgress] = []

    def set_progress(self, progress: Progress | None) -> None:
        """Show the pairs of ``progress``."""
        self.beginResetModel()
        self.pairs = list(progress.pairs) if progress is not None else []
        self.endResetModel()

    def headers(self) -> list[tuple[str, str]]:
        return [
            (self.tr("Pair"), ""),
            (self.tr("Shared"), self.tr("Documents assigned to both")),
            (self.tr("Done by both"), self.tr("Of those, documents both have done")),
        ]

    def rows(self) -> int:
        return len(self.pairs)

    def cell(self, row: int, column: int) -> tuple[str, Any, str]:
        p = self.pairs[row]
        if column == 0:
            return pair_name(p.a, p.b), pair_name(p.a, p.b), ""
        value = p.shared if column == 1 else p.finished
        return count(value), value, ""


class ProgressPane(QWidget):
    """See the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progress_pane")
        self.data: TeamData | None = None
        self.status = StatusLine(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("progress_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = AnnotatorProgressModel(self)
        self.table = table_view(self, "progress_table")
        self.table.setModel(self.model)
        self.pair_model = PairProgressModel(self)
        self.pair_table = table_view(self, "progress_pairs")
        self.pair_table.setModel(self.pair_model)
        self.warnings = QLabel(self)
        self.warnings.setObjectName("progress_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.status)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.pair_table, 1)
        layout.addWidget(self.warnings)
        self._show()

    def attach(self, data: TeamData) -> None:
        """Follow ``data``'s recounts."""
        self.data = data
        self.status.attach(data)
        data.updated.connect(self._show)
        self._show()

    @property
    def progress(self) -> Progress | None:
        """The figures shown (None before the first count)."""
        numbers = self.data.numbers if self.data is not None else None
        return numbers.progress if numbers is not None else None

    def _show(self) -> None:
        p = self.progress
        self.model.set_progress(p)
        self.pair_model.set_progress(p)
        self.pair_table.setVisible(bool(p is not None and p.pairs))
        if p is None:
            self.summary.setText(self.tr("Counting the annotators' files…"))
            self.warnings.hide()
            return
        plan = (
            self.tr("%1 documents, %2 assigned to nobody.")
            .replace("%1", count(p.documents))
            .replace("%2", count(p.unassigned))
            if p.planned
            else self.tr("%1 documents; no plan: everyone may annotate every document.").replace(
                "%1", count(p.documents)
            )
        )
        overlap = (
            self.tr(
                "Overlap: %1 documents with two or more annotators, %2 of them done by all; "
                "%3 documents done by two or more (agreement is computed on these)."
            )
            .replace("%1", count(p.overlap_documents))
            .replace("%2", count(p.overlap_finished))
            .replace("%3", count(p.comparable))
        )
        self.summary.setText(f"{plan} {overlap}")
        if p.warnings:
            self.warnings.setText("\n".join(p.warnings[:5]))
            self.warnings.setToolTip("\n".join(p.warnings[:20]))
            self.warnings.show()
        else:
            self.warnings.hide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.model.retranslate()
            self.pair_model.retranslate()
            self._show()
        super().changeEvent(event)

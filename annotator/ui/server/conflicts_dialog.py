"""File > Resolve conflicts…: a document the same person changed on two computers.

The server kept the version that reached it first and set the other aside (decision 0082);
nothing was dropped. This dialog lists those documents; for each it shows both versions side
by side (status, time and every span) and the person keeps one, or both merged where they do
not clash (``core.merge``; decision 0085). The choice is sent as a new edit on the server's
current version, and the document leaves the list.

Signals:
    resolved(str): the conflict of this document was settled (its id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.merge import Clash, merge_versions
from annotator.core.model import Annotation

if TYPE_CHECKING:
    from annotator.core.pg.rows import Conflict
    from annotator.core.pg.session import PgSession


def describe(ann: Annotation | None, untouched: str, status_names: dict[str, str]) -> str:
    """A version as lines a person can compare: status and time, then each span."""
    if ann is None:
        return untouched
    lines = [f"{status_names.get(ann.status, ann.status)} · {ann.seconds / 60:.1f} min", ""]
    lines += [f"{s.label:<8} {s.text}  ({s.start}-{s.end})" for s in ann.spans]
    return "\n".join(lines)


class ConflictsDialog(QDialog):
    """See the module docstring."""

    resolved = Signal(str)

    def __init__(self, session: PgSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflicts_dialog")
        self.setWindowTitle(self.tr("Resolve conflicts"))
        self.session = session
        self.conflicts: list[Conflict] = []
        self.merged: Annotation | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "You changed these documents on two computers. The server kept the version "
                "that reached it first; the other is kept aside, not lost. Choose what stays."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setObjectName("conflict_list")
        self.list.currentRowChanged.connect(self._show)
        layout.addWidget(self.list)
        grid = QGridLayout()
        self.theirs_view = QPlainTextEdit(self)
        self.theirs_view.setObjectName("conflict_theirs")
        self.mine_view = QPlainTextEdit(self)
        self.mine_view.setObjectName("conflict_mine")
        for column, (title, view) in enumerate(
            (
                (self.tr("On the server (saved first, elsewhere)"), self.theirs_view),
                (self.tr("From this computer (kept aside)"), self.mine_view),
            )
        ):
            view.setReadOnly(True)
            grid.addWidget(QLabel(title, self), 0, column)
            grid.addWidget(view, 1, column)
        layout.addLayout(grid, 1)
        self.reason = QLabel(self)
        self.reason.setObjectName("conflict_reason")
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        self.keep_theirs = QPushButton(self.tr("Keep the server's"), self)
        self.keep_theirs.setObjectName("keep_theirs")
        self.keep_mine = QPushButton(self.tr("Keep this computer's"), self)
        self.keep_mine.setObjectName("keep_mine")
        self.keep_both = QPushButton(self.tr("Keep both (merged)"), self)
        self.keep_both.setObjectName("keep_both")
        close = QPushButton(self.tr("Close"), self)
        close.setObjectName("close_conflicts")
        for button in (self.keep_theirs, self.keep_mine, self.keep_both):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.keep_theirs.clicked.connect(lambda: self._keep("theirs"))
        self.keep_mine.clicked.connect(lambda: self._keep("mine"))
        self.keep_both.clicked.connect(lambda: self._keep("both"))
        close.clicked.connect(self.accept)
        self.resize(900, 560)
        self.reload()

    def reload(self) -> None:
        """Read the conflicts from the server again."""
        try:
            self.conflicts = self.session.conflicts()
        except AnnotatorError as exc:
            self.conflicts = []
            self.reason.setText(str(exc).splitlines()[0])
        self.list.clear()
        docs = self.session.project.documents
        for conflict in self.conflicts:
            try:
                title = docs.title(conflict.doc_id)
            except (KeyError, AnnotatorError):
                title = conflict.doc_id
            item = QListWidgetItem(f"{title}  ({conflict.doc_id})")
            item.setData(Qt.ItemDataRole.UserRole, conflict.doc_id)
            self.list.addItem(item)
        if self.conflicts:
            self.list.setCurrentRow(0)
        else:
            self._show(-1)

    def _status_names(self) -> dict[str, str]:
        return {
            "in_progress": self.tr("in progress"),
            "done": self.tr("done"),
            "skipped": self.tr("skipped"),
        }

    def _show(self, row: int) -> None:
        has = 0 <= row < len(self.conflicts)
        for button in (self.keep_theirs, self.keep_mine, self.keep_both):
            button.setEnabled(has)
        if not has:
            self.theirs_view.clear()
            self.mine_view.clear()
            if self.list.count() == 0 and not self.reason.text():
                self.reason.setText(self.tr("No conflicts: every version is settled."))
            return
        conflict = self.conflicts[row]
        untouched = self.tr("(untouched)")
        names = self._status_names()
        self.theirs_view.setPlainText(describe(conflict.theirs, untouched, names))
        self.mine_view.setPlainText(describe(conflict.mine, untouched, names))
        merged = merge_versions(conflict.theirs, conflict.mine)
        if isinstance(merged, Clash):
            self.merged = None
            self.keep_both.setEnabled(False)
            self.reason.setText(
                self.tr("Both cannot be kept: %1. Keep one, then edit it.").replace(
                    "%1", str(merged)
                )
            )
        else:
            self.merged = merged
            self.reason.setText("")

    def _keep(self, which: str) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        conflict = self.conflicts[row]
        keep = {"theirs": conflict.theirs, "mine": conflict.mine, "both": self.merged}[which]
        try:
            self.session.resolve(conflict, keep)
        except AnnotatorError as exc:
            self.reason.setText(str(exc).splitlines()[0])
            return
        self.resolved.emit(conflict.doc_id)
        self.reload()

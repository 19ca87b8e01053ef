"""Review > Assign: ``annotator assign`` as a dialog, with a preview before anything is written.

The same choices as the command (the team, the overlap share, annotators per overlap
document, the seed, adding and removing people, reclaiming untouched work), defaulting, as
the command does, to the last run's (``core.team.assign_options``). Every change recomputes
the preview (``core.team.preview``: nothing is written) and shows the loads, the pairs, what
moves and the equivalent command line. Assign writes the plan through the store
(``core.team.assign``), which records that command line in the project's assign history.
Decision 0034 made File > Export the command line in a dialog; this is the same idea.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.assign import AssignOptions, Outcome, parse_duration
from annotator.core.assignments import read_team
from annotator.core.errors import AnnotatorError
from annotator.core.open import WithFolder
from annotator.core.pg import strip_password
from annotator.core.project import Project
from annotator.core.team import assign, assign_options, command_line, preview
from annotator.ui.review.agreement_models import count, pair_name

PREVIEW_DELAY_MS = 250


class AssignDialog(QDialog):
    """See the module docstring. ``outcome`` holds what was written after ``accept()``."""

    def __init__(self, project: WithFolder, lead: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assign_dialog")
        self.setWindowTitle(self.tr("Assign documents"))
        self.project = project
        self.lead = lead
        self.options: AssignOptions | None = None
        self.previewed: Outcome | None = None
        self.outcome: Outcome | None = None

        saved = read_team(project.root)
        plan = project.assignments()
        team = saved.annotators if saved is not None else ()
        if not team and plan is not None:
            team = tuple(sorted({n for e in plan.entries.values() for n in e.annotators}))
        self.team = QLineEdit(",".join(team), self)
        self.team.setObjectName("assign_team")
        self.team.setPlaceholderText(self.tr("ani,budi,citra"))
        self.overlap = QDoubleSpinBox(self)
        self.overlap.setObjectName("assign_overlap")
        self.overlap.setRange(0.0, 100.0)
        self.overlap.setDecimals(1)
        self.overlap.setSuffix(" %")
        self.overlap.setValue(100 * (saved.overlap if saved is not None else 0.1))
        self.per_doc = QSpinBox(self)
        self.per_doc.setObjectName("assign_per_doc")
        self.per_doc.setRange(1, 50)
        self.per_doc.setValue(saved.per_doc if saved is not None else 2)
        self.seed = QSpinBox(self)
        self.seed.setObjectName("assign_seed")
        self.seed.setRange(0, 2_000_000_000)
        self.seed.setValue(saved.seed if saved is not None else 0)
        self.add = QLineEdit(self)
        self.add.setObjectName("assign_add")
        self.remove = QLineEdit(self)
        self.remove.setObjectName("assign_remove")
        self.reclaim = QLineEdit(self)
        self.reclaim.setObjectName("assign_reclaim")
        self.reclaim.setPlaceholderText(self.tr("e.g. 7d or 36h; empty: reclaim nothing"))

        form = QFormLayout()
        form.addRow(self.tr("&Team (names, comma-separated):"), self.team)
        form.addRow(self.tr("&Overlap (share of new documents):"), self.overlap)
        form.addRow(self.tr("Annotators per &overlap document:"), self.per_doc)
        form.addRow(self.tr("&Seed:"), self.seed)
        form.addRow(self.tr("&Add to the team:"), self.add)
        form.addRow(self.tr("&Remove from the team:"), self.remove)
        form.addRow(self.tr("Re&claim work untouched for:"), self.reclaim)

        self.summary = QLabel(self)
        self.summary.setObjectName("assign_summary")
        self.summary.setWordWrap(True)
        self.loads = QTableWidget(0, 2, self)
        self.loads.setObjectName("assign_loads")
        self.loads.verticalHeader().hide()
        self.pairs = QTableWidget(0, 2, self)
        self.pairs.setObjectName("assign_pairs")
        self.pairs.verticalHeader().hide()
        self.command = QLineEdit(self)
        self.command.setObjectName("assign_command")
        self.command.setReadOnly(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.assign_button = QPushButton(self.tr("&Assign"), self)
        self.assign_button.setObjectName("assign_button")
        self.buttons.addButton(self.assign_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Preview (nothing is written until you press Assign):")))
        layout.addWidget(self.summary)
        tables = QFormLayout()
        tables.addRow(self.tr("Documents per annotator:"), self.loads)
        tables.addRow(self.tr("Documents per pair:"), self.pairs)
        layout.addLayout(tables)
        layout.addWidget(QLabel(self.tr("The same from the command line:"), self))
        layout.addWidget(self.command)
        layout.addWidget(self.buttons)

        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(PREVIEW_DELAY_MS)
        self._delay.timeout.connect(self.update_preview)
        for edit in (self.team, self.add, self.remove, self.reclaim):
            edit.textChanged.connect(self._delay.start)
        self.overlap.valueChanged.connect(self._delay.start)
        self.per_doc.valueChanged.connect(self._delay.start)
        self.seed.valueChanged.connect(self._delay.start)
        self.update_preview()

    def chosen(self) -> AssignOptions:
        """The options the fields say (AnnotatorError when they say nothing valid)."""
        reclaim = self.reclaim.text().strip()
        return assign_options(
            self.project.root,
            annotators=self.team.text().strip() or None,
            overlap=round(self.overlap.value() / 100, 4),
            per_doc=self.per_doc.value(),
            seed=self.seed.value(),
            add=self.add.text(),
            remove=self.remove.text(),
            reclaim_after=parse_duration(reclaim) if reclaim else None,
        )

    def update_preview(self) -> None:
        """Recompute what Assign would do (nothing is written)."""
        self._delay.stop()
        try:
            options = self.chosen()
            outcome = preview(self.project, options)
        except AnnotatorError as exc:
            self.options = self.previewed = None
            self.summary.setText(str(exc).splitlines()[0])
            self.command.clear()
            self.loads.setRowCount(0)
            self.pairs.setRowCount(0)
            self.assign_button.setEnabled(False)
            return
        self.options, self.previewed = options, outcome
        where = (
            self.project.root
            if isinstance(self.project, Project)
            else strip_password(self.project.location)
        )
        self.command.setText(command_line(where, options))
        self.summary.setText(self._summary(outcome))
        self._fill(self.loads, [(name, n) for name, n in outcome.load.items()])
        self._fill(self.pairs, [(pair_name(a, b), n) for (a, b), n in outcome.pairs.items()])
        self.loads.setHorizontalHeaderLabels([self.tr("Annotator"), self.tr("Documents")])
        self.pairs.setHorizontalHeaderLabels([self.tr("Pair"), self.tr("Shared")])
        self.assign_button.setEnabled(outcome.changed)

    def _summary(self, outcome: Outcome) -> str:
        new = len(outcome.new_documents)
        lines = []
        if new:
            lines.append(
                self.tr("%1 new documents: %2 to several annotators, %3 to one.")
                .replace("%1", count(new))
                .replace("%2", count(outcome.overlap_documents))
                .replace("%3", count(new - outcome.overlap_documents))
            )
        moved = Counter(m.reason for m in outcome.moves)
        for reason, n in sorted(moved.items()):
            text = {
                "added": self.tr("%1 places move to the newcomers."),
                "removed": self.tr("%1 places of the people removed move to others."),
                "reclaimed": self.tr("%1 untouched places are reclaimed."),
            }[reason]
            lines.append(text.replace("%1", count(n)))
        if not outcome.changed:
            lines.append(self.tr("Nothing to assign: every document has its annotators."))
        lines += outcome.warnings[:5]
        return "\n".join(lines)

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[str, int]]) -> None:
        table.setRowCount(len(rows))
        for i, (name, n) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(name))
            item = QTableWidgetItem(count(n))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(i, 1, item)
        table.resizeColumnsToContents()

    def accept(self) -> None:
        """Write the plan previewed (recomputed under the lock, on top of any other lead's)."""
        self.update_preview()
        if self.options is None:
            return
        try:
            self.outcome = assign(self.project, self.options, by=self.lead)
        except AnnotatorError as exc:
            self.summary.setText(str(exc).splitlines()[0])
            return
        super().accept()

"""Review mode's agreement dashboard (F6).

The dashboard shows the finished ``AgreementReport`` of the window's one ``ReviewData``: the
headline numbers (mean span F1 per scheme with the lowest and highest pair, Fleiss' kappa,
Krippendorff's alpha, the mean of the pairs' Cohen's kappa with observed agreement beside
it, which documents were compared and which were left out, and why), the pair heatmap with a
choice of scheme, per-label F1 bars for the mean over pairs or one pair, the label-confusion
table and the pairs table. It renders only: every number is computed off the GUI thread by
``ReviewData``, and a recount keeps the old numbers on screen until the new ones arrive. An
undefined value reads "—" with its reason beside it and in its tooltip, never 0.

``review_docks`` adds it to the window as a dock, on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import AgreementReport
from annotator.core.agreement.spans import SCHEMES, Scheme, mean
from annotator.ui.review.agreement_models import (
    DASH,
    SCHEME_NAMES,
    ConfusionModel,
    PairTableModel,
    count,
    interval_text,
    number,
    pair_name,
    reason_text,
    translated,
)
from annotator.ui.review.agreement_plots import Cell, HeatmapWidget, LabelBars
from annotator.ui.review.review_data import ReviewData
from annotator.ui.review.review_status import Figure, StatusLine, table_view

if TYPE_CHECKING:
    pass

NO_LABEL = "no spans with this label on either side"
MAX_LISTED = 20  # exclusions and warnings named in a tooltip; the rest are counted


class AgreementDashboard(QWidget):
    """See the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreement_dashboard")
        self.data: ReviewData | None = None
        self.report: AgreementReport | None = None
        self.status = StatusLine(self)
        self.placeholder = QLabel(self)
        self.placeholder.setObjectName("dashboard_placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)

        body = QWidget(self)
        # -- headline: span F1 per scheme -----------------------------------------------
        self.f1_grid = QGridLayout()
        self.f1_grid.setHorizontalSpacing(14)
        self.f1_heads: list[QLabel] = []
        self.f1_cells: dict[str, QLabel] = {}
        self.row_heads = [QLabel(body) for _ in range(4)]
        for r, head in enumerate(self.row_heads, 1):
            self.f1_grid.addWidget(head, r, 0)
        for c, scheme in enumerate(SCHEMES, 1):
            head = QLabel(body)
            head.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.f1_heads.append(head)
            self.f1_grid.addWidget(head, 0, c)
            for r, what in enumerate(("mean", "min", "max", "ci"), 1):
                cell = QLabel(DASH, body)
                cell.setObjectName(f"f1_{what}_{scheme}")
                cell.setAlignment(Qt.AlignmentFlag.AlignRight)
                if what == "mean":
                    font = cell.font()
                    font.setBold(True)
                    font.setPointSize(font.pointSize() + 3)
                    cell.setFont(font)
                self.f1_cells[f"{what}_{scheme}"] = cell
                self.f1_grid.addWidget(cell, r, c)
        self.f1_box = QGroupBox(body)
        self.f1_box.setLayout(self.f1_grid)
        # -- headline: token statistics and documents -------------------------------------
        self.figures = {name: Figure(name, body) for name in ("fleiss", "alpha", "kappa")}
        self.documents = Figure("documents", body)
        figures = QHBoxLayout()
        figures.addWidget(self.f1_box, 2)
        for figure in (*self.figures.values(), self.documents):
            figures.addWidget(figure, 1)
        self.observed = QLabel(body)
        self.observed.setObjectName("observed_value")
        self.figures["kappa"].lines.addWidget(self.observed)  # beside kappa, always
        self.warnings = QLabel(body)
        self.warnings.setObjectName("warnings_label")
        self.warnings.setWordWrap(True)
        # -- plots and tables ---------------------------------------------------------------
        self.scheme_box = QComboBox(body)
        self.scheme_box.setObjectName("heatmap_scheme")
        for key in (*SCHEMES, "kappa"):
            self.scheme_box.addItem("", key)
        self.heatmap = HeatmapWidget(body)
        self.heatmap.setObjectName("pair_heatmap")
        self.heat_box = QGroupBox(body)
        heat = QVBoxLayout(self.heat_box)
        heat.addWidget(self.scheme_box)
        heat.addWidget(self.heatmap, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        heat.addStretch()
        self.pair_box = QComboBox(body)
        self.pair_box.setObjectName("bars_pair")
        self.bars = LabelBars(body)
        self.bars.setObjectName("label_bars")
        self.bars_box = QGroupBox(body)
        bars = QVBoxLayout(self.bars_box)
        bars.addWidget(self.pair_box)
        bars.addWidget(self.bars, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        bars.addStretch()
        self.confusion_model = ConfusionModel(self)
        self.confusion = table_view(body, "confusion_table")
        self.confusion.setModel(self.confusion_model)
        self.confusion.verticalHeader().show()  # rows are labels
        self.confusion.setMinimumHeight(150)
        self.confusion_note = QLabel(body)
        self.confusion_note.setWordWrap(True)
        self.confusion_box = QGroupBox(body)
        conf = QVBoxLayout(self.confusion_box)
        conf.addWidget(self.confusion_note)
        conf.addWidget(self.confusion, 1)
        plots = QHBoxLayout()
        plots.addWidget(self.heat_box)
        plots.addWidget(self.bars_box)
        plots.addWidget(self.confusion_box, 1)
        self.pair_model = PairTableModel(self)
        self.pairs = table_view(body, "pair_table")
        self.pairs.setModel(self.pair_model)
        self.pairs.setMinimumHeight(110)
        self.pairs_box = QGroupBox(body)
        pairs = QVBoxLayout(self.pairs_box)
        pairs.addWidget(self.pairs)

        inner = QVBoxLayout(body)
        inner.addLayout(figures)
        inner.addWidget(self.warnings)
        inner.addLayout(plots)
        inner.addWidget(self.pairs_box, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.status)
        layout.addWidget(self.stack, 1)

        self.scheme_box.currentIndexChanged.connect(self._draw_heatmap)
        self.pair_box.currentIndexChanged.connect(self._draw_bars)
        self.heatmap.pair_clicked.connect(self.choose_pair)
        self.retranslate()

    # -- data ----------------------------------------------------------------------------

    def attach(self, data: ReviewData) -> None:
        """Show ``data``'s numbers now and whenever they are recounted."""
        self.data = data
        self.status.attach(data)
        data.updated.connect(self.show_numbers)
        if data.report is not None:
            self.show_numbers()
        else:
            self._placeholder()

    def show_numbers(self) -> None:
        """Repaint everything from the data's latest report."""
        report = self.data.report if self.data is not None else None
        self.report = report
        if report is None:
            self._placeholder()
            return
        self._headline(report)
        chosen = self.pair_box.currentData()
        self.pair_box.blockSignals(True)
        self.pair_box.clear()
        self.pair_box.addItem(self.tr("Mean over pairs"), None)
        for p in report.pairs:
            self.pair_box.addItem(pair_name(p.a, p.b), f"{p.a}\n{p.b}")
        at = self.pair_box.findData(chosen) if chosen is not None else 0
        self.pair_box.setCurrentIndex(max(at, 0))
        self.pair_box.blockSignals(False)
        self._draw_heatmap()
        self._draw_bars()
        self.confusion_model.set_report(report)
        self.pair_model.set_report(report)
        self.stack.setCurrentIndex(1)

    def choose_pair(self, a: str, b: str) -> None:
        """Show the per-label bars of the pair (a, b)."""
        at = self.pair_box.findData(f"{a}\n{b}")
        if at >= 0:
            self.pair_box.setCurrentIndex(at)

    def _placeholder(self) -> None:
        busy = self.data is not None and self.data.busy
        self.placeholder.setText(
            self.tr("Counting the annotators' files…")
            if busy or self.data is None
            else self.tr("No numbers yet: press F5 to count the annotators' files.")
        )
        self.stack.setCurrentIndex(0)

    def _headline(self, r: AgreementReport) -> None:
        why = r.reasons
        group = r.intervals
        for scheme in SCHEMES:
            text, tip = interval_text(group.span_f1.get(scheme) if group is not None else None)
            self.f1_cells[f"ci_{scheme}"].setText(text or DASH)
            self.f1_cells[f"ci_{scheme}"].setToolTip(tip)
            cell = self.f1_cells[f"mean_{scheme}"]
            cell.setText(number(r.span_f1[scheme]))
            cell.setToolTip(reason_text(why.get("span_f1")) if r.span_f1[scheme] is None else "")
            for what, extreme in (("min", r.span_f1_min[scheme]), ("max", r.span_f1_max[scheme])):
                cell = self.f1_cells[f"{what}_{scheme}"]
                if extreme is None:
                    cell.setText(DASH)
                    cell.setToolTip(reason_text(why.get("span_f1")))
                else:
                    cell.setText(f"{number(extreme.value)} ({pair_name(extreme.a, extreme.b)})")
                    cell.setToolTip("")
        self.figures["fleiss"].show_value(
            r.fleiss.value,
            self.tr("tokens of the documents every annotator submitted (%1)").replace(
                "%1", count(r.fleiss_documents)
            ),
            r.fleiss.reason,
        )
        self.figures["fleiss"].show_interval(group.fleiss if group is not None else None)
        self.figures["alpha"].show_value(
            r.alpha.value,
            self.tr("tokens of the documents two or more annotators submitted (%1)").replace(
                "%1", count(r.alpha_documents)
            ),
            r.alpha.reason,
        )
        self.figures["alpha"].show_interval(group.alpha if group is not None else None)
        self.figures["kappa"].show_value(
            r.light_kappa,
            self.tr("mean over pairs (Light's kappa)"),
            why.get("light_kappa"),
        )
        self.figures["kappa"].show_interval(group.light_kappa if group is not None else None)
        observed = mean(p.cohen.observed for p in r.pairs)
        self.observed.setText(
            self.tr("observed agreement %1").replace("%1", number(observed))
            if observed is not None
            else self.tr("observed agreement %1").replace("%1", DASH)
        )
        self.observed.setToolTip(
            self.tr("Share of tokens two annotators labelled alike, mean over pairs")
        )
        docs = self.documents
        docs.value.setText(
            self.tr("%1 of %2")
            .replace("%1", count(r.documents_compared))
            .replace("%2", count(r.documents_total))
        )
        docs.value.setToolTip("")
        left_out = r.documents_compared - r.fleiss_documents
        docs.note.setText(
            self.tr(
                "compared; %1 by one annotator only, %2 not by everyone (not in Fleiss), "
                "%3 excluded"
            )
            .replace("%1", count(r.single))
            .replace("%2", count(left_out))
            .replace("%3", count(len(r.excluded)))
        )
        listed = [f"{e.id}: {e.reason}" for e in r.excluded[:MAX_LISTED]]
        if len(r.excluded) > MAX_LISTED:
            listed.append(
                self.tr("… and %1 more").replace("%1", count(len(r.excluded) - MAX_LISTED))
            )
        docs.setToolTip("\n".join(listed))
        if r.warnings:
            self.warnings.setText(
                self.tr("%1 data warnings (spans left out); hover to read the first").replace(
                    "%1", count(len(r.warnings))
                )
            )
            self.warnings.setToolTip("\n".join(r.warnings[:MAX_LISTED]))
            self.warnings.show()
        else:
            self.warnings.hide()

    def _draw_heatmap(self) -> None:
        r = self.report
        if r is None:
            return
        key = self.scheme_box.currentData() or "strict"
        cells: dict[tuple[str, str], Cell] = {}
        for p in r.pairs:
            if key == "kappa":
                value, why = p.cohen.value, p.cohen.reason
                note = self.tr("%1 tokens").replace("%1", count(p.cohen.items))
            else:
                value, why = p.f1(cast(Scheme, key)), p.reason
                note = self.tr("%1 documents").replace("%1", count(p.documents))
            cells[(p.a, p.b)] = (value, reason_text(why) if value is None else note)
        self.heatmap.set_values(r.annotators, cells)

    def _draw_bars(self) -> None:
        r = self.report
        if r is None:
            return
        chosen = self.pair_box.currentData()
        pair = r.pair(*str(chosen).split("\n")) if chosen else None
        rows: list[tuple[str, Cell, Cell]] = []
        for label in r.labels:
            cells: list[Cell] = []
            for scheme in ("strict", "type"):
                if pair is not None:
                    value = pair.per_label[label][scheme].f1
                    why = pair.reason if not pair.documents else NO_LABEL
                else:
                    value = r.per_label[label][scheme]
                    why = NO_LABEL
                cells.append((value, reason_text(why) if value is None else ""))
            rows.append((label, cells[0], cells[1]))
        names = (translated(SCHEME_NAMES["strict"]), translated(SCHEME_NAMES["type"]))
        self.bars.set_values(rows, names)

    # -- language ------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text in the current language (numbers in its locale)."""
        self.f1_box.setTitle(self.tr("Span F1 (micro per pair, mean over pairs)"))
        for head, scheme in zip(self.f1_heads, SCHEMES, strict=True):
            head.setText(translated(SCHEME_NAMES[scheme]))
        tips = (
            self.tr("Mean over pairs"),
            self.tr("The pair that agrees least"),
            self.tr("The pair that agrees most"),
            self.tr("95% interval of the mean: bootstrap over documents"),
        )
        for head, text, tip in zip(
            self.row_heads,
            (self.tr("mean"), self.tr("lowest"), self.tr("highest"), self.tr("95% CI")),
            tips,
            strict=True,
        ):
            head.setText(text)
            head.setToolTip(tip)
        self.figures["fleiss"].caption.setText(self.tr("Fleiss' kappa"))
        self.figures["alpha"].caption.setText(self.tr("Krippendorff's alpha"))
        self.figures["kappa"].caption.setText(self.tr("Cohen's kappa"))
        self.documents.caption.setText(self.tr("Documents"))
        names: dict[str, str] = {
            "kappa": self.tr("Cohen's kappa (tokens)"),
            **{s: self.tr("%1 F1").replace("%1", translated(SCHEME_NAMES[s])) for s in SCHEMES},
        }
        for i in range(self.scheme_box.count()):
            self.scheme_box.setItemText(i, names[str(self.scheme_box.itemData(i))])
        self.heat_box.setTitle(self.tr("Pairs"))
        self.bars_box.setTitle(self.tr("F1 per label"))
        self.confusion_box.setTitle(self.tr("Label confusion"))
        self.confusion_note.setText(
            self.tr(
                "Spans with the same boundaries. Rows: the label the first annotator of "
                "each pair gave (alphabetical); columns: the second's."
            )
        )
        self.pairs_box.setTitle(self.tr("Every pair"))
        self.pair_model.retranslate()
        self.confusion_model.retranslate()
        if self.report is not None:
            self.show_numbers()
        else:
            self._placeholder()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

"""Item models of Review mode: the pairs table, the label-confusion table, accuracy against gold.

Thin adapters over a finished ``AgreementReport`` or list of ``GoldScores`` (nothing is
computed here but which cell is the weakest of its column). Each number cell answers
``VALUE_ROLE`` with the raw float (None when undefined) and shows it rounded in the user's
locale; an undefined value shows as "—" with its reason as the tooltip, never as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from annotator.core.agreement import AgreementReport, GoldScores, PairReport
from annotator.core.agreement.intervals import MIN_DOCUMENTS, NO_VALUE, Interval
from annotator.core.agreement.spans import Scheme
from annotator.ui.widgets.item_models import read_only_flags
from annotator.ui.window.i18n import QT_TRANSLATE_NOOP

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1  # the raw number (float, int or None)
WEAK_ROLE = Qt.ItemDataRole.UserRole + 2  # True on the lowest value of a column
DASH = "—"
CONTEXT = "review"
Index = QModelIndex | QPersistentModelIndex

# Why a value is undefined, as the core words it; listed so the catalogue translates them.
REASONS = (
    QT_TRANSLATE_NOOP("review", "no documents submitted by both"),
    QT_TRANSLATE_NOOP("review", "no spans on either side"),
    QT_TRANSLATE_NOOP("review", "fewer than two annotators"),
    QT_TRANSLATE_NOOP("review", "no pair has a score (no shared documents or no spans)"),
    QT_TRANSLATE_NOOP("review", "no pair has a Cohen's kappa"),
    QT_TRANSLATE_NOOP("review", "every token is O"),
    QT_TRANSLATE_NOOP("review", "every token has the same label"),
    QT_TRANSLATE_NOOP("review", "no tokens to compare"),
    QT_TRANSLATE_NOOP("review", "no tokens rated by every annotator"),
    QT_TRANSLATE_NOOP("review", "no token has values from two annotators"),
    QT_TRANSLATE_NOOP("review", "no document was submitted by every annotator"),
    QT_TRANSLATE_NOOP("review", "no document was submitted by two annotators"),
    QT_TRANSLATE_NOOP("review", "no spans with this label on either side"),
    QT_TRANSLATE_NOOP("review", "no spans on the annotator's side"),
    QT_TRANSLATE_NOOP("review", "no spans on gold's side"),
)
SCHEME_NAMES: dict[str, str] = {
    "strict": QT_TRANSLATE_NOOP("review", "strict"),
    "exact": QT_TRANSLATE_NOOP("review", "exact"),
    "type": QT_TRANSLATE_NOOP("review", "type"),
    "partial": QT_TRANSLATE_NOOP("review", "partial"),
}


def translated(text: str) -> str:
    """``text``, marked with QT_TRANSLATE_NOOP("review"), in the interface language."""
    return QCoreApplication.translate(CONTEXT, text)


def reason_text(reason: str | None) -> str:
    """A core reason for an undefined value, translated where the catalogue knows it."""
    return translated(reason) if reason else ""


def number(value: float | None, digits: int = 3) -> str:
    """``value`` rounded as the command line and the HTML report round it (Python's format,
    so 0.8125 reads 0.812 everywhere), with the locale's decimal mark; or "—"."""
    if value is None:
        return DASH
    return f"{value:.{digits}f}".replace(".", QLocale().decimalPoint())


def count(value: int) -> str:
    """An integer with the locale's group separators."""
    return QLocale().toString(int(value))


CI_TIP = QT_TRANSLATE_NOOP("review", "95% interval: bootstrap over %1 documents")
CI_TOO_FEW = QT_TRANSLATE_NOOP("review", "too few documents")
CI_TOO_FEW_TIP = QT_TRANSLATE_NOOP(
    "review", "%1 documents: too few for a 95% interval (at least %2)"
)
CI_NONE = QT_TRANSLATE_NOOP("review", "no interval")


def interval_text(interval: Interval | None) -> tuple[str, str]:
    """A figure's 95% interval as shown beside it, and the tooltip (decision 0072):
    ``[0.712, 0.903]``; "too few documents" when there are too few to bootstrap; "—" when the
    figure itself is undefined; "no interval" (the reason in the tooltip) otherwise."""
    if interval is None:
        return "", ""
    bounds = interval.bounds
    if bounds is not None:
        tip = translated(CI_TIP).replace("%1", count(interval.documents))
        return f"[{number(bounds[0])}, {number(bounds[1])}]", tip
    if interval.reason == NO_VALUE:
        return DASH, ""
    if interval.documents < MIN_DOCUMENTS:
        tip = translated(CI_TOO_FEW_TIP)
        tip = tip.replace("%1", count(interval.documents)).replace("%2", count(MIN_DOCUMENTS))
        return translated(CI_TOO_FEW), tip
    return translated(CI_NONE), interval.reason or ""


def pair_name(a: str, b: str) -> str:
    """How a pair is written everywhere in Review mode."""
    return f"{a} \u2013 {b}"  # an en dash


def blend(colour: QColor, over: QColor, strength: float) -> QColor:
    """``colour`` laid over ``over`` at ``strength`` (0-1): a tint that suits the theme."""
    s = min(max(strength, 0.0), 1.0)
    return QColor(
        round(over.red() + (colour.red() - over.red()) * s),
        round(over.green() + (colour.green() - over.green()) * s),
        round(over.blue() + (colour.blue() - over.blue()) * s),
    )


def base_colour() -> QColor:
    """The background of item views in the current theme."""
    return QGuiApplication.palette().color(QPalette.ColorRole.Base)


GOOD, BAD, WEAK = QColor("#1a9850"), QColor("#d73027"), QColor("#f46d43")


class _Table(QAbstractTableModel):
    """A read-only table: subclasses list their headers and answer ``cell``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def headers(self) -> list[tuple[str, str]]:  # (text, tooltip)
        raise NotImplementedError

    def rows(self) -> int:
        raise NotImplementedError

    def row_header(self, row: int) -> str | None:
        return None

    def cell(self, row: int, column: int) -> tuple[str, Any, str]:
        """(shown text, raw value, tooltip) of one cell."""
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.rows()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def flags(self, index: Index) -> Qt.ItemFlag:
        return read_only_flags(index)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            heads = self.headers()
            if not 0 <= section < len(heads):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return heads[section][0]
            if role == Qt.ItemDataRole.ToolTipRole:
                return heads[section][1] or None
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.rows():
            name = self.row_header(section)
            return name if name is not None else section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rows():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, column)[0]
        if role == VALUE_ROLE:
            return self.cell(row, column)[1]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.cell(row, column)[2] or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = not isinstance(self.cell(row, column)[1], str)
            side = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.cell(row, column)[0] == DASH:
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return self.extra(row, column, role)

    def extra(self, row: int, column: int, role: int) -> Any:
        """Roles a subclass adds (background, font)."""
        return None

    def retranslate(self) -> None:
        """Headers and cells in the current language and locale."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, self.columnCount() - 1))
        if self.rows() and self.columnCount():
            last = self.index(self.rows() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)


class PairTableModel(_Table):
    """One row per pair: documents, F1 per scheme, Cohen's kappa, observed agreement, tokens."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pairs: list[PairReport] = []

    def set_report(self, report: AgreementReport | None) -> None:
        """Show the pairs of ``report`` (None: no rows)."""
        self.beginResetModel()
        self.pairs = list(report.pairs) if report is not None else []
        self.endResetModel()

    def headers(self) -> list[tuple[str, str]]:
        return [
            (self.tr("Pair"), ""),
            (self.tr("Documents"), self.tr("Documents both annotators submitted")),
            (self.tr("Strict F1"), self.tr("Same start, end and label (the headline)")),
            (self.tr("Exact F1"), self.tr("Same start and end, label ignored")),
            (self.tr("Type F1"), self.tr("Overlapping, same label")),
            (self.tr("Partial F1"), self.tr("Same boundaries 1, overlapping 0.5, label ignored")),
            (self.tr("Cohen's kappa"), self.tr("Token-level Cohen's kappa, O included")),
            (self.tr("Observed agreement"), self.tr("Share of tokens with the same label (p_o)")),
            (self.tr("Tokens"), self.tr("Tokens compared")),
            (
                self.tr("Strict F1 95%"),
                self.tr("95% interval of the strict F1: bootstrap over documents"),
            ),
            (
                self.tr("Kappa 95%"),
                self.tr("95% interval of Cohen's kappa: bootstrap over documents"),
            ),
        ]

    def rows(self) -> int:
        return len(self.pairs)

    def cell(self, row: int, column: int) -> tuple[str, Any, str]:
        p = self.pairs[row]
        if column == 0:
            return pair_name(p.a, p.b), pair_name(p.a, p.b), ""
        if column == 1:
            return count(p.documents), p.documents, ""
        if 2 <= column <= 5:
            value = p.f1(("strict", "exact", "type", "partial")[column - 2])
            return number(value), value, reason_text(p.reason) if value is None else ""
        if column == 6:
            value = p.cohen.value
            return number(value), value, reason_text(p.cohen.reason) if value is None else ""
        if column == 7:
            value = p.cohen.observed
            why = reason_text(p.cohen.reason) if value is None else ""
            return number(value), value, why
        if column == 8:
            return count(p.cohen.items), p.cohen.items, ""
        interval = p.ci.get("strict" if column == 9 else "cohen_kappa")
        text, tip = interval_text(interval)
        bounds = interval.bounds if interval is not None else None
        return text, (str(bounds) if bounds is not None else text), tip


class ConfusionModel(_Table):
    """Label confusion over spans with the same boundaries, summed over pairs.

    Rows: the label the first annotator of each pair gave (alphabetical order); columns: the
    second's. The diagonal is agreement, tinted green; the rest is confusion, tinted red.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.labels: tuple[str, ...] = ()
        self.cells: dict[tuple[str, str], int] = {}
        self.top = 0

    def set_report(self, report: AgreementReport | None) -> None:
        """Show the confusion of ``report`` (None: empty)."""
        self.beginResetModel()
        if report is None:
            self.labels, self.cells = (), {}
        else:
            extra = sorted({x for cell in report.confusion for x in cell} - set(report.labels))
            self.labels = (*report.labels, *extra)
            self.cells = dict(report.confusion)
        self.top = max(self.cells.values(), default=0)
        self.endResetModel()

    def headers(self) -> list[tuple[str, str]]:
        return [(label, self.tr("Label given by the second annotator")) for label in self.labels]

    def rows(self) -> int:
        return len(self.labels)

    def row_header(self, row: int) -> str | None:
        return self.labels[row]

    def cell(self, row: int, column: int) -> tuple[str, Any, str]:
        a, b = self.labels[row], self.labels[column]
        n = self.cells.get((a, b), 0)
        tip = (
            self.tr("%1 spans: both said %2").replace("%1", count(n)).replace("%2", a)
            if a == b
            else self.tr("%1 spans: first said %2, second said %3")
            .replace("%1", count(n))
            .replace("%2", a)
            .replace("%3", b)
        )
        return count(n), n, tip

    def extra(self, row: int, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.BackgroundRole:
            return None
        a, b = self.labels[row], self.labels[column]
        n = self.cells.get((a, b), 0)
        if not n or not self.top:
            return None
        return blend(GOOD if a == b else BAD, base_colour(), 0.12 + 0.45 * n / self.top)


class GoldTableModel(_Table):
    """Each annotator against gold: precision, recall and F1 overall, then per label.

    Rows are annotators; after the overall group come three columns per label. The lowest
    value of each column (among two or more annotators, when they differ) is marked: a warm
    background, bold, ``WEAK_ROLE`` True and a tooltip saying so. That is who needs guidance,
    and on what.
    """

    MEASURES = ("precision", "recall", "f1")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scores: list[GoldScores] = []
        self.labels: tuple[str, ...] = ()
        self.scheme: Scheme = "strict"
        self.weak: set[tuple[int, int]] = set()

    def set_scores(self, scores: Sequence[GoldScores], labels: Sequence[str]) -> None:
        """Show ``scores`` with a column group per label of ``labels``."""
        self.beginResetModel()
        self.scores = list(scores)
        self.labels = tuple(labels)
        self._mark_weak()
        self.endResetModel()

    def set_scheme(self, scheme: Scheme) -> None:
        """Count matches as ``scheme`` (strict or type; per-label values exist for those)."""
        if scheme == self.scheme:
            return
        self.beginResetModel()
        self.scheme = scheme
        self._mark_weak()
        self.endResetModel()

    def headers(self) -> list[tuple[str, str]]:
        short = {"precision": self.tr("P"), "recall": self.tr("R"), "f1": self.tr("F1")}
        tips = {
            "precision": self.tr("Precision: share of the annotator's spans that gold has"),
            "recall": self.tr("Recall: share of gold's spans the annotator found"),
            "f1": self.tr("F1: harmonic mean of precision and recall"),
        }
        out = [
            (self.tr("Annotator"), ""),
            (self.tr("Documents"), self.tr("Documents gold and they submitted")),
        ]
        for group in (self.tr("Overall"), *self.labels):
            out += [(f"{group} {short[m]}", f"{group}: {tips[m]}") for m in self.MEASURES]
        return out

    def rows(self) -> int:
        return len(self.scores)

    def _value(self, row: int, column: int) -> tuple[float | None, str]:
        s = self.scores[row]
        group, measure = divmod(column - 2, 3)
        if group == 0:
            counts = s.counts[self.scheme]
            why_label = ""
        else:
            counts = s.per_label[self.labels[group - 1]][self.scheme]
            why_label = "no spans with this label on either side"
        value = getattr(counts, self.MEASURES[measure])
        if value is not None:
            return value, ""
        if not s.documents:
            return None, reason_text("no documents submitted by both")
        if measure == 0 and counts.n_b == 0 and counts.n_a:
            return None, reason_text("no spans on the annotator's side")
        if measure == 1 and counts.n_a == 0 and counts.n_b:
            return None, reason_text("no spans on gold's side")
        return None, reason_text(why_label or "no spans on either side")

    def cell(self, row: int, column: int) -> tuple[str, Any, str]:
        s = self.scores[row]
        if column == 0:
            return s.annotator, s.annotator, ""
        if column == 1:
            return count(s.documents), s.documents, ""
        value, why = self._value(row, column)
        if (row, column) in self.weak:
            group = (column - 2) // 3
            what = self.tr("all labels") if group == 0 else self.labels[group - 1]
            why = self.tr("The lowest in this column: %1 may need guidance on %2").replace(
                "%1", s.annotator
            )
            why = why.replace("%2", what)
        return number(value), value, why

    def extra(self, row: int, column: int, role: int) -> Any:
        if (row, column) not in self.weak:
            return None
        if role == WEAK_ROLE:
            return True
        if role == Qt.ItemDataRole.BackgroundRole:
            return blend(WEAK, base_colour(), 0.35)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _mark_weak(self) -> None:
        self.weak = set()
        if len(self.scores) < 2:
            return
        for column in range(2, 2 + 3 * (1 + len(self.labels))):
            values = [(self._value(r, column)[0], r) for r in range(len(self.scores))]
            known = [(v, r) for v, r in values if v is not None]
            if len(known) < 2 or min(known)[0] == max(known)[0]:
                continue
            low = min(known)[0]
            self.weak |= {(r, column) for v, r in known if v == low}

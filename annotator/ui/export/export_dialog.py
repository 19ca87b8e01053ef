"""File > Export: the command line's export choices in a dialog, run off the GUI thread.

The dialog builds the same ``ExportOptions`` that ``annotator export`` builds and calls the
same ``export_project`` in an ``ExportWorker`` thread; ``meta.json`` records the equivalent
``annotator export ...`` command, so an export made here can be made again from a shell. The
window's session is saved first so the latest edits are in the export. Cancel stops the core
at its next progress check; the core writes into a scratch folder and publishes only a whole
export (``meta.json`` last), so a cancelled or failed export leaves the folder as it was.
The last choices are remembered per project. The worker and the choices live in
``export_worker``.

Signals of ``ExportDialog``:
    export_finished(str): an export ended: ``succeeded``, ``failed`` or ``cancelled``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from annotator.core.errors import AnnotatorError
from annotator.core.export import (
    EXPORTERS,
    MERGED,
    SCHEMES,
    ExportOptions,
    ExportSummary,
    Misaligned,
    MisalignedSpan,
    canonical_command,
    parse_split,
)
from annotator.core.model import GOLD
from annotator.core.project import Project
from annotator.ui.export.export_worker import ExportChoices, ExportWorker

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

TAGGED = ("conll", "hf")  # the formats the tag scheme applies to


class ExportDialog(QDialog):
    """See the module docstring."""

    export_finished = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("export_dialog")
        self.window_ = window
        self.root = Path(window.work.project.root).resolve()
        self.worker: ExportWorker | None = None
        self.summary: ExportSummary | None = None

        self.format = QComboBox(self)
        self.format.setObjectName("export_format")
        for exporter in EXPORTERS.values():
            self.format.addItem(exporter.name, exporter.name)
            self.format.setItemData(
                self.format.count() - 1, exporter.description, Qt.ItemDataRole.ToolTipRole
            )
        self.source = QComboBox(self)
        self.source.setObjectName("export_source")
        self.out = QLineEdit(self)
        self.out.setObjectName("export_out")
        self.browse = QPushButton(self)
        self.browse.setObjectName("export_browse")
        self.split_on = QCheckBox(self)
        self.split_on.setObjectName("export_split_on")
        self.split = QLineEdit(self)
        self.split.setObjectName("export_split")
        self.split.setPlaceholderText("80,10,10")
        self.seed = QSpinBox(self)
        self.seed.setObjectName("export_seed")
        self.seed.setRange(0, 2_000_000_000)
        self.scheme = QComboBox(self)
        self.scheme.setObjectName("export_scheme")
        for scheme in SCHEMES:
            self.scheme.addItem(scheme.upper(), scheme)
        self.misaligned = QComboBox(self)
        self.misaligned.setObjectName("export_misaligned")
        for mode in Misaligned:
            self.misaligned.addItem(mode.value, mode.value)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("export_progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.message = QLabel(self)
        self.message.setObjectName("export_message")
        self.message.setWordWrap(True)
        self.summary_view = QPlainTextEdit(self)
        self.summary_view.setObjectName("export_summary")
        self.summary_view.setReadOnly(True)
        self.summary_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.summary_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.start = QPushButton(self)
        self.start.setObjectName("export_start")
        self.start.setDefault(True)
        self.cancel = QPushButton(self)
        self.cancel.setObjectName("export_cancel")

        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(self.browse)
        split_row = QHBoxLayout()
        split_row.addWidget(self.split_on)
        split_row.addWidget(self.split, 1)
        self.form = QFormLayout()
        self.captions: dict[str, QLabel] = {}
        for key, field in (
            ("format", self.format),
            ("source", self.source),
            ("out", out_row),
            ("split", split_row),
            ("seed", self.seed),
            ("scheme", self.scheme),
            ("misaligned", self.misaligned),
        ):
            caption = self.captions[key] = QLabel(self)
            self.form.addRow(caption, field)
        self.captions["format"].setBuddy(self.format)
        self.captions["source"].setBuddy(self.source)
        self.captions["out"].setBuddy(self.out)
        self.captions["split"].setBuddy(self.split_on)
        self.captions["seed"].setBuddy(self.seed)
        self.captions["scheme"].setBuddy(self.scheme)
        self.captions["misaligned"].setBuddy(self.misaligned)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start)
        buttons.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.summary_view, 1)
        layout.addLayout(buttons)

        self.browse.clicked.connect(self._browse)
        self.start.clicked.connect(self.start_export)
        self.cancel.clicked.connect(self._cancel_or_close)
        self.split_on.toggled.connect(self._update_enabled)
        self.format.currentIndexChanged.connect(self._update_enabled)
        self.refresh_sources()
        self.set_choices(ExportChoices.from_text(window.settings.export_choices(self.root)))
        self.retranslate()
        self.resize(720, 620)

    # -- choices -------------------------------------------------------------------------

    def refresh_sources(self) -> None:
        """List merged, gold (when it exists) and each annotator of the project."""
        names = Project.open(self.root).annotators(include_gold=True)
        current = self.source.currentData()
        self.source.clear()
        self.source.addItem(self._merged_text(), MERGED)
        if GOLD in names:
            self.source.addItem(GOLD, GOLD)
        for name in names:
            if name != GOLD:
                self.source.addItem(name, name)
        if current is not None:
            _select(self.source, str(current))

    def set_choices(self, choices: ExportChoices) -> None:
        """Show ``choices`` (a value the project no longer offers falls back to the first)."""
        _select(self.format, choices.format)
        _select(self.source, choices.source)
        self.out.setText(choices.out or str(self.root / "exports"))
        self.split_on.setChecked(choices.split_on)
        self.split.setText(choices.split)
        self.seed.setValue(max(0, choices.seed))
        _select(self.scheme, choices.scheme)
        _select(self.misaligned, choices.misaligned)
        self._update_enabled()

    def choices(self) -> ExportChoices:
        """What the widgets hold now."""
        return ExportChoices(
            format=str(self.format.currentData()),
            source=str(self.source.currentData()),
            out=self.out.text().strip(),
            split_on=self.split_on.isChecked(),
            split=self.split.text().strip(),
            seed=self.seed.value(),
            scheme=str(self.scheme.currentData()),
            misaligned=str(self.misaligned.currentData()),
        )

    def options(self) -> ExportOptions:
        """The core's options for the current choices; AnnotatorError if one is not valid."""
        c = self.choices()
        if not c.out:
            raise AnnotatorError(self.tr("Choose an output folder."))
        out = Path(c.out).expanduser()
        if not out.is_absolute():  # as typed in the window: relative to the project
            out = self.root / out
        options = ExportOptions(
            format=c.format,
            source=c.source,
            out=out,
            split=parse_split(c.split) if c.split_on else None,
            seed=c.seed,
            scheme="bilou" if c.scheme == "bilou" else "iob2",
            misaligned=Misaligned(c.misaligned),
        )
        return replace(options, command=canonical_command(self.root, options))

    def _update_enabled(self) -> None:
        idle = self.worker is None
        for widget in (self.format, self.source, self.out, self.browse, self.split_on,
                       self.misaligned):  # fmt: skip
            widget.setEnabled(idle)
        self.split.setEnabled(idle and self.split_on.isChecked())
        self.seed.setEnabled(idle and self.split_on.isChecked())
        self.scheme.setEnabled(idle and self.format.currentData() in TAGGED)
        self.start.setEnabled(idle)
        self._button_texts()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export folder"), self.out.text())
        if folder:
            self.out.setText(folder)

    # -- running -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True while an export is in progress."""
        return self.worker is not None

    def start_export(self) -> None:
        """Save the session, then export with the current choices in a worker thread."""
        if self.running:
            return
        self.summary = None
        self.summary_view.clear()
        try:
            options = self.options()
        except AnnotatorError as exc:
            self._show_error(str(exc))
            return
        self.window_.settings.set_export_choices(self.root, self.choices().to_text())
        if not self.window_.work.save():
            self._show_error(self.tr("Your latest edits could not be saved; nothing was exported."))
            return
        self._show_message(self.tr("Exporting…"))
        self.progress.setRange(0, 0)  # busy until the first figures arrive
        self.worker = worker = ExportWorker(self.root, options, self)
        worker.progressed.connect(self._progressed)
        worker.succeeded.connect(self._succeeded)
        worker.failed.connect(self._failed)
        worker.cancelled.connect(self._cancelled)
        worker.finished.connect(worker.deleteLater)
        self._update_enabled()
        worker.start()

    def cancel_export(self) -> None:
        """Ask the running export to stop (it stops between documents; nothing is written)."""
        if self.worker is not None:
            self.worker.cancel()
            self.cancel.setEnabled(False)
            self._show_message(self.tr("Cancelling…"))

    def shutdown(self) -> None:
        """Cancel a running export and wait for its thread (the window is closing)."""
        worker = self.worker
        if worker is not None:
            worker.cancel()
            worker.wait()

    def _progressed(self, phase: str, done: int, total: int) -> None:
        texts = {"reading": self.tr("Reading annotations: %v / %m documents")}
        self.progress.setFormat(texts.get(phase, self.tr("Writing files: %v / %m documents")))
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _succeeded(self, summary: ExportSummary) -> None:
        self.summary = summary
        self.summary_view.setPlainText("\n".join(summary.lines()))
        self.progress.setFormat("%p%")
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self._show_message(
            (
                self.tr("Exported 1 document to %2.")
                if summary.documents == 1
                else self.tr("Exported %1 documents to %2.")
            )
            .replace("%1", f"{summary.documents:,}")
            .replace("%2", summary.out)
        )
        self._done("succeeded")

    def _failed(self, message: str, refused: list[MisalignedSpan]) -> None:
        if refused:
            first = refused[0].where()
            message = (
                (
                    self.tr(
                        "Export refused: a span is not on token boundaries: %2. "
                        "Nothing was written; fix it, or choose widen or drop."
                    )
                    if len(refused) == 1
                    else self.tr(
                        "Export refused: %1 spans are not on token boundaries, first %2. "
                        "Nothing was written; fix them, or choose widen or drop."
                    )
                )
                .replace("%1", str(len(refused)))
                .replace("%2", first)
            )
            self.summary_view.setPlainText("\n".join(s.describe() for s in refused))
        else:
            message = self.tr("Export failed: %1").replace("%1", message)
        self._reset_progress()
        self._show_error(message)
        self._done("failed")

    def _cancelled(self) -> None:
        self._reset_progress()
        self._show_message(self.tr("Export cancelled; nothing was written."))
        self._done("cancelled")

    def _done(self, outcome: str) -> None:
        self.worker = None
        self.cancel.setEnabled(True)
        self._update_enabled()
        self.refresh_sources()  # an annotator may have appeared (the user's own first save)
        self.export_finished.emit(outcome)

    def _reset_progress(self) -> None:
        self.progress.setFormat("%p%")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)

    def _show_message(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet("QLabel { color: #b00020; }")
        self.message.setText(" ".join(text.split()))  # one line, whatever the core said

    def _cancel_or_close(self) -> None:
        if self.running:
            self.cancel_export()
        else:
            self.reject()

    # -- texts and events ----------------------------------------------------------------

    def _button_texts(self) -> None:
        self.cancel.setText(self.tr("Cancel") if self.running else self.tr("Close"))

    def _merged_text(self) -> str:
        return self.tr("merged (gold, else majority)")

    def retranslate(self) -> None:
        """Re-read every text in the current language."""
        self.setWindowTitle(self.tr("Export training data"))
        captions = {
            "format": self.tr("&Format:"),
            "source": self.tr("S&ource:"),
            "out": self.tr("Output &folder:"),
            "split": self.tr("S&plit:"),
            "seed": self.tr("S&eed:"),
            "scheme": self.tr("&Tag scheme:"),
            "misaligned": self.tr("Spans off &token boundaries:"),
        }
        for key, text in captions.items():
            self.captions[key].setText(text)
        self.browse.setText(self.tr("&Browse…"))
        self.split_on.setText(self.tr("train, dev, test (%)"))
        self.source.setToolTip(
            self.tr(
                "Only done annotations are exported. Merged: gold where it exists, else the "
                "spans a strict majority of the annotators who submitted the document agree on."
            )
        )
        self.split.setToolTip(self.tr("Shares by document, such as 80,10,10 or 80,20"))
        self.seed.setToolTip(self.tr("The same seed always gives the same split"))
        self.scheme.setToolTip(self.tr("Tags of the CoNLL and Hugging Face formats"))
        merged = self.source.findData(MERGED)
        if merged >= 0:
            self.source.setItemText(merged, self._merged_text())
        modes = {
            Misaligned.WIDEN.value: self.tr("widen to whole tokens"),
            Misaligned.DROP.value: self.tr("drop (and list)"),
            Misaligned.REFUSE.value: self.tr("refuse the export"),
        }
        for i in range(self.misaligned.count()):
            self.misaligned.setItemText(i, modes[str(self.misaligned.itemData(i))])
        self.start.setText(self.tr("&Export"))
        self._button_texts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def reject(self) -> None:
        """Close; a running export is cancelled first (and its thread waited for)."""
        self.shutdown()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def _select(combo: QComboBox, value: str) -> None:
    i = combo.findData(value)
    combo.setCurrentIndex(i if i >= 0 else 0)

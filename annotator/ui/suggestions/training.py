"""Training the project's suggestion model from the window: a worker thread and its progress.

``core.suggest.train`` runs in a ``QThread`` so the window stays usable; its progress reaches
a non-modal progress dialog through a queued signal, and Cancel sets the flag ``train``
checks between batches (``should_stop``), which leaves the previous model in place. The run
reads a project of its own (``core.reading``, decision 0063), never the window's.

Signals of ``TrainingRun``:
    progressed(float, str): fraction done (0..1) and the trainer's message.
    finished(object, str): the TrainResult (None on error) and the error message ("" if none).
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.open import WithFolder, reading_location
from annotator.core.reading import ProjectReader

if TYPE_CHECKING:
    from annotator.core.suggest import TrainResult

STEPS = 1000


def spacy_installed() -> bool:
    """True when the optional spaCy extra can be imported."""
    try:
        return importlib.util.find_spec("spacy") is not None
    except (ImportError, ValueError):
        return False


class _Trainer(QObject):
    """Runs ``train`` in the worker thread."""

    progressed = Signal(float, str)
    finished = Signal(object, str)

    def __init__(self, root: Path | str, stop: threading.Event) -> None:
        super().__init__()
        self.reader = ProjectReader(root)
        self.stop = stop

    @Slot()
    def run(self) -> None:
        result: TrainResult | None = None
        error = ""
        try:
            from annotator.core.suggest.training import train  # spaCy's code: on first use

            result = train(self.reader.project(), self.progressed.emit, self.stop.is_set)
        except AnnotatorError as exc:
            error = str(exc)
        except Exception as exc:  # a failed run must still end the thread and say why
            error = f"{type(exc).__name__}: {exc}"
        self.finished.emit(result, error)


class TrainingRun(QObject):
    """One training run with its progress dialog; see the module docstring."""

    progressed = Signal(float, str)
    finished = Signal(object, str)

    def __init__(self, project: WithFolder, parent: QWidget) -> None:
        super().__init__(parent)
        self.stop = threading.Event()
        self.result: TrainResult | None = None
        self.error = ""
        self.running = False
        self._thread = QThread(self)
        self._thread.setObjectName("training_thread")
        self._trainer = _Trainer(reading_location(project), self.stop)
        self._trainer.moveToThread(self._thread)
        self._thread.started.connect(self._trainer.run)
        self._trainer.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self._trainer.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.dialog = QProgressDialog(parent)
        self.dialog.setObjectName("training_dialog")
        self.dialog.setWindowTitle(self.tr("Train suggestion model"))
        self.dialog.setLabelText(self.tr("Starting…"))
        self.dialog.setCancelButtonText(self.tr("Cancel"))
        self.dialog.setRange(0, STEPS)
        self.dialog.setWindowModality(Qt.WindowModality.NonModal)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(0)
        self.dialog.canceled.connect(self.cancel)

    def start(self) -> None:
        """Begin training; the dialog shows at once."""
        self.running = True
        self.dialog.setValue(0)
        self.dialog.show()
        self._thread.start()

    def cancel(self) -> None:
        """Stop after the current batch; the previous model stays."""
        if self.running and not self.stop.is_set():
            self.stop.set()
            self.dialog.setLabelText(self.tr("Cancelling…"))

    def wait(self) -> None:
        """Cancel and wait for the thread (the window is closing)."""
        self.stop.set()
        self._thread.quit()
        self._thread.wait()

    def _progressed(self, fraction: float, message: str) -> None:
        if not self.stop.is_set():
            self.dialog.setLabelText(message)
        self.dialog.setValue(max(0, min(STEPS, round(fraction * STEPS))))
        self.progressed.emit(fraction, message)

    def _finished(self, result: TrainResult | None, error: str) -> None:
        self.running = False
        self.result, self.error = result, error
        self._thread.quit()
        self._thread.wait()
        self.dialog.hide()
        self.finished.emit(result, error)

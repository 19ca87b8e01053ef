"""The export dialog's model: its remembered choices, and the thread that runs the export.

``ExportWorker`` calls the same ``export_project`` as ``annotator export``, on a project of
its own (``core.reading``, decision 0063), and reports through signals; ``cancel()`` is
answered at the core's next progress check, between documents.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.export import (
    DEFAULT_SOURCE,
    EXPORTERS,
    ExportCancelled,
    ExportOptions,
    Misaligned,
    MisalignedError,
    export_project,
)
from annotator.core.reading import ProjectReader


@dataclass(frozen=True)
class ExportChoices:
    """What the dialog shows and remembers per project (``out`` empty: the project's exports/)."""

    format: str = next(iter(EXPORTERS))
    source: str = DEFAULT_SOURCE
    out: str = ""
    split_on: bool = False
    split: str = "80,10,10"
    seed: int = 0
    scheme: str = "iob2"
    misaligned: str = Misaligned.WIDEN.value

    def to_text(self) -> str:
        """JSON, as stored in settings."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_text(cls, text: str | None) -> ExportChoices:
        """Parse stored choices; anything missing or of the wrong type keeps its default."""
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        default = cls()
        kept: dict[str, Any] = {}
        for f in fields(cls):
            value = data.get(f.name)
            if isinstance(value, type(getattr(default, f.name))):
                kept[f.name] = value
        return replace(default, **kept)


class ExportWorker(QThread):
    """Runs one ``export_project`` call in its own thread, on a project opened for it.

    Signals:
        progressed(str, int, int): phase (``reading``, ``writing``), documents done, total.
        succeeded(object): the ``ExportSummary``.
        failed(str, object): a one-line message and the refused ``MisalignedSpan`` list.
        cancelled(): stopped by ``cancel()``; nothing was written.
    """

    progressed = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(str, object)
    cancelled = Signal()

    def __init__(self, root: Path, options: ExportOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self.options = options
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Stop at the core's next progress check (it checks between documents)."""
        self._stop.set()

    def _progress(self, phase: str, done: int, total: int) -> bool:
        self.progressed.emit(phase, done, total)
        return not self._stop.is_set()

    def run(self) -> None:
        try:
            project = ProjectReader(self.root).project()
            summary = export_project(project, self.options, self._progress)
        except ExportCancelled:
            self.cancelled.emit()
        except MisalignedError as exc:
            self.failed.emit(str(exc), exc.spans)
        except AnnotatorError as exc:
            self.failed.emit(str(exc), [])
        except Exception as exc:  # a worker must report every failure, never die silently
            self.failed.emit(f"{type(exc).__name__}: {exc}", [])
        else:
            self.succeeded.emit(summary)

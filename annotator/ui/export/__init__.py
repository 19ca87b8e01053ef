"""File > Export: the dialog and the worker thread that runs the export.

``install`` binds the action only: the dialog, and the export formats behind it, are imported
when File > Export is first chosen, not while the window starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.ui.export.export_dialog import ExportDialog
    from annotator.ui.window.main_window import MainWindow


def install(window: MainWindow) -> None:
    """Enable File > Export in ``window``: one dialog, made on first use and kept while the
    window lives."""
    dialogs: list[ExportDialog] = []

    def show() -> None:
        if not dialogs:
            from annotator.ui.export.export_dialog import ExportDialog

            dialogs.append(ExportDialog(window))
        dialog = dialogs[0]
        if not dialog.running:
            dialog.refresh_sources()
        dialog.open()
        dialog.raise_()
        dialog.activateWindow()

    def shutdown() -> None:
        for dialog in dialogs:
            dialog.shutdown()

    window.registry["file.export"].setEnabled(True)
    window.registry.bind("file.export", show)
    window.closed.connect(shutdown)

"""Warning boxes that tell without stopping the work.

A box is window-modal and opened with ``open`` (the event loop goes on: saving, sending and
the listener keep running), and deleted once closed: a window open all day that failed to
save or send a hundred times holds no hundred hidden boxes. Tests find a box by its object
name, and only the open one is there to find.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def open_warning(parent: QWidget, title: str, text: str, name: str) -> QMessageBox:
    """Open a warning box named ``name`` over ``parent``; it is deleted once closed."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box

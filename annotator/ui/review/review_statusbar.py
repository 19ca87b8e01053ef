"""The window's status bar while reviewing: one line about the review instead of the
annotating view's (the document's status, the suggestions left, the caret's position).

On entering review the annotating view's labels in the status bar are hidden and this line
shown; on leaving, exactly the labels that were visible come back.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QWidget


class ReviewStatusBar:
    """See the module docstring."""

    def __init__(self, window: QMainWindow) -> None:
        self.bar = window.statusBar()
        self.label = QLabel(window)
        self.label.setObjectName("review_status_label")
        self.bar.addPermanentWidget(self.label)
        self.label.hide()
        self._hidden: list[QWidget] = []

    def enter(self) -> None:
        """Hide the annotating view's labels, show the review's line."""
        self._hidden = [
            widget
            for widget in self.bar.findChildren(QLabel)
            if widget is not self.label
            and widget.parent() is self.bar
            and widget.isVisibleTo(self.bar)
        ]
        for widget in self._hidden:
            widget.hide()
        self.bar.clearMessage()
        self.label.show()

    def leave(self) -> None:
        """The annotating view's labels again."""
        self.label.hide()
        for widget in self._hidden:
            widget.show()
        self._hidden = []

    def show(self, text: str) -> None:
        """The review's line."""
        self.label.setText(text)

"""The window: Qt widgets, item models and undo commands; the only place PySide6 lives."""

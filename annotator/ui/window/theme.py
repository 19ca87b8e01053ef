"""Light and dark themes: the Fusion style with a palette of our own, and span tints.

Fusion looks the same on every desktop and honours a palette fully, so one palette per theme
gives a dark mode that does not depend on the platform's style. "system" follows the
desktop's colour scheme where Qt reports it (Qt 6.5+), else light.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")
# span background = label colour laid over the text background at this strength
SPAN_ALPHA = {"light": 0.28, "dark": 0.42}


def resolve(theme: str) -> str:
    """``light`` or ``dark`` for a theme setting (``system`` asks the desktop)."""
    if theme in ("light", "dark"):
        return theme
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def palette(kind: str) -> QPalette:
    """The palette of ``light`` or ``dark``."""
    p = QPalette()
    if kind == "dark":
        colors = {
            QPalette.ColorRole.Window: "#2b2d31",
            QPalette.ColorRole.WindowText: "#e6e6e6",
            QPalette.ColorRole.Base: "#1e1f22",
            QPalette.ColorRole.AlternateBase: "#26282c",
            QPalette.ColorRole.Text: "#e6e6e6",
            QPalette.ColorRole.Button: "#33353a",
            QPalette.ColorRole.ButtonText: "#e6e6e6",
            QPalette.ColorRole.Highlight: "#3d6fb6",
            QPalette.ColorRole.HighlightedText: "#ffffff",
            QPalette.ColorRole.ToolTipBase: "#33353a",
            QPalette.ColorRole.ToolTipText: "#e6e6e6",
            QPalette.ColorRole.PlaceholderText: "#8a8f98",
            QPalette.ColorRole.Link: "#7aa7e8",
            QPalette.ColorRole.Mid: "#44474d",
            QPalette.ColorRole.Dark: "#17181a",
            QPalette.ColorRole.Light: "#4a4d53",
        }
    else:
        colors = {
            QPalette.ColorRole.Window: "#f3f3f5",
            QPalette.ColorRole.WindowText: "#1d1d1f",
            QPalette.ColorRole.Base: "#ffffff",
            QPalette.ColorRole.AlternateBase: "#f6f7f9",
            QPalette.ColorRole.Text: "#1d1d1f",
            QPalette.ColorRole.Button: "#eceef1",
            QPalette.ColorRole.ButtonText: "#1d1d1f",
            QPalette.ColorRole.Highlight: "#2f6fce",
            QPalette.ColorRole.HighlightedText: "#ffffff",
            QPalette.ColorRole.ToolTipBase: "#ffffe8",
            QPalette.ColorRole.ToolTipText: "#1d1d1f",
            QPalette.ColorRole.PlaceholderText: "#8a8f98",
            QPalette.ColorRole.Link: "#1f5fbf",
            QPalette.ColorRole.Mid: "#c8cbd0",
            QPalette.ColorRole.Dark: "#9da1a8",
            QPalette.ColorRole.Light: "#ffffff",
        }
    for role, value in colors.items():
        p.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8a8f98"))
    return p


def apply(app: QApplication, theme: str) -> str:
    """Apply ``theme`` to the whole application; returns ``light`` or ``dark``."""
    kind = resolve(theme)
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(palette(kind))
    return kind

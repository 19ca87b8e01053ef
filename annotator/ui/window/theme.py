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
STYLE = "Fusion"
# set on an application made in the Fusion style (``app.application``): asking the
# application its style makes Python's types of every QStyle enum, some 5 ms of a start
FUSION_MADE = "annotator_fusion"
# span background = label colour laid over the text background at this strength
SPAN_ALPHA = {"light": 0.28, "dark": 0.42}


def resolve(theme: str) -> str:
    """``light`` or ``dark`` for a theme setting (``system`` asks the desktop)."""
    if theme in ("light", "dark"):
        return theme
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


COLOURS: dict[str, dict[str, str]] = {
    "dark": {
        "Window": "#2b2d31",
        "WindowText": "#e6e6e6",
        "Base": "#1e1f22",
        "AlternateBase": "#26282c",
        "Text": "#e6e6e6",
        "Button": "#33353a",
        "ButtonText": "#e6e6e6",
        "Highlight": "#3d6fb6",
        "HighlightedText": "#ffffff",
        "ToolTipBase": "#33353a",
        "ToolTipText": "#e6e6e6",
        "PlaceholderText": "#8a8f98",
        "Link": "#7aa7e8",
        "Mid": "#44474d",
        "Dark": "#17181a",
        "Light": "#4a4d53",
    },
    "light": {
        "Window": "#f3f3f5",
        "WindowText": "#1d1d1f",
        "Base": "#ffffff",
        "AlternateBase": "#f6f7f9",
        "Text": "#1d1d1f",
        "Button": "#eceef1",
        "ButtonText": "#1d1d1f",
        "Highlight": "#2f6fce",
        "HighlightedText": "#ffffff",
        "ToolTipBase": "#ffffe8",
        "ToolTipText": "#1d1d1f",
        "PlaceholderText": "#6b7079",
        "Link": "#1f5fbf",
        "Mid": "#c8cbd0",
        "Dark": "#9da1a8",
        "Light": "#ffffff",
    },
}
"""Each theme's palette by colour role (``QPalette.ColorRole`` names)."""
DISABLED_TEXT = {"dark": "#8a8f98", "light": "#8a8f98"}


def palette(kind: str) -> QPalette:
    """The palette of ``light`` or ``dark``."""
    p = QPalette()
    kind = "dark" if kind == "dark" else "light"
    for name, value in COLOURS[kind].items():
        p.setColor(getattr(QPalette.ColorRole, name), QColor(value))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED_TEXT[kind]))
    return p


def apply(app: QApplication, theme: str) -> str:
    """Apply ``theme`` to the whole application; returns ``light`` or ``dark``.

    Applied before the window is built, its widgets are made in the right style and colours;
    applied again unchanged, nothing is repolished (every widget would be: a style or palette
    change reaches each one)."""
    kind = resolve(theme)
    if not app.property(FUSION_MADE) and app.style().name().lower() != STYLE.lower():
        app.setStyle(STYLE)
    wanted = palette(kind)
    if app.palette() != wanted:
        app.setPalette(wanted)
    return kind

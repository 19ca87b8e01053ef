"""The guideline pane: the selected label's annotation guideline, in the interface language.

Where the text comes from, first found wins:
1. ``<project>/guidelines/<lang>/<LABEL>.md``: a team's own rules for this project;
2. ``resources/guidelines/<lang>/<LABEL>.md``: the packaged guidelines;
3. the label's ``description`` in ``annotator.toml`` (so a custom label always shows something);
4. the same files in the other language (better a guideline in English than none).
``GENERAL.md`` holds the rules common to every label (Help > General guidelines).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QTextBrowser, QWidget

from annotator.core.model import Label
from annotator.core.paths import resources_dir

LANGUAGES = ("en", "id")


def _candidates(name: str, language: str, project_root: Path | None) -> list[Path]:
    roots: list[Path] = []
    if project_root is not None:
        roots.append(project_root / "guidelines")
    with contextlib.suppress(FileNotFoundError):  # an installation without resources
        roots.append(resources_dir() / "guidelines")
    return [root / language / f"{name}.md" for root in roots]


def _first(paths: list[Path]) -> str | None:
    for path in paths:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return None


def guideline_markdown(label: Label, language: str, project_root: Path | None = None) -> str:
    """The Markdown guideline of ``label`` in ``language`` (see the module docstring)."""
    text = _first(_candidates(label.name, language, project_root))
    if text is not None:
        return text
    if label.description:
        return f"# {label.name}\n\n{label.description}\n"
    for other in LANGUAGES:
        if other != language:
            text = _first(_candidates(label.name, other, project_root))
            if text is not None:
                return text
    no_text = QCoreApplication.translate("GuidelinePane", "No guideline for this label yet.")
    return f"# {label.name}\n\n{no_text}\n"


def general_markdown(language: str, project_root: Path | None = None) -> str:
    """The rules common to every label (``GENERAL.md``)."""
    text = _first(_candidates("GENERAL", language, project_root))
    if text is None:
        for other in LANGUAGES:
            text = text or _first(_candidates("GENERAL", other, project_root))
    return text or "# " + QCoreApplication.translate("GuidelinePane", "No general guidelines.")


class GuidelinePane(QTextBrowser):
    """Shows one guideline as rendered Markdown; follows the language and the label."""

    def __init__(self, project_root: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideline_pane")
        self.setOpenExternalLinks(True)
        self.project_root = project_root
        self.language = "en"
        self.label: Label | None = None  # None: the general guidelines
        self.shown: tuple[str | None, str] | None = None  # (label name, language) rendered
        # rendering Markdown takes a few ms: done after the key press that asked for it, and
        # not before the window's first paint (``start``)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self._render)
        self._started = False

    def start(self) -> None:
        """Render from now on (the window calls this just after its first paint)."""
        self._started = True
        self._render()

    def show_label(self, label: Label | None) -> None:
        """Show the guideline of ``label`` (None: the general guidelines)."""
        self.label = label
        if self._started:
            self._pending.start()

    def set_language(self, language: str) -> None:
        """Show guidelines in ``language`` from now on."""
        self.language = language
        if self._started:
            self._pending.start()

    def _render(self) -> None:
        key = (self.label.name if self.label is not None else None, self.language)
        if key == self.shown:
            return
        self.shown = key
        if self.label is None:
            text = general_markdown(self.language, self.project_root)
        else:
            text = guideline_markdown(self.label, self.language, self.project_root)
        self.setMarkdown(text)

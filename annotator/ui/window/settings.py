"""The window's remembered preferences (QSettings): name, recent projects, look, shortcuts.

One typed wrapper so no widget passes loose keys around. Everything lives in the user's
configuration folder under "annotator/annotator"; tests point XDG_CONFIG_HOME elsewhere.
Shortcuts are stored per action id as portable key-sequence text (``"Ctrl+Return; Ctrl+Enter"``)
and only when the user changed them, so a new default reaches everyone who kept the old one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QKeySequence

from annotator.core.pg import is_server_url, strip_password

ORGANISATION = "annotator"
APPLICATION = "annotator"
MAX_RECENT = 8
ZOOM_RANGE = (-6, 20)


class Settings:
    """Typed access to the window's QSettings."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings if qsettings is not None else QSettings(ORGANISATION, APPLICATION)

    # -- who -----------------------------------------------------------------------------

    @property
    def annotator(self) -> str | None:
        """The annotator name asked for on the first run, if any."""
        value = self.q.value("annotator")
        return str(value) if value else None

    @annotator.setter
    def annotator(self, name: str) -> None:
        self.q.setValue("annotator", name)

    # -- projects ------------------------------------------------------------------------

    def recent_projects(self) -> list[str]:
        """Recently opened projects, newest first: folders still on disk, and server URLs
        (never with a password)."""
        raw = self.q.value("recent_projects", [])
        items = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
        return [
            str(p)
            for p in items
            if is_server_url(str(p)) or Path(str(p), "annotator.toml").exists()
        ]

    def recent_servers(self) -> list[str]:
        """The server URLs of the recent list."""
        return [p for p in self.recent_projects() if is_server_url(p)]

    def add_recent_project(self, path: Path | str) -> None:
        """Put ``path`` (a folder, or a server URL: kept without its password) first in the
        recent list (kept to MAX_RECENT entries)."""
        text = str(path)
        key = strip_password(text) if is_server_url(text) else str(Path(path).resolve())
        items = [p for p in self.recent_projects() if p != key]
        self.q.setValue("recent_projects", [key, *items][:MAX_RECENT])

    def last_document(self, project: Path, annotator: str) -> str | None:
        """The document last open in ``project`` for ``annotator``."""
        value = self.q.value(f"last_document/{_project_key(project)}/{annotator}")
        return str(value) if value else None

    def set_last_document(self, project: Path, annotator: str, doc_id: str) -> None:
        """Remember the open document, so reopening the project returns to it."""
        self.q.setValue(f"last_document/{_project_key(project)}/{annotator}", doc_id)

    def export_choices(self, project: Path) -> str | None:
        """The last File > Export choices in ``project`` (JSON, read by the export dialog)."""
        value = self.q.value(f"export/{_project_key(project)}")
        return str(value) if value else None

    def set_export_choices(self, project: Path, choices: str) -> None:
        """Remember the export choices of ``project``."""
        self.q.setValue(f"export/{_project_key(project)}", choices)

    # -- look ----------------------------------------------------------------------------

    @property
    def language(self) -> str | None:
        """The interface language chosen in View, or None to follow the system."""
        value = self.q.value("language")
        return str(value) if value else None

    @language.setter
    def language(self, code: str) -> None:
        self.q.setValue("language", code)

    @property
    def theme(self) -> str:
        """``system``, ``light`` or ``dark``."""
        value = str(self.q.value("theme", "system"))
        return value if value in ("system", "light", "dark") else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self.q.setValue("theme", value)

    @property
    def zoom(self) -> int:
        """Text zoom steps away from the default font size."""
        try:
            value = int(str(self.q.value("zoom", 0)))
        except ValueError:
            return 0
        return max(ZOOM_RANGE[0], min(ZOOM_RANGE[1], value))

    @zoom.setter
    def zoom(self, value: int) -> None:
        self.q.setValue("zoom", int(value))

    @property
    def exact_spans(self) -> bool:
        """True when selections become spans character-exact instead of snapped to tokens."""
        return str(self.q.value("exact_spans", "false")).lower() == "true"

    @exact_spans.setter
    def exact_spans(self, value: bool) -> None:
        self.q.setValue("exact_spans", "true" if value else "false")

    # -- window layout -------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        """The window geometry saved on close."""
        value = self.q.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        """The docks' and toolbar's layout saved on close."""
        value = self.q.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the window layout."""
        self.q.setValue("window/geometry", geometry)
        self.q.setValue("window/state", state)

    # -- shortcuts -----------------------------------------------------------------------

    def shortcuts(self, action_id: str, defaults: tuple[str, ...]) -> list[QKeySequence]:
        """The user's keys for ``action_id``, else ``defaults`` (portable text)."""
        value = self.q.value(f"shortcuts/{action_id}")
        texts = defaults if value is None else tuple(str(value).split(";"))
        return [QKeySequence(t.strip()) for t in texts if t.strip()]

    def set_shortcuts(self, action_id: str, keys: list[QKeySequence] | None) -> None:
        """Rebind ``action_id`` (None: back to the default)."""
        if keys is None:
            self.q.remove(f"shortcuts/{action_id}")
        else:
            text = "; ".join(k.toString(QKeySequence.SequenceFormat.PortableText) for k in keys)
            self.q.setValue(f"shortcuts/{action_id}", text)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self.q.sync()


def _project_key(project: Path) -> str:
    # QSettings treats "/" as a group separator; keep the key one level deep
    return str(Path(project).resolve()).replace("/", "|").replace("\\", "|")

"""Saved and synced apart, live: what the title says of a server project's edits.

``SyncWatch`` hears the store's sender thread (``PgProject.on_sync``: an edit confirmed,
refused or kept as a conflict; offline or back) and tells the window's thread once per burst
(``changed``). ``sync_text(state)`` is the words: "saved · synced", "saved · 3 waiting to
sync", "offline · 12 waiting", with "· 1 conflict" when the server kept versions aside. An
edit the server's rules refused is reported once (``refused``), in the server's words.

Signals:
    changed(): the counts, the offline state or the conflicts changed.
    refused(str): an edit was refused by the server (one line); it is kept aside on this
        desktop, never sent again.
    conflicts_appeared(int): the number of documents in conflict went up (the new number).
    restored(int): the server turned out restored from a backup and this desktop's edits it
        lost were sent again (how many, decision 0122).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from annotator.core.storage import SaveState

if TYPE_CHECKING:
    from annotator.core.pg.session import PgSession
    from annotator.core.pg.store import PgProject


def sync_text(state: SaveState) -> str:
    """The words for a server project's ``state`` (see the module docstring)."""
    if state.read_only:
        return QCoreApplication.translate("sync", "read-only")
    if state.unsaved:
        head = QCoreApplication.translate("sync", "saving…")
    elif state.offline:
        head = QCoreApplication.translate("sync", "offline")
    else:
        head = QCoreApplication.translate("sync", "saved")
    if state.offline:
        tail = (
            QCoreApplication.translate("sync", "%n waiting", "", state.unsynced)
            if state.unsynced
            else ""
        )
    elif state.unsynced:
        tail = QCoreApplication.translate("sync", "%n waiting to sync", "", state.unsynced)
    else:
        tail = QCoreApplication.translate("sync", "synced")
    parts = [head, *([tail] if tail else [])]
    if state.conflicts:
        parts.append(QCoreApplication.translate("sync", "%n conflict(s)", "", state.conflicts))
    return " · ".join(parts)


class SyncWatch(QObject):
    """See the module docstring."""

    changed = Signal()
    refused = Signal(str)
    conflicts_appeared = Signal(int)
    restored = Signal(int)
    _poke = Signal()  # from the sender's thread

    def __init__(self, project: PgProject, session: PgSession, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.session = session
        self._posted = threading.Event()
        self._refused_seen = 0
        self._conflicts = session.save_state.conflicts
        self._resent = session.resent
        self._poke.connect(self._update, Qt.ConnectionType.QueuedConnection)
        project.on_sync(self._heard)

    def _heard(self, session: PgSession) -> None:
        """On the sender's thread: post one update, however many edits come meanwhile."""
        if session is self.session and not self._posted.is_set():
            self._posted.set()
            self._poke.emit()

    def _update(self) -> None:
        self._posted.clear()
        refused = self.session.refused
        for _edit, reason in refused[self._refused_seen :]:
            self.refused.emit(reason)
        self._refused_seen = len(refused)
        conflicts = self.session.save_state.conflicts
        if conflicts > self._conflicts:
            self.conflicts_appeared.emit(conflicts)
        self._conflicts = conflicts
        if self.session.resent > self._resent:
            self.restored.emit(self.session.resent - self._resent)
        self._resent = self.session.resent
        self.changed.emit()

    def stop(self) -> None:
        """Hear no more (the window closes)."""
        self.project.off_sync(self._heard)

"""The window on a server project: opening a ``postgresql://`` URL, saved and synced apart,
live views from the server's notifications, and the conflict chooser (decision 0084)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.open import DesktopProject
from annotator.core.storage import ProjectStore

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject


def server_store(project: ProjectStore) -> PgProject | None:
    """The server store behind the window's ``project`` (None for a folder)."""
    inner = project.store if isinstance(project, DesktopProject) else project
    if hasattr(inner, "listen") and hasattr(inner, "on_sync"):
        from annotator.core.pg.store import PgProject

        return inner if isinstance(inner, PgProject) else None
    return None

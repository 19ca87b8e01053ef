"""A password typed at a command's terminal, kept in the process's memory (decision 0125).

libpq finds a password in the URL, ``PGPASSWORD``, the password file or a service file; it
never asks. A window asks in a dialog (``annotator.ui.server.opening``). A command at a
terminal asks too, as ``psql`` does: when the server asks for a password and none was
supplied, the asker the process registered (``annotator.commands.terminal``) asks once, the
connection is made again with it, and the process's later connections to the same URL (a
sender's, a listener's) use it without asking. A password the server refuses is forgotten.
Nothing is written anywhere; without a registered asker (a window, a library caller) nothing
is asked.

Standard library only, as ``tls_key`` beside it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from annotator.core.pg import strip_password

Asker = Callable[[str], "str | None"]
"""Asks for the password of a URL (given without its password): None when none is typed."""

_lock = threading.Lock()
_kept: dict[str, str] = {}
_asker: Asker | None = None


def kept(url: str) -> str | None:
    """The password typed for ``url`` in this process, if any."""
    with _lock:
        return _kept.get(strip_password(url))


def ask(url: str) -> str | None:
    """Ask the registered asker for ``url``'s password and keep what is typed (None: no
    asker, or nothing typed)."""
    with _lock:
        asker = _asker
    if asker is None:
        return None
    typed = asker(strip_password(url)) or None
    if typed is not None:
        with _lock:
            _kept[strip_password(url)] = typed
    return typed


def forget(url: str) -> None:
    """Drop the password kept for ``url`` (the server refused it)."""
    with _lock:
        _kept.pop(strip_password(url), None)


def set_asker(asker: Asker | None) -> None:
    """Who asks for a password the server wants and libpq did not find; None: no one."""
    global _asker
    with _lock:
        _asker = asker

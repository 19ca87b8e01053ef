"""What a person typed for a connection, kept in this process's memory only.

libpq finds a password in the URL, ``PGPASSWORD``, the password file or a service file, and a
certificate key's passphrase in ``sslpassword=``; it never asks (OpenSSL asks for a locked
key's passphrase on the terminal itself, at each connection). So the connections ask here
(``connection``): ``PASSWORDS`` by the URL without its password (decision 0125),
``tls_key.PASSPHRASES`` by the key's file (decision 0124). Each keeps what was typed, asks
the asker the process registered when nothing is kept (a command asks on its terminal,
``annotator.commands.terminal``; a window registers none and asks in its own dialog, then
``keep``s the answer), and ``forget``s what the server or the key refused. Nothing is written
anywhere.

Standard library only: the window and the commands use it before psycopg is loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class Typed(Generic[K]):
    """Secrets typed by a person, by what they open (a URL, a key file); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[K, str] = {}
        self._asker: Callable[[K], str | None] | None = None

    def kept(self, key: K) -> str | None:
        """What was typed for ``key`` in this process, if anything."""
        with self._lock:
            return self._kept.get(key)

    def known_or_asked(self, key: K) -> str | None:
        """What was typed for ``key``, else what the registered asker is told now (kept);
        None when nothing is known and no one asks or nothing is typed."""
        with self._lock:
            known = self._kept.get(key)
            asker = self._asker
        if known is not None or asker is None:
            return known
        typed = asker(key) or None
        if typed is not None:
            self.keep(key, typed)
        return typed

    def keep(self, key: K, secret: str) -> None:
        """Use ``secret`` for ``key`` from now on."""
        with self._lock:
            self._kept[key] = secret

    def forget(self, key: K) -> None:
        """Drop what was kept for ``key`` (it was refused)."""
        with self._lock:
            self._kept.pop(key, None)

    def set_asker(self, asker: Callable[[K], str | None] | None) -> None:
        """Who asks the person when nothing is kept; None: no one."""
        with self._lock:
            self._asker = asker

    def clear(self) -> None:
        """Forget everything and the asker (a test's end)."""
        with self._lock:
            self._kept.clear()
            self._asker = None


PASSWORDS: Typed[str] = Typed()
"""Passwords typed at a command's terminal, by the URL without its password."""

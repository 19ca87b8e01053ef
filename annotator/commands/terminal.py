"""What a command asks the person at its terminal: a password, a locked key's passphrase.

A command connecting to a server that asks for a password libpq did not find (decision 0125),
or with a client certificate whose key is locked (decision 0124), asks once, on the terminal
(never on standard input, which may carry data such as ``--password-stdin``), and the process
keeps what was typed in memory for its other connections. Without a terminal nothing is asked:
the command stops with one line saying what to do.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path


def has_terminal() -> bool:
    """Whether this process has a terminal to ask on (its controlling terminal)."""
    if os.name == "nt":
        return sys.stdin.isatty()
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


def _typed(prompt: str) -> str | None:
    """What the person types after ``prompt``, not echoed (None: no terminal, or nothing)."""
    if not has_terminal():
        return None
    try:
        typed = getpass.getpass(f"annotator: {prompt}: ")
    except EOFError:
        return None
    return typed or None


def ask_passphrase(key: Path) -> str | None:
    """The passphrase of ``key`` typed at the terminal (None: no terminal, or nothing typed)."""
    return _typed(f"passphrase of the key {key}")


def ask_password(url: str) -> str | None:
    """The password for ``url`` typed at the terminal (None: no terminal, or nothing typed)."""
    return _typed(f"password for {url}")


def ask_at_terminal() -> None:
    """Let this process's server connections ask here for a password or a key's passphrase."""
    from annotator.core.pg.tls_key import PASSPHRASES
    from annotator.core.pg.typed import PASSWORDS

    PASSWORDS.set_asker(ask_password)
    PASSPHRASES.set_asker(ask_passphrase)

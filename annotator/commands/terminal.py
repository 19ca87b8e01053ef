"""What a command asks the person at its terminal: the passphrase of a locked certificate key.

A command connecting to a server with a client certificate whose key is locked asks once, on
the terminal (never on standard input, which may carry data such as ``--password-stdin``), and
the process keeps the passphrase in memory for its other connections (decision 0124). Without
a terminal nothing is asked: the command stops with one line saying what to do.
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


def ask_passphrase(key: Path) -> str | None:
    """The passphrase of ``key`` typed at the terminal (None: no terminal, or nothing typed)."""
    if not has_terminal():
        return None
    try:
        typed = getpass.getpass(f"annotator: passphrase of the key {key}: ")
    except EOFError:
        return None
    return typed or None


def ask_at_terminal() -> None:
    """Let this process's server connections ask for a locked key's passphrase here."""
    from annotator.core.pg import tls_key

    tls_key.set_asker(ask_passphrase)

"""The key of a desktop's TLS certificate when it is locked with a passphrase (decision 0124).

libpq sends a client certificate when it finds one (``sslcert=``, ``PGSSLCERT``, else
``~/.postgresql/postgresql.crt``) and loads its private key (``sslkey=``, ``PGSSLKEY``, else
``~/.postgresql/postgresql.key``). A key locked with a passphrase and no ``sslpassword=`` in
the URL makes OpenSSL ask on the terminal (``Enter PEM pass phrase:``) at every connection,
and where there is no terminal (a window, a service) it fails as ``processing error``.

So every connection asks this module first (``connection.connection_params``): when the key
it will load is locked and the URL gives no passphrase, the passphrase comes from
``PASSPHRASES`` (what this process was told, else its asker: a command at a terminal asks
once; ``typed``), else the connection is refused in one line (``KeyLocked``), which a window
answers by asking the person and keeping the answer there. A URL naming a service
(``service=``, ``PGSERVICE``) is left to libpq: the service file may hold ``sslpassword``.

Standard library only: the window and the commands use it before psycopg is loaded.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from annotator.core.pg import KeyLocked, redact_url
from annotator.core.pg.typed import Typed

PASSPHRASES: Typed[Path] = Typed()
"""Passphrases typed for locked keys, by the key's file."""

_ENV = {
    "sslmode": "PGSSLMODE",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcertmode": "PGSSLCERTMODE",
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "service": "PGSERVICE",
}
_LOCKED_MARKS = (b"-----BEGIN ENCRYPTED PRIVATE KEY-----", b"Proc-Type: 4,ENCRYPTED")
_READ_AT_MOST = 1 << 16  # a PEM key is a few kB; its markers are in its first lines


def _value(params: Mapping[str, str], name: str) -> str:
    """A parameter as libpq takes it: the URL's, else its environment variable's."""
    return str(params.get(name) or os.environ.get(_ENV[name], "") or "")


def _home() -> Path:
    return Path(os.path.expanduser("~"))


def _uses_tls(params: Mapping[str, str]) -> bool:
    """Whether libpq may try TLS: not with ``sslmode=disable``, nor over Unix sockets only."""
    if _value(params, "sslmode") == "disable":
        return False
    if _value(params, "hostaddr"):
        return True
    hosts = [h for h in _value(params, "host").split(",") if h]
    if not hosts:  # libpq's default: a Unix socket, but localhost over TCP on Windows
        return os.name == "nt"
    return any(not h.startswith(("/", "@")) for h in hosts)  # / or @: a socket too


def key_file(params: Mapping[str, str]) -> Path | None:
    """The private key file libpq would load for a connection with ``params`` (None: no
    client certificate is sent, or TLS is not tried)."""
    if not _uses_tls(params) or _value(params, "sslcertmode") == "disable":
        return None
    cert = _value(params, "sslcert")
    cert_path = Path(cert) if cert else _home() / ".postgresql" / "postgresql.crt"
    if not cert_path.is_file():
        return None  # libpq sends no certificate, and loads no key
    key = _value(params, "sslkey")
    if key and ":" in key and not Path(key).exists():
        return None  # an OpenSSL engine's key ("engine:name"), not a file
    return Path(key) if key else _home() / ".postgresql" / "postgresql.key"


def is_locked(key: Path) -> bool:
    """Whether ``key`` is a PEM private key locked with a passphrase (False when unreadable:
    libpq then names the problem itself)."""
    try:
        with key.open("rb") as file:
            head = file.read(_READ_AT_MOST)
    except OSError:
        return False
    return any(mark in head for mark in _LOCKED_MARKS)


def locked_key(params: Mapping[str, str]) -> Path | None:
    """The key a connection with ``params`` would load when it is locked and the parameters
    give no passphrase (None otherwise, and for a service, whose file may give it)."""
    if params.get("sslpassword") or _value(params, "service"):
        return None
    key = key_file(params)
    return key if key is not None and is_locked(key) else None


def with_passphrase(params: dict[str, str], url: str) -> dict[str, str]:
    """``params`` (those of ``url``) with ``sslpassword`` when the key they load is locked (see
    the module docstring); raises KeyLocked when no passphrase is known and none is given."""
    key = locked_key(params)
    if key is None:
        return params
    passphrase = PASSPHRASES.known_or_asked(key)
    if passphrase is None:
        raise KeyLocked(key, f"{redact_url(url)}: {none_given(key)}")
    return {**params, "sslpassword": passphrase}


def none_given(key: Path) -> str:
    """The line a connection is refused with when ``key``'s passphrase is not known."""
    return (
        f"this desktop's key {key} is locked with a passphrase and none was given: a command"
        " at a terminal asks for it, a window asks when it opens the project; a service needs"
        " a key of its own without one (readable by it alone)"
    )


def wrong(key: Path) -> str:
    """The line a connection is refused with when ``key`` refused the passphrase given."""
    return f"the passphrase given is not the one of this desktop's key {key}"

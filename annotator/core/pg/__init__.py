"""Projects on a PostgreSQL server: URLs, the optional psycopg dependency, and server errors.

This module imports nothing beyond the standard library, so a command can recognise a
``postgresql://`` URL and say what to install before anything needs psycopg. The modules
beside it (connection, schema, users, sync) import psycopg and are loaded only for server
projects. docs/postgres.md describes the server side; decision record 0080 the design.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from urllib.parse import quote

from annotator.core.errors import AnnotatorError

MISSING_PSYCOPG = (
    "PostgreSQL projects need psycopg: pip install 'annotator[server]' "
    "(or: pip install 'psycopg[binary]')"
)
RETRY = 5.0
"""Seconds before a worker without a window (the lead's parts keeper, ``annotator keep``) tries
a request that failed again."""
_SCHEMES = ("postgresql://", "postgres://")
_PASSWORD_IN_URL = re.compile(r"^(postgres(?:ql)?://[^/@:]*):[^/@]*@")
# ``password`` and ``sslpassword`` (the passphrase of the client certificate's key)
_PASSWORD_PARAM = re.compile(r"(?i)([?&](?:ssl)?password=)[^&]*")


class ServerError(AnnotatorError):
    """The server refused or failed an operation; the message is one line."""


class ServerUnreachable(ServerError):
    """The server could not be reached or did not answer in time: a client goes offline."""


class UnknownDatabase(ServerUnreachable):
    """The URL cannot be read, or the server answered that its database does not exist: a
    desktop goes offline as for any server out of reach, a service does not wait for it."""


class ServerBusy(ServerError):
    """The server gave up waiting for rows another client holds (a lock timeout, a deadlock):
    the same request later usually succeeds."""


class PermissionRefused(ServerError):
    """The server's rules (grants, row-level security) refused the operation."""


class PasswordRefused(ServerError):
    """The server asked for a password and none was given (``none_given``), or refused the
    one given: the person types one (a window or a terminal asks), or puts it in PGPASSWORD
    or the password file."""

    def __init__(self, message: str, *, none_given: bool = False) -> None:
        super().__init__(message)
        self.none_given = none_given


class KeyLocked(ServerError):
    """The key of this desktop's certificate is locked with a passphrase, and none was given
    or the one given is wrong (``wrong``): a person gives it (a window or a terminal asks)."""

    def __init__(self, key: Path, message: str, *, wrong: bool = False) -> None:
        super().__init__(message)
        self.key = key
        self.wrong = wrong


def passing(exc: ServerError) -> bool:
    """Whether trying ``exc``'s request again later may succeed: the server away, restarting,
    silent or too slow (a statement timeout), or rows held by another client; not a refusal
    (permission, password, no such database or project), which stays until someone acts."""
    return isinstance(exc, ServerUnreachable | ServerBusy) and not isinstance(exc, UnknownDatabase)


def is_server_url(location: str) -> bool:
    """True when ``location`` names a PostgreSQL database rather than a project folder."""
    return location.startswith(_SCHEMES)


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ``***``, for messages and logs."""
    url = _PASSWORD_IN_URL.sub(r"\1:***@", url)
    return _PASSWORD_PARAM.sub(r"\1***", url)


def strip_password(url: str) -> str:
    """``url`` without its password and its key's passphrase (``sslpassword``), the user name
    kept: what a settings file may keep."""
    return _without(url, "(?:ssl)?password")


def with_password(url: str, password: str) -> str:
    """``url`` carrying ``password`` as its ``password`` parameter (kept in memory only); an
    ``sslpassword`` the URL has stays, the connection needs it."""
    bare = _without(url, "password")
    return f"{bare}{'&' if '?' in bare else '?'}password={quote(password, safe='')}"


def without_sslpassword(url: str) -> str:
    """``url`` without ``sslpassword``: the key's passphrase then comes from this process's
    memory (``tls_key.PASSPHRASES``)."""
    return _without(url, "sslpassword")


def _without(url: str, names: str) -> str:
    """``url`` without a password before its host, nor the parameters ``names`` matches."""
    base, _, query = _PASSWORD_IN_URL.sub(r"\1@", url).partition("?")
    kept = [p for p in query.split("&") if p and not re.match(rf"(?i)(?:{names})=", p)]
    return f"{base}?{'&'.join(kept)}" if kept else base


def require_psycopg() -> None:
    """Raise a one-line AnnotatorError naming the extra to install when psycopg is missing."""
    try:
        found = importlib.util.find_spec("psycopg") is not None
    except ValueError:  # sys.modules["psycopg"] is None: blocked, as good as missing
        found = False
    if not found:
        raise AnnotatorError(MISSING_PSYCOPG)

"""psycopg errors as one-line messages a person can act on, never a traceback.

``server_error(exc, who=..., doing=...)`` turns any psycopg error into a ServerError:
PermissionRefused for the server's rules ("permission denied: annotator ani cannot write
gold"), ServerUnreachable for a server that is down, silent or unknown (UnknownDatabase when
it says the database does not exist), ServerBusy for rows another client holds, ServerError
for the rest. ``who`` and ``doing`` come from the caller, which knows who is connected and what it
asked for; the server's own words fill in when they are missing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from annotator.core.pg import (
    KeyLocked,
    PasswordRefused,
    PermissionRefused,
    ServerBusy,
    ServerError,
    ServerUnreachable,
    UnknownDatabase,
    redact_url,
    tls_key,
)
from annotator.core.pg.connection import first_line

# What each table is, in the words of docs/team.md.
NOUNS: dict[str, str] = {
    "annotations": "annotations",
    "gold": "gold",
    "assignments": "assignments",
    "labels": "labels",
    "projects": "the project settings",
    "documents": "documents",
    "edits": "the edit log",
    "clients": "the desktops' sync state",
    "team_roles": "the team's roles",
    "schema_version": "the schema version",
}
# A row refused by a row-level policy on write is always someone else's.
ROW_NOUNS: dict[str, str] = {
    "annotations": "another annotator's annotations (or a document not assigned to them)",
    "clients": "another person's desktop state",
    "edits": "another person's edits",
}
_TABLE = re.compile(r'(?:for|on) (?:table|relation) "?([\w.]+)"?')
_RLS = re.compile(r'row-level security policy for table "([\w.]+)"')
_NO_PASSWORD = "fe_sendauth: no password supplied"  # libpq's: the server asked, none found
_PASSWORD = re.compile(r"password authentication failed|no password supplied")
_UNKNOWN_DB = re.compile(r'database "[^"]*" does not exist')
_REASON = re.compile(r"connection to server (?:at|on) .+? failed: (.+)")
_HOST_MISMATCH = re.compile(r"server certificate for .+ does not match host name")
_NO_ROOT = re.compile(r'root certificate file "[^"]*" does not exist')
_OWN_FILES = re.compile(
    r"certificate present, but not private key file|could not (?:open|read|load) "
    r"(?:certificate|private key|client certificate|root certificate)|private key file .+ has "
    r"group or world access|could not (?:read|load) root certificate"
)
_ALERT = re.compile(
    r"alert (?:unknown ca|bad certificate|certificate required|certificate expired|"
    r"certificate revoked|certificate unknown)"
)
_KEY_REFUSED = re.compile(
    r'could not load private key file "([^"]*)": (bad decrypt|processing error)'
)
_NO_TLS = "server does not support SSL, but SSL was required"
PASSWORD_HINT = (
    " (a command at a terminal and the window ask for it; otherwise it comes from PGPASSWORD"
    " or the password file ~/.pgpass)"
)
NOT_INITIALISED = "no annotator project in this database: a lead runs 'annotator init URL' first"


def server_error(
    exc: psycopg.Error, *, who: str | None = None, doing: str | None = None, url: str = ""
) -> ServerError:
    """One-line error for ``exc``; ``who`` is e.g. ``"annotator ani"``, ``doing`` ``"write"``."""
    primary = exc.diag.message_primary or first_line(str(exc))
    subject = who or "this user"
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return PermissionRefused(_permission(primary, subject, doing))
    if isinstance(exc, pg_errors.InvalidPassword) or _PASSWORD.search(str(exc)):
        return PasswordRefused(
            f"{_where(url)}{_refusal(str(exc)) or primary}{PASSWORD_HINT}",
            none_given=_NO_PASSWORD in str(exc),
        )
    if isinstance(exc, pg_errors.InvalidAuthorizationSpecification):
        return ServerError(f"{_where(url)}{primary}{_unencrypted(primary)}")
    if isinstance(exc, pg_errors.InvalidCatalogName):
        return UnknownDatabase(f"{_where(url)}{primary}")
    if isinstance(exc, pg_errors.InvalidSchemaName) or (
        isinstance(exc, pg_errors.UndefinedTable) and _mentions_own_table(primary)
    ):
        return ServerError(f"{_where(url)}{NOT_INITIALISED}")
    if isinstance(exc, pg_errors.LockNotAvailable):
        return ServerBusy(f"{_where(url)}busy: another client holds the rows ({primary})")
    if isinstance(exc, pg_errors.DeadlockDetected | pg_errors.SerializationFailure):
        return ServerBusy(f"{_where(url)}busy: {primary}")
    if isinstance(exc, pg_errors.QueryCanceled):
        return ServerUnreachable(f"{_where(url)}the server gave up on the request ({primary})")
    if isinstance(exc, pg_errors.ConnectionTimeout):
        return ServerUnreachable(f"{_where(url)}no answer from the server (connection timeout)")
    if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None:
        if locked := _locked_key(str(exc)):
            key, wrong = locked
            said = tls_key.wrong(key) if wrong else tls_key.none_given(key)
            return KeyLocked(key, f"{_where(url)}{said}", wrong=wrong)
        # libpq-side failures (refused, unknown host, closed connection) carry no SQLSTATE;
        # nor does a server's refusal at start-up (a role it does not let in), which is an
        # answer, not an absence: retrying offline would not help. Nor would it help when TLS
        # refuses the server's certificate or this desktop's own files: a person acts first.
        if tls := tls_refusal(str(exc), url):
            return ServerError(f"{_where(url)}{tls}")
        refusal = _refusal(str(exc))
        if refusal and not _UNKNOWN_DB.search(refusal):
            return ServerError(f"{_where(url)}{refusal}{_unencrypted(refusal)}")
        if refusal:
            return UnknownDatabase(f"{_where(url)}{_unreachable(str(exc))}")
        return ServerUnreachable(f"{_where(url)}{_unreachable(str(exc))}")
    if isinstance(exc, pg_errors.AdminShutdown | pg_errors.CannotConnectNow):
        return ServerUnreachable(f"{_where(url)}{primary}")
    return ServerError(f"{_where(url)}{primary}")


def _locked_key(message: str) -> tuple[Path, bool] | None:
    """The locked key a libpq start-up failure names, and whether the passphrase given was
    wrong (False: none was given, by a service file without it, say)."""
    match = _KEY_REFUSED.search(message)
    if match is None:
        return None
    key = Path(match.group(1))
    if match.group(2) == "bad decrypt":
        return key, True
    return (key, False) if tls_key.is_locked(key) else None


def _mentions_own_table(message: str) -> bool:
    match = re.search(r'relation "(?:annotator\.)?(\w+)" does not exist', message)
    return match is not None and match.group(1) in NOUNS


def _where(url: str) -> str:
    return f"{redact_url(url)}: " if url else ""


def _permission(primary: str, who: str, doing: str | None) -> str:
    if match := _RLS.search(primary):
        table = match.group(1).rsplit(".", 1)[-1]
        noun = ROW_NOUNS.get(table, NOUNS.get(table, table))
        return f"permission denied: {who} cannot {doing or 'write'} {noun}"
    if match := _TABLE.search(primary):
        table = match.group(1).rsplit(".", 1)[-1]
        return f"permission denied: {who} cannot {doing or 'use'} {NOUNS.get(table, table)}"
    if "create role" in primary:
        return f"permission denied: {who} cannot create users (that needs CREATEROLE)"
    if "admin option on role" in primary:  # REVOKE of a group: users remove
        return f"permission denied: {who} cannot remove users (that needs CREATEROLE)"
    return f"permission denied: {who}: {primary}"


def _refusal(message: str) -> str:
    """The server's own ``FATAL:`` words in a libpq start-up failure ("" when none)."""
    for line in message.splitlines():
        if _NO_PASSWORD in line:
            return "the server asks for a password and none was given"
        if match := re.search(r"FATAL:\s+(.+)", line):
            return match.group(1).strip()
    return ""


def tls_refusal(message: str, url: str = "") -> str:
    """What TLS refused in a libpq start-up failure, in one line ("" when TLS refused nothing):
    the server's certificate (another host's, or not signed by the authority the desktop
    trusts), the desktop's own certificate or key, a server without TLS."""
    for line in message.splitlines():
        match = _REASON.search(line)
        reason = (match.group(1) if match else line).strip()
        if _HOST_MISMATCH.search(reason):
            return f"the server's certificate is not for the host this URL names: {reason}"
        if "certificate verify failed" in reason:
            return (
                f"the server's certificate is not signed by the authority in {_root(url)} (or it"
                f" has expired): {reason}"
            )
        if _NO_ROOT.search(reason):
            return (
                f"{reason}: sslrootcert= in the URL names the authority that signed the"
                " server's certificate (sslrootcert=system for a public one)"
            )
        if _OWN_FILES.search(reason):
            return f"this desktop's certificate or key cannot be used: {reason}"
        if _ALERT.search(reason):
            return f"the server does not accept this desktop's certificate: {reason}"
        if _NO_TLS in reason:
            return f"the server does not take TLS connections, and the URL asks for TLS: {reason}"
    return ""


def _root(url: str) -> str:
    """The authority's certificate file a desktop checks the server's against."""
    try:
        root = str(conninfo_to_dict(url).get("sslrootcert") or "")
    except psycopg.Error:
        root = ""
    root = root or os.environ.get("PGSSLROOTCERT", "") or "~/.postgresql/root.crt"
    return "the system's list" if root == "system" else root


def _unencrypted(message: str) -> str:
    """A hint for a refusal of a connection made without TLS."""
    if "no encryption" not in message:
        return ""
    return "; a server that takes only TLS connections needs sslmode=verify-full in the URL"


def _unreachable(message: str) -> str:
    """The reason libpq gives, without its multi-line address preamble."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    for line in lines:
        if match := re.search(r"connection to server (at|on) (.+?) failed: (.+)", line):
            return f"cannot reach the server {match.group(2)}: {match.group(3)}"
    return first_line(message)

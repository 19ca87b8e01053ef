"""What names a server project for this desktop, for the files it keeps locally."""

from __future__ import annotations

import psycopg
from psycopg.conninfo import conninfo_to_dict

from annotator.core.pg import redact_url


def server_key(url: str) -> str:
    """User, host, port, database, service and the ``annotator.project`` option of ``url``,
    one ``key=value`` a line: never the password, TLS files or connection limits."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return redact_url(url)
    keep = ("user", "host", "hostaddr", "port", "dbname", "service", "options")
    return "\n".join(f"{k}={params.get(k, '')}" for k in keep)

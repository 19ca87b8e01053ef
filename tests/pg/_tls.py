"""A cluster with TLS on, set up as docs/server-operations.md ("TLS") writes it.

The cluster is started by scripts/test-postgres.sh, as every test cluster is; then the page's
own `postgresql.conf` settings and `pg_hba.conf` lines, read from the page, are written into it
(the certificate files swapped for the test's) and the server reloads. A step the page leaves
out, or a line it gets wrong, fails the tests that follow it.

The certificates are made with the `openssl` command in the test's folder: a private
authority, the server's certificate (its SAN names localhost and 127.0.0.1), a client
certificate for the person the page's `cert` line names, another authority that signed none of
them, and a certificate with that person's name signed by the other authority.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from _pg_helpers import PgDb, Server, news_project

from annotator.core.model import Document
from annotator.core.pg import users

PAGE = Path(__file__).resolve().parents[2] / "docs" / "server-operations.md"
DOCUMENTS = (
    Document(id="d1", text="Walikota Bandung Yana Mulyana hadir di Jakarta 🙂 pada Selasa."),
    Document(id="d2", text="Kemendagri meluncurkan\r\nBandung Smart City di Kafe\u0301 Sunda."),
)
PASSPHRASE = "kunci-rahasia-Kafe-Sunda"  # of the locked copy of the person's key
WAIT = 60.0  # generous: the reload is waited for, never timed


@dataclass(frozen=True)
class PageTls:
    """What the page's TLS section tells the server: settings and pg_hba.conf lines."""

    settings: dict[str, str]
    hba: list[str]

    @property
    def cert_person(self) -> str:
        """The login the page's `cert` line names."""
        for line in self.hba:
            fields = line.split()
            if fields[-1] == "cert" and not fields[2].startswith("+"):
                return fields[2]
        raise AssertionError(f"{PAGE.name} names no person with a `cert` line: {self.hba}")


def page_tls() -> PageTls:
    """The TLS section of docs/server-operations.md: its `ssl...` settings and `hostssl` lines."""
    text = PAGE.read_text("utf-8")
    section = text[text.index("## TLS\n") : text.index("\n## ", text.index("## TLS\n") + 1)]
    settings: dict[str, str] = {}
    hba: list[str] = []
    for line in section.splitlines():
        if match := re.match(r"^ {4}(ssl\w*)\s*=\s*(\S+)", line):
            settings[match.group(1)] = match.group(2)
        elif re.match(r"^ {4}hostssl\s", line):
            hba.append(line.strip())
    return PageTls(settings, hba)


@dataclass(frozen=True)
class Certs:
    """The test's certificate files (see the module docstring)."""

    folder: Path
    person: str

    @property
    def ca(self) -> Path:
        return self.folder / "ca.crt"

    @property
    def other_ca(self) -> Path:
        return self.folder / "other.crt"

    def login(self, rogue: bool = False, locked: bool = False) -> tuple[str, ...]:
        """`sslcert=` and `sslkey=` of the person's certificate (``rogue``: the one the
        other authority signed; ``locked``: the key locked, and `sslpassword=`)."""
        name = f"rogue-{self.person}" if rogue else self.person
        if locked:
            key = self.folder / f"{name}-locked.key"
            return f"sslcert={self.folder / name}.crt", f"sslkey={key}", f"sslpassword={PASSPHRASE}"
        return f"sslcert={self.folder / name}.crt", f"sslkey={self.folder / name}.key"


def openssl(folder: Path, *args: str) -> None:
    if shutil.which("openssl") is None:
        pytest.fail("the TLS tests make certificates with the openssl command", pytrace=False)
    subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True, timeout=60)


def make_certs(folder: Path, person: str) -> Certs:
    """Authorities and certificates in ``folder`` (see the module docstring)."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for ca in ("ca", "other"):
        openssl(folder, "req", "-x509", *ec, "-keyout", f"{ca}.key", "-out", f"{ca}.crt",
                "-days", "2", "-subj", f"/CN=annotator test {ca} authority")  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    made = [("server", "localhost", "ca", ["-extfile", "san.ext"]), (person, person, "ca", [])]
    made.append((f"rogue-{person}", person, "other", []))
    for serial, (name, common, ca, extra) in enumerate(made, start=2):
        openssl(folder, "req", "-new", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr",
                "-subj", f"/CN={common}")  # fmt: skip
        openssl(folder, "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey",
                f"{ca}.key", "-set_serial", str(serial), "-days", "2", "-out", f"{name}.crt",
                *extra)  # fmt: skip
        (folder / f"{name}.key").chmod(0o600)  # libpq refuses a key others may read
    # the same key locked with a passphrase, which a URL gives as `sslpassword=`
    openssl(folder, "pkey", "-in", f"{person}.key", "-aes256", "-passout",
            f"pass:{PASSPHRASE}", "-out", f"{person}-locked.key")  # fmt: skip
    (folder / f"{person}-locked.key").chmod(0o600)
    return Certs(folder, person)


def _as_server_owner(path: Path) -> None:
    """The cluster's files belong to `postgres` when the tests run as root (the script)."""
    if os.getuid() == 0:
        shutil.chown(path, "postgres", "postgres")


def turn_tls_on(server: Server, folder: str, certs: Certs, page: PageTls) -> None:
    """Write the page's settings and pg_hba.conf lines into the cluster and reload it."""
    data = Path(folder) / "data"
    files = {
        "ssl_cert_file": certs.folder / "server.crt",
        "ssl_key_file": certs.folder / "server.key",
        "ssl_ca_file": certs.folder / "ca.crt",
    }
    lines = []
    for name, value in page.settings.items():
        if name in files:
            target = data / files[name].name
            shutil.copyfile(files[name], target)
            target.chmod(0o600)
            _as_server_owner(target)
            value = f"'{target}'"
        lines.append(f"{name} = {value}")
    lines.append("log_connections = on  # the tests read how a command's connection came in")
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write("\n# TLS, as docs/server-operations.md says\n" + "\n".join(lines) + "\n")
    # the superuser's socket line of scripts/test-postgres.sh, then the page's lines only
    (data / "pg_hba.conf").write_text("local all all trust\n" + "\n".join(page.hba) + "\n")
    with psycopg.connect(server.admin_url, autocommit=True) as conn:
        conn.execute("SELECT pg_reload_conf()")
    _wait_for_ssl(server, folder)


def _wait_for_ssl(server: Server, folder: str) -> None:
    """Each look is a new connection (a process forked after the reload, or not yet); the
    server's clock passes 10 ms between looks, never a sleep of the test's."""
    for _ in range(int(WAIT * 100)):
        with psycopg.connect(server.admin_url, autocommit=True) as conn:
            on = conn.execute("SHOW ssl").fetchone()
            if on is not None and on[0] == "on":
                return
            conn.execute("SELECT pg_sleep(0.01)")
    log = (Path(folder) / "server.log").read_text("utf-8", errors="replace")
    pytest.fail(f"the server did not turn TLS on; its log ends:\n{log[-2000:]}", pytrace=False)


@dataclass(frozen=True)
class TlsTeam:
    """The TLS cluster's database `news` (as the page names it), its certificates, and URLs."""

    db: PgDb
    certs: Certs
    folder: str

    def url(self, user: str, *params: str, host: str = "localhost") -> str:
        """A person's URL: ``host`` checked against the certificate, 127.0.0.1 reached."""
        query = "&".join(("hostaddr=127.0.0.1", *params))
        return f"postgresql://{user}@{host}:{self.db.server.port}/news?{query}"

    def verified(self, user: str, *params: str, host: str = "localhost") -> str:
        """``url`` with `sslmode=verify-full` and the test's authority as `sslrootcert`."""
        return self.url(user, "sslmode=verify-full", f"sslrootcert={self.certs.ca}", *params,
                        host=host)  # fmt: skip


def add_cert_person(team: TlsTeam) -> str:
    """The person of the page's `cert` line, added without a password (as `users add
    --no-password` does); returns their login."""
    with team.db.admin(autocommit=True) as conn:
        users.add_user(conn, team.certs.person, "annotator", None)
    return team.certs.person


def start_tls_team(server: Server, folder: str, certs_folder: Path) -> TlsTeam:
    """On the new cluster at ``folder``: the database `news` with ani and bob (passwords),
    the certificates, TLS on as the page says."""
    page = page_tls()
    certs = make_certs(certs_folder, page.cert_person)
    db = news_project(server, "news", *DOCUMENTS)
    db.add_person("bob", "annotator")
    turn_tls_on(server, folder, certs, page)
    return TlsTeam(db, certs, folder)

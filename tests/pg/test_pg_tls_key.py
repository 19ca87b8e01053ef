"""Which certificate key a connection loads, and its passphrase kept in memory (decision 0124),
without a server: the files are made with the openssl command, as tests/pg/_tls.py makes the
TLS tests' own."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from _tls import openssl
from psycopg.conninfo import conninfo_to_dict

from annotator.core.pg import KeyLocked, tls_key
from annotator.core.pg.connection import connection_params
from annotator.core.pg.tls_key import PASSPHRASES

PASSPHRASE = "kunci Bandung 🙂"
HOST = "postgresql://kai@db.example/news?sslmode=verify-full"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A certificate, its key plain, locked (PKCS#8, OpenSSL's way now) and locked the older
    way (PEM with a Proc-Type header)."""
    folder = tmp_path_factory.mktemp("keys")
    openssl(folder, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", "plain.key", "-out", "kai.crt", "-days", "2",
            "-subj", "/CN=kai")  # fmt: skip
    openssl(folder, "pkey", "-in", "plain.key", "-aes256", "-passout", f"pass:{PASSPHRASE}",
            "-out", "locked.key")  # fmt: skip
    openssl(folder, "pkey", "-in", "plain.key", "-traditional", "-aes256", "-passout",
            f"pass:{PASSPHRASE}", "-out", "old.key")  # fmt: skip
    return folder


@pytest.fixture(autouse=True)
def no_libpq_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No PG* variable of the machine's, a home of the test's own (conftest.py forgets what
    each test kept)."""
    for name in ("PGSSLMODE", "PGSSLCERT", "PGSSLKEY", "PGSSLCERTMODE", "PGHOST", "PGHOSTADDR",
                 "PGSERVICE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def url(keys: Path, key: str = "locked.key", *more: str) -> str:
    return "&".join([HOST, f"sslcert={keys / 'kai.crt'}", f"sslkey={keys / key}", *more])


def test_a_locked_key_is_found_in_either_format_and_a_plain_one_is_not(keys: Path) -> None:
    assert tls_key.is_locked(keys / "locked.key")
    assert tls_key.is_locked(keys / "old.key")
    assert not tls_key.is_locked(keys / "plain.key")
    assert not tls_key.is_locked(keys / "kai.crt")
    assert not tls_key.is_locked(keys / "missing.key")  # libpq names that itself


def test_the_key_is_the_one_libpq_loads(keys: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(text: str) -> Path | None:
        return tls_key.locked_key(conninfo_to_dict(text))

    assert locked(url(keys)) == keys / "locked.key"
    assert locked(url(keys, "old.key")) == keys / "old.key"
    assert locked(url(keys, "plain.key")) is None
    assert locked(url(keys, "locked.key", "sslpassword=given")) is None  # the URL gives it
    assert locked(url(keys, "locked.key", "service=news")) is None  # its file may give it
    assert locked(url(keys).replace("verify-full", "disable")) is None  # no TLS
    assert locked(url(keys, "locked.key", "sslcertmode=disable")) is None  # no certificate
    missing_cert = url(keys).replace(str(keys / "kai.crt"), str(keys / "none.crt"))
    assert locked(missing_cert) is None  # no certificate sent, no key loaded
    socket = f"postgresql:///news?host=/run/postgresql&sslcert={keys / 'kai.crt'}"
    assert locked(f"{socket}&sslkey={keys / 'locked.key'}") is None  # a socket: no TLS
    no_host = f"postgresql:///news?sslcert={keys / 'kai.crt'}&sslkey={keys / 'locked.key'}"
    assert locked(no_host) is None  # libpq's default socket (this is not Windows)
    assert locked(f"{socket}&sslkey={keys / 'locked.key'}&hostaddr=127.0.0.1") is not None
    # the environment's certificate and key, then the home folder's
    monkeypatch.setenv("PGSSLCERT", str(keys / "kai.crt"))
    monkeypatch.setenv("PGSSLKEY", str(keys / "old.key"))
    assert locked(HOST) == keys / "old.key"
    monkeypatch.delenv("PGSSLCERT")
    monkeypatch.delenv("PGSSLKEY")
    assert locked(HOST) is None
    home = Path.home() / ".postgresql"
    home.mkdir(parents=True)
    (home / "postgresql.crt").write_bytes((keys / "kai.crt").read_bytes())
    (home / "postgresql.key").write_bytes((keys / "locked.key").read_bytes())
    assert locked(HOST) == home / "postgresql.key"
    monkeypatch.setenv("PGSERVICE", "news")
    assert locked(HOST) is None


def test_a_connection_asks_once_and_keeps_the_passphrase_in_memory(keys: Path) -> None:
    with pytest.raises(KeyLocked) as caught:
        connection_params(url(keys))  # no one to ask
    assert str(caught.value) == (
        f"{url(keys)}: this desktop's key {keys / 'locked.key'} is locked with a passphrase and"
        " none was given: a command at a terminal asks for it, a window asks when it opens the"
        " project; a service needs a key of its own without one (readable by it alone)"
    )
    assert caught.value.key == keys / "locked.key"
    asked: list[Path] = []

    def asker(key: Path) -> str:
        asked.append(key)
        return PASSPHRASE

    PASSPHRASES.set_asker(asker)
    assert connection_params(url(keys))["sslpassword"] == PASSPHRASE
    assert connection_params(url(keys))["sslpassword"] == PASSPHRASE
    assert asked == [keys / "locked.key"]  # asked once for the process's connections
    assert "sslpassword" not in connection_params(url(keys, "plain.key"))
    given = url(keys, "locked.key", "sslpassword=typed")
    assert connection_params(given)["sslpassword"] == "typed"  # the URL's own wins
    PASSPHRASES.forget(keys / "locked.key")  # the key refused it
    connection_params(url(keys))
    assert asked == [keys / "locked.key"] * 2


def test_nothing_typed_at_the_terminal_is_a_refusal_in_one_line(keys: Path) -> None:
    PASSPHRASES.set_asker(lambda key: None)
    with pytest.raises(KeyLocked) as caught:
        connection_params(url(keys))
    assert str(caught.value) == (
        f"{url(keys)}: this desktop's key {keys / 'locked.key'} is locked with a passphrase and"
        " none was given: a command at a terminal asks for it, a window asks when it opens the"
        " project; a service needs a key of its own without one (readable by it alone)"
    )
    assert PASSPHRASES.kept(keys / "locked.key") is None


def test_threads_connecting_at_once_share_one_passphrase(keys: Path) -> None:
    PASSPHRASES.keep(keys / "locked.key", PASSPHRASE)
    seen: list[str] = []
    threads = [
        threading.Thread(target=lambda: seen.append(connection_params(url(keys))["sslpassword"]))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [PASSPHRASE] * 8

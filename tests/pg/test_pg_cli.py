"""``annotator init URL`` and ``annotator users``, run as a person would; psycopg as an extra."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from _pg_helpers import PgDb

from annotator.cli import main
from annotator.core.pg import MISSING_PSYCOPG, ServerError, connection, projects, users
from annotator.core.pg.schema import packaged_migrations

LATEST = packaged_migrations()[-1].version

PASSWORD = "kata sandi 🙂 rahasia"


def cli(capsys: pytest.CaptureFixture[str], *args: str, stdin: str = "") -> tuple[int, str, str]:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(args))
    finally:
        sys.stdin = old
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_creates_the_schema_and_the_project(
    pg_db: PgDb, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "init", pg_db.admin_url)
    assert code == 0
    assert out.splitlines() == [
        f"created the annotator schema (version {LATEST}) in {pg_db.admin_url}",
        f"created project '{pg_db.name}' with labels PERSON (1), AGENCY (2), CITY (3), "
        "DATE (4), PROGRAM (5)",
    ]
    code, out, _ = cli(capsys, "init", pg_db.admin_url)
    assert code == 0
    assert out.splitlines() == [
        f"the annotator schema in {pg_db.admin_url} is up to date (version {LATEST})",
        f"project '{pg_db.name}' exists",
    ]
    with pg_db.admin() as conn:
        assert projects.find_project(conn)[1] == pg_db.name
        labels = conn.execute("SELECT name FROM labels ORDER BY position").fetchall()
    assert [r[0] for r in labels] == ["PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"]


def test_a_url_names_one_of_several_projects(
    pg_db: PgDb, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "init", pg_db.admin_url, "--name", "berita")[0] == 0
    assert cli(capsys, "init", pg_db.admin_url, "--name", "sport")[0] == 0
    with pg_db.admin() as conn, pytest.raises(ServerError, match="several projects"):
        projects.find_project(conn)
    chosen = pg_db.admin_url + "&options=-c%20annotator.project%3Dsport"
    with connection.connect(chosen) as conn:
        assert projects.find_project(conn)[1] == "sport"


def test_users_add_list_and_remove(
    pg_project: PgDb, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_project.admin_url
    add = ("users", "add", url)
    assert cli(
        capsys, *add, "ani", "--role", "annotator", "--password-stdin", stdin=PASSWORD + "\n"
    )[1] == ("created annotator ani\n")
    assert cli(capsys, *add, "lea", "--role", "lead", "--password-stdin", stdin="x-lead\n")[0] == 0
    assert cli(capsys, "users", "list", url)[1] == "ani\tannotator\nlea\tlead\n"

    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    with connection.connect(pg_project.url_for("ani")) as conn:
        assert users.identity(conn).who == "annotator ani"
    with pg_project.admin() as conn:
        stored = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'ani'").fetchone()
    assert stored is not None
    assert stored[0].startswith("SCRAM-SHA-256$")  # hashed here: the server never saw it

    # ani becomes a lead: one kind at a time.
    code, out, _ = cli(capsys, *add, "ani", "--role", "lead", "--no-password")
    assert (code, out) == (0, "updated lead ani\n")
    listed = json.loads(cli(capsys, "users", "list", url, "--json")[1])
    assert listed == [{"name": "ani", "role": "lead"}, {"name": "lea", "role": "lead"}]

    assert cli(capsys, "users", "remove", url, "ani")[1] == "removed ani from the project\n"
    with pg_project.admin() as conn:
        assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'ani'").fetchone() is None
    with pytest.raises(ServerError, match='password authentication failed for user "ani"'):
        connection.connect(pg_project.url_for("ani"))


def test_remove_keeps_a_login_role_it_did_not_create(
    pg_project: PgDb, capsys: pytest.CaptureFixture[str]
) -> None:
    with pg_project.admin(autocommit=True) as conn:
        conn.execute("CREATE ROLE carol LOGIN")
    try:
        url = pg_project.admin_url
        assert cli(capsys, "users", "add", url, "carol", "--role", "annotator", "--no-password")[
            1
        ] == ("updated annotator carol\n")
        code, out, _ = cli(capsys, "users", "remove", url, "carol")
        assert (code, out) == (
            0,
            "removed carol from the project (the login role is kept: it is used elsewhere)\n",
        )
        assert cli(capsys, "users", "list", url)[1] == ""
    finally:
        with pg_project.admin(autocommit=True) as conn:
            conn.execute("DROP ROLE carol")


def test_an_annotator_cannot_add_people(
    pg_project: PgDb, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", pg_project.add_person("ani", "annotator"))
    code, out, err = cli(
        capsys, "users", "add", pg_project.url_for("ani"), "eve", "--role", "lead", "--no-password"
    )
    assert (code, out) == (1, "")
    assert err == (
        "annotator: permission denied: user ani cannot create users (that needs CREATEROLE)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("gold", "--no-password"), "'gold' cannot be a person's name on the server"),
        (("pg_ani", "--no-password"), "'pg_ani' cannot be a person's name on the server"),
        (("Ani", "--no-password"), "annotator name 'Ani' must be 1-64 of a-z 0-9 _ . -"),
        (("ani",), "no password: use --password-stdin, a terminal, or --no-password"),
        (("ani", "--password-stdin"), "empty password"),
    ],
)
def test_bad_people_are_one_line(
    pg_project: PgDb, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, _, err = cli(
        capsys, "users", "add", pg_project.admin_url, *args[:1], "--role", "annotator", *args[1:]
    )
    assert (code, err) == (1, f"annotator: {message}\n")


def test_users_need_a_server_url(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "users", "list", "some/folder")
    assert (code, err) == (
        1,
        "annotator: some/folder: people exist on a server project (postgresql://...)\n",
    )


@pytest.mark.parametrize(
    "args",
    [
        ("users", "list", "postgresql://ani@db.example/news"),
        ("init", "postgresql://lea@db.example/news"),
    ],
)
def test_without_psycopg_a_server_url_says_what_to_install(args: tuple[str, ...]) -> None:
    program = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from annotator.cli import main\n"
        f"raise SystemExit(main({list(args)!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"annotator: {MISSING_PSYCOPG}\n")

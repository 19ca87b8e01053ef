"""``annotator users add|list|remove URL ...``: the people of a server project.

Passwords are never arguments: ``--password-stdin`` reads one line from standard input,
otherwise a terminal prompts twice; ``--no-password`` is for roles that sign in another way
(certificates, peer). The admin's own password comes from libpq (PGPASSWORD, ~/.pgpass).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from annotator.core.errors import AnnotatorError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``users``."""
    sub = parser.add_subparsers(dest="action", required=True, metavar="add|list|remove")
    add = sub.add_parser("add", help="add a person (creates their login role)")
    add.add_argument("url", help="the project's postgresql:// URL (as its admin)")
    add.add_argument("name", help="login and annotator name: 1-63 of a-z 0-9 _ . -")
    add.add_argument("--role", choices=("annotator", "lead"), required=True)
    how = add.add_mutually_exclusive_group()
    how.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    how.add_argument(
        "--no-password", action="store_true", help="set no password (certificate or peer login)"
    )
    listing = sub.add_parser("list", help="list the people and their roles")
    listing.add_argument("url")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    remove = sub.add_parser("remove", help="take a person out of the project")
    remove.add_argument("url")
    remove.add_argument("name")


def _password(args: argparse.Namespace) -> str | None:
    if args.no_password:
        return None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise AnnotatorError("the two passwords differ")
    else:
        raise AnnotatorError("no password: use --password-stdin, a terminal, or --no-password")
    if not password:
        raise AnnotatorError("empty password")
    return password


def run(args: argparse.Namespace) -> int:
    """Add, list or remove people."""
    from annotator.core.pg import is_server_url, require_psycopg

    if not is_server_url(args.url):
        raise AnnotatorError(f"{args.url}: people exist on a server project (postgresql://...)")
    require_psycopg()
    from annotator.core.pg import connection, schema, users

    password = _password(args) if args.action == "add" else None
    if args.action == "add":
        try:
            users.check_person_name(args.name)
        except ValueError as exc:
            raise AnnotatorError(str(exc)) from None
    with connection.connect(args.url) as conn:
        schema.check(conn)
        if args.action == "add":
            created = users.add_user(conn, args.name, args.role, password)
            print(f"{'created' if created else 'updated'} {args.role} {args.name}")
        elif args.action == "remove":
            dropped = users.remove_user(conn, args.name)
            kept = "" if dropped else " (the login role is kept: it is used elsewhere)"
            print(f"removed {args.name} from the project{kept}")
        else:
            members = users.list_users(conn)
            if args.json:
                print(json.dumps([{"name": m.name, "role": m.kind} for m in members]))
            else:
                for m in members:
                    print(f"{m.name}\t{m.kind}" + ("" if m.can_login else "\t(cannot log in)"))
    return 0

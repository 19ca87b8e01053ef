"""The command line (docs/design.md section 7): sub-commands, and the window when none is given.

Each sub-command lives in ``annotator.commands.<name>`` with ``add_arguments(parser)`` and
``run(args) -> int``; it is imported only when used, and the UI only to open the window, so
the command line starts fast and works without a display.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import textwrap
from collections.abc import Sequence
from types import ModuleType

from annotator import __version__
from annotator.commands.output import guarded_stdout, warn
from annotator.commands.terminal import ask_at_terminal
from annotator.core.errors import AnnotatorError

COMMANDS: dict[str, str] = {
    "init": "new project with the default five labels",
    "import": "add documents (and their annotations) from txt, JSONL, doccano, Prodigy, "
    "Label Studio or CoNLL files",
    "validate": "check every file of a project; exit 1 with path:line on problems",
    "stats": "documents, progress per annotator, spans per label",
    "agreement": "inter-annotator agreement: span F1, Cohen's and Fleiss' kappa, alpha",
    "export": "training data: jsonl, conll, spacy, hf, with reproducible splits",
    "preannotate": "write rule or model suggestions for every document",
    "train": "train the suggestion model on the project's done annotations",
    "users": "people of a server project: add, list, remove (PostgreSQL login roles)",
    "assign": "who annotates which document: overlap for agreement, team changes",
    "progress": "per annotator: assigned, done, skipped, in progress, hours, last activity",
    "push": "copy a project folder to a server (documents, annotations, journals, plan)",
    "pull": "write a folder snapshot of a server project (its JSONL training data)",
    "keep": "a lead's service: keep agreement parts and the report state on the server as "
    "work arrives",
    "journal": "list, retry or discard journal entries that could not be applied",
}


def commands_help(width: int = 79) -> str:
    """The commands, one per line with its description aligned beside it (wrapped)."""
    column = max(len(name) for name in COMMANDS) + 4
    lines = ["commands:"]
    for name, text in COMMANDS.items():
        wrapped = textwrap.wrap(text, max(20, width - column))
        lines.append(f"  {name.ljust(column - 2)}{wrapped[0]}")
        lines += [" " * column + more for more in wrapped[1:]]
    lines += ["", "Run 'annotator COMMAND --help' for the options of one."]
    return "\n".join(lines)


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        usage="annotator [PROJECT] [--annotator NAME] [--lead]\n       annotator COMMAND ...",
        description=textwrap.fill(
            "Named-entity annotation of Indonesian news. With no command, opens the window on "
            "PROJECT (on the demo project when none is given).",
            79,
        ),
        epilog=commands_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "project",
        nargs="?",
        help="project folder, or a postgresql:// URL of a server project (default: the demo "
        "project)",
    )
    parser.add_argument("--annotator", metavar="NAME", help="annotate as NAME")
    parser.add_argument(
        "--lead",
        action="store_true",
        help="open as a team lead: every document and everyone's work (in a project with an "
        "assignment plan an annotator sees only their own)",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    return parser


def _command_parser(name: str) -> tuple[argparse.ArgumentParser, ModuleType]:
    module = importlib.import_module(f"annotator.commands.{name.replace('-', '_')}_cmd")
    parser = argparse.ArgumentParser(prog=f"annotator {name}", description=COMMANDS[name])
    module.add_arguments(parser)
    return parser, module


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 failure, 2 bad usage)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list and args_list[0] in COMMANDS:
            parser, module = _command_parser(args_list[0])
            args = parser.parse_args(args_list[1:])
            ask_at_terminal()  # a password or a locked key's passphrase, if a server needs one
            with guarded_stdout():  # ids and titles from input files never drive the terminal
                return int(module.run(args))
        args = _gui_parser().parse_args(args_list)
        from annotator.ui.app import run_app  # the only import of Qt, and only here

        return run_app(args.project, args.annotator, lead=args.lead)
    except AnnotatorError as exc:
        warn(f"annotator: {exc}")
        return 1
    except OSError as exc:  # a disk error no command foresaw: still one line, never a traceback
        if isinstance(exc, BrokenPipeError):  # the reader went away (| head): nothing to say
            return 1
        where = f"{exc.filename}: " if exc.filename else ""
        warn(f"annotator: {where}{exc.strerror or exc}")
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())

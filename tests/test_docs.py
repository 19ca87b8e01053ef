"""The repo explains itself: every document a file cites is in the repo, and decisions are indexed.

Code, tests and docs cite the project's own pages (``docs/design.md section 6``). These checks
fail when a file cites a document that is not in the repository (a planning text kept
elsewhere), points at a ``docs/`` path or a Markdown link target that does not exist, names a
module that is not there (``core/store.py``, ``annotator/ui/app.py``, ``tests/...py``,
``annotator.core.store``), or when a decision record is missing from
``docs/decisions/README.md``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEXT_SUFFIXES = {".py", ".md", ".toml", ".sh", ".txt", ".cfg", ".ini", ".yml", ".yaml"}
TEXT_NAMES = {"Makefile", "run"}  # .ci/run
SKIP_DIRS = {".git", ".venv", "__pycache__", "build", "dist", "node_modules"}

# Documents that were never part of the repository; the repo's own pages replace them:
# design -> docs/design.md, agreement -> docs/agreement.md, Qt notes -> docs/qt.md,
# team -> docs/team.md. Each pattern is split so that this file does not match itself.
FOREIGN = [
    ("the design text", re.compile(r"\b" + "DESIGN" + r"\b")),
    ("the agreement text", re.compile(r"\b" + "AGREEMENT" + r"\b")),
    ("the Qt notes", re.compile("QT" + "-NOTES")),
    ("the PostgreSQL notes", re.compile("PG" + "-NOTES")),
    ("the team text", re.compile(r"\b" + "TEAM" + r"\.md")),
    ("the style text", re.compile(r"\b" + "STYLE" + r"\.md")),
    ("a folder outside the repo", re.compile(r"\.\./" + "shared\\b|/work" + "/")),
]
DOCS_PATH = re.compile(r"(?<![\w./-])docs/[\w./-]*\w\.(?:md|py|png)\b")
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
# a module by its path: in the package (``annotator/`` may be left out before core, ui and
# commands) or among the tests, benchmarks and scripts
MODULE_PATH = re.compile(
    r"(?<![\w./-])((?:annotator/)?(?:core|ui|commands)/[\w/]*\w\.py"
    r"|annotator/[\w/]*\w\.py|(?:tests|bench|scripts)/[\w/]*\w\.py)\b"
)
# a module by its dotted name; what follows the last module is a name inside it
DOTTED = re.compile(r"(?<![\w.])annotator\.(?:core|ui|commands|cli)(?:\.\w+)*")


def tracked_files() -> list[Path]:
    """The repository's text files: what git tracks or would add, else (no git) a walk."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        paths = [ROOT / p for p in out.decode("utf-8").split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        paths = [
            p
            for p in ROOT.rglob("*")
            if not any(part in SKIP_DIRS or part.endswith(".egg-info") for part in p.parts)
        ]
    return sorted(
        p for p in paths if p.is_file() and (p.suffix in TEXT_SUFFIXES or p.name in TEXT_NAMES)
    )


FILES = tracked_files()


def lines_of(path: Path) -> list[str]:
    """The file's lines (a file that is not UTF-8 text has none)."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return []


def test_the_checks_see_the_repository() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert {"README.md", "pyproject.toml", "docs/design.md", "tests/test_docs.py"} <= names


def test_no_file_cites_a_document_the_repo_lacks() -> None:
    me = Path(__file__).resolve()
    found = [
        f"{path.relative_to(ROOT)}:{n}: cites {what}: {line.strip()}"
        for path in FILES
        if path.resolve() != me
        for n, line in enumerate(lines_of(path), 1)
        for what, pattern in FOREIGN
        if pattern.search(line)
    ]
    assert not found, "cite docs/design.md, docs/agreement.md, docs/qt.md or docs/team.md:\n" + (
        "\n".join(found)
    )


def test_every_docs_path_cited_exists() -> None:
    missing = [
        f"{path.relative_to(ROOT)}:{n}: {cited}"
        for path in FILES
        for n, line in enumerate(lines_of(path), 1)
        for cited in DOCS_PATH.findall(line)
        if not (ROOT / cited).exists()
    ]
    assert not missing, "these docs/ paths do not exist:\n" + "\n".join(missing)


def module_path_exists(cited: str) -> bool:
    """``cited`` (``core/store.py``, ``annotator/cli.py``, ``tests/test_docs.py``) is a file."""
    top = cited.split("/", 1)[0]
    relative = cited if top in ("annotator", "tests", "bench", "scripts") else f"annotator/{cited}"
    return (ROOT / relative).is_file()


def dotted_module_exists(name: str) -> bool:
    """Each package of ``name`` exists down to a module, or to a name its package defines."""
    here = ROOT
    for part in name.split("."):
        if (here / part / "__init__.py").is_file():
            here = here / part
        elif (here / f"{part}.py").is_file():
            return True  # a module: the rest names something inside it
        else:  # a name the package itself defines or imports (``core.export.export_project``)
            init = (here / "__init__.py").read_text(encoding="utf-8")
            return re.search(rf"\b{re.escape(part)}\b", init) is not None
    return True


def test_the_module_checks_can_fail() -> None:
    assert module_path_exists("core/store.py")
    assert module_path_exists("annotator/ui/app.py")
    assert module_path_exists("tests/test_docs.py")
    assert not module_path_exists("ui/session.py")
    assert not module_path_exists("annotator/core/nowhere.py")
    assert dotted_module_exists("annotator.core.store")
    assert dotted_module_exists("annotator.core.store.Session")
    assert dotted_module_exists("annotator.core.export.export_project")
    assert not dotted_module_exists("annotator.ui.session")
    assert not dotted_module_exists("annotator.core.nowhere.thing")
    assert MODULE_PATH.findall("in `ui/window/theme.py` and core/store.py.") == [
        "ui/window/theme.py",
        "core/store.py",
    ]
    assert DOTTED.findall("from annotator.ui.app import run_app; annotator.toml") == [
        "annotator.ui.app"
    ]


def test_every_module_named_exists() -> None:
    me = Path(__file__).resolve()  # its own examples of missing modules above
    missing = [
        f"{path.relative_to(ROOT)}:{n}: {cited}"
        for path in FILES
        if path.resolve() != me
        for n, line in enumerate(lines_of(path), 1)
        for cited in [
            *(c for c in MODULE_PATH.findall(line) if not module_path_exists(c)),
            *(c for c in DOTTED.findall(line) if not dotted_module_exists(c)),
        ]
    ]
    assert not missing, "these modules do not exist (moved or renamed?):\n" + "\n".join(missing)


def test_every_relative_markdown_link_resolves() -> None:
    missing = []
    for path in FILES:
        if path.suffix != ".md":
            continue
        for n, line in enumerate(lines_of(path), 1):
            for target in MD_LINK.findall(line):
                if re.match(r"[a-z]+:|#", target):  # a URL or an anchor on the same page
                    continue
                if not (path.parent / target.split("#")[0]).exists():
                    missing.append(f"{path.relative_to(ROOT)}:{n}: {target}")
    assert not missing, "these links point nowhere:\n" + "\n".join(missing)


@pytest.mark.parametrize(
    "record",
    sorted((ROOT / "docs" / "decisions").glob("[0-9][0-9][0-9][0-9]-*.md")),
    ids=lambda p: p.name,
)
def test_every_decision_record_is_in_the_index(record: Path) -> None:
    index = (ROOT / "docs" / "decisions" / "README.md").read_text(encoding="utf-8")
    assert f"]({record.name})" in index, (
        f"add a line for {record.name} to docs/decisions/README.md: "
        f"| [{record.name[:4]}]({record.name}) | title | in one line |"
    )


def test_the_readme_synopsis_lists_every_command_and_option() -> None:
    """Every command and every option of the command line is in the README's synopsis."""
    import argparse

    from annotator.cli import COMMANDS, _command_parser, _gui_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Command line", 1)[1].split("```")[1]
    parsers = [("", _gui_parser())]
    for name in COMMANDS:
        parser, _ = _command_parser(name)
        parsers.append((name, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers += [(f"{name} {sub}", p) for sub, p in action.choices.items()]
    missing = []
    for name, parser in parsers:
        if name and f"annotator {name} " not in block:
            missing.append(name)
        for action in parser._actions:
            for option in action.option_strings:
                wanted = option.startswith("--") and option not in ("--help", "--version")
                if wanted and option not in block:
                    missing.append(f"{name} {option}")
    assert missing == []

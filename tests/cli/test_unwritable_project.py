"""Every command on a project it cannot write (read-only folder, full disk): one line, or works.

No traceback, exit 0 or 1, and every file of the project as it was.
"""

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import jsonl
from annotator.core.project import Project

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


def annotated(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    Project.init(root)
    for who in ("ani", "budi"):
        assert main(["import", str(root), str(DATA / "labelstudio.json"), "--annotator", who]) == 0
    assert main(["preannotate", str(root)]) == 0
    return root


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "stats": lambda r: ["stats", str(r)],
    "stats --json": lambda r: ["stats", str(r), "--json"],
    "validate": lambda r: ["validate", str(r)],
    "agreement": lambda r: ["agreement", str(r)],
    "agreement --html": lambda r: ["agreement", str(r), "--html", str(r / "report.html")],
    "export": lambda r: ["export", str(r), "--format", "conll", "--out", str(r / "exports")],
    "import": lambda r: ["import", str(r), str(DATA / "plain.jsonl")],
    "import --annotator": lambda r: [
        "import", str(r), str(DATA / "doccano.jsonl"), "--annotator", "cici"
    ],
    "preannotate": lambda r: ["preannotate", str(r)],
    "preannotate --as": lambda r: ["preannotate", str(r), "--as", "ani"],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_read_only_project(
    name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    read_only_fs: Callable[[Path], None],
) -> None:
    root = annotated(tmp_path)
    before = snapshot(root)
    capsys.readouterr()
    read_only_fs(root)
    code = main(COMMANDS[name](root))
    out = capsys.readouterr()
    assert code in (0, 1)
    assert "Traceback" not in out.err
    if code == 1:
        problems = [line for line in out.err.splitlines() if ": note: " not in line]
        assert len(problems) == 1, out.err
        assert "Read-only file system" in problems[0]
    assert snapshot(root) == before


@pytest.mark.parametrize("name", ["preannotate", "agreement --html", "export", "import"])
def test_a_full_disk(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = annotated(tmp_path)
    before = snapshot(root)
    capsys.readouterr()

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # every durable write ends in an fsync
    code = main(COMMANDS[name](root))
    monkeypatch.undo()
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.err
    problems = [line for line in out.err.splitlines() if ": note: " not in line]
    assert len(problems) == 1, out.err
    assert "No space left on device" in problems[0]
    after = snapshot(root)
    for path, data in before.items():
        if ".annotator" not in path.parts:  # caches may be rewritten; never the data
            assert after[path] == data, path


def test_preannotate_on_a_full_disk_keeps_the_previous_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = annotated(tmp_path)
    path = root / "suggestions" / "default.jsonl"
    before = path.read_bytes()
    capsys.readouterr()
    real = jsonl.os.replace

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jsonl.os, "replace", full)
    assert main(["preannotate", str(root)]) == 1
    monkeypatch.setattr(jsonl.os, "replace", real)
    err = capsys.readouterr().err
    assert err.startswith("annotator: ")
    assert "cannot write the suggestions (No space left on device); the previous" in err
    assert path.read_bytes() == before
    assert [json.loads(line)["id"] for line in before.splitlines()]
    assert not list(path.parent.glob("*.tmp"))

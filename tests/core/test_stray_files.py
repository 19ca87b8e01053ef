"""Files in annotations/ that are no annotator's: no command traces back, validate names them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _store_helpers import make_project

from annotator.core.edit import AddSpan
from annotator.core.project import Project
from annotator.core.tokens import Snap
from annotator.core.validate import validate_project

TEXT = "Kemendagri di Kota Makassar 🇮🇩"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, check=False
    )


def project_with(root: Path) -> Project:
    """Two documents, and two real annotators with one done annotation each."""
    project = make_project(root, {"d1": TEXT, "d2": "Wali Kota Bogor"})
    for name in ("ani", "dedi"):
        with project.session(name) as session:
            session.apply(AddSpan("d1", 0, len("Kemendagri"), "AGENCY", Snap.EXACT))
            session.set_status("d1", "done")
    return project


COMMANDS = [
    ("stats", "--json"),
    ("agreement", "--json"),
    ("export", "--format", "jsonl", "--source", "merged", "--out", "{out}"),
    ("export", "--format", "conll", "--source", "ani", "--out", "{out}"),
    ("journal",),
]


@pytest.mark.parametrize("stray", ["Ani.jsonl", "Bad Name.jsonl", "ANI.JSONL.jsonl", "é.jsonl"])
def test_a_file_whose_name_is_no_annotators_is_left_out_and_reported(
    tmp_path: Path, stray: str
) -> None:
    project = project_with(tmp_path / "p")
    good = (project.annotations_dir / "ani.jsonl").read_text("utf-8")
    (project.annotations_dir / stray).write_text(good, encoding="utf-8")
    assert Project.open(project.root).annotators() == ["ani", "dedi"]
    for command in COMMANDS:
        args = [a.replace("{out}", str(tmp_path / "out")) for a in command[1:]]
        out = run_cli(command[0], str(project.root), *args)
        assert out.returncode == 0, (command, out.stderr)
        assert "Traceback" not in out.stderr
    stats = json.loads(run_cli("stats", str(project.root), "--json").stdout)
    assert [a["name"] for a in stats["annotators"]] == ["ani", "dedi"]
    problems = validate_project(project.root).problems
    assert problems == [
        f"{project.annotations_dir / stray}: not an annotator's file: the name "
        f"{stray.removesuffix('.jsonl')!r} is not 1-64 of a-z 0-9 _ . - (annotator names are "
        "lower-case); rename it or move it away"
    ]
    checked = run_cli("validate", str(project.root))
    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr


def test_a_folder_named_like_an_annotators_file_is_one_line_everywhere(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p")
    (project.annotations_dir / "budi.jsonl").mkdir()
    (project.annotations_dir / "budi.jsonl" / "x.jsonl").write_text("{}\n", encoding="utf-8")
    folder = project.annotations_dir / "budi.jsonl"
    for command in [*COMMANDS, ("validate",)]:
        args = [a.replace("{out}", str(tmp_path / "out")) for a in command[1:]]
        out = run_cli(command[0], str(project.root), *args)
        assert "Traceback" not in out.stderr, command
        if out.returncode:
            assert out.returncode == 1, command
            assert out.stderr.count("\n") <= 1 or command[0] == "validate", out.stderr
            assert str(folder) in out.stdout + out.stderr, command
    problems = validate_project(project.root).problems
    assert f"{folder}: is a folder, not an annotator's file; move it away" in problems
    with pytest.raises(Exception, match="is not a file") as info:
        project.session("budi")
    assert "Traceback" not in str(info.value)
    # ani's work is untouched and still opens
    with Project.open(project.root).session("ani") as session:
        ann = session.annotation("d1")
    assert ann is not None
    assert ann.status == "done"


def test_a_journal_named_like_no_annotator_is_ignored(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p")
    (project.state_dir / "Bad Name.journal").write_text('{"id": "d1"}\n', encoding="utf-8")
    (project.state_dir / "cici.journal").mkdir()
    assert Project.open(project.root).annotators() == ["ani", "dedi"]
    out = run_cli("stats", str(project.root))
    assert out.returncode == 0, out.stderr
    assert validate_project(project.root).problems == []

"""init, stats and validate from the command line: exit codes and one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.edit import AddSpan
from annotator.core.model import Document
from annotator.core.project import Project
from annotator.core.tokens import Snap


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, check=False
    )


def test_init_creates_the_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "p")]) == 0
    for part in ("annotator.toml", "documents.jsonl", "annotations", "exports"):
        assert (tmp_path / "p" / part).exists()
    assert "PERSON (1)" in capsys.readouterr().out
    assert Project.open(tmp_path / "p").config.label_names == (
        "PERSON",
        "AGENCY",
        "CITY",
        "DATE",
        "PROGRAM",
    )


def test_init_refuses_an_existing_project(tmp_path: Path) -> None:
    Project.init(tmp_path / "p")
    out = run_cli("init", str(tmp_path / "p"))
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1
    assert "already a project" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    out = run_cli("stats")
    assert out.returncode == 2


def test_not_a_project_is_one_line(tmp_path: Path) -> None:
    out = run_cli("stats", str(tmp_path))
    assert out.returncode == 1
    assert "not a project" in out.stderr
    assert "Traceback" not in out.stderr


def test_stats_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = Project.init(tmp_path / "p")
    project.documents.append([Document(id="a", text="Kemendagri di Jakarta")])
    with project.session("ani") as s:
        s.apply(AddSpan("a", 0, len("Kemendagri"), "AGENCY", Snap.EXACT))
        s.set_status("a", "done", 5)
    assert main(["stats", str(project.root), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["documents"] == 1
    assert stats["annotators"][0]["spans"]["AGENCY"] == 1
    assert stats["annotators"][0]["done"] == 1
    assert main(["stats", str(project.root)]) == 0
    assert "1 / 1" in capsys.readouterr().out


def test_validate_reports_path_line_and_exits_1(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    project.documents.append([Document(id="a", text="Kemendagri")])
    bad = project.annotations_dir / "ani.jsonl"
    good = {
        "id": "a",
        "text": "Kemendagri",
        "annotator": "ani",
        "status": "done",
        "spans": [{"start": 0, "end": 10, "label": "AGENCY", "text": "Kemendagri"}],
    }
    wrong = dict(good, spans=[{"start": 0, "end": 4, "label": "AGENCY", "text": "Kemx"}])
    bad.write_text(json.dumps(good) + "\n" + json.dumps(wrong) + "\n[1, 2]\n", "utf-8")
    out = run_cli("validate", str(project.root))
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:2: ")
    assert "does not match" in lines[0]
    assert lines[1] == f"{bad}:3: expected a JSON object, got list"
    assert len(lines) == 2
    assert "Traceback" not in out.stderr


def test_validate_clean_project_exits_0(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    project.documents.append([Document(id="a", text="Kemendagri")])
    out = run_cli("validate", str(project.root))
    assert out.returncode == 0, out.stderr
    assert "0 problems" in out.stdout


def test_stats_shows_bad_lines_and_never_hours_inf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = Project.init(tmp_path / "p")
    project.documents.append(
        [Document(id="a", text="Kota Bogor"), Document(id="b", text="Kota Solo")]
    )
    line = '{"id":"%s","text":"%s","spans":[],"status":"done","annotator":"ani","seconds":%s}\n'
    (project.annotations_dir / "ani.jsonl").write_text(
        line % ("a", "Kota Bogor", "Infinity") + line % ("b", "Kota Solo", "1e400"),
        encoding="utf-8",
    )
    assert main(["stats", str(project.root)]) == 0
    out = capsys.readouterr().out
    assert "inf" not in out
    assert "project p: 2 documents" in out
    assert "ani: 2 bad lines in annotations/ani.jsonl, not counted" in out
    assert main(["stats", str(project.root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["annotators"][0]["errors"] == 2
    assert main(["validate", str(project.root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("ani.jsonl:1: Infinity is not a JSON number")
    assert err[1].endswith("ani.jsonl:2: the number 1e400 is too large to store")


def test_stats_says_1_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = Project.init(tmp_path / "p")
    project.documents.append([Document(id="a", text="Kota Bogor")])
    assert main(["stats", str(project.root)]) == 0
    assert "project p: 1 document\n" in capsys.readouterr().out


def test_init_in_a_folder_that_holds_files_says_what_it_did(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "berita"
    (root / "exports").mkdir(parents=True)
    (root / "catatan.txt").write_text("rapat\n", encoding="utf-8")
    (root / "documents.jsonl").write_text('{"id": "a", "text": "Kota Bogor"}\n', "utf-8")
    assert main(["init", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"created project 'berita' in {root} with labels PERSON (1)")
    assert out[1:] == [
        "  made: annotator.toml, annotations/",
        "  kept as it was: documents.jsonl, exports/",
        "  the documents.jsonl found there holds 1 document: they are the project's",
        "  the folder already held 1 other entry, left untouched (import articles with "
        f"'annotator import {root} PATH')",
    ]
    assert (root / "catatan.txt").read_text(encoding="utf-8") == "rapat\n"
    assert main(["init", str(tmp_path / "baru")]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1  # an empty folder: nothing to add


def test_top_level_help_lists_one_command_a_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from annotator.cli import COMMANDS

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    for name in COMMANDS:
        assert any(line.startswith(f"  {name} ") for line in lines), name
    assert "Run 'annotator COMMAND --help'" in out

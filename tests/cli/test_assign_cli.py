"""``annotator assign`` and ``annotator progress`` from the command line."""

import json
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from annotator.cli import _command_parser, main
from annotator.core.assignments import plan_lock, read_plan
from annotator.core.model import Document
from annotator.core.project import Project
from annotator.core.team import assign_options, command_line


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, check=False
    )


def project_with(root: Path, n: int) -> Project:
    project = Project.init(root)
    project.documents.append([Document(id=f"d{i:03d}", text=f"Berita {i}") for i in range(n)])
    return project


def test_json_prints_the_whole_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path / "p", 30)
    root = str(project.root)
    assert main(["assign", root, "--annotators", "ani,budi,citra", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data["documents"]) == project.documents.ids
    assert data["load"] == {"ani": 11, "budi": 11, "citra": 11}
    assert Counter(len(v) for v in data["documents"].values()) == {1: 27, 2: 3}
    plan = read_plan(project.root)
    assert plan is not None
    assert {d: list(e.annotators) for d, e in plan.entries.items()} == data["documents"]
    project.documents.append([Document(id="late", text="Berita terlambat")])
    assert main(["assign", root, "--json"]) == 0  # the same team, from the last run
    data = json.loads(capsys.readouterr().out)
    assert data["new_documents"] == 1
    assert sum(data["load"].values()) == 34


def test_summary_and_dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path / "p", 20)
    root = str(project.root)
    assert main(["assign", root, "--annotators", "ani,budi", "--overlap", "0.5", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "assigned 20 new documents: 10 to two or more annotators, 10 to one" in out
    assert "documents assigned per annotator:\n  ani   15\n  budi  15\n" in out
    assert "documents shared per pair (1 pair): 10\n  ani - budi  10\n" in out
    assert "dry run: nothing written" in out
    assert not (project.root / "assignments.jsonl").exists()
    suggested = out.strip().splitlines()[-1].strip()
    assert subprocess.run(
        [sys.executable, "-m", "annotator", *shlex.split(suggested)[1:]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.startswith("assigned 20 new documents")
    assert main(["assign", root]) == 0
    assert "nothing to assign" in capsys.readouterr().out


def test_errors_are_one_line(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p", 2)
    root = str(project.root)
    out = run_cli("assign", root)
    assert out.returncode == 1
    assert (
        out.stderr == "annotator: the project has no plan yet: give the team with "
        "--annotators a,b,c\n"
    )
    for bad in (["--overlap", "2"], ["--reclaim-after", "soon"], ["--per-doc", "x"]):
        out = run_cli("assign", root, "--annotators", "ani", *bad)
        assert out.returncode == 2, bad
        assert "Traceback" not in out.stderr
    out = run_cli("assign", root, "--annotators", "ani,gold")
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1
    (project.root / "assignments.jsonl").write_text("{oops\n", "utf-8")
    out = run_cli("assign", root, "--annotators", "ani")
    assert out.returncode == 1
    assert out.stderr.startswith(f"annotator: {project.root / 'assignments.jsonl'}:1: ")
    assert (project.root / "assignments.jsonl").read_text("utf-8") == "{oops\n"


def test_command_line_parses_back_to_the_same_options(tmp_path: Path) -> None:
    options = assign_options(
        tmp_path, "ani,budi", overlap=0.15, per_doc=3, seed=4, add="citra", remove="budi",
        reclaim_after=7 * 86400,
    )  # fmt: skip
    argv = shlex.split(command_line(tmp_path / "my project", options))
    assert argv[:3] == ["annotator", "assign", str(tmp_path / "my project")]
    parser, _ = _command_parser("assign")
    args = parser.parse_args(argv[2:])
    again = assign_options(
        tmp_path, args.annotators, args.overlap, args.per_doc, args.seed, args.add, args.remove,
        args.reclaim_after,
    )  # fmt: skip
    assert again == options


def test_two_leads_at_once_lose_nothing(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p", 200)
    root = str(project.root)
    assert main(["assign", root, "--annotators", "ani,budi"]) == 0
    project.documents.append([Document(id=f"new{i}", text=f"Baru {i}") for i in range(50)])
    command = [sys.executable, "-m", "annotator", "assign", root]
    # both start while the plan is locked, so each must wait for it and then plan on top
    with plan_lock(project.root):
        one = subprocess.Popen(
            [*command, "--add", "citra"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        two = subprocess.Popen(
            [*command, "--remove", "ani"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    for proc in (one, two):
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    plan = read_plan(project.root)
    assert plan is not None
    assert set(plan.entries) == set(Project.open(project.root).documents.ids)
    assert plan.documents_of("ani") == [], "ani left: nobody had started hers"
    assert plan.documents_of("citra"), "citra joined"
    assert all(len(set(e.annotators)) == len(e.annotators) for e in plan.entries.values())


def test_progress_table_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path / "p", 10)
    root = str(project.root)
    assert main(["progress", root]) == 0
    assert "nobody has annotated yet" in capsys.readouterr().out
    assert main(["assign", root, "--annotators", "ani,budi", "--overlap", "0.2"]) == 0
    plan = read_plan(project.root)
    assert plan is not None
    with project.session("ani") as s:
        for doc in plan.documents_of("ani")[:3]:
            s.set_status(doc, "done", 600)
    capsys.readouterr()
    assert main(["progress", root]) == 0
    out = capsys.readouterr().out
    assert "project p: 10 documents, with a plan" in out
    assert "annotator  assigned  done  skipped  in progress  not started  hours  docs/hour" in out
    assert "ani               6     3        0            0            3    0.5        6.0" in out
    assert "budi              6     0        0            0            6    0.0        n/a" in out
    # each one's overlap documents done by all their annotators, of their overlap documents
    ani_line = next(line for line in out.splitlines() if line.startswith("ani "))
    assert "overlap done" in out
    assert ani_line.endswith(" 0/2")
    assert "overlap: 2 documents have two or more annotators" in out
    assert main(["progress", root, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["annotators"][0]["done"] == 3
    assert data["pairs"] == [{"a": "ani", "b": "budi", "shared": 2, "finished_by_both": 0}]


def test_progress_says_one_document_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A count of one takes the singular, its verb too; other counts the plural."""
    root = str(project_with(tmp_path / "p", 1).root)
    assert main(["assign", root, "--annotators", "ani,budi", "--overlap", "1"]) == 0
    assert "assigned 1 new document:" in capsys.readouterr().out
    assert main(["progress", root]) == 0
    out = capsys.readouterr().out
    assert "project p: 1 document, with a plan" in out
    assert "overlap: 1 document has two or more annotators, 0 of them" in out
    assert "agreement can be computed on 0 documents (done by" in out

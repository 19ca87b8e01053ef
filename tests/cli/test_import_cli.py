"""``annotator import``: summary, one line per problem, exit codes, no tracebacks, progress."""

import errno
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.commands import import_cmd
from annotator.core.edit import AddSpan
from annotator.core.model import Document
from annotator.core.project import Project
from annotator.core.tokens import Snap

DATA = Path(__file__).resolve().parent.parent / "data" / "import"
PROBLEM = re.compile(r"^\S.*:\d+: \S")
GOOD = {
    "id": "good",
    "text": "Wali Kota Bogor",
    "spans": [{"start": 10, "end": 15, "label": "CITY"}],
}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, check=False
    )


def project(tmp_path: Path) -> Path:
    Project.init(tmp_path / "p")
    return tmp_path / "p"


def jsonl(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_prints_a_summary_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    code = main(["import", str(root), str(DATA / "labelstudio.json"), "--annotator", "ani"])
    out = capsys.readouterr()
    assert code == 0
    assert "documents: 3 added, 0 already in the project" in out.out
    assert "annotations of ani: 3 written, 0 unchanged" in out.out
    # the one note: a task whose offsets were in UTF-16 units
    assert out.err.count("\n") == 1
    assert ": note: offsets read as UTF-16 code units" in out.err


def bad(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


CASES = {
    "malformed JSON": ('{"id": "x", "text": "a"', "invalid JSON"),
    "not an object": ('["Kota", "Bogor"]', "expected a JSON object, got list"),
    "missing field": (bad({"id": "x"}), "missing field 'text'"),
    "mistyped field": (bad({"id": "x", "text": ["a"]}), "field 'text' must be a string"),
    "out of range": (
        bad({"id": "x", "text": "Kota", "spans": [{"start": 0, "end": 9, "label": "CITY"}]}),
        "span 0-9 ends past the end of the text (4 characters)",
    ),
    "reversed": (
        bad({"id": "x", "text": "Kota", "spans": [{"start": 3, "end": 1, "label": "CITY"}]}),
        "span 3-1 is reversed",
    ),
    "overlapping": (
        bad(
            {
                "id": "x",
                "text": "Kota Bogor",
                "spans": [
                    {"start": 0, "end": 10, "label": "CITY"},
                    {"start": 5, "end": 10, "label": "CITY"},
                ],
            }
        ),
        "overlap",
    ),
    "span text disagrees": (
        bad(
            {
                "id": "x",
                "text": "Kota Bogor",
                "spans": [{"start": 5, "end": 10, "label": "CITY", "text": "Medan"}],
            }
        ),
        "span 5-10 says 'Medan' but the text there is 'Bogor'",
    ),
    "unknown label": (
        bad({"id": "x", "text": "Kota Bogor", "spans": [{"start": 5, "end": 10, "label": "GPE"}]}),
        "unknown label 'GPE'",
    ),
    "duplicate id": (bad({"id": "good", "text": "Kota Medan"}), "id 'good' was already imported"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_bad_line_is_one_problem_and_good_lines_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    root = project(tmp_path)
    line, reason = CASES[case]
    path = jsonl(tmp_path / "in.jsonl", bad(GOOD), line, bad({"id": "after", "text": "Kota Solo"}))
    code = main(["import", str(root), str(path), "--annotator", "ani"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert len(err) == 1
    assert err[0].startswith(f"{path}:2: ")
    assert reason in err[0]
    reopened = Project.open(root)
    assert reopened.documents.ids == ["good", "after"]
    assert reopened.annotation_file("ani").get("good") is not None


def test_not_utf8_empty_and_missing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"id": "a", "text": "Kota"}\n{"id": "b", "text": "Caf\xe9"}\n')
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert main(["import", str(root), str(latin), str(empty)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{latin}:2: not UTF-8 (byte 24)", f"{empty}:1: the file is empty"]
    assert Project.open(root).documents.ids == ["a"]
    assert main(["import", str(root), str(tmp_path / "nope.jsonl")]) == 1
    assert (
        capsys.readouterr().err == f"annotator: {tmp_path / 'nope.jsonl'}: no such file or folder\n"
    )


def test_a_50mb_line_through_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    path = tmp_path / "big.jsonl"
    with open(path, "wb") as f:
        f.write(b'{"id": "big", "text": "' + b"k" * 50_000_000 + b'"}\n')
        f.write(bad(GOOD).encode() + b"\n")
    assert main(["import", str(root), str(path), "--annotator", "ani"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{path}:1: the record is 50.0 MB")
    assert Project.open(root).documents.ids == ["good"]


def test_a_full_disk_is_one_line_and_the_saved_file_is_intact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)
    p = Project.open(root)
    p.documents.append([Document(id="old", text="Kota Bogor")])
    with p.session("ani") as s:
        s.apply(AddSpan("old", 5, 10, "CITY", Snap.EXACT))
    saved = (root / "annotations" / "ani.jsonl").read_bytes()
    path = jsonl(tmp_path / "in.jsonl", bad(GOOD))

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code = main(["import", str(root), str(path), "--annotator", "ani"])
    monkeypatch.undo()
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err == [
        f"{path}:1: not saved (documents.jsonl: No space left on device); the import stopped "
        "here, the records before this one are saved"
    ]
    assert (root / "annotations" / "ani.jsonl").read_bytes() == saved


def test_every_bad_input_in_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    root = project(tmp_path)
    path = jsonl(tmp_path / "in.jsonl", bad(GOOD), *(line for line, _ in CASES.values()))
    out = run_cli("import", str(root), str(path), "--annotator", "ani")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == len(CASES)
    assert all(PROBLEM.match(line) for line in lines)
    assert f"{len(CASES)} problems" in out.stdout


@pytest.mark.parametrize(
    "args",
    [
        [],  # no paths
        ["--format", "brat"],
        ["--annotator", "Ani Budi"],
        ["--overlaps", "merge"],
    ],
)
def test_bad_usage_exits_2(tmp_path: Path, args: list[str]) -> None:
    root = project(tmp_path)
    paths = [] if not args else [str(DATA / "plain.jsonl")]
    out = run_cli("import", str(root), *paths, *args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr


def test_a_map_to_an_unknown_label_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    code = main(["import", str(root), str(DATA / "sample.conll"), "--map", "LOC=GPE"])
    assert code == 2
    assert "GPE is not a label of this project" in capsys.readouterr().err


def test_a_held_annotator_is_one_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    with Project.open(root).session("ani"):
        out = run_cli("import", str(root), str(DATA / "doccano.jsonl"), "--annotator", "ani")
    assert out.returncode == 1
    assert out.stderr.startswith("annotator: annotator 'ani' is open elsewhere")
    assert out.stderr.count("\n") == 1


def test_no_progress_bar_when_not_a_terminal(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = run_cli("import", str(root), str(DATA / "plain.jsonl"))
    assert out.returncode == 0
    assert out.stderr == ""


def test_the_progress_bar_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    bar = import_cmd._Bar()
    bar(0, 1000)
    bar(500, 1000)
    bar(1000, 1000)
    assert bar.bar.n == 1000
    bar.close()
    assert "importing" in err.getvalue()


def test_a_read_only_project_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)

    def refuse(self: Project, name: str, read_only: bool = False) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(root / ".annotator"))

    monkeypatch.setattr(Project, "session", refuse)
    code = main(["import", str(root), str(DATA / "doccano.jsonl"), "--annotator", "ani"])
    assert code == 1
    assert capsys.readouterr().err == (
        f"annotator: {root / '.annotator'}: cannot write the annotations of ani "
        "(Permission denied)\n"
    )
    assert Project.open(root).documents.ids == []

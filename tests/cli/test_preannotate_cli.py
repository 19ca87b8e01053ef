"""``annotator preannotate`` and ``annotator train`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.edit import AddSpan
from annotator.core.model import Document
from annotator.core.project import Project
from annotator.core.suggest import SuggestionFile
from annotator.core.tokens import Snap

ARTICLE = (
    "Kementerian Dalam Negeri (Kemendagri) menggelar rapat di Kota Makassar, "
    "Selasa (30/08/2022). Dr Safrizal ZA MSi hadir mewakili Kemendagri."
)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, check=False
    )


def make_project(root: Path, n: int = 3) -> Project:
    project = Project.init(root)
    project.documents.append(Document(id=f"d{i}", text=ARTICLE) for i in range(n))
    return project


def test_preannotate_writes_the_default_set_and_counts_per_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p")
    assert main(["preannotate", str(project.root)]) == 0
    out = capsys.readouterr().out
    assert "wrote 18 suggestions for 3 documents to suggestions/default.jsonl" in out
    counts = dict(line.split() for line in out.splitlines()[1:])
    assert counts == {"PERSON": "3", "AGENCY": "9", "CITY": "3", "DATE": "3", "PROGRAM": "0"}
    stored = SuggestionFile(project)
    assert len(stored) == 3
    assert project.annotators() == []  # nothing became an annotation


def test_preannotate_as_an_annotator_and_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p", n=2)
    assert main(["preannotate", str(project.root), "--as", "ani", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["set"] == "ani"
    assert summary["source"] == "rules"
    assert summary["suggestions"] == 12
    assert summary["per_label"]["AGENCY"] == 6
    assert (project.root / "suggestions" / "ani.jsonl").exists()
    assert not (project.root / "suggestions" / "default.jsonl").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "model"], "no model trained yet"),
        (["--as", "Not A Name"], "annotator name 'Not A Name'"),
    ],
)
def test_preannotate_mistakes_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    project = make_project(tmp_path / "p")
    out = run_cli("preannotate", str(project.root), *args)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert not (project.root / "suggestions").exists()


def test_a_bad_suggestions_toml_names_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project.root / "suggestions.toml").write_text("[terms]\nORG = ['Bulog']\n", "utf-8")
    out = run_cli("preannotate", str(project.root))
    assert out.returncode == 1
    assert "suggestions.toml:2: [terms] unknown label 'ORG'" in out.stderr
    assert out.stderr.count("\n") == 1


def test_preannotate_skips_unreadable_documents_and_says_so(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    with open(project.documents_path, "a", encoding="utf-8") as f:
        f.write('{"id": "broken", "text": 5}\n')
    out = run_cli("preannotate", str(project.root))
    assert out.returncode == 0
    assert "for 3 documents" in out.stdout
    assert f"skipped: {project.documents_path}:4: " in out.stderr


def test_train_command_trains_and_reports_f1(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    cities = ["Makassar", "Medan", "Padang", "Kupang"]
    texts = [f"Wali Kota {cities[i % 4]} hadir pada {i + 1} Juli 2023." for i in range(12)]
    project.documents.append(Document(id=f"d{i}", text=t) for i, t in enumerate(texts))
    with project.session("ani") as session:
        for i in range(len(texts)):
            city = cities[i % 4]
            session.apply(
                AddSpan(f"d{i}", len("Wali Kota "), len("Wali Kota " + city), "CITY", Snap.EXACT)
            )
            session.set_status(f"d{i}", "done")
    # two passes are too few for a blank model: nothing is saved, and the line says why
    early = run_cli("train", str(project.root), "--epochs", "2", "--max-docs", "10")
    assert early.returncode == 1
    assert "needs more done documents" in early.stderr
    assert "Traceback" not in early.stderr
    assert not (project.root / ".annotator/models/ner").exists()
    # the planned number of passes learns on the same ten documents
    out = run_cli("train", str(project.root), "--max-docs", "10")
    assert out.returncode == 0, out.stderr
    assert "trained on" in out.stdout
    assert "held-out (" in out.stdout
    assert "model saved in .annotator/models/ner" in out.stdout
    meta = json.loads((project.root / ".annotator/models/ner/meta.json").read_text("utf-8"))
    assert meta["documents"]["train"] + meta["documents"]["held_out"] == 10
    bad = run_cli("train", str(project.root), "--epochs", "0")
    assert bad.returncode == 2
    few = run_cli("train", str(project.root), "--max-docs", "3")
    assert few.returncode == 1
    assert "at least 5 done documents" in few.stderr

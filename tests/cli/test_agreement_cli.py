"""``annotator agreement``: the JSON of docs/design.md 7.1 (names and values), the terminal
table, the HTML report, and one-line errors."""

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
from annotator.core.tokens import Snap

T1 = "Joko Widodo visited Jakarta on 5 May 2023 with Kemendagri for the Smart City program."
T4 = "Rapat berlangsung hingga sore."
EMOJI = "📌 Wali Kota Makassar 😀 meresmikan program di Makassar."


def at(words: str, label: str, text: str = T1) -> tuple[int, int, str]:
    start = text.index(words)
    return (start, start + len(words), label)


ANI = [
    at("Joko Widodo", "PERSON"),
    at("Jakarta", "CITY"),
    at("5 May 2023", "DATE"),
    at("Kemendagri", "AGENCY"),
    at("Smart City", "PROGRAM"),
]
BUDI = [
    at("Widodo", "PERSON"),
    at("Jakarta", "CITY"),
    at("May 2023", "DATE"),
    at("Kemendagri", "AGENCY"),
    at("Smart City program", "PROGRAM"),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """docs/agreement.md example ex4 (d1 = T4 empty for both, d2 = T1), plus d3 done by ani only
    and d4 (with emoji) done by citra only."""
    project = Project.init(tmp_path / "p")
    project.documents.append(
        [
            Document(id="d1", text=T4),
            Document(id="d2", text=T1),
            Document(id="d3", text=T4),
            Document(id="d4", text=EMOJI),
        ]
    )
    for name, spans in (("ani", ANI), ("budi", BUDI)):
        with project.session(name) as s:
            s.set_status("d1", "done")
            for start, end, label in spans:
                s.apply(AddSpan("d2", start, end, label, Snap.EXACT))
            s.set_status("d2", "done")
            if name == "ani":
                s.set_status("d3", "done")
    with project.session("citra") as s:
        s.apply(AddSpan("d4", *at("Makassar", "CITY", EMOJI), Snap.EXACT))
        s.set_status("d4", "done")
    return project.root


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["agreement", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_json_fields_and_values(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, str(project), "--annotators", "budi,ani")
    assert list(data)[:7] == [
        "annotators",
        "documents",
        "span_f1",
        "pairs",
        "fleiss_kappa",
        "krippendorff_alpha",
        "per_document",
    ]
    assert data["annotators"] == ["ani", "budi"]
    assert data["documents"]["total"] == 4
    assert data["documents"]["compared"] == 2
    assert data["span_f1"] == pytest.approx(
        {"strict": 0.4, "exact": 0.4, "type": 1.0, "partial": 0.7}
    )
    assert data["macro_label_f1"] == pytest.approx({"strict": 0.4, "type": 1.0})
    (pair,) = data["pairs"]
    assert list(pair)[:11] == [
        "a",
        "b",
        "documents",
        "strict",
        "exact",
        "type",
        "partial",
        "per_label",
        "tokens",
        "observed_agreement",
        "cohen_kappa",
    ]
    assert (pair["a"], pair["b"], pair["documents"]) == ("ani", "budi", 2)
    assert pair["strict"] == pytest.approx({"precision": 0.4, "recall": 0.4, "f1": 0.4})
    assert pair["partial"]["f1"] == pytest.approx(0.7)
    assert pair["per_label"]["CITY"] == {"strict": 1.0, "type": 1.0}
    assert pair["per_label"]["PERSON"] == {"strict": 0.0, "type": 1.0}
    assert pair["tokens"] == 21
    assert pair["observed_agreement"] == pytest.approx(0.857143, abs=1e-6)
    assert pair["cohen_kappa"] == pytest.approx(0.765799, abs=1e-6)
    assert data["fleiss_kappa"] == pytest.approx(0.764925, abs=1e-6)
    assert data["krippendorff_alpha"] == pytest.approx(0.770522, abs=1e-6)
    assert [(d["id"], d["strict_f1"]) for d in data["per_document"]] == [
        ("d1", None),
        ("d2", pytest.approx(0.4)),
    ]
    assert "against_gold" not in data


def test_json_nulls_for_a_pair_without_shared_documents(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(capsys, str(project))
    assert data["annotators"] == ["ani", "budi", "citra"]
    by_pair = {(p["a"], p["b"]): p for p in data["pairs"]}
    lonely = by_pair[("ani", "citra")]
    assert lonely["documents"] == 0
    assert lonely["strict"] == {"precision": None, "recall": None, "f1": None}
    assert lonely["cohen_kappa"] is None
    assert lonely["why_null"]["f1"] == "no documents submitted by both"
    assert data["span_f1"]["strict"] == pytest.approx(0.4)  # the mean skips undefined pairs
    assert data["fleiss_kappa"] is None
    assert data["why_null"]["fleiss_kappa"] == "no document was submitted by every annotator"
    assert data["documents"]["single_annotator"] == 2  # d3 (ani) and d4 (citra)


def test_terminal_table(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agreement", str(project)]) == 0
    out = capsys.readouterr().out
    assert "3 annotators (ani, budi, citra)" in out
    assert "4 in all, 2 compared" in out
    assert "strict 0.400  exact 0.400  type 1.000  partial 0.700" in out
    row = next(line for line in out.splitlines() if line.strip().startswith("ani - budi"))
    cells = ["2", "0.400", "0.400", "0.400", "0.400", "1.000", "0.700", "21", "0.857", "0.766"]
    assert row.split()[3:] == [*cells, "0.634"]
    assert "macro over labels: strict 0.400  type 1.000" in out
    assert "  d2  0.400  Joko Widodo visited Jakarta" in out  # the queue's head; d1 is all-empty
    assert "  d1  " not in out
    assert "ani - citra: span F1 n/a, no documents submitted by both" in out
    assert "fleiss_kappa: n/a, no document was submitted by every annotator" in out


def test_gold_is_reported_as_accuracy(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = Project.open(project)
    with gold.session("gold") as s:
        for start, end, label in ANI:
            s.apply(AddSpan("d2", start, end, label, Snap.EXACT))
        s.set_status("d2", "done")
    data = run_json(capsys, str(project), "--annotators", "ani,budi")
    assert data["annotators"] == ["ani", "budi"]
    scores = {g["annotator"]: g for g in data["against_gold"]}
    assert scores["ani"]["strict"]["f1"] == 1.0
    assert scores["budi"]["strict"] == pytest.approx({"precision": 0.4, "recall": 0.4, "f1": 0.4})
    assert main(["agreement", str(project)]) == 0
    assert "against gold (gold is the reference):" in capsys.readouterr().out


def test_html_report(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["agreement", str(project), "--html", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 3  # two heatmaps and the label bars
    assert "<script" not in page
    assert "http" not in page  # nothing to fetch: it opens offline
    assert "Documents by disagreement" in page
    assert page.index(">d2<") < page.index(">d1<")  # F1 0.4 before "both empty"
    assert "no documents submitted by both" in page


def test_errors_are_one_line(project: Path, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "annotator", "agreement", *args],
            capture_output=True,
            text=True,
            check=False,
        )

    for args, message in (
        ((str(project), "--annotators", "ani,dewi"), "no annotations by 'dewi'"),
        ((str(project), "--annotators", "ani,gold"), "gold is not a rater"),
        ((str(project), "--annotators", "ani"), "needs at least two annotators"),
        ((str(tmp_path / "nothing"),), "not a project"),
    ):
        result = run(*args)
        assert result.returncode == 1, args
        assert result.stderr.count("\n") == 1, result.stderr
        assert message in result.stderr
        assert "Traceback" not in result.stderr
    assert run().returncode == 2

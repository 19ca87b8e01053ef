"""The 95% intervals in ``annotator agreement``: beside each figure in the terminal table,
``ci95`` in the JSON, under the figures in the HTML report, and "too few" said plainly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.edit import SetSpans
from annotator.core.model import Document
from annotator.core.project import Project

TEXT = "Wali Kota Makassar 📌 bertemu Gubernur Jawa Barat di Jakarta pada 2023."


def at(words: str, label: str) -> tuple[int, int, str]:
    start = TEXT.index(words)
    return (start, start + len(words), label)


def project_with(root: Path, documents: int) -> Path:
    project = Project.init(root)
    project.documents.append([Document(id=f"d{i:02d}", text=TEXT) for i in range(documents)])
    answers = {
        "ani": [at("Makassar", "CITY"), at("Jawa Barat", "CITY"), at("2023", "DATE")],
        "budi": [at("Makassar", "CITY"), at("Jakarta", "CITY"), at("2023", "DATE")],
    }
    for name, spans in answers.items():
        with project.session(name) as s:
            for i in range(documents):
                # every third document budi also marks the province: the figures vary
                mine = spans + ([at("Jawa Barat", "CITY")] if name == "budi" and i % 3 else [])
                s.apply(SetSpans(f"d{i:02d}", tuple(sorted(set(mine)))))
                s.set_status(f"d{i:02d}", "done")
    return root


def test_table_json_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(project_with(tmp_path / "p", 15))
    assert main(["agreement", root]) == 0
    out = capsys.readouterr().out
    means = next(line for line in out.splitlines() if line.startswith("span F1, mean"))
    figure = float(means.split()[6])
    bounds = next(line for line in out.splitlines() if line.startswith("  95% intervals:"))
    low, high = (float(x) for x in bounds.split("[")[1].split("]")[0].split(","))
    assert low <= figure <= high
    assert (
        "95% intervals (bootstrap over the documents each pair submitted, 1,000 resamples):" in out
    )
    assert "Fleiss' kappa" in out
    assert main(["agreement", root, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [round(x, 3) for x in data["ci95"]["span_f1"]["strict"]] == [low, high]
    assert data["pairs"][0]["ci95"]["strict"] == data["ci95"]["span_f1"]["strict"]
    html = tmp_path / "r.html"
    assert main(["agreement", root, "--html", str(html)]) == 0
    page = html.read_text("utf-8")
    assert f"95% CI {low:.3f}&ndash;{high:.3f}" in page
    assert "percentile bootstrap" in page


def test_too_few_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(project_with(tmp_path / "p", 6))
    assert main(["agreement", root]) == 0
    out = capsys.readouterr().out
    assert "  95% intervals:          strict [n/a]  exact [n/a]" in out
    assert "ani - budi: no 95% interval, 6 documents: too few to bootstrap (at least 10)" in out
    assert main(["agreement", root, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ci95"]["span_f1"]["strict"] is None
    assert data["why_no_ci95"]["span_f1"]["strict"].startswith("6 documents: too few")

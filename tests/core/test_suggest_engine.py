"""The suggester the window calls: the team's choice of source, stored sets, live suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest
from _helpers_suggest import found, tiny_project

from annotator.core.edit import AddSpan, RejectSuggestions
from annotator.core.errors import AnnotatorError
from annotator.core.model import Document, ProjectConfig
from annotator.core.project import CONFIG, Project, render_config
from annotator.core.suggest import Suggester, Suggestion, combine, configured_mode, write_set
from annotator.core.suggest.record import MODEL, PROJECT
from annotator.core.tokens import Snap


def set_option(project: Project, value: object) -> Project:
    config = ProjectConfig.model_validate(
        {**project.config.model_dump(), "options": {"suggestions": value}}
    )
    (project.root / CONFIG).write_text(render_config(config), encoding="utf-8")
    return Project.open(project.root)


def test_the_default_source_is_rules_and_a_bad_option_is_one_line(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", n=1)
    assert configured_mode(project) == "rules"
    assert set_option(project, "model").config.options["suggestions"] == "model"
    assert Suggester(set_option(project, "both")).mode == "both"
    bad = set_option(project, "magic")
    with pytest.raises(AnnotatorError, match=r"annotator.toml: \[options\] suggestions must be"):
        Suggester(bad).live("Kota Makassar")


def test_modes_none_and_model_without_a_model_suggest_nothing(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", n=1)
    text = project.documents.get("d000").text
    assert Suggester(project, "rules").live(text)
    assert Suggester(project, "none").live(text) == []
    suggester = Suggester(project, "model")
    assert suggester.model_info() is None
    assert suggester.live(text) == []


def test_a_stored_set_wins_while_the_text_is_unchanged(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", n=2)
    docs = project.documents
    marker = Suggestion(start=0, end=len("Wali"), label="PERSON", source="rules", score=0.5)
    write_set(project, "default", [("d000", docs.sha("d000"), [marker])], "rules")
    write_set(project, "ani", [("d000", "0" * 64, [marker])], "rules")  # made for another text
    suggester = Suggester(project, "rules")
    assert suggester.for_document("d000") == [marker]
    # ani's own set is for another text: ani gets live suggestions
    live = suggester.for_document("d000", annotator="ani")
    assert live == suggester.live(docs.get("d000").text)
    assert marker not in live
    # a document the set does not hold is suggested live
    assert suggester.for_document("d001") == suggester.live(docs.get("d001").text)
    # a new preannotate run is picked up by the same suggester
    other = marker.model_copy(update={"label": "CITY", "score": 0.4})
    write_set(project, "default", [("d000", docs.sha("d000"), [marker, other])], "rules")
    assert suggester.for_document("d000") == [marker]  # kept flat: the higher score wins


def test_for_document_hides_accepted_and_rejected_suggestions(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    text = "Wali Kota Makassar hadir di Kemendagri, Selasa (30/08/2022)."
    project.documents.append([Document(id="d", text=text)])
    suggester = Suggester(project, "rules")
    first = suggester.for_document("d")
    assert found(text, first) == [
        ("CITY", "Makassar"),
        ("AGENCY", "Kemendagri"),
        ("DATE", "Selasa (30/08/2022)"),
    ]
    with project.session("ani") as session:
        session.apply(AddSpan("d", first[0].start, first[0].end, "CITY", Snap.EXACT))
        session.apply(RejectSuggestions("d", (first[2].key,)))
        ann = session.annotation("d")
    assert suggester.for_document("d", ann) == [first[1]]


def test_the_teams_suggestions_toml_is_reloaded_when_it_changes(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", n=1)
    suggester = Suggester(project, "rules")
    text = "Warga memakai JakLingko dan Sapu Bersih Sungai."
    assert ("PROGRAM", "Sapu Bersih Sungai") not in found(text, suggester.live(text))
    (project.root / "suggestions.toml").write_text(
        '[terms]\nPROGRAM = ["Sapu Bersih Sungai"]\n', encoding="utf-8"
    )
    assert ("PROGRAM", "Sapu Bersih Sungai") in found(text, suggester.live(text))


def test_combine_keeps_every_rule_and_adds_the_model_only_in_gaps_for_trusted_labels() -> None:
    own = Suggestion(start=0, end=10, label="PROGRAM", source=PROJECT, score=0.2)
    model_over_own = Suggestion(start=0, end=4, label="CITY", source=MODEL, score=0.99)
    rule = Suggestion(start=20, end=30, label="CITY", source="gazetteer", score=0.6)
    model_over_rule = Suggestion(start=20, end=25, label="AGENCY", source=MODEL, score=0.95)
    gap = Suggestion(start=40, end=45, label="DATE", source=MODEL, score=0.9)
    untrusted_gap = Suggestion(start=50, end=55, label="PERSON", source=MODEL, score=0.4)
    model = [model_over_own, model_over_rule, gap, untrusted_gap]
    assert combine([own, rule], model, trusted={"CITY", "AGENCY", "DATE"}) == [own, rule, gap]
    # without a list of trusted labels every gap is filled
    assert combine([own, rule], model) == [own, rule, gap, untrusted_gap]

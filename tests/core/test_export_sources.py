"""Which spans are exported: only done work, gold first, else a strict majority; stale is listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _helpers_export import annotate, at, make_project

from annotator.core.edit import AddSpan
from annotator.core.errors import AnnotatorError
from annotator.core.export.sources import ExportCancelled, resolve
from annotator.core.model import Annotation
from annotator.core.project import Project
from annotator.core.tokens import Snap

TEXT = "Bupati Aceh Tengah Shabela Abubakar bertemu Kemendagri di Takengon pada 2023."
P = at(TEXT, "Shabela Abubakar", "PERSON")
A = at(TEXT, "Kemendagri", "AGENCY")
C = at(TEXT, "Takengon", "CITY")
C_AS_AGENCY = (C[0], C[1], "AGENCY")
D = at(TEXT, "2023", "DATE")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "p", {"d1": TEXT, "d2": TEXT, "d3": TEXT, "d4": TEXT})


def test_one_annotator_exports_only_done_documents(project: Project) -> None:
    annotate(project, "ani", {"d1": [P, C]})
    annotate(project, "ani", {"d2": [A]}, status="in_progress")
    annotate(project, "ani", {"d3": [A]}, status="skipped")
    got = resolve(project, "ani")
    assert list(got.spans) == ["d1"]
    assert got.triples("d1") == [P, C]
    assert got.not_done == 3
    assert got.origins == {"ani": 1}


def test_merged_takes_a_strict_majority_of_those_who_submitted(project: Project) -> None:
    annotate(project, "ani", {"d1": [P, A, C], "d2": [P, C]})
    annotate(project, "budi", {"d1": [P, A, C_AS_AGENCY], "d2": [P]})
    annotate(project, "citra", {"d1": [P, C, D], "d2": [C]})
    annotate(project, "dewi", {"d1": [D]}, status="in_progress")  # not submitted: no vote
    got = resolve(project, "merged")
    # d1: P 3/3, A 2/3, C 2/3, C_AS_AGENCY 1/3, D 1/3 (dewi's in-progress work does not count)
    assert got.triples("d1") == [P, A, C]
    # d2: P 2/3, C 2/3
    assert got.triples("d2") == [P, C]
    assert got.origins == {"majority": 2}
    assert got.no_majority == 2


def test_merged_two_annotators_need_both(project: Project) -> None:
    annotate(project, "ani", {"d1": [P, C]})
    annotate(project, "budi", {"d1": [P, C_AS_AGENCY]})
    assert resolve(project, "merged").triples("d1") == [P]


def test_merged_prefers_gold_and_counts_origins(project: Project) -> None:
    annotate(project, "ani", {"d1": [P], "d2": [P], "d3": [A]})
    annotate(project, "budi", {"d1": [C], "d2": [P]})
    annotate(project, "gold", {"d1": [D]})
    annotate(project, "gold", {"d2": [A]}, status="in_progress")  # not done: majority instead
    got = resolve(project, "merged")
    assert got.triples("d1") == [D]
    assert got.origin == {"d1": "gold", "d2": "majority", "d3": "single"}
    assert got.triples("d2") == [P]
    assert got.triples("d3") == [A]
    assert got.origins == {"gold": 1, "majority": 1, "single": 1}
    assert got.not_done == 1


def test_gold_source_and_unknown_sources(project: Project) -> None:
    annotate(project, "gold", {"d2": [A]})
    assert list(resolve(project, "gold").spans) == ["d2"]
    with pytest.raises(AnnotatorError, match=r"no annotations by 'zed'.*have: gold"):
        resolve(project, "zed")
    with pytest.raises(AnnotatorError, match="--source"):
        resolve(project, "Not A Name")


def test_nothing_annotated_is_an_error(project: Project) -> None:
    with pytest.raises(AnnotatorError, match="no annotations yet"):
        resolve(project, "merged")


def test_unsaved_journal_edits_count(project: Project) -> None:
    session = project.session("ani")
    try:
        session.apply(AddSpan("d4", *C, Snap.EXACT))
        session.set_status("d4", "done")
        assert session.dirty  # journaled, not compacted
        assert resolve(project, "ani").triples("d4") == [C]
    finally:
        session.close()


def test_an_annotation_of_a_changed_text_is_left_out_and_listed(project: Project) -> None:
    annotate(project, "ani", {"d1": [P]})
    old = Annotation(id="d2", text="Teks lama di Takengon.", annotator="ani", status="done")
    with open(project.annotations_dir / "ani.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(old.model_dump(mode="json")) + "\n")
    got = resolve(project, "ani")
    assert list(got.spans) == ["d1"]
    assert got.stale == [("d2", "ani")]


def test_progress_can_cancel(project: Project) -> None:
    annotate(project, "ani", {"d1": [P]})
    seen: list[tuple[str, int, int]] = []

    def stop(phase: str, done: int, total: int) -> bool:
        seen.append((phase, done, total))
        return False

    with pytest.raises(ExportCancelled):
        resolve(project, "ani", stop)
    assert seen == [("reading", 0, 4)]

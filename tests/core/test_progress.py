"""The lead's progress table, with and without a plan."""

from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.assign import Assignment
from annotator.core.assignments import parse_time, write_plan
from annotator.core.model import Document
from annotator.core.progress import exact_sum, progress_json, project_progress
from annotator.core.project import Project

T = parse_time("2026-05-01T10:00:00Z")


def project_with(root: Path, n: int) -> Project:
    project = Project.init(root)
    project.documents.append([Document(id=f"d{i}", text=f"Berita {i} 📌") for i in range(n)])
    return project


def work(project: Project, name: str, states: dict[str, tuple[str, float]]) -> None:
    with project.session(name) as s:
        for doc, (status, seconds) in states.items():
            s.set_status(doc, status, seconds)  # type: ignore[arg-type]


def test_with_a_plan(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p", 6)
    plan = {
        "d0": ("ani", "budi"),
        "d1": ("ani", "budi"),
        "d2": ("ani",),
        "d3": ("budi",),
        "d4": ("budi", "citra"),
    }
    write_plan(project.root, {d: Assignment(a, T) for d, a in plan.items()}, [])
    work(project, "ani", {"d0": ("done", 1800), "d1": ("done", 1800), "d2": ("in_progress", 60)})
    work(project, "budi", {"d0": ("done", 3600), "d1": ("skipped", 10), "d5": ("done", 5)})
    progress = project_progress(project)
    assert progress.planned
    assert progress.documents == 6
    assert progress.unassigned == 1
    rows = {r.name: r for r in progress.annotators}
    assert list(rows) == ["ani", "budi", "citra"]
    ani, budi, citra = rows["ani"], rows["budi"], rows["citra"]
    assert (ani.assigned, ani.done, ani.skipped, ani.in_progress, ani.not_started) == (
        3,
        2,
        0,
        1,
        0,
    )
    assert ani.hours == (1800 + 1800 + 60) / 3600
    assert ani.per_hour == 2 / ani.hours
    assert ani.last_activity is not None
    assert (budi.assigned, budi.done, budi.skipped, budi.not_started) == (4, 1, 1, 2)
    assert budi.seconds == 3610  # d5 is not theirs: counted apart
    assert budi.outside_plan == 1
    # each one's overlap documents, and how many of them all their annotators have done
    assert (ani.overlap, ani.overlap_finished) == (2, 1)  # d0 done by both, d1 skipped by budi
    assert (budi.overlap, budi.overlap_finished) == (3, 1)  # d0, d1, d4
    assert (citra.overlap, citra.overlap_finished) == (1, 0)
    assert (citra.assigned, citra.not_started, citra.per_hour, citra.last_activity) == (
        1,
        1,
        None,
        None,
    )
    assert progress.overlap_documents == 3
    assert progress.overlap_finished == 1  # d0
    assert progress.comparable == 1  # done by two: d0 (d5 only by budi)
    pairs = {(p.a, p.b): (p.shared, p.finished) for p in progress.pairs}
    assert pairs == {("ani", "budi"): (2, 1), ("budi", "citra"): (1, 0)}
    assert progress.warnings == ["budi has records of 1 document not assigned to them"]
    data = progress_json(progress)
    assert data["annotators"][0] == {
        "name": "ani",
        "assigned": 3,
        "done": 2,
        "skipped": 0,
        "in_progress": 1,
        "not_started": 0,
        "hours": round(3660 / 3600, 3),
        "documents_per_hour": round(2 / (3660 / 3600), 2),
        "last_activity": data["annotators"][0]["last_activity"],
        "outside_plan": 0,
        "overlap_documents": 2,
        "overlap_finished_by_all": 1,
    }
    assert data["annotators"][0]["last_activity"].endswith("Z")
    assert data["overlap"] == {"documents": 3, "finished_by_all": 1, "comparable": 1}


def test_without_a_plan_everyone_has_everything(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p", 3)
    assert project_progress(project).annotators == []
    work(project, "ani", {"d0": ("done", 60), "d1": ("done", 60)})
    work(project, "budi", {"d0": ("done", 60)})
    progress = project_progress(project)
    assert not progress.planned
    rows = {r.name: r for r in progress.annotators}
    assert rows["ani"].assigned == 3
    assert rows["ani"].not_started == 1
    assert rows["budi"].not_started == 2
    assert (rows["ani"].overlap, rows["ani"].overlap_finished) == (3, 1)
    assert progress.overlap_documents == 3
    assert progress.overlap_finished == 1
    assert progress.comparable == 1
    assert [(p.a, p.b, p.shared, p.finished) for p in progress.pairs] == [("ani", "budi", 3, 1)]


def test_a_bad_plan_line_is_a_warning(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p", 1)
    (project.root / "assignments.jsonl").write_text('{"id": "d0", "annotators": ["ani"]}\n{\n')
    progress = project_progress(project)
    assert progress.planned
    assert progress.annotators[0].assigned == 1
    assert progress.warnings[0].startswith(f"{project.root / 'assignments.jsonl'}:2: ")


def test_seconds_are_summed_exactly_whatever_the_order() -> None:
    assert exact_sum([0.1, 0.2]) == 0.3  # the float sum is 0.30000000000000004
    assert exact_sum([]) == 0.0
    assert exact_sum([1e308, 1e308, -1e308]) == 1e308  # no overflow on the way
    assert exact_sum([5e-324, 1e16, -1e16]) == 5e-324  # no digit lost on the way


@given(st.lists(st.floats(0, 1e9) | st.sampled_from([0.1, 0.2, 1e-7, 5e-324]), max_size=40))
def test_the_exact_sum_is_the_decimal_sum_of_what_is_written_rounded_once(
    values: list[float],
) -> None:
    expected = float(sum((Fraction(repr(v)) for v in values), Fraction(0)))
    assert exact_sum(values) == expected
    assert exact_sum(reversed(values)) == expected

"""The team workflow on a project folder: options, preview, assign, queues, imports."""

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.activity import read_work
from annotator.core.assignments import TeamSettings, plan_path, read_plan, read_team, write_team
from annotator.core.errors import AnnotatorError
from annotator.core.importers import ImportOptions, import_paths
from annotator.core.model import Document
from annotator.core.progress import project_progress
from annotator.core.project import Project
from annotator.core.team import (
    assign,
    assign_options,
    command_line,
    document_states,
    format_duration,
    history,
    preview,
    queue,
)


def project_with(root: Path, n: int) -> Project:
    project = Project.init(root)
    project.documents.append(
        [Document(id=f"d{i:03d}", text=f"Berita {i} dari Jakarta 📌") for i in range(n)]
    )
    return project


def test_first_assign_needs_the_team(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p", 3)
    with pytest.raises(AnnotatorError, match="give the team with --annotators"):
        assign_options(project.root)


def test_preview_writes_nothing_and_assign_does(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p", 40)
    options = assign_options(project.root, "ani,budi", overlap=0.25)
    seen = preview(project, options)
    assert not plan_path(project.root).exists()
    assert seen.load == {"ani": 25, "budi": 25}
    done = assign(project, options)
    assert done.plan == {d: a for d, a in seen.plan.items()} | {d: a for d, a in done.plan.items()}
    plan = read_plan(project.root)
    assert plan is not None
    assert list(plan.entries) == project.documents.ids
    assert {d: e.annotators for d, e in plan.entries.items()} == {
        d: e.annotators for d, e in done.plan.items()
    }
    assert read_team(project.root) == TeamSettings(("ani", "budi"), 0.25, 2, 0)


def test_later_runs_default_to_the_last_team(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p", 10)
    write_team(project.root, TeamSettings(("ani", "budi"), 0.5, 2, 9))
    options = assign_options(project.root, remove="budi", add=["citra", "dewi,eko"])
    assert options.annotators == ("ani", "budi")
    assert options.team == ("ani", "citra", "dewi", "eko")
    assert (options.overlap, options.per_doc, options.seed) == (0.5, 2, 9)
    assign(project, options)
    assert read_team(project.root) == TeamSettings(("ani", "citra", "dewi", "eko"), 0.5, 2, 9)


def test_without_saved_settings_the_plan_names_the_team(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p", 10)
    assign(project, assign_options(project.root, "ani,budi"))
    (project.state_dir / "team.json").unlink()
    assert assign_options(project.root).annotators == ("ani", "budi")


def test_format_duration() -> None:
    assert format_duration(7 * 86400) == "1w"
    assert format_duration(5400) == "90m"
    assert format_duration(90061) == "90061s"


def test_queue_and_document_states(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p", 6)
    assert queue(project, "ani") == project.documents.ids  # no plan: everything
    with project.session("ani") as s:
        s.set_status("d000", "done")
        s.set_status("d001", "skipped")
        s.set_status("d002", "in_progress")
    assert queue(project, "ani") == ["d002", "d003", "d004", "d005"]
    assign(project, assign_options(project.root, "ani,budi", overlap=0.0))
    plan = read_plan(project.root)
    assert plan is not None
    mine = plan.documents_of("ani")
    assert {"d000", "d001", "d002"} <= set(mine)  # her work stays hers
    assert queue(project, "ani") == [d for d in mine if d not in ("d000", "d001")]
    assert queue(project, "budi") == plan.documents_of("budi")
    states = document_states(project)
    assert states["d000"] == (("ani", "done"),)
    assert states["d002"] == (("ani", "in_progress"),)
    budi_doc = plan.documents_of("budi")[0]
    assert states[budi_doc] == (("budi", None),)
    # the window reads everyone's files once for the progress table and these states
    work = read_work(project.root)
    assert document_states(project, work, plan) == states
    assert project_progress(project, work, plan) == project_progress(project)


BATCHES = [[f"b{b}-{i}" for i in range(7 + 3 * b)] for b in range(3)]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(st.sampled_from(["import0", "import1", "import2", "assign"]), max_size=8))
def test_imports_and_assign_in_any_order_assign_nothing_twice(
    tmp_path_factory: pytest.TempPathFactory, steps: list[str]
) -> None:
    root = tmp_path_factory.mktemp("p") / "p"
    project = Project.init(root)
    source = root.parent / "batches"
    source.mkdir()
    for b, ids in enumerate(BATCHES):
        lines = [json.dumps({"id": i, "text": f"Teks {i} di Bandung"}) for i in ids]
        (source / f"batch{b}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    before: dict[str, tuple[str, ...]] = {}
    for step in [*steps, "assign"]:
        project = Project.open(root)
        if step == "assign":
            options = assign_options(root, "ani,budi,citra", overlap=0.3)
            assign(project, options)
            plan = read_plan(root)
            assert plan is not None
            now = {d: e.annotators for d, e in plan.entries.items()}
            assert set(now) == set(project.documents.ids), "every document, once"
            assert {d: now[d] for d in before} == before, "nothing moved"
            again = preview(Project.open(root), options)
            assert not again.changed, "re-running assigns nothing"
            before = now
        else:
            b = int(step[-1])
            import_paths(project, [source / f"batch{b}.jsonl"], ImportOptions())
    loads = Counter({"ani": 0, "budi": 0, "citra": 0})
    loads.update(n for names in before.values() for n in names)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_each_assign_that_changes_the_plan_records_its_command_line(tmp_path: Path) -> None:
    project = project_with(tmp_path / "p", 12)
    options = assign_options(project.root, "ani,budi", overlap=0.5, seed=3)
    assign(project, options, by="lead.one")
    assign(project, options, by="lead.one")  # nothing new: nothing recorded
    added = assign_options(project.root, add="citra")
    assign(project, added)
    runs = history(project.root)
    assert [(by, line) for _, by, line in runs] == [
        ("lead.one", command_line(project.root, options)),
        ("-", command_line(project.root, added)),
    ]
    assert "--annotators ani,budi --overlap 0.5 --per-doc 2 --seed 3" in runs[0][2]
    assert all(stamp.endswith("Z") for stamp, _, _ in runs)

"""Journal entries that cannot be applied at replay are kept, named, and decided by a person."""

import json
import subprocess
import sys
from pathlib import Path

from _store_helpers import make_project

from annotator.core.edit import AddSpan, SetStatus
from annotator.core.model import Document
from annotator.core.project import Project, render_config
from annotator.core.store import Session
from annotator.core.tokens import Snap
from annotator.core.validate import validate_project

OLD = "Kemendagri di Kota Makassar 🇮🇩, Selasa."
NEW = "Kemendagri RI di Kota Makassar 🇮🇩, Selasa."  # the text was corrected later
CITY = (len("Kemendagri di Kota "), len("Kemendagri di Kota Makassar"))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, check=False
    )


def crash(session: Session) -> None:
    """The process dies: nothing is compacted, the journal and the lock are left behind."""
    assert session._lock is not None
    session._lock.release()
    session._lock = None


def set_text(project: Project, doc_id: str, text: str) -> None:
    """Rewrite documents.jsonl with ``doc_id``'s text replaced (someone fixed it)."""
    docs = [d if d.id != doc_id else Document(id=d.id, text=text) for d in project.documents]
    project.documents_path.write_text(
        "".join(json.dumps(d.model_dump(), ensure_ascii=False) + "\n" for d in docs), "utf-8"
    )


def edits_then_text_changes(root: Path) -> tuple[Project, bytes]:
    project = make_project(root, {"d1": OLD, "d2": "Wali Kota Bogor"})
    session = project.session("ani")
    session.apply(AddSpan("d1", *CITY, "CITY", Snap.EXACT))
    session.apply(SetStatus("d1", "done", 4.5))
    session.apply(AddSpan("d2", 0, len("Wali Kota Bogor"), "PERSON", Snap.EXACT))
    lines = session.journal_path.read_bytes().splitlines()
    crash(session)
    set_text(project, "d1", NEW)
    return Project.open(root), b"\n".join(lines[:2]) + b"\n"


def test_entries_of_a_changed_text_are_kept_through_every_close(tmp_path: Path) -> None:
    project, d1_lines = edits_then_text_changes(tmp_path / "p")
    session = project.session("ani")  # replays: d2 applies, d1's two lines cannot
    assert [u.line for u in session.unapplied] == [1, 2]
    assert all("no longer in the project" in u.reason for u in session.unapplied)
    d2 = session.annotation("d2")
    assert d2 is not None
    assert [s.text for s in d2.spans] == ["Wali Kota Bogor"]
    assert session.annotation("d1") is None
    session.close()
    assert session.journal_path.read_bytes() == b""
    held = project.state_dir / "ani.unapplied"
    assert held.read_bytes() == d1_lines  # byte for byte
    # opened and closed again and again: still there, never doubled
    for _ in range(2):
        Project.open(project.root).session("ani").close()
    assert held.read_bytes() == d1_lines
    report = validate_project(project.root)
    assert [p.split(": ", 1)[0] for p in report.problems] == [f"{held}:1", f"{held}:2"]
    assert "'d1'" in report.problems[0]
    assert "--retry" in report.problems[0]
    out = run_cli("validate", str(project.root))
    assert out.returncode == 1
    assert f"{held}:1" in out.stdout + out.stderr


def test_retry_applies_what_fits_once_the_text_is_back_and_discard_drops(
    tmp_path: Path,
) -> None:
    project, _ = edits_then_text_changes(tmp_path / "p")
    project.session("ani").close()  # sets d1's lines aside
    listed = run_cli("journal", str(project.root))
    assert listed.returncode == 0, listed.stderr
    assert "ani: 2 set aside" in listed.stdout
    still = run_cli("journal", str(project.root), "--annotator", "ani", "--retry")
    assert still.returncode == 0, still.stderr
    assert "0 applied, 2 still set aside" in still.stdout
    set_text(project, "d1", OLD)  # the correction is undone: the edits fit again
    done = run_cli("journal", str(project.root), "--annotator", "ani", "--retry")
    assert "2 applied, 0 still set aside" in done.stdout
    ann = Project.open(project.root).annotation("ani", "d1")
    assert ann is not None
    assert (ann.status, ann.seconds, [s.text for s in ann.spans]) == ("done", 4.5, ["Makassar"])
    assert not (project.state_dir / "ani.unapplied").exists()
    assert validate_project(project.root).problems == []

    again, _ = edits_then_text_changes(tmp_path / "q")
    again.session("ani").close()
    dropped = run_cli("journal", str(again.root), "--annotator", "ani", "--discard")
    assert "ani: 2 dropped" in dropped.stdout
    assert validate_project(again.root).problems == []


def test_an_entry_older_than_the_annotation_edited_since_stays_aside(tmp_path: Path) -> None:
    project, _ = edits_then_text_changes(tmp_path / "p")
    session = project.session("ani")
    session.close()
    set_text(project, "d1", OLD)
    with Project.open(project.root).session("ani") as later:  # d1 annotated afresh
        later.apply(AddSpan("d1", 0, len("Kemendagri"), "AGENCY", Snap.EXACT))
    with Project.open(project.root).session("ani") as deciding:
        applied, kept = deciding.retry_held()
    assert (len(applied), len(kept)) == (0, 2)
    ann = Project.open(project.root).annotation("ani", "d1")
    assert ann is not None
    assert [s.text for s in ann.spans] == ["Kemendagri"]  # the newer work is not overwritten


def test_entries_with_a_removed_label_or_damaged_bytes_are_kept(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"d1": OLD})
    session = project.session("ani")
    session.apply(AddSpan("d1", 0, len("Kemendagri"), "PROGRAM", Snap.EXACT))
    session.apply(AddSpan("d1", *CITY, "CITY", Snap.EXACT))
    crash(session)
    with open(session.journal_path, "r+b") as f:  # damage the first line's middle
        f.seek(3)
        f.write(b"\xff\xfe")
    config = project.config.model_copy(
        update={"labels": tuple(lab for lab in project.config.labels if lab.name != "PROGRAM")}
    )
    (project.root / "annotator.toml").write_text(render_config(config), encoding="utf-8")
    reopened = Project.open(project.root)
    viewer = reopened.session("ani", read_only=True)  # a reader moves nothing
    assert [u.line for u in viewer.unapplied] == [1, 2]
    assert "not UTF-8" in viewer.unapplied[0].reason
    assert "unknown label 'PROGRAM'" in viewer.unapplied[1].reason
    problems = validate_project(project.root).problems
    assert any(p.startswith(f"{session.journal_path}:1: not UTF-8") for p in problems)
    writer = reopened.session("ani")
    writer.close()
    assert len((project.state_dir / "ani.unapplied").read_bytes().splitlines()) == 2
    assert session.journal_path.read_bytes() == b""


def test_a_crash_between_setting_aside_and_emptying_the_journal_doubles_nothing(
    tmp_path: Path,
) -> None:
    project, d1_lines = edits_then_text_changes(tmp_path / "p")
    journal = project.state_dir / "ani.journal"
    saved = journal.read_bytes()
    project.session("ani").close()
    journal.write_bytes(saved)  # as if the journal had not been emptied yet
    Project.open(project.root).session("ani").close()
    assert (project.state_dir / "ani.unapplied").read_bytes() == d1_lines

"""The worker read policy: a worker's own project, renewed when the files change, read-only."""

from __future__ import annotations

import threading
from pathlib import Path

from _store_helpers import make_project

from annotator.core.edit import AddSpan
from annotator.core.model import Document
from annotator.core.reading import ProjectReader

TEXTS = {"d1": "Wali Kota Bogor 🇮🇩 hadir", "d2": "Kemendagri di Jakarta"}


def test_the_same_project_until_a_file_changes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TEXTS)
    reader = ProjectReader(project.root)
    first = reader.project()
    assert first is not project  # never the caller's own object
    assert reader.project() is first
    assert not reader.renewed(first)
    project.documents.append([Document(id="d3", text="Banyuwangi")])
    assert reader.renewed(first)
    again = reader.project()
    assert again.documents.ids == ["d1", "d2", "d3"]
    config = project.root / "annotator.toml"
    config.write_text(config.read_text("utf-8").replace('name = "p"', 'name = "q"'), "utf-8")
    assert reader.project() is not again
    assert reader.project().config.name == "q"


def test_a_worker_sees_journaled_edits_while_the_writer_holds_the_lock(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TEXTS)
    writer = project.session("ani")
    writer.apply(AddSpan("d2", 0, len("Kemendagri"), "AGENCY"))
    seen: list[object] = []

    def worker() -> None:  # as a worker thread does: its own reader, read-only sessions
        mine = ProjectReader(project.root).project()
        ann = mine.session("ani", read_only=True).annotation("d2")
        seen.append([s.text for s in ann.spans] if ann is not None else None)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [["Kemendagri"]]
    assert writer.read_only is False  # the worker took no lock from the writer
    writer.close()

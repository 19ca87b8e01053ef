"""A folder keeps a text holding U+0000 exactly (a server store refuses it: tests/pg)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.edit import AddSpan
from annotator.core.model import Document
from annotator.core.project import Project


def test_a_text_with_a_nul_character_reads_back_exactly(tmp_path: Path) -> None:
    text = "Kota\x00 Bogor 😀 hadir"
    project = Project.init(tmp_path / "p")
    project.documents.append([Document(id="d", text=text)])
    start = text.index("Bogor")
    with Project.open(tmp_path / "p").session("ani") as session:
        session.apply(AddSpan("d", start, start + len("Bogor"), "CITY"))
    again = Project.open(tmp_path / "p")
    assert again.documents.get("d").text == text
    ann = again.annotation("ani", "d")
    assert ann is not None
    assert [(s.start, s.end, s.text) for s in ann.spans] == [(start, start + 5, "Bogor")]

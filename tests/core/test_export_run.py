"""The export run: one function per format in the registry, and failures that harm nothing."""

from __future__ import annotations

import errno
import hashlib
import json
from pathlib import Path

import pytest
from _helpers_export import TEXTS, annotate_samples, make_project

from annotator.core.errors import AnnotatorError
from annotator.core.export import (
    EXPORTERS,
    ExportCancelled,
    ExportDoc,
    Exporter,
    ExportOptions,
    FormatContext,
    export_project,
    text_format,
)
from annotator.core.project import Project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = make_project(tmp_path / "p")
    annotate_samples(project)
    return project


def ids_only(doc: ExportDoc, ctx: FormatContext) -> str:
    return f"{doc.id}\t{len(doc.tokens)}\t{len(doc.spans)}\n"


def test_a_format_is_one_function(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(EXPORTERS, "ids", Exporter("ids", ".tsv", "ids", text_format(ids_only)))
    summary = export_project(project, ExportOptions(format="ids", out=tmp_path / "o"))
    lines = (tmp_path / "o" / "all.tsv").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in lines] == list(TEXTS)
    assert summary.documents == len(TEXTS)


def test_a_full_disk_leaves_the_previous_export_whole(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "o"
    export_project(project, ExportOptions(format="conll", out=out))
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full(doc: ExportDoc, ctx: FormatContext) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(EXPORTERS, "conll", Exporter("conll", ".conll", "x", text_format(full)))
    with pytest.raises(AnnotatorError, match=r"could not write the export to .*: No space left"):
        export_project(project, ExportOptions(format="conll", out=out))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no scratch folder left


def test_an_output_path_that_is_a_file_is_one_line(project: Project, tmp_path: Path) -> None:
    (tmp_path / "o").write_text("not a folder")
    with pytest.raises(AnnotatorError, match="cannot write the export to"):
        export_project(project, ExportOptions(format="conll", out=tmp_path / "o"))


def test_cancel_while_writing_writes_nothing(project: Project, tmp_path: Path) -> None:
    phases: list[str] = []

    def progress(phase: str, done: int, total: int) -> bool:
        phases.append(phase)
        return phase != "writing"

    with pytest.raises(ExportCancelled):
        export_project(project, ExportOptions(format="hf", out=tmp_path / "o"), progress)
    assert phases[0] == "reading"
    assert phases[-1] == "writing"
    assert list((tmp_path / "o").iterdir()) == []


def test_unknown_format_and_scheme(project: Project, tmp_path: Path) -> None:
    with pytest.raises(AnnotatorError, match="unknown format 'xml'"):
        export_project(project, ExportOptions(format="xml", out=tmp_path / "o"))
    with pytest.raises(AnnotatorError, match="unknown scheme 'bio'"):
        export_project(project, ExportOptions(format="conll", scheme="bio", out=tmp_path / "o"))  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_meta_json_gives_each_files_size_and_sha256(
    project: Project, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "o"
    export_project(project, ExportOptions(format=fmt, out=out, split=(0.5, 0.3, 0.2)))
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    listed = {f["name"]: (f["bytes"], f["sha256"]) for f in meta["files"]}
    written = {p.name for p in out.iterdir()} - {"meta.json", "README.md"}
    assert set(listed) == written
    for name, (size, digest) in listed.items():
        data = (out / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (size, digest), name

"""The cached line index: typed entries, and a cache that lies or rots is never trusted."""

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _store_helpers import make_project

from annotator.core.annotation_file import AnnotationSummary, annotation_kind
from annotator.core.documents import DOCUMENTS, DocumentSummary
from annotator.core.index import IndexEntry, build_index
from annotator.core.model import Annotation, make_span, sha256_text
from annotator.core.project import Project, render_config

TEXTS = {
    "d1": "🇮🇩 Kemendagri di Kota Makassar",
    "d2": "Pemprov DKI Jakarta meluncurkan Jakarta Smart City",
    "d3": "e\u0301 Banyuwangi, Selasa (30/08/2022)",
}


def write_annotations(project: Project, name: str, spans: dict[str, list[tuple[str, str]]]) -> None:
    """Done annotations of ``name``, written as a file (spans as (substring, label))."""
    lines = []
    for doc_id, wanted in spans.items():
        text = TEXTS[doc_id]
        made = tuple(
            make_span(text, text.index(sub), text.index(sub) + len(sub), label)
            for sub, label in wanted
        )
        ann = Annotation(id=doc_id, text=text, annotator=name, status="done", spans=made)
        lines.append(json.dumps(ann.model_dump(mode="json"), ensure_ascii=False))
    path = project.annotations_dir / f"{name}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], capture_output=True, text=True, check=False
    )


def test_entries_are_typed_records(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TEXTS)
    index = project.documents.index
    entry = index.entry("d1")
    assert entry == IndexEntry(
        line=1,
        offset=0,
        length=len(project.documents_path.read_bytes().split(b"\n")[0]),
        summary=DocumentSummary(TEXTS["d1"], sha256_text(TEXTS["d1"]), len(TEXTS["d1"])),
    )
    assert index.entry("nope") is None
    # from the cache, the same typed records
    again = Project.open(project.root).documents.index
    assert again.entry("d3") == index.entry("d3")
    assert isinstance(again.summary("d3"), DocumentSummary)
    assert [doc_id for doc_id, _ in again.items()] == ["d1", "d2", "d3"]


def _cache_mutations() -> list[tuple[str, Callable[[dict[str, Any]], object]]]:
    def set_row(field: int, value: object) -> Callable[[dict[str, Any]], object]:
        def mutate(data: dict[str, Any]) -> None:
            data["entries"]["d2"][field] = value

        return mutate

    def set_summary(field: int, value: object) -> Callable[[dict[str, Any]], object]:
        def mutate(data: dict[str, Any]) -> None:
            data["entries"]["d2"][3][field] = value

        return mutate

    def set_key(key: str, value: object) -> Callable[[dict[str, Any]], object]:
        return lambda data: data.__setitem__(key, value)

    def swap_offsets(data: dict[str, Any]) -> None:  # right types, lying values
        e = data["entries"]
        e["d1"][1], e["d2"][1] = e["d2"][1], e["d1"][1]
        e["d1"][2], e["d2"][2] = e["d2"][2], e["d1"][2]

    return [
        ("offset a string", set_row(1, "12")),
        ("negative length", set_row(2, -5)),
        ("line a float", set_row(0, 2.0)),
        ("row too short", lambda d: d["entries"].__setitem__("d2", [2, 0])),
        ("row a dict", lambda d: d["entries"].__setitem__("d2", {"line": 2})),
        ("title a number", set_summary(0, 7)),
        ("summary missing a field", lambda d: d["entries"]["d2"].__setitem__(3, ["x", "y"])),
        ("entries a list", set_key("entries", [])),
        ("errors malformed", set_key("errors", [["path", "one", "reason"]])),
        ("size a string", set_key("size", "100")),
        ("version missing", lambda d: d.pop("version")),
        ("kind another", set_key("kind", "annotations")),
        ("offsets swapped", swap_offsets),
        ("offset past the end", set_row(1, 10**9)),
    ]


@pytest.mark.parametrize(("name", "mutate"), _cache_mutations())
def test_a_cache_with_wrong_values_is_rebuilt(
    tmp_path: Path, name: str, mutate: Callable[[dict[str, Any]], object]
) -> None:
    project = make_project(tmp_path / "p", TEXTS)
    assert len(project.documents) == 3  # writes the cache
    cache = project.state_dir / "cache" / "documents.idx.json"
    data = json.loads(cache.read_bytes())
    mutate(data)
    cache.write_text(json.dumps(data), encoding="utf-8")
    docs = Project.open(project.root).documents
    assert docs.ids == ["d1", "d2", "d3"], name
    assert [docs.get(d).text for d in docs.ids] == list(TEXTS.values()), name
    assert docs.title("d2") == TEXTS["d2"], name


@pytest.mark.parametrize("garbage", [b"", b"[]", b"{", b"null", b'{"version": 2}', b"\xff\xfe"])
def test_a_cache_that_is_not_an_index_is_rebuilt(tmp_path: Path, garbage: bytes) -> None:
    project = make_project(tmp_path / "p", TEXTS)
    assert len(project.documents) == 3
    (project.state_dir / "cache" / "documents.idx.json").write_bytes(garbage)
    assert Project.open(project.root).documents.ids == ["d1", "d2", "d3"]


def test_commands_survive_an_annotation_cache_with_wrong_types(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TEXTS)
    write_annotations(project, "ani", {"d1": [("Kemendagri", "AGENCY")], "d2": []})
    write_annotations(project, "budi", {"d1": [("Kemendagri", "AGENCY")], "d2": []})
    before = run_cli("stats", str(project.root), "--json")
    assert before.returncode == 0, before.stderr
    for name in ("ani", "budi"):
        cache = project.state_dir / "cache" / f"{name}.idx.json"
        data = json.loads(cache.read_bytes())
        data["entries"]["d1"][3][0] = 3  # the status a number
        data["entries"]["d2"][3][3] = ["AGENCY"]  # label counts a list
        cache.write_text(json.dumps(data), encoding="utf-8")
    for totals in (project.state_dir / "cache").glob("*.totals.json"):
        totals.unlink()  # the stats totals too must come from the index again
    after = run_cli("stats", str(project.root), "--json")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == json.loads(before.stdout)
    for args in (
        ("export", str(project.root), "--format", "jsonl", "--source", "ani", "--out"),
        ("agreement", str(project.root), "--json", "--html"),
    ):
        out = run_cli(*args, str(tmp_path / f"out-{args[0]}"))
        assert out.returncode == 0, out.stderr
        assert "Traceback" not in out.stderr


def test_the_label_list_is_part_of_the_annotation_cache_key(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TEXTS)
    write_annotations(
        project,
        "ani",
        {"d1": [("Kemendagri", "AGENCY"), ("Kota Makassar", "CITY")], "d2": [("DKI", "PROGRAM")]},
    )
    # warm every cache with the five labels
    assert run_cli("stats", str(project.root)).returncode == 0
    first = run_cli(
        "export", str(project.root), "--format", "hf", "--source", "ani", "--out", str(tmp_path)
    )
    assert first.returncode == 0, first.stderr
    # the lead removes PROGRAM while the caches are warm
    config = project.config.model_copy(
        update={"labels": tuple(lab for lab in project.config.labels if lab.name != "PROGRAM")}
    )
    (project.root / "annotator.toml").write_text(render_config(config), encoding="utf-8")
    out = run_cli(
        "export",
        str(project.root),
        "--format",
        "hf",
        "--source",
        "ani",
        "--out",
        str(tmp_path / "x"),
    )
    assert out.returncode == 0, out.stderr
    assert "KeyError" not in out.stderr
    assert "Traceback" not in out.stderr
    labels = json.loads((tmp_path / "x" / "labels.json").read_text("utf-8"))
    assert not any("PROGRAM" in tag for tag in labels)
    records = [
        json.loads(x) for x in (tmp_path / "x" / "all.jsonl").read_text("utf-8").splitlines()
    ]
    assert [r["id"] for r in records] == ["d1"]  # d2's line holds a label no longer known
    path = project.annotations_dir / "ani.jsonl"
    assert f"{path}:2: spans.0: unknown label 'PROGRAM'" in out.stdout + out.stderr
    checked = run_cli("validate", str(project.root))
    assert checked.returncode == 1
    assert f"{path}:2: spans.0: unknown label 'PROGRAM'" in checked.stdout + checked.stderr
    stats = json.loads(run_cli("stats", str(project.root), "--json").stdout)
    (ani,) = stats["annotators"]
    assert ani["errors"] == 1
    assert ani["done"] == 1


def test_an_index_under_other_labels_is_not_reused(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TEXTS)
    write_annotations(project, "ani", {"d2": [("DKI", "PROGRAM")]})
    path = project.annotations_dir / "ani.jsonl"
    cache = tmp_path / "ani.idx.json"
    five = build_index(path, annotation_kind(frozenset(project.config.label_names)), cache)
    assert five.summary("d2") == AnnotationSummary(
        "done", sha256_text(TEXTS["d2"]), 0.0, {"PROGRAM": 1}
    )
    four = build_index(path, annotation_kind(frozenset({"PERSON", "CITY"})), cache)
    assert four.entry("d2") is None
    assert [e.reason for e in four.errors] == ["spans.0: unknown label 'PROGRAM'"]


def test_documents_kind_is_the_one_the_store_uses(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TEXTS)
    assert project.documents.index.kind is DOCUMENTS

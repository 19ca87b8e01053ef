"""Importing into a project: identity, deduplication, annotators, overwriting, options."""

import json
from pathlib import Path

import pytest
from _import_helpers import DATA, new_project, write_jsonl

from annotator.core.edit import AddSpan
from annotator.core.errors import LockedError
from annotator.core.importers import ImportOptions, UsageError, import_paths, parse_label_map
from annotator.core.model import Document
from annotator.core.project import Project
from annotator.core.tokens import Snap

CONLL_MAP = {"PER": "PERSON", "LOC": "CITY", "ORG": "AGENCY"}


def spans(project: Project, name: str, doc_id: str) -> list[tuple[str, str]]:
    ann = project.annotation_file(name).get(doc_id)
    assert ann is not None
    return [(s.text, s.label) for s in ann.spans]


def test_doccano_file_becomes_documents_and_annotations(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    summary = import_paths(project, [DATA / "doccano.jsonl"], ImportOptions(annotator="ani"))
    assert summary.problems == []
    assert (summary.documents_added, summary.annotations_written) == (3, 3)
    project = Project.open(project.root)
    assert project.documents.ids == ["1", "2", "3"]
    assert spans(project, "ani", "2") == [
        ("Kemendagri", "AGENCY"),
        ("Andre\u0301 Rosiade", "PERSON"),
        ("12/03/2023", "DATE"),
    ]
    ann = project.annotation_file("ani").get("1")
    assert ann is not None
    assert ann.status == "done"
    assert ann.meta == {"imported_from": "doccano.jsonl:1"}
    assert "\r" not in ann.text
    assert not project.session("ani", read_only=True).dirty  # compacted on close


def test_importing_twice_duplicates_nothing(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    options = ImportOptions(annotator="ani")
    import_paths(project, [DATA / "prodigy.jsonl", DATA / "articles"], options)
    docs_before = project.documents_path.read_bytes()
    ann_before = (project.annotations_dir / "ani.jsonl").read_bytes()
    again = import_paths(
        Project.open(project.root), [DATA / "prodigy.jsonl", DATA / "articles"], options
    )
    assert again.problems == []
    assert (again.documents_added, again.documents_present) == (0, 5)
    assert (again.annotations_written, again.annotations_unchanged) == (0, 3)
    assert project.documents_path.read_bytes() == docs_before
    assert (project.annotations_dir / "ani.jsonl").read_bytes() == ann_before


def test_the_same_article_from_several_annotators_is_one_document(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    a = tmp_path / "ani.conll"
    b = tmp_path / "budi.conll"
    a.write_text("Wali O\nKota O\nBogor B-LOC\n", encoding="utf-8")
    b.write_text("Wali B-ORG\nKota I-ORG\nBogor I-ORG\n", encoding="utf-8")
    import_paths(project, [a], ImportOptions(annotator="ani", label_map=CONLL_MAP))
    summary = import_paths(project, [b], ImportOptions(annotator="budi", label_map=CONLL_MAP))
    assert (summary.documents_added, summary.documents_present) == (0, 1)
    project = Project.open(project.root)
    (doc_id,) = project.documents.ids
    assert spans(project, "ani", doc_id) == [("Bogor", "CITY")]
    assert spans(project, "budi", doc_id) == [("Wali Kota Bogor", "AGENCY")]


def test_a_record_without_id_joins_the_document_holding_its_text(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    import_paths(project, [DATA / "articles" / "banjir.txt"], ImportOptions())
    text = project.documents.get("banjir").text
    path = write_jsonl(
        tmp_path / "p.jsonl",
        [
            {
                "text": text.replace("\n", "\r\n"),
                "spans": [{"start": 0, "end": 6, "label": "DATE"}],
                "answer": "accept",
            }
        ],
    )
    summary = import_paths(project, [path], ImportOptions(format="prodigy", annotator="ani"))
    assert summary.problems == []
    assert summary.documents_present == 1
    assert Project.open(project.root).documents.ids == ["banjir"]
    assert spans(project, "ani", "banjir") == [("Banjir", "DATE")]


def test_an_input_id_wins_over_a_text_already_held_under_another(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    project.documents.append([Document(id="lama", text="Kota Bogor")])
    path = write_jsonl(tmp_path / "x.jsonl", [{"id": "baru", "text": "Kota Bogor"}])
    summary = import_paths(project, [path], ImportOptions())
    assert summary.problems == []
    assert summary.documents_added == 1
    assert summary.note_counts["same-text"] == 1
    assert "'baru' has the same text as 'lama'" in summary.notes[0].message
    assert Project.open(project.root).documents.ids == ["lama", "baru"]


def test_an_id_with_another_text_is_an_error(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    project.documents.append([Document(id="a", text="Kota Bogor")])
    path = write_jsonl(
        tmp_path / "x.jsonl",
        [
            {"id": "a", "text": "Kota Medan"},
            {"id": "b", "text": "Kota Padang"},
            {"id": "b", "text": "Kota Padang"},
            {"id": "b", "text": "Kota Solo"},
        ],
    )
    summary = import_paths(project, [path], ImportOptions())
    assert summary.problems == [
        f"{path}:1: document 'a' is already in the project with a different text",
        f"{path}:4: id 'b' was already imported from {path}:2 with a different text",
    ]
    assert Project.open(project.root).documents.ids == ["a", "b"]


def test_a_different_annotation_is_kept_unless_overwrite(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    project.documents.append([Document(id="d", text="Wali Kota Bogor")])
    with project.session("ani") as s:
        s.apply(AddSpan("d", 10, 15, "CITY", Snap.EXACT))
        s.set_status("d", "done")
    before = (project.annotations_dir / "ani.jsonl").read_bytes()
    path = write_jsonl(
        tmp_path / "x.jsonl",
        [
            {
                "id": "d",
                "text": "Wali Kota Bogor",
                "spans": [{"start": 0, "end": 15, "label": "AGENCY"}],
            }
        ],
    )
    summary = import_paths(project, [path], ImportOptions(annotator="ani"))
    assert summary.problems == [
        f"{path}:1: ani already has a different annotation of 'd'; it was kept "
        "(pass --overwrite to replace it)"
    ]
    assert (project.annotations_dir / "ani.jsonl").read_bytes() == before
    summary = import_paths(project, [path], ImportOptions(annotator="ani", overwrite=True))
    assert summary.problems == []
    assert spans(Project.open(project.root), "ani", "d") == [("Wali Kota Bogor", "AGENCY")]


def test_annotations_without_an_annotator_give_documents_and_one_problem(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    summary = import_paths(project, [DATA / "doccano.jsonl"], ImportOptions())
    assert summary.documents_added == 3
    assert summary.problems == [
        f"{DATA / 'doccano.jsonl'}:1: the annotations of 3 records (the first here) were not "
        "imported: pass --annotator NAME to import them"
    ]
    assert project.annotators() == []
    # running it again with --annotator adds the annotations, and no document twice
    summary = import_paths(project, [DATA / "doccano.jsonl"], ImportOptions(annotator="ani"))
    assert (summary.documents_added, summary.annotations_written) == (0, 3)


def test_one_document_annotated_twice_in_one_import_is_an_error(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    rec = {"id": "d", "text": "Kota Bogor", "spans": [{"start": 5, "end": 10, "label": "CITY"}]}
    other = {**rec, "spans": [{"start": 0, "end": 10, "label": "CITY"}]}
    path = write_jsonl(tmp_path / "x.jsonl", [rec, other])
    summary = import_paths(project, [path], ImportOptions(annotator="ani"))
    assert len(summary.problems) == 1
    assert summary.problems[0].startswith(f"{path}:2: the annotation of 'd' was already imported")
    assert "--source-user" in summary.problems[0]


def test_a_record_repeated_exactly_is_imported_once_with_a_note(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    rec = {"id": "d", "text": "Kota Bogor", "spans": [{"start": 5, "end": 10, "label": "CITY"}]}
    path = write_jsonl(tmp_path / "x.jsonl", [rec, rec])
    summary = import_paths(project, [path], ImportOptions(annotator="ani"))
    assert summary.problems == []
    assert (summary.documents_added, summary.annotations_written) == (1, 1)
    (note,) = summary.notes
    assert (
        str(note) == f"{path}:2: repeats {path}:1 exactly (the same text and spans): imported once"
    )


def test_a_bad_span_rejects_the_whole_record(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    path = write_jsonl(
        tmp_path / "x.jsonl",
        [
            {"id": "a", "text": "Kota Bogor", "spans": [{"start": 5, "end": 10, "label": "GPE"}]},
            {
                "id": "b",
                "text": "Kota Bogor",
                "spans": [
                    {"start": 0, "end": 10, "label": "CITY"},
                    {"start": 5, "end": 10, "label": "CITY"},
                ],
            },
            {"id": "c", "text": "Kota Medan", "spans": [{"start": 5, "end": 10, "label": "city"}]},
        ],
    )
    summary = import_paths(project, [path], ImportOptions(annotator="ani"))
    assert [p.split(": ", 1)[0] for p in summary.problems] == [f"{path}:1", f"{path}:2"]
    assert "unknown label 'GPE'" in summary.problems[0]
    assert "overlap" in summary.problems[1]
    project = Project.open(project.root)
    assert project.documents.ids == ["c"]  # nothing of a bad record is written
    assert spans(project, "ani", "c") == [("Medan", "CITY")]


def test_label_map_and_overlaps_longest(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    options = ImportOptions(
        annotator="ani",
        label_map=parse_label_map(["PER=PERSON", "LOC=CITY", "ORG=", "MISC="], ("PERSON", "CITY")),
    )
    summary = import_paths(project, [DATA / "sample.conll"], options)
    assert summary.problems == []
    assert summary.note_counts["dropped"] == 2
    path = write_jsonl(
        tmp_path / "x.jsonl",
        [
            {
                "id": "o",
                "text": "Wali Kota Bogor",
                "spans": [
                    {"start": 0, "end": 15, "label": "AGENCY"},
                    {"start": 10, "end": 15, "label": "CITY"},
                ],
            }
        ],
    )
    summary = import_paths(project, [path], ImportOptions(annotator="ani", overlaps="longest"))
    assert summary.problems == []
    assert spans(Project.open(project.root), "ani", "o") == [("Wali Kota Bogor", "AGENCY")]


@pytest.mark.parametrize(
    ("item", "message"),
    [("LOC", "expected OLD=NEW"), ("=CITY", "expected OLD=NEW"), ("LOC=GPE", "GPE is not a label")],
)
def test_bad_label_maps(item: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_label_map([item], ("PERSON", "CITY"))


def test_a_held_lock_stops_before_anything_is_imported(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    holder = project.session("ani")
    try:
        with pytest.raises(LockedError):
            import_paths(project, [DATA / "doccano.jsonl"], ImportOptions(annotator="ani"))
        assert Project.open(project.root).documents.ids == []
    finally:
        holder.close()


def test_progress_reaches_the_total(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    seen: list[tuple[int, int]] = []
    import_paths(
        project,
        [DATA / "plain.jsonl", DATA / "labelstudio.json"],
        ImportOptions(),
        lambda done, total: seen.append((done, total)),
    )
    total = (DATA / "plain.jsonl").stat().st_size + (DATA / "labelstudio.json").stat().st_size
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_folder_imports_its_known_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Kota Bogor\n", encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("Kota Medan\n", encoding="utf-8")
    (folder / "README.md").write_text("not an article\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("secret\n", encoding="utf-8")
    (folder / "c.jsonl").write_text(json.dumps({"id": "c", "text": "Kota Solo"}) + "\n")
    project = new_project(tmp_path / "p")
    summary = import_paths(project, [folder], ImportOptions())
    assert summary.files == 3
    assert sorted(Project.open(project.root).documents.ids) == ["a", "c", "sub/b"]

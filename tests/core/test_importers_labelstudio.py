"""Label Studio JSON export: tasks, value.text deciding the unit, several annotators, JSON_MIN."""

import json
from pathlib import Path
from typing import Any

from _import_helpers import DATA, read, spans_of, u16


def task(text: str, *results: dict[str, Any], **extra: Any) -> dict[str, Any]:
    ann = {"completed_by": 1, "was_cancelled": False, "result": list(results)}
    ann.update(extra.pop("ann", {}))
    return {"id": 9, "data": {"text": text}, "annotations": [ann], **extra}


def label(start: int, end: int, lab: str, text: str | None = None) -> dict[str, Any]:
    value: dict[str, Any] = {"start": start, "end": end, "labels": [lab]}
    if text is not None:
        value["text"] = text
    return {"type": "labels", "from_name": "label", "to_name": "text", "value": value}


def write(path: Path, tasks: list[Any], indent: int | None = 2) -> Path:
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=indent), encoding="utf-8")
    return path


def test_sample_export_with_old_and_new_offsets() -> None:
    records, errors = read("labelstudio", DATA / "labelstudio.json")
    assert errors == []
    assert [r.doc.id for r in records] == ["100", "101", "102"]
    assert spans_of(records[0])[0] == ("JAKARTA", "CITY")
    assert spans_of(records[0])[-1] == ("Eri Cahyadi", "PERSON")  # after the CRLF
    # task 101 came from an older Label Studio that counted UTF-16 units
    assert spans_of(records[1]) == [
        ("Kemendagri", "AGENCY"),
        ("Andre\u0301 Rosiade", "PERSON"),
        ("12/03/2023", "DATE"),
    ]
    assert [n.kind for n in records[1].notes] == ["unit"]
    assert records[0].doc.meta == {"title": "Berita 1"}
    assert records[0].seconds == 12.5
    # each task's line is where it starts in the file
    text = (DATA / "labelstudio.json").read_text(encoding="utf-8").split("\n")
    for rec in records:
        assert text[rec.line - 1].strip() == "{"
        assert f'"id": {rec.doc.id},' in text[rec.line]


def test_span_text_matching_no_unit_is_an_error(tmp_path: Path) -> None:
    text = "😀 Gubernur Jawa Timur"
    path = write(tmp_path / "ls.json", [task(text, label(3, 11, "PERSON", "Gubernur Jawa"))])
    records, (err,) = read("labelstudio", path)
    assert records == []
    assert err.line == 2
    assert "span 3-11 says 'Gubernur Jawa', which matches the text in no unit" in err.reason


def test_cancelled_is_skipped_and_other_results_are_left_out(tmp_path: Path) -> None:
    choice = {"type": "choices", "value": {"choices": ["politik"]}}
    path = write(
        tmp_path / "ls.json",
        [
            task("Kota Bogor", label(5, 10, "CITY"), ann={"was_cancelled": True}),
            task("Kota Bogor", label(5, 10, "CITY", "Bogor"), choice),
            {"id": 3, "data": {"text": "Kota Bogor"}, "annotations": [], "predictions": [{}]},
        ],
    )
    (a, b, c), errors = read("labelstudio", path)
    assert errors == []
    assert (a.status, a.spans) == ("skipped", ())
    assert spans_of(b) == [("Bogor", "CITY")]
    assert [n.kind for n in b.notes] == ["ignored"]
    assert c.spans is None  # predictions are not a person's annotation


def test_several_annotators_need_source_user(tmp_path: Path) -> None:
    t = task("Kota Bogor", label(0, 10, "CITY"))
    t["annotations"].append(
        {"completed_by": {"id": 2, "email": "budi@example.org"}, "result": [label(5, 10, "CITY")]}
    )
    path = write(tmp_path / "ls.json", [t])
    _, (err,) = read("labelstudio", path)
    assert "2 annotations (by 1, 2, budi@example.org)" in err.reason
    assert "--source-user" in err.reason
    (rec,), _ = read("labelstudio", path, source_user="budi@example.org")
    assert spans_of(rec) == [("Bogor", "CITY")]
    (rec,), _ = read("labelstudio", path, source_user="7")
    assert rec.spans is None


def test_data_id_wins_over_the_task_id(tmp_path: Path) -> None:
    t = task("Kota Bogor")
    t["data"]["id"] = "berita-9"
    (rec,), _ = read("labelstudio", write(tmp_path / "ls.json", [t]))
    assert rec.doc.id == "berita-9"


def test_json_min(tmp_path: Path) -> None:
    text = "🇮🇩 Kota Bogor"
    s = text.index("Bogor")
    row = {
        "id": 4,
        "text": text,
        "annotator": 1,
        "lead_time": 3.0,
        "label": [
            {"start": u16(text, s), "end": u16(text, s + 5), "text": "Bogor", "labels": ["CITY"]}
        ],
    }
    (rec,), errors = read("labelstudio", write(tmp_path / "min.json", [row]))
    assert errors == []
    assert spans_of(rec) == [("Bogor", "CITY")]
    assert rec.seconds == 3.0


def test_bad_tasks_and_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "ls.json"
    good = json.dumps(task("Kota Bogor", label(5, 10, "CITY")))
    path.write_text(
        "[\n"
        + good
        + ",\n"
        + "42,\n"
        + json.dumps({"id": 2, "data": {"a": "x", "b": "y"}})
        + ",\n"
        + json.dumps(
            task(
                "Kota",
                label(0, 4, "CITY"),
                ann={"result": [{"value": {"start": 0, "end": 4, "labels": ["CITY", "AGENCY"]}}]},
            )
        )
        + ",\n"
        + good
        + ',\n{"id": 5, "data": {"text": "Kota Medan"}, "annotations": [}\n]\n',
        encoding="utf-8",
    )
    records, errors = read("labelstudio", path)
    assert [r.line for r in records] == [2, 6]  # the good tasks on both sides still load
    assert [(e.line, e.reason.split(";")[0]) for e in errors] == [
        (3, "expected a task object, got int"),
        (4, "cannot tell which field of 'data' holds the text (fields: a, b)"),
        (5, "annotation result 1 has labels ['CITY', 'AGENCY']"),
        (7, "invalid JSON: Expecting value"),
    ]


def test_json_min_with_foreign_labels_is_an_error(tmp_path: Path) -> None:
    row = {"id": 4, "text": "Kota Bogor", "label": [[5, 10, "CITY"]]}  # doccano-style
    _, (err,) = read("labelstudio", write(tmp_path / "min.json", [row]))
    assert err.reason == "label 1 must be an object with start, end and labels, got [5, 10, 'CITY']"

"""doccano JSONL: both variants, UTF-16 offsets, CRLF inside the text."""

from pathlib import Path

from _import_helpers import DATA, read, spans_of, u16, write_jsonl

EXPECTED = [
    [
        ("JAKARTA", "CITY"),
        ("Tito Karnavian", "PERSON"),
        ("Smart City", "PROGRAM"),
        ("Kota Surabaya", "CITY"),
        ("Senin, 5 Desember 2022", "DATE"),
        ("Eri Cahyadi", "PERSON"),
    ],
    [("Kemendagri", "AGENCY"), ("Andre\u0301 Rosiade", "PERSON"), ("12/03/2023", "DATE")],
    [("Banyuwangi", "CITY"), ("Ipuk Fiestandani", "PERSON")],
]


def test_label_variant() -> None:
    records, errors = read("doccano", DATA / "doccano.jsonl")
    assert errors == []
    assert [r.doc.id for r in records] == ["1", "2", "3"]
    assert [spans_of(r) for r in records] == EXPECTED
    assert "\r" not in records[0].doc.text  # CRLF in the text, spans after it still right
    assert all(r.notes == () for r in records)


def test_entities_variant() -> None:
    records, errors = read("doccano", DATA / "doccano_entities.jsonl")
    assert errors == []
    assert [spans_of(r) for r in records] == EXPECTED


def test_no_spans_means_no_annotation(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "d.jsonl",
        [{"id": 1, "text": "Kota Bogor", "label": []}, {"id": 2, "text": "Kota", "entities": []}],
    )
    records, _ = read("doccano", path)
    assert [r.spans for r in records] == [None, None]


def test_extra_fields_become_meta(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "d.jsonl",
        [{"id": 1, "text": "Kota Bogor", "label": [[5, 10, "CITY"]], "source": "antara"}],
    )
    (rec,), _ = read("doccano", path)
    assert rec.doc.meta == {"source": "antara"}


def test_bad_spans(tmp_path: Path) -> None:
    text = "😀 Kota Bogor"
    path = write_jsonl(
        tmp_path / "d.jsonl",
        [
            {"id": 1, "text": text, "label": [[u16(text, 2), u16(text, len(text)) + 5, "CITY"]]},
            {"id": 2, "text": text, "label": [[8, 3, "CITY"]]},
            {"id": 3, "text": text, "label": [[3, 7]]},
            {"id": 4, "text": text, "entities": [{"label": "CITY", "start_offset": 3}]},
            {"id": 5, "text": text, "label": "CITY"},
        ],
    )
    records, errors = read("doccano", path)
    assert records == []
    assert [(e.line, e.reason) for e in errors] == [
        (1, "span 3-18 ends past the end of the text (13 UTF-16 units)"),
        (2, "span 8-3 is reversed (end before start)"),
        (3, 'label 1 must be [start, end, "LABEL"], got [3, 7]'),
        (4, "entity 1 has no 'end_offset'"),
        (5, "field 'label' must be a list, got str"),
    ]

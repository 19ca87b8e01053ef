"""Plain JSONL: text, ids, meta, optional spans in this tool's own format."""

from pathlib import Path

from _import_helpers import DATA, read, spans_of, write_jsonl

from annotator.core.importers import hash_id


def test_sample_file() -> None:
    records, errors = read("jsonl", DATA / "plain.jsonl")
    assert errors == []
    assert [r.doc.id for r in records] == ["berita-1", "berita-2", "berita-3"]
    assert all(r.spans is None for r in records)
    first = records[0].doc
    assert "\r" not in first.text
    assert first.text.startswith("📌 JAKARTA")
    assert first.meta == {"source": "sample"}


def test_id_from_meta_or_the_hash_of_the_text(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"text": "Banjir di Bekasi", "meta": {"id": "m-1"}},
            {"text": "Gempa di Cianjur\r\n"},
            {"text": "Rapat", "id": 7},
        ],
    )
    (a, b, c), errors = read("jsonl", path)
    assert errors == []
    assert (a.doc.id, a.id_given) == ("m-1", True)
    assert (b.doc.id, b.id_given) == (hash_id("Gempa di Cianjur\n"), False)
    assert b.doc.id.startswith("sha-")
    assert len(b.doc.id) == len("sha-") + 16
    assert c.doc.id == "7"


def test_own_annotation_records_carry_spans_status_and_seconds(tmp_path: Path) -> None:
    text = "👍🏽 Andre\u0301 Rosiade di Padang"
    start = text.index("Padang")
    path = write_jsonl(
        tmp_path / "ani.jsonl",
        [
            {
                "id": "d1",
                "text": text,
                "spans": [{"start": start, "end": start + 6, "label": "CITY", "text": "Padang"}],
                "status": "in_progress",
                "seconds": 12.5,
                "annotator": "ani",
            },
            {"id": "d2", "text": "Tanpa entitas.", "spans": []},
        ],
    )
    (a, b), errors = read("jsonl", path)
    assert errors == []
    assert spans_of(a) == [("Padang", "CITY")]
    assert (a.status, a.seconds) == ("in_progress", 12.5)
    assert b.spans == ()
    assert b.status == "done"


def test_bad_records_name_their_line_and_good_ones_still_load(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "\n".join(
            [
                '{"id": "ok-1", "text": "Kota Medan"}',
                '{"id": "x", "text": ',
                "[1, 2]",
                '{"id": "y"}',
                '{"id": "z", "text": 5}',
                '{"id": 1.5, "text": "a"}',
                '{"id": "w", "text": "Kota", "spans": [{"start": 0, "end": 4}]}',
                '{"id": "v", "text": "Kota", "spans": [{"start": 0, "end": 4, "label": "CITY", '
                '"text": "Kita"}]}',
                '{"id": "u", "text": "Kota", "status": "finished"}',
                '{"id": "t", "text": "Kota", "meta": []}',
                '{"id": "ok-2", "text": "Kota Bogor"}',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    records, errors = read("jsonl", path)
    assert [r.doc.id for r in records] == ["ok-1", "ok-2"]
    assert [(e.line, e.reason.split(":")[0]) for e in errors] == [
        (2, "invalid JSON"),
        (3, "expected a JSON object, got list"),
        (4, "missing field 'text'"),
        (5, "field 'text' must be a string, got int"),
        (6, "id must be a string or an integer, got 1.5"),
        (7, "span 1 has no 'label'"),
        (8, "span 0-4 says 'Kita' but the text there is 'Kota'"),
        (9, "status must be one of in_progress, done, skipped, got 'finished'"),
        (10, "field 'meta' must be an object, got list"),
    ]


def test_annotation_like_fields_it_does_not_read_get_a_note(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "x.jsonl",
        [
            {"id": "a", "text": "Kota Bogor", "entities": [{"start": 5, "end": 10}], "tags": []},
            {"id": "b", "text": "Kota Solo", "spans": [], "ner_tags": [0, 1]},
            {"id": "c", "isi": "Kota Medan"},
        ],
    )
    records, _ = read("jsonl", path)
    assert [[n.message for n in r.notes] for r in records] == [
        ["'entities' looks like annotations, which the jsonl format does not read: not imported"],
        ["'ner_tags' looks like annotations, which the jsonl format does not read: not imported"],
    ]
    (rec,), errors = read("jsonl", path, text_field="isi")
    assert [e.reason for e in errors] == ["missing field 'isi'"] * 2
    assert rec.doc.id == "c"

"""Prodigy JSONL: code points, answers, several annotators' sessions."""

from pathlib import Path

from _import_helpers import DATA, read, spans_of, u16, write_jsonl


def test_sample_file() -> None:
    records, errors = read("prodigy", DATA / "prodigy.jsonl")
    assert errors == []
    assert [r.doc.id for r in records] == ["berita-1", "berita-2", "berita-3"]
    assert spans_of(records[1]) == [
        ("Kemendagri", "AGENCY"),
        ("Andre\u0301 Rosiade", "PERSON"),
        ("12/03/2023", "DATE"),
    ]
    assert [r.status for r in records] == ["done", "done", "skipped"]
    assert records[2].spans == ()  # a rejected answer's spans are not the annotator's


def test_ignore_is_skipped_and_a_bad_answer_is_an_error(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "p.jsonl",
        [
            {"text": "Kota Bogor", "spans": [], "answer": "ignore"},
            {"text": "Kota Bogor", "spans": [], "answer": "maybe"},
        ],
    )
    (rec,), (err,) = read("prodigy", path)
    assert rec.status == "skipped"
    assert err.line == 2
    assert "answer must be accept, reject or ignore" in err.reason


def test_span_text_catches_utf16_offsets(tmp_path: Path) -> None:
    text = "🇮🇩 Presiden di Istana Bogor"
    s = text.index("Istana Bogor")
    e = s + len("Istana Bogor")
    path = write_jsonl(
        tmp_path / "p.jsonl",
        [
            {
                "text": text,
                "spans": [
                    {
                        "start": u16(text, s),
                        "end": u16(text, e),
                        "label": "CITY",
                        "text": "Istana Bogor",
                    }
                ],
                "answer": "accept",
            }
        ],
    )
    (rec,), _ = read("prodigy", path)
    assert spans_of(rec) == [("Istana Bogor", "CITY")]
    assert [n.kind for n in rec.notes] == ["unit"]


def test_source_user_picks_one_session(tmp_path: Path) -> None:
    base = {"text": "Kota Bogor", "answer": "accept"}
    path = write_jsonl(
        tmp_path / "p.jsonl",
        [
            {**base, "spans": [{"start": 0, "end": 10, "label": "CITY"}], "_session_id": "x-ani"},
            {**base, "spans": [{"start": 5, "end": 10, "label": "CITY"}], "_session_id": "x-budi"},
        ],
    )
    (a, b), _ = read("prodigy", path, source_user="x-budi")
    assert a.spans is None  # ani's answer: the document only
    assert spans_of(b) == [("Bogor", "CITY")]

"""CoNLL: text rebuilt from tokens with exact offsets; IOB2, IOB1, BILOU/IOBES tags."""

from pathlib import Path

from _import_helpers import DATA, read, read_all, spans_of


def test_iob2_with_docstart_and_sentences() -> None:
    (a, b), errors = read("conll", DATA / "sample.conll")
    assert errors == []
    assert (
        a.doc.text
        == "Menteri Dalam Negeri Tito Karnavian tiba di Surabaya .\nIa bertemu Eri Cahyadi ."
    )
    assert spans_of(a) == [("Tito Karnavian", "PER"), ("Surabaya", "LOC"), ("Eri Cahyadi", "PER")]
    assert b.doc.text == "Kementerian Dalam Negeri 📌 ( Kemendagri )"
    assert spans_of(b) == [("Kementerian Dalam Negeri", "ORG"), ("Kemendagri", "ORG")]
    assert not a.id_given
    assert a.doc.id.startswith("sha-")
    assert (a.line, b.line) == (1, 19)  # the -DOCSTART- lines


def test_bilou_with_crlf_lines() -> None:
    (rec,), errors = read("conll", DATA / "sample_bilou.conll")
    assert errors == []
    assert spans_of(rec) == [
        ("Banyuwangi", "CITY"),
        ("Ipuk Fiestandani", "PERSON"),
        ("Festival Gandrung Sewu", "PROGRAM"),
    ]


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "x.conll"
    path.write_text(body, encoding="utf-8")
    return path


def test_iob1_and_broken_sequences_read_as_conlleval(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Joko I-PER\nWidodo I-PER\ndan O\nJawa I-LOC\nTimur I-PER\n\nBogor I-LOC\n",
    )
    (rec,), _ = read("conll", path, sentences_per_doc=0)
    # I- after O starts an entity; a different label starts a new one; a sentence ends one
    assert spans_of(rec) == [
        ("Joko Widodo", "PER"),
        ("Jawa", "LOC"),
        ("Timur", "PER"),
        ("Bogor", "LOC"),
    ]


def test_extra_columns_and_no_docstart(tmp_path: Path) -> None:
    (rec,), _ = read("conll", write(tmp_path, "Surabaya NNP B-NP S-CITY\nkota NN I-NP O\n"))
    assert rec.doc.text == "Surabaya kota"
    assert spans_of(rec) == [("Surabaya", "CITY")]


def test_untagged_tokens_give_documents_only(tmp_path: Path) -> None:
    (rec,), _ = read("conll", write(tmp_path, "Kota\nBogor\n\nIndah\n"), sentences_per_doc=0)
    assert rec.doc.text == "Kota Bogor\nIndah"
    assert rec.spans is None


def test_bad_tags_and_missing_tags_name_their_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "-DOCSTART- -X- O O\n\nKota B-CITY\nBogor X-CITY\n\n"
        "-DOCSTART- -X- O O\n\nKota B-CITY\nBogor\n\n"
        "-DOCSTART- -X- O O\n\nKota O\nMedan B-CITY\n",
    )
    (rec,), errors = read("conll", path)
    assert spans_of(rec) == [("Medan", "CITY")]  # the good document still loads
    assert [(e.line, e.reason) for e in errors] == [
        (4, "tag 'X-CITY' is not O, B-X, I-X, E-X, S-X, L-X or U-X"),
        (9, "this token has no tag, but others in its document do"),
    ]


def test_empty_and_not_utf8(tmp_path: Path) -> None:
    _, (err,) = read("conll", write(tmp_path, "\n\n"))
    assert str(err) == "x.conll:1: the file is empty"
    path = tmp_path / "y.conll"
    path.write_bytes(b"Kota O\nCaf\xe9 B-CITY\n\n-DOCSTART-\n\nBogor B-CITY\n")
    (rec,), (err,) = read("conll", path)
    assert err.line == 2
    assert "not UTF-8" in err.reason
    assert spans_of(rec) == [("Bogor", "CITY")]


def test_a_no_break_space_is_part_of_a_token(tmp_path: Path) -> None:
    path = write(
        tmp_path, "Harga O\nRp\u00a05.000 O\ndi O\nKota\u00a0Bogor\tB-CITY\n\u00a0 O\n.\tO\n"
    )
    (rec,), errors = read("conll", path)
    assert errors == []
    assert rec.doc.text == "Harga Rp\u00a05.000 di Kota\u00a0Bogor \u00a0 ."
    assert spans_of(rec) == [("Kota\u00a0Bogor", "CITY")]


def test_docstart_in_any_case(tmp_path: Path) -> None:
    path = write(tmp_path, "-docstart- -x- o o\n\nKota B-CITY\n\n-DocStart-\n\nSolo B-CITY\n")
    records, errors = read("conll", path)
    assert errors == []
    assert [r.doc.text for r in records] == ["Kota", "Solo"]


def test_without_docstart_each_sentence_is_a_document_and_a_note_says_so(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "Kota B-CITY\nBogor I-CITY\n\n\nKota O\nSolo B-CITY\n\nIndah O\n")
    records, errors, notes = read_all("conll", path)
    assert errors == []
    assert [r.doc.text for r in records] == ["Kota Bogor", "Kota Solo", "Indah"]
    assert [spans_of(r) for r in records] == [[("Kota Bogor", "CITY")], [("Solo", "CITY")], []]
    (note,) = notes
    assert (note.line, note.kind) == (1, "cut")
    assert note.message.startswith("no -DOCSTART- line: cut into 3 documents of 1 sentence each")
    records, _, notes = read_all("conll", path, sentences_per_doc=2)
    assert [r.doc.text for r in records] == ["Kota Bogor\nKota Solo", "Indah"]
    assert "cut into 2 documents of 2 sentences each" in notes[0].message
    records, _, notes = read_all("conll", path, sentences_per_doc=0)
    assert [r.doc.text for r in records] == ["Kota Bogor\nKota Solo\nIndah"]
    assert notes == []


def test_with_docstart_sentences_per_doc_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "Kota O\n\nBogor B-CITY\n\n-DOCSTART- -X- O O\n\nSolo B-CITY\n")
    records, _, notes = read_all("conll", path, sentences_per_doc=1)
    assert [r.doc.text for r in records] == ["Kota\nBogor", "Solo"]
    assert notes == []


def test_utf16_without_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "x.conll"
    path.write_bytes("Kota O\nBogor B-CITY\n".encode("utf-16-be"))
    (rec,), errors = read("conll", path)
    assert errors == []
    assert spans_of(rec) == [("Bogor", "CITY")]

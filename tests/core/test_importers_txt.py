"""Text files: ids from file names, titles, BOM and CRLF, encodings, empty and huge files."""

from pathlib import Path

from _import_helpers import DATA, read

from annotator.core.importers import Source
from annotator.core.importers.reading import MAX_RECORD_BYTES
from annotator.core.importers.txt import read as read_txt


def test_a_text_file_is_one_document_named_after_the_file() -> None:
    records, errors = read("txt", DATA / "articles" / "banjir.txt")
    assert errors == []
    (rec,) = records
    assert rec.doc.id == "banjir"
    assert rec.id_given
    assert rec.spans is None
    assert rec.doc.meta == {"title": "Banjir Rendam Jakarta"}
    # the BOM is dropped and CRLF made LF; the emoji and its variation selector stay
    assert rec.doc.text == (
        "Banjir Rendam Jakarta\n\nJAKARTA 🌧️ \u2013 Hujan deras sejak Senin (6/1/2025) "
        "membuat banjir di Jakarta Timur.\n"
    )


def test_in_a_folder_the_id_is_the_relative_path() -> None:
    path = DATA / "articles" / "ekonomi" / "ekspor.txt"
    (rec,) = list(read_txt(Source(path, str(path), DATA / "articles")))
    assert not isinstance(rec, Exception)
    assert rec.doc.id == "ekonomi/ekspor"


def test_utf16_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "w.txt"
    path.write_bytes("Rapat di Bandung\r\n".encode("utf-16"))
    (rec,), _ = read("txt", path)
    assert rec.doc.text == "Rapat di Bandung\n"


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Judul\nKafé di Medan\n".encode("latin-1"))
    records, (err,) = read("txt", path)
    assert records == []
    assert err.line == 2
    assert "not UTF-8" in err.reason


def test_empty_and_blank_files_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\n", encoding="utf-8")
    _, (err,) = read("txt", tmp_path / "empty.txt")
    assert str(err) == "empty.txt:1: the file is empty"
    _, (err,) = read("txt", tmp_path / "blank.txt")
    assert str(err) == "blank.txt:1: no text"


def test_a_file_over_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(MAX_RECORD_BYTES + 5)  # sparse: cheap to make
    _, (err,) = read("txt", path)
    assert err.line == 1
    assert "MB" in err.reason
    assert "skipped" in err.reason


def test_utf16_without_a_bom_is_told_by_its_nuls(tmp_path: Path) -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{codec}.txt"
        path.write_bytes("Gempa di Cianjur\r\nWarga 🙏 berdoa, Ω.\r\n".encode(codec))
        (rec,), errors = read("txt", path)
        assert errors == []
        assert rec.doc.text == "Gempa di Cianjur\nWarga 🙏 berdoa, Ω.\n"


def test_nul_bytes_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "bin.txt"
    path.write_bytes(b"Kota Bogor\nhujan \x00 deras\n")
    records, (err,) = read("txt", path)
    assert records == []
    assert (err.line, err.reason) == (2, "holds a NUL byte (byte 17): not a text file")

"""Body-text search of the document list: what it finds, and its cached copy of the texts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.documents import DocumentStore
from annotator.core.model import Document
from annotator.core.search import CACHE_NAME, TextSearch, fold

TEXTS = [
    "Wali Kota Makassar meresmikan pasar.\nWarga hadir.",
    "🇮🇩 Presiden Joko Widodo ke MAKASSAR; e\u0301 café",
    "Kemendagri RI menggelar rapat di Jakarta.",
    "",
    "Straße in Köln — und STRASSE",
]


def store(tmp_path: Path, texts: list[str]) -> DocumentStore:
    path = tmp_path / "documents.jsonl"
    docs = DocumentStore(path, tmp_path / "cache" / "documents.idx.json")
    docs.append(Document(id=f"d{i}", text=t) for i, t in enumerate(texts))
    return DocumentStore(path, tmp_path / "cache" / "documents.idx.json")


def test_finds_words_anywhere_in_the_text_ignoring_case(tmp_path: Path) -> None:
    docs = store(tmp_path, TEXTS)
    with TextSearch.open(docs, tmp_path / "cache") as search:
        assert search.find("makassar") == [0, 1]
        assert search.find("  Makassar") == []  # the caller strips; spaces are searched
        assert search.find("café") == [1]
        assert search.find("\U0001f1ee\U0001f1e9 presiden") == [1]
        assert search.find("pasar. warga") == [0]  # a line break is a space
        assert search.find("strasse") == [4]  # case folding, not lower-casing
        assert search.find("zzz") == []
        assert search.find("") == [0, 1, 2, 3, 4]
        assert search.find("jakarta.\nstraße") == []  # never across two documents


def test_the_copy_is_reused_and_made_again_when_the_file_changes(tmp_path: Path) -> None:
    docs = store(tmp_path, TEXTS)
    cache = tmp_path / "cache"
    TextSearch.open(docs, cache).close()
    copy = cache / CACHE_NAME
    made = copy.stat().st_mtime_ns
    os.utime(copy, ns=(made - 10**9, made - 10**9))  # so a rewrite would show
    with TextSearch.open(docs, cache) as search:
        assert copy.stat().st_mtime_ns == made - 10**9  # reused
        assert search.find("rapat") == [2]
    docs.append([Document(id="new", text="Rapat kedua di Makassar")])
    docs = DocumentStore(docs.path, cache / "documents.idx.json")
    with TextSearch.open(docs, cache) as search:
        assert copy.stat().st_mtime_ns != made - 10**9
        assert search.find("rapat") == [2, 5]
        assert search.find("makassar") == [0, 1, 5]


def test_a_broken_copy_is_made_again(tmp_path: Path) -> None:
    docs = store(tmp_path, TEXTS)
    cache = tmp_path / "cache"
    TextSearch.open(docs, cache).close()
    copy = cache / CACHE_NAME
    lines = copy.read_bytes().split(b"\n")
    copy.write_bytes(b"\n".join(lines[:3]))  # cut short, header intact
    with TextSearch.open(docs, cache) as search:
        assert search.find("köln") == [4]


def test_an_empty_project(tmp_path: Path) -> None:
    docs = DocumentStore(tmp_path / "documents.jsonl", None)
    with TextSearch.open(docs, tmp_path / "cache") as search:
        assert search.find("x") == []
        assert search.find("") == []


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(st.text(alphabet="aAbB é\n🇮🇩ßS", max_size=12), min_size=1, max_size=8),
    query=st.text(alphabet="aAbB é🇮🇩ßS", min_size=1, max_size=3),
)
def test_same_as_a_plain_scan(texts: list[str], query: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        docs = store(Path(tmp), texts)
        with TextSearch.open(docs, Path(tmp) / "cache") as search:
            expected = [i for i, t in enumerate(texts) if fold(query) in fold(t)]
            assert search.find(query) == expected

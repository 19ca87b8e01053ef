"""The export's reader of annotation lines that leaves the text out: what it returns is the
line's record as ``json`` reads it, less ``text``, for any text (quotes, backslashes, the
bytes ``","spans":[`` inside it, emoji, CRLF, combining marks)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import RecordError
from annotator.core.export.records import read_record_without_text
from annotator.core.model import sha256_text

PIECES = st.sampled_from(
    ['"', "\\", "\\\\", '\\"', "\\u0041", ",", ":", "[", "{", "}", "\r\n", "\n", "\t", "é",
     "e\u0301", "😀", '","spans":[', '\\","spans":[', '"spans":', "Jakarta", " "]
)  # fmt: skip


@st.composite
def annotation_lines(draw: st.DrawFn) -> tuple[bytes, dict[str, Any]]:
    """A valid annotation line (the store's layout, or near it) and its record."""
    text = "".join(draw(st.lists(PIECES, max_size=8)))
    if draw(st.booleans()) and text:
        text = text[:-1] + "\\"  # a text that ends in a backslash
    spans = [{"start": 0, "end": 1, "label": "CITY", "text": text[:1]}] if text else []
    doc_id = draw(st.sampled_from(["d1", 'd"1', "d\\1", "📌", "a,b"]))
    record: dict[str, Any] = {"id": doc_id, "text": text, "spans": spans, "status": "done"}
    record |= {"annotator": "ani", "text_sha256": sha256_text(text), "meta": {"t": text}}
    order = draw(st.integers(0, 5))
    if order == 0:
        record = {"text": text, **record}  # another key order
    elif order == 1:  # a string between the text and the spans: "...","note":"..","spans":[
        note = draw(st.sampled_from(["y", '","spans":[', "\\"]))
        record = {"id": doc_id, "text": text, "note": note} | record
    raw = json.dumps(record, ensure_ascii=draw(st.booleans()), separators=(",", ":"))
    if draw(st.integers(0, 4)) == 0:
        raw = raw[:-1] + ',"text":"other"}'  # of two keys the last counts
    if draw(st.integers(0, 6)) == 0:
        raw = raw.replace(",", ", ", 1)
    data = raw.encode("utf-8") + draw(st.sampled_from([b"", b"\n", b"\r\n"]))
    return data, json.loads(data)


@settings(max_examples=500, deadline=None)
@given(annotation_lines())
def test_the_record_less_its_text_is_jsons(line: tuple[bytes, dict[str, Any]]) -> None:
    raw, want = line
    got = read_record_without_text("a.jsonl", 1, raw)
    assert {k: v for k, v in got.items() if k != "text"} == {
        k: v for k, v in want.items() if k != "text"
    }
    assert got.get("text", want["text"]) == want["text"]


def test_the_text_is_left_out_of_a_store_line() -> None:
    """The fast path is taken (the property above would pass without it)."""
    text = 'Kata "Joko" di Jakarta\\ 😀\r\n'
    raw = json.dumps(
        {"id": "d1", "text": text, "spans": [], "status": "done"},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    assert read_record_without_text("a.jsonl", 1, raw) == {
        "id": "d1",
        "spans": [],
        "status": "done",
    }


def test_a_line_whose_text_runs_on_is_read_whole() -> None:
    """``\\","spans":[`` is inside the text (an escaped quote): this line is not JSON, and
    reading it whole says so rather than taking the bytes after it as the record."""
    raw = b'{"id":"d1","text":"x\\","spans":[],"status":"done"}'
    with pytest.raises(RecordError, match=r"a\.jsonl:3"):
        read_record_without_text("a.jsonl", 3, raw)

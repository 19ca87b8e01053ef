"""The jsonl writer (strings made once and joined, escapes patched in) against the obvious
one: each record built as dicts and written by ``json.dumps``. Byte for byte, on random
documents with emoji, CRLF, combining marks, quotes, backslashes and control characters,
whole and cut into records."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.export import ExportDoc, FormatContext, prepare
from annotator.core.export.cutting import cut_records
from annotator.core.export.formats import encode_jsonl

LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")
WORDS = st.sampled_from(
    ["Jakarta", "Kemendagri", "😀", "e\u0301", "Zoë", "12", ".", '"', "\\", "\x01", "\x1b",
     "(", "ASN", "Dr", "Bandung", "\u00a0", "x\u200by"]
)  # fmt: skip
GAPS = st.sampled_from([" ", "  ", "\n", "\r\n", "\n\n", "\t", "", ". ", "\u3000", "\x1c"])


def reference(doc: ExportDoc) -> str:
    """``encode_jsonl`` written the obvious way: dicts, then ``json.dumps``."""
    text, tokens = doc.text, doc.tokens
    whole = len(doc.records) <= 1
    ranges = [(0, len(tokens))] if whole else list(doc.records)
    lines = []
    for k, (t0, t1) in enumerate(ranges, 1):
        toks = tokens[t0:t1]
        c0 = 0 if whole or not toks else toks[0][0]
        c1 = len(text) if whole or not toks else toks[-1][1]
        record: dict[str, Any] = {"id": doc.id if whole else f"{doc.id}#{k}"}
        if not whole:
            record |= {"document": doc.id, "offset": c0}
        record["text"] = text[c0:c1]
        record["spans"] = [
            {
                "start": sp.start - c0,
                "end": sp.end - c0,
                "label": sp.label,
                "token_start": sp.token_start - t0,
                "token_end": sp.token_end - 1 - t0,
            }
            for sp in doc.spans
            if t0 <= sp.token_start < t1
        ]
        record["tokens"] = [
            {
                "text": text[s:e],
                "start": s - c0,
                "end": e - c0,
                "id": i,
                "ws": e < (toks[i + 1][0] if i + 1 < len(toks) else c1),
            }
            for i, (s, e) in enumerate(toks)
        ]
        record["meta"] = doc.meta
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return "".join(lines)


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.tuples(GAPS, WORDS), max_size=30),
    tail=GAPS,
    data=st.data(),
    max_words=st.sampled_from([0, 1, 3, 7, 256]),
    doc_id=st.sampled_from(["d1", 'd"1', "doc\\2", "📌-3", "a\u0301"]),
    meta=st.sampled_from([{}, {"title": 'Kata "kunci" 😀'}, {"n": 1, "x": [1.5, None]}]),
)
def test_jsonl_is_json_dumps_of_each_record(
    parts: list[tuple[str, str]],
    tail: str,
    data: st.DataObject,
    max_words: int,
    doc_id: str,
    meta: dict[str, Any],
) -> None:
    text = "".join(g + w for g, w in parts) + tail
    first = prepare(doc_id, text, meta, []).doc
    n = len(first.tokens)
    cuts = sorted(data.draw(st.sets(st.integers(0, n), max_size=8)))
    spans = [
        (first.tokens[i][0], first.tokens[j - 1][1], data.draw(st.sampled_from(LABELS)))
        for i, j in zip(cuts[::2], cuts[1::2], strict=False)
        if i < j
    ]
    doc = prepare(doc_id, text, meta, spans).doc
    records = cut_records(doc.text, doc.tokens, doc.spans, max_words, starts=doc.starts)
    doc = ExportDoc(
        doc.id, doc.text, doc.meta, doc.tokens, doc.spans, records=tuple(records),
        starts=doc.starts,
    )  # fmt: skip
    assert encode_jsonl(doc, FormatContext(LABELS)) == reference(doc)


def test_the_reference_sees_a_cut_document() -> None:
    """The property covers records cut from a document, not only whole ones."""
    text = 'Joko tiba di Jakarta.\r\nLalu ke Bandung 😀 "pagi".'
    doc = prepare("d", text, {}, [(0, 4, "PERSON")]).doc
    records = tuple(cut_records(doc.text, doc.tokens, doc.spans, 4, starts=doc.starts))
    assert len(records) > 1
    doc = ExportDoc(doc.id, text, {}, doc.tokens, doc.spans, records=records, starts=doc.starts)
    out = encode_jsonl(doc, FormatContext(LABELS))
    assert out == reference(doc)
    assert [json.loads(line)["id"] for line in out.splitlines()][:2] == ["d#1", "d#2"]

"""Property: any text with any valid spans, written in each format, imports as the same spans."""

import json
from pathlib import Path
from typing import Any

from _import_helpers import read, u16
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.importers import finish_spans
from annotator.core.text import normalise_text
from annotator.core.tokens import tokenize

LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")
PIECES = [
    "Jakarta",
    "Kemendagri",
    "Bupati",
    "Banyuwangi",
    "di",
    "pada",
    "André",
    "Andre\u0301",
    "😀",
    "🇮🇩",
    "👍🏽",
    "📌",
    ",",
    ".",
    "\u2013",
    "(",
    ")",
    "2022",
    " ",
    " ",
    " ",
    "\r\n",
    "\n",
    "\r",
]
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def texts_with_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    """A raw text (BOM, CRLF, emoji, flags, combining marks) and spans on token boundaries."""
    bom = "\ufeff" if draw(st.booleans()) else ""
    raw = bom + "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=25)))
    if not raw.strip("\ufeff \r\n"):
        raw += "Bogor"
    tokens = [t for t in tokenize(raw) if t.start >= len(bom)]  # a BOM is not text
    cuts = sorted(set(draw(st.lists(st.integers(0, len(tokens)), max_size=8))))
    spans = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a < b:
            spans.append((tokens[a].start, tokens[b - 1].end, draw(st.sampled_from(LABELS))))
    return raw, spans


def expected(raw: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    return [(normalise_text(raw[s:e]), label) for s, e, label in spans]


def imported(fmt: str, path: Path) -> tuple[str, list[tuple[str, str]]]:
    (rec,), errors = read(fmt, path)
    assert errors == []
    assert rec.spans is not None
    spans, _ = finish_spans(path.name, rec.doc.text, rec.spans, frozenset(LABELS), {})
    return rec.doc.text, [(s.text, s.label) for s in spans]


def write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@SETTINGS
@given(texts_with_spans())
def test_doccano_utf16(tmp_path: Path, case: tuple[str, list[tuple[int, int, str]]]) -> None:
    raw, spans = case
    record = {
        "id": 1,
        "text": raw,
        "label": [[u16(raw, s), u16(raw, e), lab] for s, e, lab in spans],
    }
    if not spans:
        return  # doccano: no spans is no annotation (tested elsewhere)
    text, got = imported("doccano", write(tmp_path / "d.jsonl", record))
    assert text == normalise_text(raw)
    assert got == expected(raw, spans)


@SETTINGS
@given(texts_with_spans())
def test_prodigy_code_points(tmp_path: Path, case: tuple[str, list[tuple[int, int, str]]]) -> None:
    raw, spans = case
    record = {
        "text": raw,
        "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
        "answer": "accept",
    }
    text, got = imported("prodigy", write(tmp_path / "p.jsonl", record))
    assert text == normalise_text(raw)
    assert got == expected(raw, spans)


@SETTINGS
@given(texts_with_spans(), st.booleans())
def test_labelstudio_with_value_text(
    tmp_path: Path, case: tuple[str, list[tuple[int, int, str]]], old: bool
) -> None:
    raw, spans = case

    def unit(pos: int) -> int:
        return u16(raw, pos) if old else pos  # older Label Studio counted UTF-16 units

    result = [
        {
            "type": "labels",
            "value": {"start": unit(s), "end": unit(e), "text": raw[s:e], "labels": [lab]},
        }
        for s, e, lab in spans
    ]
    task = {"id": 1, "data": {"text": raw}, "annotations": [{"result": result}]}
    text, got = imported("labelstudio", write(tmp_path / "ls.json", [task]))
    assert text == normalise_text(raw)
    assert got == expected(raw, spans)


@SETTINGS
@given(texts_with_spans())
def test_own_jsonl(tmp_path: Path, case: tuple[str, list[tuple[int, int, str]]]) -> None:
    raw, spans = case
    record = {
        "text": raw,
        "spans": [{"start": s, "end": e, "label": lab, "text": raw[s:e]} for s, e, lab in spans],
    }
    text, got = imported("jsonl", write(tmp_path / "o.jsonl", record))
    assert text == normalise_text(raw)
    assert got == expected(raw, spans)


@SETTINGS
@given(
    st.lists(
        st.lists(
            st.tuples(st.sampled_from(PIECES[:20]).filter(str.strip), st.sampled_from(LABELS)),
            min_size=1,
            max_size=8,
        ),
        min_size=1,
        max_size=3,
    ),
    st.data(),
)
def test_conll(tmp_path: Path, sentences: list[list[tuple[str, str]]], data: st.DataObject) -> None:
    lines, want = ["-DOCSTART- -X- O O", ""], []
    scheme = data.draw(st.sampled_from(["iob2", "bilou"]))
    for sentence in sentences:
        k = 0
        while k < len(sentence):
            n = data.draw(st.integers(0, len(sentence) - k))
            if n == 0:
                lines.append(f"{sentence[k][0]} O")
                k += 1
                continue
            label = sentence[k][1]
            words = [w for w, _ in sentence[k : k + n]]
            want.append((" ".join(words), label))
            for j, word in enumerate(words):
                if scheme == "iob2":
                    tag = "B" if j == 0 else "I"
                else:
                    tag = "U" if n == 1 else "B" if j == 0 else "L" if j == n - 1 else "I"
                lines.append(f"{word} {tag}-{label}")
            k += n
        lines.append("")
    path = tmp_path / "c.conll"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text, got = imported("conll", path)
    assert text == "\n".join(" ".join(w for w, _ in s) for s in sentences)
    assert got == want

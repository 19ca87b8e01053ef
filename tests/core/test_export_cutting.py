"""Cutting documents into records: at sentence ends, never inside an entity, all kept."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.export import cut_records, prepare, sentence_ends
from annotator.core.export.records import ExportDoc
from annotator.core.tokens import tokenize


def ends_before(text: str) -> list[str]:
    """The words that start each sentence ``sentence_ends`` finds."""
    toks = tokenize(text)
    return [text[toks[b][0] : toks[b][1]] for b in sentence_ends(text, toks)]


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("Banjir melanda Bogor. Warga mengungsi! Apa kata BNPB? Dua orang hilang.",
         ["Warga", "Apa", "Dua"]),
        ("Hujan turun.\nWarga mengungsi", ["Warga"]),
        ('Ia berkata, "Kami siap." Lalu pergi.', ["Lalu"]),
        ("Hadir Dr. Budi dan Prof. Ir. Siti, juga H. Ahmad dan Rp. 5.000.", []),
        ("Ditemui di Jl. Sudirman No. 5, ia tersenyum.", []),
        ("Kata dia. kemudian pergi.", []),  # a lower-case word does not start a sentence
        ("Harga 1.000 naik. 2024 akan lebih baik.", ["2024"]),
        ("Tiba pukul 10.30 WIB. (Foto: Antara) Warga datang.", ["("]),
    ],
)  # fmt: skip
def test_sentence_ends(text: str, starts: list[str]) -> None:
    assert ends_before(text) == starts


def doc(text: str, spans: list[tuple[int, int, str]]) -> ExportDoc:
    return prepare("d", text, {}, spans).doc


def words(n: int, sep: str = " ") -> str:
    return sep.join(f"kata{i}" for i in range(n))


def test_short_documents_are_one_record() -> None:
    d = doc(words(10), [])
    assert cut_records(d.text, d.tokens, d.spans, 256) == [(0, 10)]
    assert cut_records(d.text, d.tokens, d.spans, 0) == [(0, 10)]


def test_sentences_are_packed_up_to_the_limit() -> None:
    sentence = words(9) + ". "  # 10 tokens with the full stop
    text = "".join(sentence.replace("kata0", f"Awal{k}") for k in range(10)).strip()
    d = doc(text, [])
    records = cut_records(d.text, d.tokens, d.spans, 25)
    assert records == [(0, 20), (20, 40), (40, 60), (60, 80), (80, 100)]


def test_a_long_sentence_is_cut_between_entities() -> None:
    text = words(30)
    start = text.index("kata8")
    end = text.index("kata12") + len("kata12")  # tokens 8-12 are one entity
    d = doc(text, [(start, end, "PROGRAM")])
    records = cut_records(d.text, d.tokens, d.spans, 10)
    assert records == [(0, 8), (8, 18), (18, 28), (28, 30)]


def test_an_entity_longer_than_the_limit_is_one_longer_record() -> None:
    text = words(30)
    d = doc(text, [(0, text.index("kata14") + len("kata14"), "PROGRAM")])
    records = cut_records(d.text, d.tokens, d.spans, 10)
    assert records[0] == (0, 15)
    assert all(b - a <= 10 for a, b in records[1:])


def test_conll_keeps_lines_and_cuts_only_long_ones() -> None:
    text = "Satu dua tiga.\nEmpat lima.\n" + words(25)
    d = doc(text, [])
    assert cut_records(d.text, d.tokens, d.spans, 0, lines_apart=True) == [
        (0, 4),
        (4, 7),
        (7, 32),
    ]
    assert cut_records(d.text, d.tokens, d.spans, 10, lines_apart=True) == [
        (0, 4),
        (4, 7),
        (7, 17),
        (17, 27),
        (27, 32),
    ]


@st.composite
def documents(draw: st.DrawFn) -> tuple[ExportDoc, int]:
    n = draw(st.integers(1, 120))
    seps = draw(st.lists(st.sampled_from([" ", " ", " ", ". ", "\n", "! ", ", "]), min_size=n - 1,
                         max_size=n - 1))  # fmt: skip
    caps = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    parts = [f"{'K' if cap else 'k'}ata{i}" for i, cap in enumerate(caps)]
    text = parts[0] + "".join(sep + w for sep, w in zip(seps, parts[1:], strict=True))
    toks = tokenize(text)
    word_tokens = [t for t in toks if text[t.start : t.end][1:4] == "ata"]
    spans = []
    i = 0
    while i < len(word_tokens):
        length = draw(st.integers(0, 8))
        if length and draw(st.booleans()) and i + length <= len(word_tokens):
            spans.append((word_tokens[i].start, word_tokens[i + length - 1].end, "CITY"))
            i += length
        else:
            i += 1
    return prepare("d", text, {}, spans).doc, draw(st.integers(1, 40))


@settings(max_examples=300, deadline=None)
@given(documents(), st.booleans())
def test_records_cover_everything_and_cut_no_entity(
    case: tuple[ExportDoc, int], lines_apart: bool
) -> None:
    d, limit = case
    records = cut_records(d.text, d.tokens, d.spans, limit, lines_apart)
    # consecutive, non-empty, covering every token
    assert records[0][0] == 0
    assert records[-1][1] == len(d.tokens)
    assert all(a < b for a, b in records)
    assert all(r[1] == s[0] for r, s in pairwise(records))
    # every entity inside exactly one record
    for sp in d.spans:
        holding = [r for r in records if r[0] <= sp.token_start and sp.token_end <= r[1]]
        assert len(holding) == 1
    # a record over the limit is exactly one entity longer than the limit
    for a, b in records:
        if b - a > limit:
            assert any(sp.token_start == a and sp.token_end == b for sp in d.spans), (a, b)
    if lines_apart:  # a line break outside an entity always ends a record
        bounds = {b for _, b in records}
        for b in range(1, len(d.tokens)):
            gap = d.text[d.tokens[b - 1][1] : d.tokens[b][0]]
            inside = any(sp.token_start < b < sp.token_end for sp in d.spans)
            if "\n" in gap and not inside:
                assert b in bounds


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.sampled_from(list("ab.!?\u2026\"')] \t\u00a0\nK")), max_size=80),
    st.integers(1, 12),
    st.data(),
)
def test_sentence_ends_searched_piece_by_piece_are_the_whole_windows(
    text: str, look_back: int, data: st.DataObject
) -> None:
    from annotator.core.export import cutting

    first = data.draw(st.integers(0, len(text)))
    stop = data.draw(st.integers(first, len(text)))
    whole = [m.span() for m in reversed(list(cutting._PUNCT_END.finditer(text, first, stop)))]
    saved = cutting._LOOK_BACK
    cutting._LOOK_BACK = look_back
    try:
        pieces = [m.span() for m in cutting._punct_down(text, first, stop)]
    finally:
        cutting._LOOK_BACK = saved
    assert pieces == whole

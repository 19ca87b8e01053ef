"""Token labels and confusions kept sparse (``chartokens``, decision 0108) are the numbers of
the dense arrays: the token ranges of ``label_tokens``' binary searches, its labels where not
``O`` (the largest overlap winning a shared token), every document's token count, and
``grouped_confusion``'s counts per document, over texts of emoji, CRLF, combining marks,
Indonesian words and empty texts, spans on token edges, inside a token and across texts'
tokens, nested and overlapping."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.agreement.chartokens import (
    char_tokens,
    label_spans,
    sparse_confusion,
    token_ranges,
)
from annotator.core.agreement.tokens import grouped_confusion, label_tokens, tokenize_corpus

PIECES = ["Gubernur", "Jakarta", "meresmikan", "Kartu Prakerja", "😀", "📌", "Cafe\u0301",
          "\r\n", "\n", " ", "  ", ",", ".", "Ngayogyakarta", "5 Mei 2023", "BPJS", "\u200b",
          "-", "e\u0301\u0301", "a_b", "Rp1.000,00", "\t", "«»", "日本語"]  # fmt: skip
K = 5  # label codes 1..4, and O


@st.composite
def corpus(draw: st.DrawFn) -> tuple[list[str], list[list[tuple[int, int, int]]]]:
    """Texts (some empty) and two annotators' spans: any bounds, on a token's edges or inside
    one, nested, overlapping, the same bounds with two labels."""
    texts = [
        "".join(draw(st.lists(st.sampled_from(PIECES), max_size=8)))
        for _ in range(draw(st.integers(1, 5)))
    ]
    sides = []
    for _ in range(2):
        spans: set[tuple[int, int, int]] = set()
        for k, text in enumerate(texts):
            if not text:
                continue
            for _ in range(draw(st.integers(0, 4))):
                start = draw(st.integers(0, len(text) - 1))
                end = draw(st.integers(start + 1, len(text)))
                spans.add((k, start, end, draw(st.integers(1, K - 1))))  # type: ignore[arg-type]
        sides.append(sorted(spans))
    return texts, sides  # type: ignore[return-value]


def arrays(table: Any, spans: list[Any], tie: Any) -> tuple[Any, Any, Any, Any]:
    """Layout positions, codes and texts of spans sorted as ``prepare`` sorts them."""
    docs = np.array([k for k, _, _, _ in spans], np.int64)
    starts = np.array([s for _, s, _, _ in spans], np.int64) + table.offsets[docs]
    ends = np.array([e for _, _, e, _ in spans], np.int64) + table.offsets[docs]
    codes = np.array([c for _, _, _, c in spans], np.int16)
    order = np.lexsort((tie[codes], ends, starts))
    return starts[order], ends[order], codes[order], docs[order]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus(), st.permutations(range(K - 1)))
def test_sparse_labels_and_confusion_are_the_dense_ones(drawn: Any, ranks: list[int]) -> None:
    texts, sides = drawn
    tie = np.array([0, *ranks], np.int16)
    table = tokenize_corpus(texts)
    chars = char_tokens(texts)
    assert chars.offsets.tolist() == table.offsets.tolist()
    assert chars.doc_first.tolist() == table.doc_first.tolist()
    assert chars.starts.tolist() == table.starts.tolist()
    n = len(texts)
    groups = np.repeat(np.arange(n, dtype=np.int64), table.counts)
    labelled = []
    dense = []
    for spans in sides:
        starts, ends, codes, docs = arrays(table, spans, tie)
        first, last = token_ranges(chars, starts, ends)
        assert first.tolist() == np.searchsorted(table.ends, starts, side="right").tolist()
        assert last.tolist() == np.searchsorted(table.starts, ends, side="left").tolist()
        labels = label_tokens(table, starts, ends, codes, tie)
        got = label_spans(chars, starts, ends, codes, docs, tie)
        assert got.tokens.tolist() == np.flatnonzero(labels).tolist()
        assert got.codes.tolist() == labels[labels != 0].tolist()
        assert got.docs.tolist() == (groups[got.tokens] if len(got.tokens) else got.docs).tolist()
        labelled.append(got)
        dense.append(labels)
    for both in ([True] * n, [k % 2 == 0 for k in range(n)], [False] * n):
        mask = np.array(both, bool)
        expected = grouped_confusion(
            dense[0], dense[1], np.where(mask[groups], groups, -1), n, K
        ).reshape(n, K * K)
        got_confusion = sparse_confusion(chars, labelled[0], labelled[1], mask, K)
        assert got_confusion.dtype == expected.dtype
        assert np.array_equal(got_confusion, expected)
        swapped = sparse_confusion(chars, labelled[1], labelled[0], mask, K)
        assert np.array_equal(
            swapped.reshape(n, K, K), expected.reshape(n, K, K).transpose(0, 2, 1)
        )


def test_a_span_inside_a_word_and_one_on_its_edges() -> None:
    texts = ["Gubernur Jakarta, meresmikan", "", "😀Cafe\u0301 BPJS"]
    table = tokenize_corpus(texts)
    chars = char_tokens(texts)
    o = table.offsets
    starts = np.array([o[0] + 2, o[0] + 9, o[0] + 16, o[2] + 1, o[2] + 3], np.int64)
    ends = np.array([o[0] + 4, o[0] + 16, o[0] + 17, o[2] + 6, o[2] + 9], np.int64)
    first, last = token_ranges(chars, starts, ends)
    # Gubernur Jakarta , meresmikan | (empty) | 😀 Cafe ◌́ BPJS
    expected = [(0, 1), (1, 2), (2, 3), (5, 7), (5, 8)]
    assert list(zip(first.tolist(), last.tolist(), strict=True)) == expected
    assert first.tolist() == np.searchsorted(table.ends, starts, side="right").tolist()
    assert last.tolist() == np.searchsorted(table.starts, ends, side="left").tolist()

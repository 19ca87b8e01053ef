"""Every worked example of docs/agreement.md section 4, every number of both tables, to 1e-6."""

from __future__ import annotations

import pytest

from annotator.core.agreement.corpus import Corpus
from annotator.core.agreement.report import AgreementReport, agreement_report, report_json
from annotator.core.agreement.spans import SCHEMES, label_confusion, match_spans, score
from annotator.core.agreement.tokens import token_labels, tokenize_corpus
from annotator.core.tokens import tokenize

T1 = "Joko Widodo visited Jakarta on 5 May 2023 with Kemendagri for the Smart City program."
T2 = "Walikota Bandung, Yana Mulyana, meluncurkan program Bandung Smart City pada 2022."
T4 = "Rapat berlangsung hingga sore."


def span(text: str, words: str, label: str, after: int = 0) -> tuple[int, int, str]:
    """The span of the first ``words`` in ``text`` at or after ``after``."""
    start = text.index(words, after)
    return (start, start + len(words), label)


G1 = [
    span(T1, "Joko Widodo", "PERSON"),
    span(T1, "Jakarta", "CITY"),
    span(T1, "5 May 2023", "DATE"),
    span(T1, "Kemendagri", "AGENCY"),
    span(T1, "Smart City", "PROGRAM"),
]
B2 = [
    span(T1, "Widodo", "PERSON"),
    span(T1, "Jakarta", "CITY"),
    span(T1, "May 2023", "DATE"),
    span(T1, "Kemendagri", "AGENCY"),
    span(T1, "Smart City program", "PROGRAM"),
]
PROGRAM_AT = len("Walikota Bandung, Yana Mulyana, meluncurkan program ")
NESTED_A = [
    span(T2, "Bandung Smart City", "PROGRAM", PROGRAM_AT),
    span(T2, "Bandung", "CITY", PROGRAM_AT),
]
NESTED_B = [span(T2, "Bandung Smart City", "PROGRAM", PROGRAM_AT)]


def ex1() -> AgreementReport:
    return agreement_report(Corpus.from_spans({"d1": T1}, {n: {"d1": G1} for n in "ABC"}))


def ex2() -> AgreementReport:
    return agreement_report(Corpus.from_spans({"d1": T1}, {"A": {"d1": G1}, "B": {"d1": B2}}))


def ex4() -> AgreementReport:
    texts = {"d1": T4, "d2": T1}
    return agreement_report(
        Corpus.from_spans(texts, {"A": {"d1": [], "d2": G1}, "B": {"d1": [], "d2": B2}})
    )


def nested() -> AgreementReport:
    return agreement_report(
        Corpus.from_spans({"d1": T2}, {"A": {"d1": NESTED_A}, "B": {"d1": NESTED_B}})
    )


def test_the_texts_are_as_the_spec_says() -> None:
    assert (len(T1), len(T2)) == (85, 81)
    assert [s[:2] for s in G1] == [(0, 11), (20, 27), (31, 41), (47, 57), (66, 76)]
    assert [s[:2] for s in B2] == [(5, 11), (20, 27), (33, 41), (47, 57), (66, 84)]
    assert NESTED_A == [(52, 70, "PROGRAM"), (52, 59, "CITY")]
    table = tokenize_corpus([T1, T2, T4])
    assert table.counts.tolist() == [16, 14, 5]


def test_ex1_perfect_agreement() -> None:
    report = ex1()
    assert [(p.a, p.b) for p in report.pairs] == [("A", "B"), ("A", "C"), ("B", "C")]
    for pair in report.pairs:
        for s in SCHEMES:
            c = pair.counts[s]
            assert (c.precision, c.recall, c.f1) == pytest.approx((1, 1, 1), abs=1e-6)
        assert pair.per_document == {"d1": pytest.approx(1.0)}
        assert pair.cohen.items == 16
        assert pair.cohen.observed == pytest.approx(1.0)
        assert pair.cohen.value == pytest.approx(1.0, abs=1e-6)
        assert pair.cohen_annotated.value == pytest.approx(1.0, abs=1e-6)
    assert report.fleiss.value == pytest.approx(1.0, abs=1e-6)
    assert report.alpha.value == pytest.approx(1.0, abs=1e-6)
    assert report.span_f1 == pytest.approx(dict.fromkeys(SCHEMES, 1.0))


def test_ex2_partial_agreement() -> None:
    report = ex2()
    (pair,) = report.pairs
    strict = pair.counts["strict"]
    assert (strict.precision, strict.recall, strict.f1) == pytest.approx((0.4, 0.4, 0.4))
    f1 = {s: pair.f1(s) for s in SCHEMES}
    assert f1 == pytest.approx({"strict": 0.4, "exact": 0.4, "type": 1.0, "partial": 0.7})
    assert pair.per_document == {"d1": pytest.approx(0.4)}
    per_label = {label: pair.per_label[label]["strict"].f1 for label in report.labels}
    assert per_label == pytest.approx(
        {"PERSON": 0.0, "AGENCY": 1.0, "CITY": 1.0, "DATE": 0.0, "PROGRAM": 0.0}, abs=1e-6
    )
    assert {label: pair.per_label[label]["type"].f1 for label in report.labels} == pytest.approx(
        dict.fromkeys(report.labels, 1.0)
    )
    assert pair.cohen.items == 16
    assert pair.cohen.observed == pytest.approx(0.8125, abs=1e-6)
    assert pair.cohen.expected == pytest.approx(9 / 32, abs=1e-9)
    assert pair.cohen.value == pytest.approx(17 / 23, abs=1e-9)
    assert pair.cohen.value == pytest.approx(0.739130, abs=1e-6)
    assert pair.cohen_annotated.value == pytest.approx(0.634146, abs=1e-6)
    assert report.fleiss.value == pytest.approx(45 / 61, abs=1e-9)
    assert report.fleiss.observed == pytest.approx(13 / 16, abs=1e-9)
    assert report.fleiss.expected == pytest.approx(73 / 256, abs=1e-9)
    assert report.alpha.value == pytest.approx(91 / 122, abs=1e-9)
    assert report.alpha.pairable_values == 32
    assert report.alpha.observed_disagreement == pytest.approx(3 / 16, abs=1e-9)
    assert report.alpha.expected_disagreement == pytest.approx(183 / 248, abs=1e-9)


def test_ex2_token_labels_match_the_table() -> None:
    a = "PERSON PERSON O CITY O DATE DATE DATE O AGENCY O O PROGRAM PROGRAM O O"
    b = "O PERSON O CITY O O DATE DATE O AGENCY O O PROGRAM PROGRAM PROGRAM O"
    assert " ".join(token_labels(T1, G1)) == a
    assert " ".join(token_labels(T1, B2)) == b


def test_ex2_with_the_reference_matcher() -> None:
    expected = {"strict": 0.4, "exact": 0.4, "type": 1.0, "partial": 0.7}
    assert {s: score(G1, B2, s).f1 for s in SCHEMES} == pytest.approx(expected)
    partial = match_spans(G1, B2, "partial")
    assert sorted(m.credit for m in partial.matches) == [0.5, 0.5, 0.5, 1.0, 1.0]
    assert label_confusion(G1, B2) == {("CITY", "CITY"): 1, ("AGENCY", "AGENCY"): 1}


def test_ex4_an_empty_document_raises_kappa_not_f1() -> None:
    report = ex4()
    (pair,) = report.pairs
    assert pair.documents == 2
    strict = pair.counts["strict"]
    assert (strict.precision, strict.recall, strict.f1) == pytest.approx((0.4, 0.4, 0.4))
    f1 = {s: pair.f1(s) for s in SCHEMES}
    assert f1 == pytest.approx({"strict": 0.4, "exact": 0.4, "type": 1.0, "partial": 0.7})
    assert pair.per_document["d1"] is None  # both empty
    assert pair.per_document["d2"] == pytest.approx(0.4)
    assert pair.macro_document_f1["strict"] == pytest.approx(0.4)  # d1 left out
    assert pair.cohen.items == 21
    assert pair.cohen.observed == pytest.approx(0.857143, abs=1e-6)
    assert pair.cohen.value == pytest.approx(206 / 269, abs=1e-9)
    assert pair.cohen_annotated.value == pytest.approx(0.634146, abs=1e-6)
    assert report.fleiss.value == pytest.approx(205 / 268, abs=1e-9)
    assert report.alpha.value == pytest.approx(413 / 536, abs=1e-9)
    assert report.documents_compared == 2
    json = report_json(report)
    assert json["per_document"][0]["id"] == "d1"
    assert json["per_document"][0]["strict_f1"] is None


def test_nested_spans_within_one_annotator() -> None:
    report = nested()
    (pair,) = report.pairs
    for s in SCHEMES:
        c = pair.counts[s]
        assert (c.precision, c.recall, c.f1) == pytest.approx((1.0, 0.5, 0.666667), abs=1e-6)
        assert score(NESTED_A, NESTED_B, s).f1 == pytest.approx(2 / 3)
    labels = token_labels(T2, NESTED_A)
    bandung = [t.start for t in tokenize(T2)].index(PROGRAM_AT)
    assert PROGRAM_AT == 52
    assert labels[bandung] == "PROGRAM"  # equal overlap, same start: the longer span wins
    assert labels[bandung : bandung + 3] == ["PROGRAM"] * 3
    assert labels.count("CITY") == 0

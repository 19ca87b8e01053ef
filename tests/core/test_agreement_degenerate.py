"""Degenerate cases of docs/agreement.md 3.5: undefined is None with a reason, never 0 or 1."""

from __future__ import annotations

import pytest

from annotator.core.agreement.corpus import Corpus, Submission
from annotator.core.agreement.gold import against_gold
from annotator.core.agreement.report import agreement_report, report_json

T1 = "Joko Widodo visited Jakarta on 5 May 2023 with Kemendagri for the Smart City program."
T4 = "Rapat berlangsung hingga sore."
JOKO = (0, len("Joko Widodo"), "PERSON")
JAKARTA = (T1.index("Jakarta"), T1.index("Jakarta") + len("Jakarta"), "CITY")


def test_both_empty_everywhere() -> None:
    report = agreement_report(Corpus.from_spans({"d1": T4}, {"a": {"d1": []}, "b": {"d1": []}}))
    (pair,) = report.pairs
    assert pair.documents == 1
    assert all(pair.counts[s].f1 is None for s in ("strict", "exact", "type", "partial"))
    assert pair.counts["strict"].precision is None
    assert pair.per_document == {"d1": None}
    assert pair.reason == "no spans on either side"
    assert pair.cohen.items == 5
    assert pair.cohen.value is None  # p_e = 1
    assert pair.cohen.observed == pytest.approx(1.0)
    assert pair.cohen.reason == "every token is O"
    assert report.fleiss.value is None
    assert report.alpha.value is None
    assert report.span_f1["strict"] is None
    data = report_json(report)
    assert data["pairs"][0]["cohen_kappa"] is None
    assert data["pairs"][0]["why_null"]["cohen_kappa"] == "every token is O"
    assert data["krippendorff_alpha"] is None
    assert data["why_null"]["krippendorff_alpha"] == "every token is O"
    assert data["per_document"] == [
        {
            "id": "d1",
            "strict_f1": None,
            "type_f1": None,
            "annotators": ["a", "b"],
            "pairs": [{"a": "a", "b": "b", "strict_f1": None}],
        }
    ]
    assert report.queue()[0].id == "d1"


def test_spans_from_one_side_only() -> None:
    report = agreement_report(Corpus.from_spans({"d1": T1}, {"a": {"d1": [JOKO]}, "b": {"d1": []}}))
    (pair,) = report.pairs
    assert pair.counts["strict"].f1 == 0.0
    assert pair.counts["strict"].recall == 0.0
    assert pair.counts["strict"].precision is None  # b has no spans
    assert pair.per_document == {"d1": 0.0}


def test_no_shared_documents() -> None:
    corpus = Corpus.from_spans({"d1": T1, "d2": T4}, {"a": {"d1": [JOKO]}, "b": {"d2": []}})
    report = agreement_report(corpus)
    (pair,) = report.pairs
    assert pair.documents == 0
    assert pair.f1() is None
    assert pair.cohen.value is None
    assert pair.reason == "no documents submitted by both"
    assert report.documents_compared == 0
    assert report.single == 2
    assert report.fleiss.value is None
    assert report.fleiss.reason == "no document was submitted by every annotator"
    assert report.alpha.value is None
    assert report.span_f1["strict"] is None
    assert report_json(report)["span_f1"] == dict.fromkeys(("strict", "exact", "type", "partial"))


def test_a_skipped_annotator_is_missing_not_empty() -> None:
    # c submitted nothing of d2 (skipped): d2 is out of every pair with c and out of Fleiss,
    # but still counts for alpha through a and b.
    texts = {"d1": T1, "d2": T1}
    corpus = Corpus.from_spans(
        texts,
        {
            "a": {"d1": [JOKO], "d2": [JOKO, JAKARTA]},
            "b": {"d1": [JOKO], "d2": [JOKO]},
            "c": {"d1": [JOKO]},
        },
    )
    report = agreement_report(corpus)
    docs = {(p.a, p.b): p.documents for p in report.pairs}
    assert docs == {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1}
    assert report.pair("c", "a") is not None
    assert report.pair("a", "c").f1() == 1.0  # type: ignore[union-attr]
    assert report.fleiss_documents == 1
    assert report.alpha_documents == 2
    assert report.per_annotator["c"] == 1.0
    ab = report.pair("a", "b")
    assert ab is not None
    assert (ab.counts["strict"].credit, ab.counts["strict"].n_a, ab.counts["strict"].n_b) == (
        2,
        3,
        2,
    )
    assert ab.f1() == pytest.approx(0.8)
    assert report.per_annotator["a"] == pytest.approx((0.8 + 1.0) / 2)


def test_an_annotator_with_no_submission_at_all() -> None:
    corpus = Corpus.from_spans({"d1": T1}, {"a": {"d1": [JOKO]}, "b": {"d1": [JOKO]}, "c": {}})
    report = agreement_report(corpus)
    assert report.annotators == ["a", "b", "c"]
    assert report.pair("a", "b").f1() == 1.0  # type: ignore[union-attr]
    assert report.pair("a", "c").documents == 0  # type: ignore[union-attr]
    assert report.span_f1["strict"] == 1.0  # pairs without a value are left out of the mean
    assert report.span_f1_min["strict"] is not None
    assert report.fleiss.value is None  # nobody's document was submitted by c


def test_a_text_that_changed_between_annotators_is_excluded() -> None:
    edited = T1.replace("visited", "toured")
    corpus = Corpus(
        submissions={
            "a": {"d1": Submission(T1, [JOKO]), "d2": Submission(T4, [])},
            "b": {"d1": Submission(edited, [JOKO]), "d2": Submission(T4, [])},
        }
    )
    report = agreement_report(corpus)
    assert [e.id for e in report.excluded] == ["d1"]
    reason = report.excluded[0].reason
    assert reason.startswith("text differs between annotators")
    assert "a saw text" in reason
    assert "b saw text" in reason
    assert report.documents_compared == 1
    assert report.documents_total == 2
    assert report.pairs[0].documents == 1
    data = report_json(report)
    assert data["documents"]["excluded"] == [{"id": "d1", "reason": reason}]


def test_invalid_spans_are_dropped_with_warnings_and_duplicates_removed() -> None:
    corpus = Corpus(
        submissions={
            "a": {
                "d1": Submission(
                    T1,
                    [
                        JOKO,
                        JOKO,
                        (5, 3, "CITY"),
                        (80, 99, "CITY"),
                        (0, 4, "PLACE"),
                        ("x", 4, "CITY"),
                    ],
                    "ann.jsonl:7",
                )
            },
            "b": {"d1": Submission(T1, [JOKO])},
        }
    )
    report = agreement_report(corpus)
    assert report.pairs[0].f1() == 1.0
    assert report.pairs[0].counts["strict"].n_a == 1
    text = "\n".join(report.warnings)
    assert "ann.jsonl:7: span 5-3 CITY excluded: empty or reversed" in text
    assert (
        "ann.jsonl:7: span 80-99 CITY excluded: out of range (the text has 85 characters)" in text
    )
    assert "ann.jsonl:7: span 0-4 PLACE excluded: unknown label 'PLACE'" in text
    assert "ann.jsonl:7: span x-4 CITY excluded: offsets are not integers" in text
    assert "ann.jsonl:7: duplicate span 0-11 removed" in text


def test_touching_spans_do_not_overlap() -> None:
    text = "Jakarta Pusat"
    a = [(0, 7, "CITY")]
    b = [(7, 13, "CITY")]
    report = agreement_report(Corpus.from_spans({"d": text}, {"a": {"d": a}, "b": {"d": b}}))
    assert report.pairs[0].f1("partial") == 0.0
    assert report.pairs[0].f1("type") == 0.0


def test_fewer_than_two_annotators() -> None:
    report = agreement_report(Corpus.from_spans({"d1": T1}, {"a": {"d1": [JOKO]}}))
    assert report.pairs == []
    assert report.fleiss.value is None
    assert report.alpha.value is None
    assert report.reasons["span_f1"] == "fewer than two annotators"


def test_gold_is_not_a_rater_and_is_scored_as_accuracy() -> None:
    corpus = Corpus.from_spans(
        {"d1": T1, "d2": T4},
        {
            "gold": {"d1": [JOKO, JAKARTA], "d2": []},
            "a": {"d1": [JOKO, JAKARTA], "d2": []},
            "b": {"d1": [JOKO, (JAKARTA[0], JAKARTA[1], "PERSON"), (60, 65, "DATE")]},
        },
    )
    report = agreement_report(corpus)
    assert report.annotators == ["a", "b"]
    scores = {s.annotator: s for s in against_gold(corpus)}
    assert set(scores) == {"a", "b"}
    assert scores["a"].f1() == 1.0
    assert scores["a"].documents == 2
    b = scores["b"].counts["strict"]
    assert (b.precision, b.recall) == pytest.approx((1 / 3, 1 / 2))  # gold is the reference
    assert scores["b"].per_label["CITY"]["strict"].recall == 0.0
    assert scores["b"].per_label["PERSON"]["strict"].precision == pytest.approx(0.5)
    assert against_gold(Corpus.from_spans({"d1": T1}, {"a": {"d1": []}})) == []

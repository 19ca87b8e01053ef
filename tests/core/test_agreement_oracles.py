"""Our kappas and alpha equal scikit-learn, statsmodels and krippendorff on random data; the
whole-corpus span engine equals the readable per-document matcher; span F1 equals nervaluate
where nervaluate's documented quirks do not apply."""

from __future__ import annotations

import math
import warnings
from collections import Counter

import krippendorff
import numpy as np
import pytest
from _agreement_helpers import LABELS, TEXTS, corpora, spans_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from annotator.core.agreement.corpus import Corpus
from annotator.core.agreement.report import agreement_report
from annotator.core.agreement.spans import LABEL_SCHEMES, SCHEMES, Counts, label_confusion, score
from annotator.core.agreement.tokens import (
    OUTSIDE,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    label_tokens,
    token_labels,
    tokenize_corpus,
)
from annotator.core.tokens import tokenize

CATEGORIES = (OUTSIDE, *LABELS)
CODE = {c: i for i, c in enumerate(CATEGORIES)}
label = st.sampled_from(CATEGORIES)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def oracle_cohen(ya: list[str], yb: list[str]) -> float | None:
    if not ya or len(set(ya) | set(yb)) < 2:  # sklearn: nan and a warning
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(ya, yb))


def oracle_fleiss(items: list[list[str]]) -> float | None:
    """``items[i][rater]``."""
    if not items or len({v for row in items for v in row}) < 2:  # statsmodels: nan
        return None
    table, _ = aggregate_raters(np.array([[CODE[v] for v in row] for row in items]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(sm_fleiss(table, method="fleiss"))


def oracle_alpha(rows: list[list[str | None]]) -> float | None:
    """``rows[coder][unit]``, None for missing."""
    data = np.array([[np.nan if v is None else CODE[v] for v in r] for r in rows], float)
    pairable = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    if pairable.size == 0 or len(np.unique(pairable[~np.isnan(pairable)])) < 2:
        return None  # krippendorff raises ValueError on both
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def close(ours: float | None, theirs: float | None) -> bool:
    if ours is None or theirs is None:
        return ours is None and theirs is None
    return math.isclose(ours, theirs, abs_tol=1e-9)


# -- the statistics from plain label lists ----------------------------------------------------


@SETTINGS
@given(st.lists(st.tuples(label, label), min_size=1, max_size=60))
def test_cohen_equals_scikit_learn(pairs: list[tuple[str, str]]) -> None:
    ya, yb = [a for a, _ in pairs], [b for _, b in pairs]
    assert close(cohen_kappa(ya, yb).value, oracle_cohen(ya, yb))


@SETTINGS
@given(
    st.integers(2, 5).flatmap(
        lambda m: st.lists(st.lists(label, min_size=m, max_size=m), min_size=1, max_size=40)
    )
)
def test_fleiss_equals_statsmodels(items: list[list[str]]) -> None:
    by_rater = [list(r) for r in zip(*items, strict=True)]
    assert close(fleiss_kappa(by_rater).value, oracle_fleiss(items))


@SETTINGS
@given(
    st.integers(2, 4).flatmap(
        lambda m: st.integers(1, 40).flatmap(
            lambda n: st.lists(
                st.lists(st.one_of(st.none(), label), min_size=n, max_size=n),
                min_size=m,
                max_size=m,
            )
        )
    )
)
def test_alpha_equals_krippendorff(rows: list[list[str | None]]) -> None:
    assert close(krippendorff_alpha(rows).value, oracle_alpha(rows))


def test_alpha_orientation_example_from_the_spec() -> None:
    rows = [["O", "CITY", "O", "O"], ["O", "CITY", "O", "DATE"]]
    assert krippendorff_alpha(rows).value == pytest.approx(0.588235, abs=1e-6)


def test_prevalence_paradox_kappa_zero_despite_agreement() -> None:
    result = cohen_kappa(["O"] * 4 + ["CITY"], ["O"] * 5)
    assert result.value == pytest.approx(0.0)
    assert result.observed == pytest.approx(0.8)


# -- the report's path, on random corpora -----------------------------------------------------


def doc_tokens(corpus: Corpus, name: str, doc_id: str) -> list[str]:
    sub = corpus.submissions[name][doc_id]
    return token_labels(sub.text, list(sub.spans))


@SETTINGS
@given(corpora())
def test_report_statistics_equal_the_oracles(corpus: Corpus) -> None:
    report = agreement_report(corpus)
    names = report.annotators
    subs = corpus.submissions
    docs = sorted(set().union(*subs.values()))
    for pair in report.pairs:
        shared = [d for d in docs if d in subs[pair.a] and d in subs[pair.b]]
        assert pair.documents == len(shared)
        ya = [t for d in shared for t in doc_tokens(corpus, pair.a, d)]
        yb = [t for d in shared for t in doc_tokens(corpus, pair.b, d)]
        assert pair.cohen.items == len(ya)
        assert close(pair.cohen.value, oracle_cohen(ya, yb))
        if ya:
            agree = sum(x == y for x, y in zip(ya, yb, strict=True)) / len(ya)
            assert pair.cohen.observed == pytest.approx(agree)
        annotated = [(x, y) for x, y in zip(ya, yb, strict=True) if OUTSIDE not in (x, y) or x != y]
        assert close(
            pair.cohen_annotated.value,
            oracle_cohen([x for x, _ in annotated], [y for _, y in annotated]),
        )
    everyone = [d for d in docs if all(d in subs[n] for n in names)]
    items = [
        list(row)
        for d in everyone
        for row in zip(*(doc_tokens(corpus, n, d) for n in names), strict=True)
    ]
    assert close(report.fleiss.value, oracle_fleiss(items))
    assert report.fleiss_documents == len(everyone)
    two = [d for d in docs if sum(d in subs[n] for n in names) >= 2]
    rows: list[list[str | None]] = [[] for _ in names]
    for d in two:
        width = len(tokenize(corpus.submissions[next(n for n in names if d in subs[n])][d].text))
        for k, n in enumerate(names):
            rows[k] += doc_tokens(corpus, n, d) if d in subs[n] else [None] * width
    assert close(report.alpha.value, oracle_alpha(rows))


@SETTINGS
@given(corpora())
def test_span_engine_equals_the_reference_matcher(corpus: Corpus) -> None:
    report = agreement_report(corpus)
    subs = corpus.submissions
    for pair in report.pairs:
        shared = sorted(set(subs[pair.a]) & set(subs[pair.b]))
        a = {d: list(subs[pair.a][d].spans) for d in shared}
        b = {d: list(subs[pair.b][d].spans) for d in shared}
        for s in SCHEMES:
            total = sum((score(a[d], b[d], s) for d in shared), Counts())
            assert pair.counts[s] == total
        for lab in corpus.labels:
            for s in LABEL_SCHEMES:
                total = sum(
                    (
                        score([x for x in a[d] if x[2] == lab], [y for y in b[d] if y[2] == lab], s)
                        for d in shared
                    ),
                    Counts(),
                )
                assert pair.per_label[lab][s] == total
        assert pair.per_document == {d: score(a[d], b[d], "strict").f1 for d in shared}
        confusion: Counter[tuple[str, str]] = Counter()
        for d in shared:
            confusion += label_confusion(a[d], b[d])
        assert pair.confusion == dict(confusion)


@SETTINGS
@given(
    st.lists(st.sampled_from(TEXTS), min_size=1, max_size=4).flatmap(
        lambda texts: st.tuples(st.just(texts), st.tuples(*(spans_for(t, 8) for t in texts)))
    )
)
def test_token_arrays_equal_the_reference_rule(case: tuple[list[str], tuple[list, ...]]) -> None:
    texts, spans = case
    table = tokenize_corpus(texts)
    tie = np.array([0, *np.argsort(np.argsort(LABELS))], np.int16)
    starts = np.array(
        [s + table.offsets[k] for k, sp in enumerate(spans) for s, _, _ in sp], np.int64
    )
    ends = np.array(
        [e + table.offsets[k] for k, sp in enumerate(spans) for _, e, _ in sp], np.int64
    )
    codes = np.array([CODE[lab] for sp in spans for _, _, lab in sp], np.int16)
    order = np.lexsort((ends, starts))
    got = label_tokens(table, starts[order], ends[order], codes[order], tie)
    expected = [
        CODE[t] for text, sp in zip(texts, spans, strict=True) for t in token_labels(text, sp)
    ]
    assert got.tolist() == expected


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=80), st.text(max_size=20))
def test_corpus_tokenizer_equals_the_regex(text: str, other: str) -> None:
    table = tokenize_corpus([text, other, text])
    for k, t in enumerate([text, other, text]):
        a, b = table.doc_first[k], table.doc_first[k + 1]
        got = list(
            zip(
                (table.starts[a:b] - table.offsets[k]).tolist(),
                (table.ends[a:b] - table.offsets[k]).tolist(),
                strict=True,
            )
        )
        assert got == [tuple(tok) for tok in tokenize(t)]


# -- span F1 against nervaluate ---------------------------------------------------------------


@st.composite
def one_to_one_documents(draw: st.DrawFn) -> tuple[list[Span], list[Span]]:
    """Flat spans where each span overlaps at most one span of the other side, so that no
    matching order can matter (nervaluate's greedy, order-dependent matching is a quirk)."""
    a: list[Span] = []
    b: list[Span] = []
    pos = 0
    for _ in range(draw(st.integers(0, 6))):
        pos += draw(st.integers(1, 4))  # a gap: slots never touch
        kind = draw(st.sampled_from(["a", "b", "same", "overlap"]))
        la, lb = draw(st.sampled_from(LABELS)), draw(st.sampled_from(LABELS))
        length = draw(st.integers(1, 8))
        if kind == "a":
            a.append((pos, pos + length, la))
        elif kind == "b":
            b.append((pos, pos + length, lb))
        elif kind == "same":
            a.append((pos, pos + length, la))
            b.append((pos, pos + length, lb))
        else:
            shift = draw(st.integers(1, length))
            extra = draw(st.integers(0, 4))
            a.append((pos, pos + length, la))
            b.append((pos + shift - 1, pos + length + extra, lb))  # overlaps, not the same
            if (pos + shift - 1, pos + length + extra) == (pos, pos + length):
                b[-1] = (pos, pos + length + 1, lb)
            length += extra
        pos += length
    return a, b


Span = tuple[int, int, str]


def nervaluate_f1(true: list[list[Span]], pred: list[list[Span]]) -> dict[str, float]:
    def to_dicts(docs: list[list[Span]]) -> list[list[dict[str, object]]]:
        return [
            [{"label": lab, "start": s, "end": e - 1} for s, e, lab in d] for d in docs
        ]  # inclusive

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        overall = Evaluator(
            to_dicts(true), to_dicts(pred), tags=list(LABELS), loader="dict"
        ).evaluate()["overall"]
    return {s: overall["ent_type" if s == "type" else s].f1 for s in SCHEMES}


@SETTINGS
@given(st.lists(one_to_one_documents(), min_size=1, max_size=4))
def test_span_f1_equals_nervaluate(docs: list[tuple[list[Span], list[Span]]]) -> None:
    true = [a for a, _ in docs]
    pred = [b for _, b in docs]
    if not any(true) and not any(pred):
        return  # nervaluate says 0 where we say undefined (a documented quirk)
    ours = {s: sum((score(a, b, s) for a, b in docs), Counts()).f1 for s in SCHEMES}
    theirs = nervaluate_f1(true, pred)
    assert ours == pytest.approx(theirs, abs=1e-9)

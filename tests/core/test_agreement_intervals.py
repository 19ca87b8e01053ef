"""95% intervals of the agreement figures: against an independent bootstrap (scipy's, on
contributions computed document by document with the readable reference code), coverage on
simulated annotators with a known agreement, and the rules for too few documents."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from itertools import combinations

import numpy as np
import pytest
from _interval_helpers import Simulation
from scipy import stats

from annotator.core.agreement.corpus import DEFAULT_LABEL_NAMES, Corpus
from annotator.core.agreement.intervals import (
    NO_VALUE,
    Bootstrap,
    Interval,
    alpha_of,
    f1_of,
    fleiss_of,
    kappa_of,
)
from annotator.core.agreement.report import AgreementReport, agreement_report, report_json
from annotator.core.agreement.spans import SCHEMES, score
from annotator.core.agreement.tokens import (
    OUTSIDE,
    cohen_from_confusion,
    fleiss_kappa,
    krippendorff_alpha,
    token_labels,
)

CATEGORIES = (OUTSIDE, *DEFAULT_LABEL_NAMES)
WORDS = (
    *("Joko", "Widodo", "tiba", "di", "Jakarta", "pada", "5", "Mei", "2023"),
    *("bersama", "Kemendagri", "untuk", "program", "Bandung,", "Zoë"),
)
Span = tuple[int, int, str]


def random_corpus(documents: int, annotators: int, seed: int) -> Corpus:
    """Documents of Indonesian words (one with an emoji), spans on words, some skipped."""
    rng = random.Random(seed)
    texts: dict[str, str] = {}
    marks: dict[str, dict[str, list[Span]]] = {f"a{k}": {} for k in range(annotators)}
    for d in range(documents):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
        if d % 7 == 0:
            words.insert(1, "📌")
        text = " ".join(words)
        starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
        gold = [
            (starts[i], starts[i] + len(words[i]), rng.choice(DEFAULT_LABEL_NAMES))
            for i in range(len(words))
            if rng.random() < 0.3
        ]
        doc = f"d{d:03d}"
        texts[doc] = text
        for name in marks:
            if rng.random() < 0.15:
                continue  # not submitted
            spans = []
            for start, end, label in gold:
                roll = rng.random()
                if roll < 0.1:
                    continue
                if roll < 0.2:
                    label = rng.choice(DEFAULT_LABEL_NAMES)
                elif roll < 0.25 and end < len(text) - 2:
                    end += 1  # a boundary error
                spans.append((start, end, label))
            marks[name][doc] = spans
    return Corpus.from_spans(texts, marks)


def scipy_interval(
    n: int, statistic: Callable[[np.ndarray], float], resamples: int
) -> tuple[float, float]:
    result = stats.bootstrap(
        (np.arange(n),),
        statistic,
        n_resamples=resamples,
        method="percentile",
        vectorized=False,
        rng=np.random.default_rng(12345),
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def close(ours: Interval, theirs: tuple[float, float]) -> None:
    """The two Monte Carlo estimates agree within a twentieth of the interval's width."""
    bounds = ours.bounds
    assert bounds is not None, ours.reason
    width = max(theirs[1] - theirs[0], 1e-9)
    assert abs(bounds[0] - theirs[0]) <= 0.05 * width, (bounds, theirs)
    assert abs(bounds[1] - theirs[1]) <= 0.05 * width, (bounds, theirs)


def confusion(ya: Sequence[str], yb: Sequence[str]) -> np.ndarray:
    out = np.zeros((len(CATEGORIES), len(CATEGORIES)))
    for x, y in zip(ya, yb, strict=True):
        out[CATEGORIES.index(x), CATEGORIES.index(y)] += 1
    return out


def kappa(c: np.ndarray) -> float:
    """Cohen's kappa of a confusion matrix, written out again."""
    n = c.sum()
    p_o = np.trace(c) / n
    p_e = float((c.sum(axis=1) / n) @ (c.sum(axis=0) / n))
    return float((p_o - p_e) / (1 - p_e))


def f1_statistic(credit: np.ndarray, size: np.ndarray) -> Callable[[np.ndarray], float]:
    return lambda i: float(2 * credit[i].sum() / size[i].sum())


def kappa_statistic(confusions: np.ndarray) -> Callable[[np.ndarray], float]:
    return lambda i: kappa(confusions[i].sum(axis=0))


RESAMPLES = 4000


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return random_corpus(60, 3, seed=3)


@pytest.fixture(scope="module")
def report(corpus: Corpus) -> AgreementReport:
    return agreement_report(corpus, bootstrap=Bootstrap(resamples=RESAMPLES))


def compared(corpus: Corpus) -> list[str]:
    """The documents two or more annotators submitted: what a replicate draws from."""
    subs = corpus.submissions
    return sorted(d for d in set().union(*subs.values()) if sum(d in s for s in subs.values()) > 1)


def test_pair_f1_and_kappa_match_scipy(corpus: Corpus, report: AgreementReport) -> None:
    subs = corpus.submissions
    docs = compared(corpus)
    for a, b in combinations(sorted(subs), 2):
        both = [d in subs[a] and d in subs[b] for d in docs]
        pair = report.pair(a, b)
        assert pair is not None
        assert pair.documents == sum(both)
        for scheme in SCHEMES:
            counts = [
                score(subs[a][d].spans, subs[b][d].spans, scheme) if shared else None
                for d, shared in zip(docs, both, strict=True)
            ]
            credit = np.array([c.credit if c else 0.0 for c in counts])
            size = np.array([c.n_a + c.n_b if c else 0 for c in counts], float)
            assert 2 * credit.sum() / size.sum() == pytest.approx(pair.f1(scheme), abs=1e-9)
            close(pair.ci[scheme], scipy_interval(len(docs), f1_statistic(credit, size), RESAMPLES))
        confusions = np.array(
            [
                confusion(
                    token_labels(subs[a][d].text, subs[a][d].spans),
                    token_labels(subs[b][d].text, subs[b][d].spans),
                )
                if shared
                else np.zeros((len(CATEGORIES), len(CATEGORIES)))
                for d, shared in zip(docs, both, strict=True)
            ]
        )
        assert kappa(confusions.sum(axis=0)) == pytest.approx(pair.cohen.value, abs=1e-9)
        close(
            pair.ci["cohen_kappa"],
            scipy_interval(len(docs), kappa_statistic(confusions), RESAMPLES),
        )


def test_group_figures_match_scipy(corpus: Corpus, report: AgreementReport) -> None:
    subs = corpus.submissions
    names = sorted(subs)
    everyone = sorted(set.intersection(*(set(subs[n]) for n in names)))
    some = compared(corpus)
    labels = {
        (n, d): token_labels(subs[n][d].text, subs[n][d].spans) for n in names for d in subs[n]
    }
    # Fleiss: per document, the category counts of each token, reduced to sums
    fleiss_rows = []
    for d in some:  # zeros for a document not everyone submitted
        if d not in everyone:
            fleiss_rows.append([0.0] * (2 + len(CATEGORIES)))
            continue
        rows = [labels[(n, d)] for n in names]
        n_ij = np.array([[col.count(c) for c in CATEGORIES] for col in zip(*rows, strict=True)])
        fleiss_rows.append([float((n_ij**2).sum()), len(n_ij), *n_ij.sum(axis=0)])
    fx = np.array(fleiss_rows)
    m = len(names)

    def fleiss(i: np.ndarray) -> float:
        s = fx[i].sum(axis=0)
        squares, items, totals = s[0], s[1], s[2:]
        p_bar = (squares - items * m) / (items * m * (m - 1))
        p_e = float(((totals / (items * m)) ** 2).sum())
        return float((p_bar - p_e) / (1 - p_e))

    ratings = [[lab for d in everyone for lab in labels[(n, d)]] for n in names]
    assert fleiss(np.arange(len(some))) == pytest.approx(fleiss_kappa(ratings).value)
    assert report.fleiss.value == pytest.approx(fleiss(np.arange(len(some))), abs=1e-9)
    assert report.intervals is not None
    close(report.intervals.fleiss, scipy_interval(len(some), fleiss, RESAMPLES))

    # alpha: per document, its coincidence matrix (ordered pairs of values from different
    # annotators of one token, each unit weighted 1 / (m_u - 1))
    k = len(CATEGORIES)
    coincidences = []
    for d in some:
        rows = [labels[(n, d)] for n in names if d in subs[n]]
        o = np.zeros((k, k))
        for unit in zip(*rows, strict=True):
            codes = [CATEGORIES.index(v) for v in unit]
            for x, y in (
                (x, y) for i, x in enumerate(codes) for j, y in enumerate(codes) if i != j
            ):
                o[x, y] += 1 / (len(codes) - 1)
        coincidences.append(o)
    ox = np.array(coincidences)

    def alpha(i: np.ndarray) -> float:
        o = ox[i].sum(axis=0)
        n_c = o.sum(axis=1)
        n = n_c.sum()
        d_o = (n - np.trace(o)) / n
        d_e = (n * n - (n_c**2).sum()) / (n * (n - 1))
        return float(1 - d_o / d_e)

    units = [
        [lab for d in some for lab in (labels.get((n, d)) or [None] * len(labels_of(d)))]
        for n in names
        for labels_of in [lambda d: next(labels[(x, d)] for x in names if d in subs[x])]
    ]
    assert alpha(np.arange(len(some))) == pytest.approx(krippendorff_alpha(units).value)
    assert report.alpha.value == pytest.approx(alpha(np.arange(len(some))), abs=1e-9)
    close(report.intervals.alpha, scipy_interval(len(some), alpha, RESAMPLES))


def test_the_figures_of_summed_contributions_are_the_reports() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        c = rng.integers(0, 30, size=(4, 4)) * (rng.random((4, 4)) < 0.7)
        ours = kappa_of(
            np.array([np.trace(c)], float), c.sum(axis=1)[None, :], c.sum(axis=0)[None, :]
        )[0]
        want = cohen_from_confusion(c).value
        assert (np.isnan(ours) and want is None) or ours == pytest.approx(want)
    assert np.isnan(f1_of(np.array([0.0]), np.array([0.0])))[0]
    assert np.isnan(kappa_of(np.array([5.0]), np.array([[5.0, 0]]), np.array([[5.0, 0]])))[0]
    assert np.isnan(fleiss_of(np.array([3.0]), np.array([[6.0, 0]]), 2))[0]
    assert np.isnan(alpha_of(np.array([6.0]), np.array([[6.0, 0]])))[0]


def test_the_same_numbers_everywhere(corpus: Corpus) -> None:
    one = agreement_report(corpus)
    two = agreement_report(corpus)
    assert [p.ci for p in one.pairs] == [p.ci for p in two.pairs]
    assert one.intervals == two.intervals
    data = report_json(one)
    pair = data["pairs"][0]
    assert pair["ci95"]["strict"] == list(one.pairs[0].ci["strict"].bounds)  # type: ignore[arg-type]
    assert set(pair["ci95"]) == {"strict", "exact", "type", "partial", "cohen_kappa"}
    assert set(data["ci95"]) == {"span_f1", "fleiss_kappa", "krippendorff_alpha", "light_kappa"}
    assert data["ci95_method"] == {
        "method": "percentile bootstrap over documents",
        "level": 0.95,
        "resamples": 1000,
        "seed": 20_260_501,
        "min_documents": 10,
    }
    low, high = data["ci95"]["span_f1"]["strict"]
    assert low <= data["span_f1"]["strict"] <= high


def test_too_few_documents_say_so() -> None:
    corpus = random_corpus(12, 3, seed=5)
    report = agreement_report(corpus)
    reasons = {p.documents: p.ci["strict"].reason for p in report.pairs}
    for documents, reason in reasons.items():
        if documents < 10:
            assert reason == (f"{documents} documents: too few to bootstrap (at least 10)"), reasons
    data = report_json(report)
    short = [p for p in data["pairs"] if p["documents"] < 10]
    assert short, "the corpus leaves some pair under 10 documents"
    for p in short:
        assert p["ci95"]["strict"] is None
        assert "too few to bootstrap" in p["why_no_ci95"]["strict"]


def test_an_undefined_figure_has_no_interval() -> None:
    text = "Rapat berlangsung hingga sore."
    docs = {f"d{i}": text for i in range(12)}
    nothing: dict[str, list[Span]] = {d: [] for d in docs}
    corpus = Corpus.from_spans(docs, {"a": nothing, "b": nothing})
    report = agreement_report(corpus)
    pair = report.pairs[0]
    assert pair.f1("strict") is None
    assert pair.ci["strict"] == Interval(None, None, 12, NO_VALUE)
    assert pair.ci["cohen_kappa"].bounds is None
    assert report_json(report)["pairs"][0]["ci95"]["strict"] is None


@pytest.mark.slow
def test_coverage_on_simulated_annotators() -> None:
    """The interval covers the true agreement about 95% of the time (200 corpora of 40
    documents; the binomial spread of 200 trials is about 1.5 points, and 90% intervals
    cover 90.5-91.5% of these same corpora, so the bounds tell the two apart)."""
    sim = Simulation()
    rng = np.random.default_rng(2026)
    trials = 200
    covered = dict.fromkeys(("f1", "kappa", "mean f1", "fleiss", "alpha"), 0)
    for _ in range(trials):
        report = agreement_report(sim.corpus(40, 3, rng))
        assert report.intervals is not None
        pair = report.pairs[0]
        checks = {
            "f1": (pair.ci["strict"], sim.f1),
            "kappa": (pair.ci["cohen_kappa"], sim.kappa),
            "mean f1": (report.intervals.span_f1["strict"], sim.f1),
            "fleiss": (report.intervals.fleiss, sim.kappa),
            "alpha": (report.intervals.alpha, sim.kappa),
        }
        for name, (interval, truth) in checks.items():
            bounds = interval.bounds
            assert bounds is not None
            covered[name] += bounds[0] <= truth <= bounds[1]
    rates = {name: n / trials for name, n in covered.items()}
    assert all(0.92 <= rate <= 0.98 for rate in rates.values()), rates

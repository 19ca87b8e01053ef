"""The vectorised bootstrap (sums of per-document contributions, ``W @ X``) against the
straightforward one: each replicate's figures recomputed by the whole report on a corpus that
holds every drawn document as many times as it was drawn.

With one resample the percentile interval is ``[v, v]``, ``v`` the figure on that replicate,
so the report's intervals show the vectorised value of every figure on the first draw of
``replicate_weights``; the same draw, written out as a corpus of copies, is given to
``agreement_report``, whose figures are computed the readable way (span matching, token
confusions, Fleiss, alpha, means over pairs). They must agree on random corpora.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.agreement.corpus import DEFAULT_LABEL_NAMES, Corpus, Submission
from annotator.core.agreement.intervals import Bootstrap, Interval, replicate_weights
from annotator.core.agreement.report import AgreementReport, agreement_report
from annotator.core.agreement.spans import SCHEMES

WORDS = ("Joko", "Widodo", "tiba", "di", "Jakarta", "📌", "Zoë", "Kemendagri", "5", "Mei")
ONE = Bootstrap(resamples=1, min_documents=1)


@st.composite
def corpora(draw: st.DrawFn) -> Corpus:
    """2-3 annotators over 3-14 documents; some skip a document; spans on whole words, some
    shifted by a character, some with another label."""
    names = [f"a{k}" for k in range(draw(st.integers(2, 3)))]
    submissions: dict[str, dict[str, Submission]] = {n: {} for n in names}
    for d in range(draw(st.integers(3, 14))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
        text = " ".join(words)
        starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
        for name in names:
            if draw(st.integers(0, 5)) == 0:
                continue  # not submitted
            spans = []
            for i, word in enumerate(words):
                if draw(st.booleans()):
                    end = starts[i] + len(word) + draw(st.sampled_from((0, 0, 0, -1)))
                    if end > starts[i]:
                        label = draw(st.sampled_from(DEFAULT_LABEL_NAMES[:3]))
                        spans.append((starts[i], end, label))
            submissions[name][f"d{d:02d}"] = Submission(text, tuple(spans))
    return Corpus(labels=DEFAULT_LABEL_NAMES, submissions=submissions)


def drawn(corpus: Corpus, names: list[str]) -> Corpus:
    """The corpus of the first replicate: each compared document once per draw."""
    subs = corpus.submissions
    compared = sorted(
        d for d in set().union(*subs.values()) if sum(d in subs[n] for n in names) > 1
    )
    weights = next(replicate_weights(len(compared), ONE, "\0".join(names)))[0]
    out: dict[str, dict[str, Submission]] = {n: {} for n in names}
    for doc, times in zip(compared, weights.astype(int).tolist(), strict=True):
        for copy in range(times):
            for name in names:
                if doc in subs[name]:
                    out[name][f"{doc}#{copy}"] = subs[name][doc]
    return Corpus(labels=corpus.labels, submissions=out)


def same(interval: Interval, value: float | None) -> bool:
    """The one-replicate interval is ``[value, value]`` (or there is none: undefined)."""
    if interval.bounds is None:
        return True  # the figure is undefined on the draw or on the sample: nothing to compare
    low, high = interval.bounds
    return value is not None and abs(low - value) <= 1e-9 and abs(high - value) <= 1e-9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_each_replicate_equals_the_report_on_the_drawn_documents(corpus: Corpus) -> None:
    names = corpus.annotators
    ours = agreement_report(corpus, bootstrap=ONE)
    if not ours.documents_compared:
        return
    again: AgreementReport = agreement_report(drawn(corpus, names), bootstrap=ONE)
    assert ours.intervals is not None
    for scheme in SCHEMES:
        assert same(ours.intervals.span_f1[scheme], again.span_f1[scheme]), scheme
    assert same(ours.intervals.light_kappa, again.light_kappa)
    assert same(ours.intervals.fleiss, again.fleiss.value)
    assert same(ours.intervals.alpha, again.alpha.value)
    for pair in ours.pairs:
        theirs = again.pair(pair.a, pair.b)
        assert theirs is not None
        for scheme in SCHEMES:
            assert same(pair.ci[scheme], theirs.f1(scheme)), (pair.a, pair.b, scheme)
        assert same(pair.ci["cohen_kappa"], theirs.cohen.value), (pair.a, pair.b)


def test_a_replicate_is_compared_at_all() -> None:
    """The property above compares numbers (an interval is there), not only absences."""
    text = "Joko Widodo tiba di Jakarta"
    spans = ((0, 4, "PERSON"), (20, 27, "CITY"))
    other = ((0, 4, "PERSON"), (12, 16, "CITY"))
    subs = {
        "a0": {f"d{i}": Submission(text, spans) for i in range(6)},
        "a1": {f"d{i}": Submission(text, spans if i % 2 else other) for i in range(6)},
    }
    corpus = Corpus(labels=DEFAULT_LABEL_NAMES, submissions=subs)
    ours = agreement_report(corpus, bootstrap=ONE)
    again = agreement_report(drawn(corpus, ["a0", "a1"]), bootstrap=ONE)
    assert ours.intervals is not None
    assert ours.intervals.span_f1["strict"].bounds is not None
    assert same(ours.intervals.span_f1["strict"], again.span_f1["strict"])
    assert same(ours.pairs[0].ci["cohen_kappa"], again.pairs[0].cohen.value)

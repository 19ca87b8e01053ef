"""The report's per-document rows kept as columns (decision 0102) read as the rows they stand
for: each row, the JSON made from the columns, the queue, slices and a pickle round trip."""

from __future__ import annotations

import pickle
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_agreement_memo import WORDS

from annotator.core.agreement import intervals as iv
from annotator.core.agreement.corpus import DEFAULT_LABEL_NAMES, Corpus, Submission
from annotator.core.agreement.documents import DocumentRows, PairDocuments
from annotator.core.agreement.report import (
    AgreementReport,
    DocumentReport,
    _documents_json,
    agreement_report,
)

FEW = iv.Bootstrap(resamples=20)


def corpus(seed: int, documents: int) -> Corpus:
    """Spans over words and across them, so strict and type F1 differ; some documents left
    out by some annotators, some with no spans."""
    rng = random.Random(seed)
    subs: dict[str, dict[str, Submission]] = {n: {} for n in ("ani", "budi", "citra")}
    for d in range(documents):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 10)))
        for name in subs:
            if rng.random() < 0.2:
                continue
            spans = []
            for _ in range(rng.choice([0, 1, 2, 3])):
                start = rng.randrange(len(text) - 1)
                end = rng.randint(start + 1, min(len(text), start + 12))
                spans.append((start, end, rng.choice(DEFAULT_LABEL_NAMES[:2])))
            subs[name][f"d{d:03d}"] = Submission(text, tuple(spans))
    return Corpus(labels=DEFAULT_LABEL_NAMES, submissions=subs)


def _expected(report: AgreementReport, doc_id: str) -> tuple[Any, ...]:
    """A row's annotators, pairs and mean strict F1 from the pairs' own per-document F1."""
    pairs = {(p.a, p.b): p.per_document[doc_id] for p in report.pairs if doc_id in p.per_document}
    scored = [v for v in pairs.values() if v is not None]
    total = 0.0
    for v in scored:  # in pair order, as the report sums them
        total += v
    who = tuple(n for n in report.annotators if any(n in pair for pair in pairs))
    return who, pairs, (total / len(scored) if scored else None)


def _queue_key(d: DocumentReport) -> tuple[int, float, float, str]:
    return (int(d.strict_f1 is None), d.strict_f1 or 0.0, d.type_f1 or 0.0, d.id)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 40), st.sampled_from([2, 3]))
def test_rows_from_columns_are_the_rows(seed: int, documents: int, people: int) -> None:
    names = ["ani", "budi", "citra"][:people]
    report = agreement_report(corpus(seed, documents), names, bootstrap=FEW)
    rows = report.per_document
    assert isinstance(rows, DocumentRows)
    made = list(rows)
    assert [d.id for d in made] == sorted(d.id for d in made)
    assert len(made) == report.documents_compared == len(rows)
    for d in made:
        who, pairs, strict = _expected(report, d.id)
        assert (d.annotators, d.pairs, d.strict_f1) == (who, pairs, strict)
        assert (d.type_f1 is None) == (strict is None)
        assert set(d.spans) == set(who)
        assert all(n >= 0 for n in d.spans.values())
    assert rows.json_rows() == _documents_json(made)
    assert list(report.queue()) == sorted(made, key=_queue_key)
    if made:
        assert rows[-1] == made[-1]
        assert rows[0] == made[0]
        assert list(rows[1::2]) == made[1::2]
        assert list(report.queue()[:3]) == sorted(made, key=_queue_key)[:3]
    again = pickle.loads(pickle.dumps(report))
    assert list(again.per_document) == made
    for before, after in zip(report.pairs, again.pairs, strict=True):
        assert isinstance(after.per_document, PairDocuments)
        assert after.per_document == dict(before.per_document)
        assert len(after.per_document) == before.documents


def test_the_corpus_tells_strict_from_type() -> None:
    """The rows above are checked on corpora where a row's type F1 is not its strict F1."""
    report = agreement_report(corpus(1, 60), ["ani", "budi", "citra"], bootstrap=FEW)
    assert any(d.type_f1 != d.strict_f1 for d in report.per_document)

"""The intervals' replicates kept under a digest of their inputs (``ReplicateMemo``, decision
0093): a report given back its kept replicates is the report computed afresh, and any change
of what the replicates are drawn from (a span, a document submitted, the annotators, the
settings) misses the memo and draws them again."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.core.agreement import intervals as iv
from annotator.core.agreement.assemble import assemble, frame_of, pair_inputs
from annotator.core.agreement.corpus import DEFAULT_LABEL_NAMES, Corpus, Submission, prepare
from annotator.core.agreement.report import agreement_report, report_json

WORDS = ("Joko", "Widodo", "tiba", "di", "Jakarta", "📌", "Zoë", "Kemendagri", "Café\u0301", "5")


class Memo:
    """A memo in a dict, counting what it was asked."""

    def __init__(self) -> None:
        self.kept: dict[str, dict[str, npt.NDArray[np.float64]]] = {}
        self.hits = self.misses = 0

    def recall(self, digest: str) -> dict[str, npt.NDArray[np.float64]] | None:
        found = self.kept.get(digest)
        self.hits += found is not None
        self.misses += found is None
        return None if found is None else {k: v.copy() for k, v in found.items()}

    def keep(self, digest: str, values: dict[str, npt.NDArray[np.float64]]) -> None:
        self.kept[digest] = values


def corpus(seed: int, documents: int = 40) -> Corpus:
    rng = random.Random(seed)
    subs: dict[str, dict[str, Submission]] = {n: {} for n in ("ani", "budi", "citra")}
    for d in range(documents):
        words = [rng.choice(WORDS) for _ in range(rng.randint(3, 12))]
        text = " ".join(words) + ("\r\n" if d % 4 == 0 else "")
        starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
        for name in subs:
            if rng.random() < 0.15:
                continue
            spans = tuple(
                (starts[i], starts[i] + len(w), rng.choice(DEFAULT_LABEL_NAMES[:3]))
                for i, w in enumerate(words)
                if rng.random() < 0.4
            )
            subs[name][f"d{d:03d}"] = Submission(text, spans)
    return Corpus(labels=DEFAULT_LABEL_NAMES, submissions=subs)


def through(memo: Memo, data: Corpus, names: list[str], settings: iv.Bootstrap) -> Any:
    prep = prepare(data, names)
    return report_json(assemble(frame_of(prep, data), pair_inputs(prep), settings, memo=memo))


def test_kept_replicates_give_the_same_report() -> None:
    data, names, settings = corpus(1), ["ani", "budi", "citra"], iv.Bootstrap(resamples=200)
    fresh = report_json(agreement_report(data, names, bootstrap=settings))
    assert fresh["ci95"]["span_f1"]["strict"] is not None
    memo = Memo()
    assert through(memo, data, names, settings) == fresh
    assert (memo.hits, memo.misses) == (0, 1)
    assert through(memo, data, names, settings) == fresh
    assert (memo.hits, memo.misses) == (1, 1)


def test_any_change_of_the_inputs_draws_again() -> None:
    data, names, settings = corpus(2), ["ani", "budi", "citra"], iv.Bootstrap(resamples=200)
    memo = Memo()
    through(memo, data, names, settings)
    edited = dict(data.submissions["budi"])
    doc = next(iter(edited))
    edited[doc] = Submission(edited[doc].text, edited[doc].spans[1:] or ((0, 4, "CITY"),))
    taken_back = dict(data.submissions["citra"])
    del taken_back[next(iter(taken_back))]
    changes = [
        (replace(data, submissions={**data.submissions, "budi": edited}), names, settings),
        (replace(data, submissions={**data.submissions, "citra": taken_back}), names, settings),
        (data, ["ani", "budi"], settings),
        (data, names, iv.Bootstrap(resamples=200, seed=5)),
        (data, names, iv.Bootstrap(resamples=201)),
    ]
    for changed, who, how in changes:
        before = memo.misses
        got = through(memo, changed, who, how)
        assert memo.misses == before + 1
        assert got == report_json(agreement_report(changed, who, bootstrap=how))
    assert memo.hits == 0
    assert len(memo.kept) == 1 + len(changes)

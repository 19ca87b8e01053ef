"""Each annotator against the adjudicated gold: precision, recall and F1, overall and per label.

Gold is not a rater (docs/agreement.md 3.4): it never enters the agreement statistics. This view
uses the same span matching with gold as the reference side, so precision is the share of the
annotator's spans that gold confirms and recall the share of gold's spans the annotator found.
Only documents that both gold and the annotator submitted count; a document whose text differs
between the two is excluded with the reason, as in the agreement report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.core.agreement.corpus import Corpus, Exclusion, prepare
from annotator.core.agreement.report import counts_json
from annotator.core.agreement.spanarrays import compare_pair
from annotator.core.agreement.spans import SCHEMES, Counts, Scheme
from annotator.core.model import GOLD


@dataclass(frozen=True)
class GoldScores:
    """One annotator's accuracy against gold over the documents both submitted."""

    annotator: str
    documents: int
    counts: dict[Scheme, Counts]  # n_a: gold's spans, n_b: the annotator's
    per_label: dict[str, dict[Scheme, Counts]]  # strict and type
    excluded: list[Exclusion]

    def f1(self, scheme: Scheme = "strict") -> float | None:
        """F1 against gold under ``scheme``."""
        return self.counts[scheme].f1


def against_gold(
    corpus: Corpus, annotators: Sequence[str] | None = None, gold: str = GOLD
) -> list[GoldScores]:
    """Scores of every annotator (default: all but gold) against ``gold``; [] without gold."""
    if gold not in corpus.submissions:
        return []
    names = sorted(annotators if annotators is not None else corpus.annotators)
    out = []
    for name in names:
        if name == gold:
            continue
        prep = prepare(corpus, [gold, name], tokens=False)
        g, a = prep.annotators.index(gold), prep.annotators.index(name)
        both = prep.submitted[g] & prep.submitted[a]
        stats = compare_pair(prep.spans[g], prep.spans[a], both, prep.key_base, prep.tie_rank)
        per_label = stats.label_counts(prep.labels)
        out.append(GoldScores(name, int(np.sum(both)), stats.counts, per_label, prep.excluded))
    return out


def gold_json(scores: Sequence[GoldScores]) -> list[dict[str, Any]]:
    """The ``against_gold`` entries of the JSON report."""
    return [
        {
            "annotator": s.annotator,
            "documents": s.documents,
            **{scheme: counts_json(s.counts[scheme]) for scheme in SCHEMES},
            "per_label": {
                label: {scheme: counts_json(c) for scheme, c in by.items()}
                for label, by in s.per_label.items()
            },
            "excluded": [{"id": e.id, "reason": e.reason} for e in s.excluded],
        }
        for s in scores
    ]

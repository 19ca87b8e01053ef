"""Precision, recall and F1 of suggested spans against reference spans (micro, per label).

Two ways to count a hit: ``exact`` (same start, end and label: the agreement report's strict
F1) and ``overlap`` (same label and at least one shared character, matched one to one,
largest overlap first). Undefined values (0/0) are None, never 0 or 1, as in docs/agreement.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Triple = tuple[int, int, str]
Mode = Literal["exact", "overlap"]


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


@dataclass
class Scores:
    """Counts of one comparison and the figures derived from them."""

    tp: int = 0
    predicted: int = 0
    reference: int = 0
    per_label: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def precision(self) -> float | None:
        """Share of suggestions that are right (None when nothing was suggested)."""
        return _ratio(self.tp, self.predicted)

    @property
    def recall(self) -> float | None:
        """Share of reference spans that were suggested (None when there were none)."""
        return _ratio(self.tp, self.reference)

    @property
    def f1(self) -> float | None:
        """Harmonic mean, ``2 TP / (predicted + reference)``."""
        return _ratio(2 * self.tp, self.predicted + self.reference)

    def label(self, name: str) -> dict[str, float | int | None]:
        """``{"precision", "recall", "f1", "support", "predicted"}`` for one label."""
        c = self.per_label.get(name, Counter())
        return {
            "precision": _ratio(c["tp"], c["predicted"]),
            "recall": _ratio(c["tp"], c["reference"]),
            "f1": _ratio(2 * c["tp"], c["predicted"] + c["reference"]),
            "support": c["reference"],
            "predicted": c["predicted"],
        }

    def to_json(self, labels: Sequence[str]) -> dict[str, Any]:
        """Micro figures and per-label figures, for ``meta.json`` and ``--json``."""
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "predicted": self.predicted,
            "reference": self.reference,
            "per_label": {name: self.label(name) for name in labels},
        }


def _matches(
    reference: Sequence[Triple], predicted: Sequence[Triple], mode: Mode
) -> list[tuple[Triple, Triple]]:
    if mode == "exact":
        ref = set(reference)
        return [(p, p) for p in set(predicted) if p in ref]
    pairs = []
    for r in set(reference):
        for p in set(predicted):
            if r[2] == p[2] and r[0] < p[1] and p[0] < r[1]:
                pairs.append((min(r[1], p[1]) - max(r[0], p[0]), r, p))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_r: set[Triple] = set()
    used_p: set[Triple] = set()
    out = []
    for _, r, p in pairs:
        if r not in used_r and p not in used_p:
            used_r.add(r)
            used_p.add(p)
            out.append((r, p))
    return out


def score(
    pairs: Iterable[tuple[Sequence[Triple], Sequence[Triple]]], mode: Mode = "exact"
) -> Scores:
    """Sum over documents of ``(reference spans, predicted spans)``."""
    out = Scores()
    for reference, predicted in pairs:
        ref, pred = set(reference), set(predicted)
        matched = _matches(list(ref), list(pred), mode)
        out.tp += len(matched)
        out.predicted += len(pred)
        out.reference += len(ref)
        for r in ref:
            out.per_label.setdefault(r[2], Counter())["reference"] += 1
        for p in pred:
            out.per_label.setdefault(p[2], Counter())["predicted"] += 1
        for r, _ in matched:
            out.per_label.setdefault(r[2], Counter())["tp"] += 1
    return out

"""Train/dev/test splits by document: seeded, stable when documents are added, stratified.

Each document's place comes from a hash of the seed and its id alone, mapped into ``[0, 1)``
and placed by the cumulative fractions, so adding documents never moves old ones and the same
seed always gives the same split. Then, for each label that occurs in the export but in no
training document, the one document holding it with the lowest hash is moved into train
(a label seen only outside train cannot be learnt). Only those moves depend on the rest of the
corpus; they are listed in the summary.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError

SPLIT_NAMES = ("train", "dev", "test")
ALL = "all"


def parse_split(value: str) -> tuple[float, ...]:
    """``"80,10,10"`` (or ``"0.8,0.1,0.1"``, or two parts) -> fractions summing to 1.

    The parts are percentages adding up to 100, or fractions adding up to 1; anything else
    (``80,30``) is a mistake to point out, not a ratio to guess at.
    """
    parts = [p.strip() for p in re.split(r"[,/:]", value.strip()) if p.strip()]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if not 2 <= len(numbers) <= 3 or any(n < 0 or n != n for n in numbers) or numbers[0] <= 0:
        raise AnnotatorError(
            f"--split {value!r}: give 2 or 3 non-negative numbers for train,dev[,test] "
            "with train above 0, such as 80,10,10"
        )
    total = sum(numbers)
    if not (math.isclose(total, 100, rel_tol=1e-6) or math.isclose(total, 1, rel_tol=1e-6)):
        raise AnnotatorError(
            f"--split {value!r}: the parts add up to {total:g}; give percentages that add up "
            "to 100 (80,10,10) or fractions that add up to 1 (0.8,0.1,0.1)"
        )
    return tuple(n / total for n in numbers)


def unit_hash(seed: int, key: str) -> float:
    """A number in ``[0, 1)`` fixed by ``seed`` and ``key`` (the same on every machine)."""
    digest = hashlib.blake2b(f"{seed}\x1f{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass
class SplitPlan:
    """Where each document goes, and the stratification moves that were needed."""

    names: tuple[str, ...]
    of: dict[str, str] = field(default_factory=dict)  # document id -> split name
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # (id, from, label)


def plan_splits(
    labels_by_doc: Mapping[str, frozenset[str]],
    fractions: Sequence[float] | None,
    seed: int,
    label_order: Sequence[str] = (),
) -> SplitPlan:
    """Assign every document to a split (``all`` when ``fractions`` is None)."""
    if not fractions:
        return SplitPlan((ALL,), {doc_id: ALL for doc_id in labels_by_doc})
    names = SPLIT_NAMES[: len(fractions)]
    bounds: list[float] = []
    acc = 0.0
    for frac in fractions:
        acc += frac
        bounds.append(acc)
    plan = SplitPlan(names)
    hashes: dict[str, float] = {}
    for doc_id in labels_by_doc:
        u = hashes[doc_id] = unit_hash(seed, doc_id)
        plan.of[doc_id] = next(
            (name for name, b in zip(names, bounds, strict=True) if u < b), names[-1]
        )
    in_train: set[str] = set()
    present: set[str] = set()
    for doc_id, labels in labels_by_doc.items():
        present |= labels
        if plan.of[doc_id] == names[0]:
            in_train |= labels
    ordered = [lab for lab in label_order if lab in present]
    ordered += sorted(present - set(ordered))
    for label in ordered:
        if label in in_train:
            continue
        candidates = [d for d, labs in labels_by_doc.items() if label in labs]
        chosen = min(candidates, key=lambda d: (hashes[d], d))
        plan.moved.append((chosen, plan.of[chosen], label))
        plan.of[chosen] = names[0]
        in_train |= labels_by_doc[chosen]
    return plan

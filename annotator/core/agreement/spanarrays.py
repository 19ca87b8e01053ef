"""Span matching of one annotator pair over a whole corpus at once, with numpy.

The same matching as ``spans.match_spans`` (docs/agreement.md 3.1, "the spec" below; the tests
hold the two against each other on random nested and overlapping spans), run on every document
of ``D_ab`` in one go:

- strict: with duplicates removed, a strict pair is a span present on both sides, found by
  binary search on a ``(start, length, label)`` key;
- exact boundary (exact, partial): the i-th span of a group of equal bounds on side a takes the
  i-th of that group on side b, both in label order, as the spec's "first unused" rule does;
- overlap pass (type, partial): candidate pairs come from an interval join of the spans left
  over (documents never overlap in the layout, so no per-document loop), sorted by the
  spec's key; a candidate whose two spans are in no other candidate is accepted outright, and
  only the few that compete are walked greedily in Python.

Per-label type F1 needs no second matching: type pairs always share their label, and the
greedy order never lets one label's candidates block another's, so filtering by label before
or after matching gives the same pairs. The same holds for strict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from annotator.core.agreement.corpus import SpanArrays
from annotator.core.agreement.spans import LABEL_SCHEMES, PARTIAL_CREDIT, SCHEMES, Counts, Scheme
from annotator.core.agreement.tokens import IntArray, expand_ranges

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PairSpans:
    """Span agreement of one pair over ``D_ab``.

    ``label_*`` arrays are indexed by label code (0 unused); ``doc_*`` by document index;
    ``confusion[code_a, code_b]`` counts exact-boundary pairs.
    """

    counts: dict[Scheme, Counts]
    label_n_a: IntArray
    label_n_b: IntArray
    label_credit: dict[Scheme, IntArray]  # strict and type
    doc_n_a: IntArray
    doc_n_b: IntArray
    doc_credit: dict[Scheme, FloatArray]
    confusion: IntArray
    # per document, when asked (``compare_pair(..., detail=True)``): strict, exact, type-only
    # and partial-overlap matches, then label_n_a, label_n_b, strict and type credit per
    # label code, then the exact-boundary confusion, flattened
    doc_detail: IntArray | None = None

    def label_counts(self, labels: Sequence[str]) -> dict[str, dict[Scheme, Counts]]:
        """Per label (``labels[code - 1]``), the strict and type counts of the pair."""
        return {
            label: {
                s: Counts(
                    float(self.label_credit[s][code]),
                    int(self.label_n_a[code]),
                    int(self.label_n_b[code]),
                )
                for s in LABEL_SCHEMES
            }
            for code, label in enumerate(labels, 1)
        }


def _keys(
    spans: SpanArrays, key_base: int, tie_rank: npt.NDArray[np.int16]
) -> tuple[IntArray, IntArray]:
    bounds: IntArray = spans.starts * key_base + (spans.ends - spans.starts)
    full: IntArray = bounds * len(tie_rank) + tie_rank[spans.codes].astype(np.int64)
    return bounds, full


def overlap_pass(
    a: SpanArrays,
    b: SpanArrays,
    left_a: IntArray,
    left_b: IntArray,
    same_label: bool,
    tie_rank: npt.NDArray[np.int16],
) -> tuple[IntArray, IntArray]:
    """Accepted overlap pairs ``(index in a, index in b)`` among the spans left over."""
    empty = np.zeros(0, np.int64)
    if not len(left_a) or not len(left_b):
        return empty, empty
    a_start, a_end = a.starts[left_a], a.ends[left_a]
    b_start, b_end = b.starts[left_b], b.ends[left_b]
    # b-spans that start before a ends: [0, hi); that may end after a starts: from lo on,
    # where lo uses the running maximum of the ends so that nested spans are not missed.
    hi = np.searchsorted(b_start, a_end, side="left")
    lo = np.searchsorted(np.maximum.accumulate(b_end), a_start, side="right")
    owner, cand = expand_ranges(lo.astype(np.int64), hi.astype(np.int64))
    keep = b_end[cand] > a_start[owner]
    if same_label:
        keep &= a.codes[left_a[owner]] == b.codes[left_b[cand]]
    owner, cand = owner[keep], cand[keep]
    if not len(owner):
        return empty, empty
    ia, jb = left_a[owner], left_b[cand]
    shared = np.minimum(a.ends[ia], b.ends[jb]) - np.maximum(a.starts[ia], b.starts[jb])
    order = np.lexsort(
        (
            tie_rank[b.codes[jb]],
            b.ends[jb],
            b.starts[jb],
            tie_rank[a.codes[ia]],
            a.ends[ia],
            a.starts[ia],
            -shared,
        )
    )
    ia, jb = ia[order], jb[order]
    alone = (np.bincount(ia)[ia] == 1) & (np.bincount(jb)[jb] == 1)
    taken_a, taken_b = ia[alone].tolist(), jb[alone].tolist()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for i, j in zip(ia[~alone].tolist(), jb[~alone].tolist(), strict=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            taken_a.append(i)
            taken_b.append(j)
    return np.array(taken_a, np.int64), np.array(taken_b, np.int64)


def compare_pair(
    a: SpanArrays,
    b: SpanArrays,
    both: npt.NDArray[np.bool_],
    key_base: int,
    tie_rank: npt.NDArray[np.int16],
    detail: bool = False,
) -> PairSpans:
    """Match a's spans against b's over the documents where ``both`` is true (``detail``:
    also every count per document, see ``PairSpans.doc_detail``)."""
    n_docs, n_codes = len(both), len(tie_rank)
    a, b = a.take(both[a.docs]), b.take(both[b.docs])
    a_bounds, a_full = _keys(a, key_base, tie_rank)
    b_bounds, b_full = _keys(b, key_base, tie_rank)
    # strict: the same span on both sides
    strict_a = np.zeros(len(a), bool)
    strict_b = np.zeros(len(b), bool)
    if len(b):
        pos = np.minimum(np.searchsorted(b_full, a_full), len(b) - 1)
        strict_a = b_full[pos] == a_full
        strict_b[pos[strict_a]] = True
    # exact boundary, label ignored: the i-th of a bounds group takes the i-th on the other side
    rank = np.arange(len(a)) - np.searchsorted(a_bounds, a_bounds, side="left")
    lo = np.searchsorted(b_bounds, a_bounds, side="left")
    hi = np.searchsorted(b_bounds, a_bounds, side="right")
    exact_a = rank < hi - lo
    partner = (lo + rank)[exact_a]
    exact_b = np.zeros(len(b), bool)
    exact_b[partner] = True
    confusion = np.bincount(
        a.codes[exact_a].astype(np.int64) * n_codes + b.codes[partner], minlength=n_codes**2
    ).reshape(n_codes, n_codes)
    type_a, _ = overlap_pass(
        a, b, np.flatnonzero(~strict_a), np.flatnonzero(~strict_b), True, tie_rank
    )
    part_a, _ = overlap_pass(
        a, b, np.flatnonzero(~exact_a), np.flatnonzero(~exact_b), False, tie_rank
    )

    def per_doc(index: IntArray, weight: float = 1.0) -> FloatArray:
        out: FloatArray = np.bincount(a.docs[index], minlength=n_docs).astype(np.float64) * weight
        return out

    strict_idx, exact_idx = np.flatnonzero(strict_a), np.flatnonzero(exact_a)
    doc_credit: dict[Scheme, FloatArray] = {
        "strict": per_doc(strict_idx),
        "exact": per_doc(exact_idx),
        "type": per_doc(strict_idx) + per_doc(type_a),
        "partial": per_doc(exact_idx) + per_doc(part_a, PARTIAL_CREDIT),
    }
    credit = {
        "strict": float(len(strict_idx)),
        "exact": float(len(exact_idx)),
        "type": float(len(strict_idx) + len(type_a)),
        "partial": len(exact_idx) + PARTIAL_CREDIT * len(part_a),
    }
    codes_a = a.codes.astype(np.int64)
    label_strict = np.bincount(codes_a[strict_idx], minlength=n_codes)
    doc_detail = None
    if detail:

        def by_label(docs: IntArray, codes: IntArray) -> IntArray:
            flat = np.bincount(docs * n_codes + codes, minlength=n_docs * n_codes)
            return flat.reshape(n_docs, n_codes)

        codes_b = b.codes.astype(np.int64)
        strict_by_label = by_label(a.docs[strict_idx], codes_a[strict_idx])
        pair_codes = codes_a[exact_a] * n_codes + codes_b[partner]
        doc_detail = np.column_stack(
            [
                np.bincount(a.docs[strict_idx], minlength=n_docs),
                np.bincount(a.docs[exact_idx], minlength=n_docs),
                np.bincount(a.docs[type_a], minlength=n_docs),
                np.bincount(a.docs[part_a], minlength=n_docs),
                by_label(a.docs, codes_a),
                by_label(b.docs, codes_b),
                strict_by_label,
                strict_by_label + by_label(a.docs[type_a], codes_a[type_a]),
                np.bincount(
                    a.docs[exact_a] * n_codes**2 + pair_codes, minlength=n_docs * n_codes**2
                ).reshape(n_docs, n_codes**2),
            ]
        ).astype(np.int64)
    return PairSpans(
        counts={s: Counts(credit[s], len(a), len(b)) for s in SCHEMES},
        label_n_a=np.bincount(codes_a, minlength=n_codes),
        label_n_b=np.bincount(b.codes.astype(np.int64), minlength=n_codes),
        label_credit={
            "strict": label_strict,
            "type": label_strict + np.bincount(codes_a[type_a], minlength=n_codes),
        },
        doc_n_a=np.bincount(a.docs, minlength=n_docs),
        doc_n_b=np.bincount(b.docs, minlength=n_docs),
        doc_credit=doc_credit,
        confusion=confusion.astype(np.int64),
        doc_detail=doc_detail,
    )

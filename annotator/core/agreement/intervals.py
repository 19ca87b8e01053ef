"""95% confidence intervals of the headline agreement figures: a bootstrap over documents.

Every headline figure is a function of sums over documents: span F1 of the credit and span
counts, Cohen's kappa of one pair's token confusion margins, Fleiss' kappa and Krippendorff's
alpha of the group's agreeing pairs and category counts. So each compared document is reduced
once to its *contribution* (a short row of numbers), and a bootstrap replicate is the compared
documents drawn again with replacement, n out of n: its sums are ``W @ X``, ``W`` the count of
each document in the draw, ``X`` the contributions. A thousand replicates are a few matrix
products.

- One draw of the compared documents (those two or more annotators submitted) per replicate,
  and every figure recomputed on it, each from the drawn documents it is defined on: a pair's
  F1 and kappa from those both submitted, Fleiss' kappa from those everyone submitted, alpha
  and the means over pairs from all. This is the usual bootstrap of a whole analysis (the
  documents are the sampled units); the figures of one replicate belong together.
- The interval is the percentile interval: the 2.5th and 97.5th percentiles of the figure over
  the replicates in which it is defined (linear interpolation, as ``numpy.percentile``).
- A figure computed on fewer than ``MIN_DOCUMENTS`` documents gets no interval, with that
  reason: with so few, a resample repeats a handful of documents and the percentile interval is
  clearly too narrow (decision 0072 has the measured coverage). A figure undefined in more than
  5% of the replicates (a pair whose documents hold almost no spans) gets none either.
- Random numbers come from a generator seeded with ``SEED`` and the annotators compared, so
  the same report gives the same intervals wherever it is shown.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

RESAMPLES = 1000
SEED = 20_260_501
LEVEL = 0.95
MIN_DOCUMENTS = 10
MIN_DEFINED = 0.95  # share of replicates in which a figure must be defined
CHUNK_CELLS = 4_000_000  # documents x replicates drawn at once (32 MB of float64)


@dataclass(frozen=True)
class Interval:
    """A figure's 95% interval ``[low, high]``, or None with the reason."""

    low: float | None
    high: float | None
    documents: int  # the documents resampled
    reason: str | None = None

    @property
    def bounds(self) -> tuple[float, float] | None:
        """``(low, high)``, or None when there is no interval."""
        if self.low is None or self.high is None:
            return None
        return (self.low, self.high)


@dataclass(frozen=True)
class Bootstrap:
    """How the intervals are computed (the defaults everywhere; tests may ask for more)."""

    resamples: int = RESAMPLES
    seed: int = SEED
    level: float = LEVEL
    min_documents: int = MIN_DOCUMENTS


def generator(settings: Bootstrap, key: str) -> np.random.Generator:
    """The random numbers of the figure named ``key``."""
    return np.random.default_rng([settings.seed, zlib.crc32(key.encode("utf-8"))])


def draw_blocks(n: int, settings: Bootstrap, key: str) -> Iterator[npt.NDArray[np.int32]]:
    """The bootstrap's draws in blocks of replicates, ``D[r, i]``: the document drawn i-th in
    replicate r. Every reader of the draw takes them in these blocks: the generator's numbers
    depend on how many are asked for at once."""
    rng = generator(settings, key)
    per_block = max(1, CHUNK_CELLS // max(n, 1))
    left = settings.resamples
    while left > 0:
        rows = min(per_block, left)
        yield rng.integers(0, n, size=(rows, n), dtype=np.int32)
        left -= rows


def replicate_weights(n: int, settings: Bootstrap, key: str) -> Iterator[FloatArray]:
    """Blocks of rows ``W[r, d]``: how often document d is drawn in replicate r (n of n)."""
    for draws in draw_blocks(n, settings, key):
        weights = np.empty(draws.shape, np.float64)
        for r in range(len(draws)):
            weights[r] = np.bincount(draws[r], minlength=n)
        yield weights


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """The replicates' matrix products on one thread: with two BLAS threads on two cores that
    other work keeps busy, each waits on the other, and 1,000 replicates over 100,000
    documents took 13-72 s instead of 2 s (``bench/bench_lead.py``; the products are exact
    sums of integers and halves, so the thread count does not change a result)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


# -- the figures as functions of summed contributions (vectorised over replicates) -----------
# Each takes sums with the replicates on the first axis and returns one value per replicate,
# NaN where the figure is undefined; with the full sample they equal the report's values.


def f1_of(credit: FloatArray, size: FloatArray) -> FloatArray:
    """Span F1 ``2C / (|A| + |B|)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(size > 0, 2 * credit / size, np.nan)
    return out


def kappa_of(trace: FloatArray, rows: FloatArray, cols: FloatArray) -> FloatArray:
    """Cohen's kappa from the agreeing tokens and the two annotators' category counts."""
    n = rows.sum(axis=-1)
    chance = (rows * cols).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = trace / n
        expected = chance / (n * n)
        out: FloatArray = np.where(
            (n > 0) & (chance != n * n), (observed - expected) / (1 - expected), np.nan
        )
    return out


def fleiss_of(agree: FloatArray, per_category: FloatArray, raters: int) -> FloatArray:
    """Fleiss' kappa from the agreeing pairs (summed over pairs) and ``sum_i n_ij``."""
    ratings = per_category.sum(axis=-1)
    items = ratings / raters
    squares = (per_category * per_category).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = 2 * agree / (items * raters * (raters - 1))
        expected = squares / (ratings * ratings)
        out: FloatArray = np.where(
            (items > 0) & (squares != ratings * ratings),
            (observed - expected) / (1 - expected),
            np.nan,
        )
    return out


def alpha_of(coincide: FloatArray, values: FloatArray) -> FloatArray:
    """Krippendorff's alpha from the coinciding values and ``n_c``."""
    n = values.sum(axis=-1)
    squares = (values * values).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = (n - coincide) / n
        expected = (n * n - squares) / (n * (n - 1))
        out: FloatArray = np.where((n > 0) & (squares != n * n), 1 - observed / expected, np.nan)
    return out


# -- turning replicate values into an interval ---------------------------------------------


def too_few(documents: int, settings: Bootstrap) -> Interval | None:
    """The reason-only interval of a figure on too few documents, else None."""
    if documents < settings.min_documents:
        return Interval(
            None,
            None,
            documents,
            f"{documents} documents: too few to bootstrap (at least {settings.min_documents})",
        )
    return None


def percentile_interval(values: FloatArray, documents: int, settings: Bootstrap) -> Interval:
    """The percentile interval of the replicate ``values`` (NaN: undefined in that one)."""
    defined = values[~np.isnan(values)]
    if len(defined) < MIN_DEFINED * len(values) or not len(defined):
        share = 1 - len(defined) / max(len(values), 1)
        return Interval(
            None, None, documents, f"undefined in {share:.0%} of the resamples (too few spans)"
        )
    tail = (1 - settings.level) / 2 * 100
    low, high = np.percentile(defined, [tail, 100 - tail])
    return Interval(float(low), float(high), documents)


# -- the report's figures ------------------------------------------------------------------

PAIR_FIGURES = ("strict", "exact", "type", "partial", "cohen_kappa")
GROUP_FIGURES = ("strict", "exact", "type", "partial", "light_kappa", "fleiss", "alpha")
NO_VALUE = "the figure itself is undefined"


def _no_value(documents: int) -> Interval:
    return Interval(None, None, documents, NO_VALUE)


VALUES_LAYOUT = 1  # of the replicates' values a ``ReplicateMemo`` keeps


class ReplicateMemo(Protocol):
    """Where a report keeps the replicates' values of its figures (a server project's lead
    keeps them on the desktop: ``annotator.core.pg.parts``), under a digest of every input."""

    def recall(self, digest: str) -> dict[str, FloatArray] | None:
        """The values kept under ``digest``, or None."""
        ...

    def keep(self, digest: str, values: dict[str, FloatArray]) -> None:
        """Keep ``values`` (figure -> one value per replicate) under ``digest``."""
        ...


class ReplicateSums(Protocol):
    """Where a report gets the replicates' sums of its contributions (``replicate_sums``)."""

    def of(self, layout: FloatArray, key: str, settings: Bootstrap) -> FloatArray:
        """``W @ layout`` for the replicates of the figures named ``key``."""
        ...


@dataclass(frozen=True)
class GroupIntervals:
    """The intervals of the group's figures."""

    span_f1: dict[str, Interval]  # mean over pairs, per scheme
    light_kappa: Interval
    fleiss: Interval
    alpha: Interval


class Contributions:
    """Each compared document's contribution to every headline figure, collected pair by pair
    while the report is computed, then resampled.

    Per pair and document: the credit of each scheme, the spans of both sides, the tokens both
    labelled alike and each side's tokens per category (a document's token confusion reduced
    to what Cohen's kappa reads); zero where the pair did not both submit the document. Per
    document, summed over the pairs: the agreeing pairs of tokens and the category counts,
    which give Krippendorff's alpha (every compared document) and Fleiss' kappa (those everyone
    submitted). A replicate draws the compared documents again and every figure is recomputed
    on the draw, each from the drawn documents it is defined on.
    """

    def __init__(self, raters: IntArray, categories: int, settings: Bootstrap) -> None:
        self.raters = raters  # annotators who submitted each compared document
        self.k = categories
        self.width = 6 + 2 * categories  # 4 credits, spans, agreeing tokens, rows, columns
        self.settings = settings
        self.pairs: list[tuple[IntArray, FloatArray]] = []
        self.agree = np.zeros(len(raters), np.float64)
        self.margins = np.zeros((len(raters), categories), np.float64)

    def add_pair(
        self, docs: IntArray, credit: Sequence[FloatArray], size: FloatArray, confusion: IntArray
    ) -> None:
        """Record one pair: ``docs`` the compared documents both submitted; the other arrays
        over every compared document (``confusion[d, code_a, code_b]``, token counts)."""
        # (``trace`` sums in 64 bits whatever the counts' type: kept parts may be 16 bits)
        trace = confusion.trace(axis1=1, axis2=2).astype(np.float64)
        rows = confusion.sum(axis=2).astype(np.float64)
        cols = confusion.sum(axis=1).astype(np.float64)
        self.agree += trace
        self.margins += rows + cols
        x = np.column_stack(
            [*(c[docs] for c in credit), size[docs], trace[docs], rows[docs], cols[docs]]
        )
        self.pairs.append((docs, x))

    def _pair_values(self, sums: FloatArray) -> list[FloatArray]:
        k = self.k
        size = sums[:, 4]
        f1s = [f1_of(sums[:, s], size) for s in range(4)]
        return [*f1s, kappa_of(sums[:, 5], sums[:, 6 : 6 + k], sums[:, 6 + k : 6 + 2 * k])]

    def finish(
        self,
        key: str,
        annotators: int,
        pair_defined: Sequence[Sequence[bool]],
        group_defined: dict[str, bool],
        memo: ReplicateMemo | None = None,
        sums: ReplicateSums | None = None,
    ) -> tuple[list[dict[str, Interval]], GroupIntervals]:
        """Every pair's intervals and the group's. ``pair_defined`` says which of
        ``PAIR_FIGURES`` each pair has a value for, ``group_defined`` which of
        ``GROUP_FIGURES`` the group has. ``memo`` keeps the replicates' values under a digest
        of everything they are computed from: the same contributions give them back.
        ``sums`` gives the replicates' sums ``W @ X`` of the whole layout (a store that keeps
        them from one report to the next, updated by difference: ``replicate_sums``)."""
        n, n_pairs = len(self.raters), len(self.pairs)
        everyone = self.raters == annotators
        pairable = np.maximum(self.raters - 1, 1).astype(np.float64)[:, None]
        group_x = np.column_stack(
            [
                2 * self.agree / pairable[:, 0],  # alpha: coinciding values
                self.margins / pairable,  # alpha: n_c
                np.where(everyone, self.agree, 0.0),  # Fleiss: agreeing pairs
                np.where(everyone[:, None], self.margins / max(annotators - 1, 1), 0.0),
            ]
        )
        pair_sizes = [len(docs) for docs, _ in self.pairs]
        fleiss_size = int(everyone.sum())
        values: dict[str, list[FloatArray]] = {}
        if n >= self.settings.min_documents and annotators >= 2 and sums is not None:
            every = sums.of(self.layout(group_x), key, self.settings)
            values = {}
            self._figures(every, [], every[:, n_pairs * self.width :], annotators, values)
        elif n >= self.settings.min_documents and annotators >= 2:
            digest = self._digest(key, group_x, annotators) if memo is not None else ""
            kept = memo.recall(digest) if memo is not None else None
            if kept is not None:
                values = {name: [v] for name, v in kept.items()}
            else:
                values = self._replicates(key, group_x, annotators)
                if memo is not None:
                    memo.keep(digest, {name: np.concatenate(v) for name, v in values.items()})
        pair_ci = [
            {
                name: self._interval(values.get(f"{p}:{name}"), pair_sizes[p], ok)
                for name, ok in zip(PAIR_FIGURES, pair_defined[p], strict=True)
            }
            for p in range(n_pairs)
        ]
        group = {
            name: self._interval(
                values.get(name), fleiss_size if name == "fleiss" else n, group_defined[name]
            )
            for name in GROUP_FIGURES
        }
        return pair_ci, GroupIntervals(
            {s: group[s] for s in ("strict", "exact", "type", "partial")},
            group["light_kappa"],
            group["fleiss"],
            group["alpha"],
        )

    def _digest(self, key: str, group_x: FloatArray, annotators: int) -> str:
        """What the replicates are computed from: the figures' key, the settings, each
        pair's compared documents and contributions and the group's, as bytes."""
        h = hashlib.sha256(repr((VALUES_LAYOUT, key, annotators, self.settings)).encode())
        for docs, x in self.pairs:
            for array in (docs, x):
                h.update(str(array.shape).encode())
                h.update(np.ascontiguousarray(array).tobytes())
        h.update(np.ascontiguousarray(group_x).tobytes())
        return h.hexdigest()

    def _interval(self, parts: list[FloatArray] | None, documents: int, defined: bool) -> Interval:
        short = too_few(documents, self.settings)
        if short is not None:
            return short
        if not defined or parts is None:
            return _no_value(documents)
        return percentile_interval(np.concatenate(parts), documents, self.settings)

    def layout(self, group_x: FloatArray) -> FloatArray:
        """Every pair's contributions side by side over all the compared documents (zero
        where the pair did not both submit one), then the group's: ``W @ layout`` are the
        sums of every figure in every replicate."""
        n, width = len(self.raters), self.width
        layout = np.zeros((n, len(self.pairs) * width + group_x.shape[1]))
        for p, (docs, x) in enumerate(self.pairs):
            layout[docs, p * width : (p + 1) * width] = x
        layout[:, len(self.pairs) * width :] = group_x
        return layout

    def _replicates(
        self, key: str, group_x: FloatArray, annotators: int
    ) -> dict[str, list[FloatArray]]:
        """Every figure's value in every replicate (NaN where undefined)."""
        n, width = len(self.raters), self.width
        # one matrix product per block of replicates over the whole layout. With many pairs
        # over many documents that would be too large; then each pair's columns of the draw
        # are gathered.
        dense = len(self.pairs) * width * n <= 2 * CHUNK_CELLS
        layout = self.layout(group_x) if dense else None
        out: dict[str, list[FloatArray]] = {}
        with one_blas_thread():
            for weights in replicate_weights(n, self.settings, key):
                if layout is not None:
                    every = weights @ layout
                    self._figures(every, [], every[:, len(self.pairs) * width :], annotators, out)
                else:
                    sums = [weights[:, docs] @ x for docs, x in self.pairs]
                    self._figures(None, sums, weights @ group_x, annotators, out)
        return out

    def _figures(
        self,
        every: FloatArray | None,
        pair_sums: list[FloatArray],
        g: FloatArray,
        annotators: int,
        out: dict[str, list[FloatArray]],
    ) -> None:
        """Every figure of a block of replicates from their sums: ``every`` over the whole
        layout, or each pair's (``pair_sums``) and the group's (``g``)."""
        width, k = self.width, self.k
        rows = len(g)
        totals, counts = np.zeros((5, rows)), np.zeros((5, rows))
        for p in range(len(self.pairs)):
            sums = every[:, p * width : (p + 1) * width] if every is not None else pair_sums[p]
            for f, v in enumerate(self._pair_values(sums)):
                out.setdefault(f"{p}:{PAIR_FIGURES[f]}", []).append(v)
                ok = ~np.isnan(v)
                totals[f] += np.where(ok, v, 0.0)
                counts[f] += ok
        with np.errstate(divide="ignore", invalid="ignore"):
            means = np.where(counts > 0, totals / counts, np.nan)
        for f, name in enumerate(("strict", "exact", "type", "partial", "light_kappa")):
            out.setdefault(name, []).append(means[f])
        out.setdefault("alpha", []).append(alpha_of(g[:, 0], g[:, 1 : 1 + k]))
        out.setdefault("fleiss", []).append(
            fleiss_of(g[:, 1 + k], g[:, 2 + k : 2 + 2 * k], annotators)
        )


# -- JSON ----------------------------------------------------------------------------------


def interval_json(interval: Interval | None) -> list[float] | None:
    """``[low, high]``, or None."""
    bounds = interval.bounds if interval is not None else None
    return list(bounds) if bounds is not None else None


def ci_json(intervals: dict[str, Interval]) -> tuple[dict[str, Any], dict[str, str]]:
    """``ci95`` (figure -> ``[low, high]`` or None) and ``why_no_ci95`` (figure -> reason)."""
    ci = {name: interval_json(iv) for name, iv in intervals.items()}
    why = {name: iv.reason for name, iv in intervals.items() if iv.bounds is None and iv.reason}
    return ci, why


def group_json(group: GroupIntervals | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The top level's ``ci95`` and ``why_no_ci95``, keyed like the figures they bound."""
    if group is None:
        return {}, {}
    span, span_why = ci_json(group.span_f1)
    rest, why = ci_json(
        {
            "fleiss_kappa": group.fleiss,
            "krippendorff_alpha": group.alpha,
            "light_kappa": group.light_kappa,
        }
    )
    return {"span_f1": span, **rest}, ({"span_f1": span_why} if span_why else {}) | why


def method_json(settings: Bootstrap) -> dict[str, Any]:
    """How the intervals were computed."""
    return {
        "method": "percentile bootstrap over documents",
        "level": settings.level,
        "resamples": settings.resamples,
        "seed": settings.seed,
        "min_documents": settings.min_documents,
    }

"""The agreement report: every statistic of docs/agreement.md for a group, and its JSON.

``agreement_report(corpus)`` is what the command line and the window's dashboard call. It
returns plain dataclasses (no Qt, no formatting); ``report_json`` turns one into the
``agreement --json`` document, the specified fields first and extra ones after them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations, compress
from typing import Any

import numpy as np

from annotator.core.agreement import intervals as iv
from annotator.core.agreement.corpus import Corpus, Exclusion, Prepared, gc_paused, prepare
from annotator.core.agreement.spanarrays import PairSpans, compare_pair
from annotator.core.agreement.spans import LABEL_SCHEMES, SCHEMES, Counts, Scheme, mean
from annotator.core.agreement.tokens import (
    Alpha,
    Kappa,
    alpha_from_grouped,
    cohen_from_confusion,
    fleiss_from_confusions,
    grouped_confusion,
    label_tokens,
)
from annotator.core.model import GOLD, first_line

NO_SHARED = "no documents submitted by both"
BOTH_EMPTY = "no spans on either side"


@dataclass(frozen=True)
class PairReport:
    """Agreement of annotators a and b (a < b) over ``D_ab``."""

    a: str
    b: str
    documents: int
    counts: dict[Scheme, Counts]
    per_label: dict[str, dict[Scheme, Counts]]  # strict and type per label
    macro_label_f1: dict[Scheme, float | None]  # mean over labels with a value
    macro_document_f1: dict[Scheme, float | None]  # mean over documents with a value
    cohen: Kappa  # over every token of D_ab; observed = p_o
    cohen_annotated: Kappa  # over tokens that a or b labelled (diagnostic)
    confusion: dict[tuple[str, str], int]  # exact-boundary pairs (label_a, label_b)
    per_document: dict[str, float | None]  # strict F1 of each document of D_ab
    ci: dict[str, iv.Interval] = field(default_factory=dict)  # 95%: schemes and "cohen_kappa"

    def f1(self, scheme: Scheme = "strict") -> float | None:
        """Micro F1 under ``scheme``."""
        return self.counts[scheme].f1

    @property
    def reason(self) -> str | None:
        """Why the span scores are undefined, if they are."""
        if not self.documents:
            return NO_SHARED
        return BOTH_EMPTY if self.counts["strict"].f1 is None else None


@dataclass(frozen=True)
class DocumentReport:
    """One compared document: who submitted it and how much they agree on it."""

    id: str
    title: str
    annotators: tuple[str, ...]
    strict_f1: float | None  # mean over the pairs that submitted it (None: all empty)
    type_f1: float | None
    pairs: dict[tuple[str, str], float | None]  # strict F1 per pair
    spans: dict[str, int]  # valid spans per annotator


@dataclass(frozen=True)
class Extreme:
    """The lowest or highest pair value of a scheme."""

    value: float
    a: str
    b: str


@dataclass(frozen=True)
class AgreementReport:
    """Everything ``annotator agreement`` shows, for the chosen annotators."""

    annotators: list[str]
    labels: tuple[str, ...]
    documents_total: int
    documents_compared: int
    excluded: list[Exclusion]
    single: int  # documents submitted by only one of the annotators
    pairs: list[PairReport]
    span_f1: dict[Scheme, float | None]  # mean over pairs
    span_f1_min: dict[Scheme, Extreme | None]
    span_f1_max: dict[Scheme, Extreme | None]
    per_annotator: dict[str, float | None]  # mean strict F1 against every other annotator
    per_label: dict[str, dict[Scheme, float | None]]  # mean over pairs, strict and type
    fleiss: Kappa
    fleiss_documents: int  # D_all
    alpha: Alpha
    alpha_documents: int  # D_>=2
    light_kappa: float | None  # mean of the pairs' Cohen's kappa
    per_document: list[DocumentReport]  # sorted by id
    confusion: dict[tuple[str, str], int]  # summed over pairs (rows: the first of each pair)
    warnings: list[str] = field(default_factory=list)
    intervals: iv.GroupIntervals | None = None  # 95%: the means over pairs, Light, Fleiss, alpha
    bootstrap: iv.Bootstrap = field(default_factory=iv.Bootstrap)

    def queue(self) -> list[DocumentReport]:
        """Documents by disagreement: lowest strict F1 first (then type F1, then id); those
        where every annotator submitted no spans come last."""

        def key(d: DocumentReport) -> tuple[int, float, float, str]:
            missing = d.strict_f1 is None
            return (int(missing), d.strict_f1 or 0.0, d.type_f1 or 0.0, d.id)

        return sorted(self.per_document, key=key)

    def pair(self, a: str, b: str) -> PairReport | None:
        """The pair of a and b in either order."""
        a, b = sorted((a, b))
        return next((p for p in self.pairs if (p.a, p.b) == (a, b)), None)

    @property
    def reasons(self) -> dict[str, str]:
        """Why each undefined group value is undefined."""
        out: dict[str, str] = {}
        if self.span_f1["strict"] is None:
            out["span_f1"] = (
                "fewer than two annotators"
                if len(self.annotators) < 2
                else "no pair has a score (no shared documents or no spans)"
            )
        if self.fleiss.value is None and self.fleiss.reason:
            out["fleiss_kappa"] = self.fleiss.reason
        if self.alpha.value is None and self.alpha.reason:
            out["krippendorff_alpha"] = self.alpha.reason
        if self.light_kappa is None and len(self.annotators) >= 2:
            out["light_kappa"] = "no pair has a Cohen's kappa"
        return out


Progress = Callable[[str], None]


def agreement_report(
    corpus: Corpus,
    annotators: Sequence[str] | None = None,
    progress: Progress | None = None,
    bootstrap: iv.Bootstrap | None = None,
) -> AgreementReport:
    """Compute the full report for ``annotators`` (default: every annotator but gold), with
    the 95% intervals of ``bootstrap`` (the defaults of ``intervals``)."""
    with gc_paused():
        return _report(corpus, annotators, progress, bootstrap or iv.Bootstrap())


def _report(
    corpus: Corpus,
    annotators: Sequence[str] | None,
    progress: Progress | None,
    settings: iv.Bootstrap,
) -> AgreementReport:
    step = progress or (lambda _: None)
    step("preparing")
    if annotators is None:
        annotators = [name for name in corpus.annotators if name != GOLD]
    prep = prepare(corpus, annotators)
    names, labels = prep.annotators, prep.labels
    k = len(labels) + 1
    step("labelling tokens")
    token_codes = [
        label_tokens(prep.tokens, s.starts, s.ends, s.codes, prep.tie_rank) for s in prep.spans
    ]
    raters = prep.raters
    n_docs = len(prep.doc_ids)
    doc_of_token = np.repeat(np.arange(n_docs, dtype=np.int64), prep.tokens.counts)
    pairs: list[PairReport] = []
    grouped: list[Any] = []
    sums = _DocumentSums(n_docs)
    collected = iv.Contributions(raters, k, settings)
    for i, j in combinations(range(len(names)), 2):
        step(f"comparing {names[i]} and {names[j]}")
        both = prep.submitted[i] & prep.submitted[j]
        span_stats = compare_pair(prep.spans[i], prep.spans[j], both, prep.key_base, prep.tie_rank)
        # token confusion per document: the pair's kappa, the group's statistics (documents
        # grouped by how many submitted them) and the intervals all come from it
        groups = np.where(np.repeat(both, prep.tokens.counts), doc_of_token, -1)
        per_doc = grouped_confusion(token_codes[i], token_codes[j], groups, n_docs, k)
        counts = np.zeros((len(names) + 1, k, k), np.int64)
        np.add.at(counts, raters, per_doc)
        grouped.append(counts)
        sums.add(names[i], names[j], both, span_stats)
        pairs.append(_pair_report(prep, names[i], names[j], both, span_stats, counts.sum(axis=0)))
        collected.add_pair(
            np.flatnonzero(both),
            [span_stats.doc_credit[s] for s in SCHEMES],
            (span_stats.doc_n_a + span_stats.doc_n_b).astype(np.float64),
            per_doc,
        )
    step("group statistics")
    span_f1 = {s: mean(p.f1(s) for p in pairs) for s in SCHEMES}
    light_kappa = mean(p.cohen.value for p in pairs)
    everyone = raters == len(names)
    fleiss = fleiss_from_confusions([g[len(names)] for g in grouped], len(names))
    if len(names) >= 2 and not everyone.any():
        fleiss = Kappa(None, None, None, 0, "no document was submitted by every annotator")
    alpha = alpha_from_grouped(grouped)
    if len(names) >= 2 and not prep.doc_ids:
        alpha = Alpha(None, None, None, 0, 0, "no document was submitted by two annotators")
    confusion: dict[tuple[str, str], int] = {}
    for p in pairs:
        for cell, n in p.confusion.items():
            confusion[cell] = confusion.get(cell, 0) + n
    step("intervals")
    defined: dict[str, bool] = {s: v is not None for s, v in span_f1.items()}
    defined |= {
        "light_kappa": light_kappa is not None,
        "fleiss": fleiss.value is not None,
        "alpha": alpha.value is not None,
    }
    pair_ci, intervals = collected.finish(
        "\0".join(names),
        len(names),
        [[p.f1(s) is not None for s in SCHEMES] + [p.cohen.value is not None] for p in pairs],
        defined,
    )
    pairs = [replace(p, ci=ci) for p, ci in zip(pairs, pair_ci, strict=True)]
    return AgreementReport(
        annotators=names,
        labels=labels,
        documents_total=prep.total,
        documents_compared=len(prep.doc_ids),
        excluded=prep.excluded,
        single=prep.single,
        pairs=pairs,
        span_f1=span_f1,
        span_f1_min={s: _extreme(pairs, s, min) for s in SCHEMES},
        span_f1_max={s: _extreme(pairs, s, max) for s in SCHEMES},
        per_annotator={n: mean(p.f1("strict") for p in pairs if n in (p.a, p.b)) for n in names},
        per_label={
            label: {s: mean(p.per_label[label][s].f1 for p in pairs) for s in LABEL_SCHEMES}
            for label in labels
        },
        fleiss=fleiss,
        fleiss_documents=int(everyone.sum()) if len(names) >= 2 else 0,
        alpha=alpha,
        alpha_documents=len(prep.doc_ids),
        light_kappa=light_kappa,
        per_document=_documents(prep, sums, corpus),
        confusion=confusion,
        warnings=prep.warnings,
        intervals=intervals,
        bootstrap=settings,
    )


def _extreme(pairs: list[PairReport], scheme: Scheme, pick: Callable[..., Any]) -> Extreme | None:
    scored = [(p.f1(scheme), p.a, p.b) for p in pairs if p.f1(scheme) is not None]
    if not scored:
        return None
    value, a, b = pick(scored, key=lambda t: t[0])
    return Extreme(value, a, b)


def _pair_report(
    prep: Prepared, a: str, b: str, both: Any, stats: PairSpans, tokens: Any
) -> PairReport:
    labels = prep.labels
    per_label = {
        label: {
            s: Counts(
                float(stats.label_credit[s][code]),
                int(stats.label_n_a[code]),
                int(stats.label_n_b[code]),
            )
            for s in LABEL_SCHEMES
        }
        for code, label in enumerate(labels, 1)
    }
    docs = np.flatnonzero(both)
    sizes = stats.doc_n_a + stats.doc_n_b
    macro_doc: dict[Scheme, float | None] = {}
    for s in SCHEMES:
        scored = docs[sizes[docs] > 0]
        values = 2 * stats.doc_credit[s][scored] / sizes[scored]
        macro_doc[s] = float(values.mean()) if len(values) else None
    strict = 2 * stats.doc_credit["strict"] / np.maximum(sizes, 1)
    annotated = tokens.copy()
    annotated[0, 0] = 0
    names = ("O", *labels)
    confusion = {
        (names[x], names[y]): int(stats.confusion[x, y])
        for x, y in zip(*np.nonzero(stats.confusion), strict=True)
    }
    return PairReport(
        a=a,
        b=b,
        documents=len(docs),
        counts=stats.counts,
        per_label=per_label,
        macro_label_f1={s: mean(per_label[label][s].f1 for label in labels) for s in LABEL_SCHEMES},
        macro_document_f1=macro_doc,
        cohen=cohen_from_confusion(tokens) if len(docs) else Kappa(None, None, None, 0, NO_SHARED),
        cohen_annotated=cohen_from_confusion(annotated)
        if len(docs)
        else Kappa(None, None, None, 0, NO_SHARED),
        confusion=confusion,
        per_document={
            prep.doc_ids[d]: float(strict[d]) if sizes[d] else None for d in docs.tolist()
        },
    )


@dataclass
class _DocumentSums:
    """Per-document F1 of every pair, summed as the pairs are computed."""

    n_docs: int
    strict: Any = None
    type: Any = None
    scored: Any = None
    pairs: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.strict = np.zeros(self.n_docs)
        self.type = np.zeros(self.n_docs)
        self.scored = np.zeros(self.n_docs, np.int64)

    def add(self, a: str, b: str, both: Any, stats: PairSpans) -> None:
        sizes = stats.doc_n_a + stats.doc_n_b
        has = both & (sizes > 0)
        strict = np.where(has, 2 * stats.doc_credit["strict"] / np.maximum(sizes, 1), np.nan)
        kind = np.where(has, 2 * stats.doc_credit["type"] / np.maximum(sizes, 1), 0.0)
        self.strict += np.nan_to_num(strict)
        self.type += kind
        self.scored += has
        self.pairs.append((a, b, both, strict))


def _documents(prep: Prepared, sums: _DocumentSums, corpus: Corpus) -> list[DocumentReport]:
    names = prep.annotators
    n_docs = len(prep.doc_ids)
    columns = list(zip(*prep.submitted.tolist(), strict=True)) if names else [()] * n_docs
    span_counts = (
        list(
            zip(*(np.bincount(s.docs, minlength=n_docs).tolist() for s in prep.spans), strict=True)
        )
        if names
        else [()] * n_docs
    )
    # per pair: (key, submitted by both, strict F1 with NaN for "both empty")
    pair_columns = [((a, b), both.tolist(), strict.tolist()) for a, b, both, strict in sums.pairs]
    scored = sums.scored.tolist()
    strict_mean = (sums.strict / np.maximum(sums.scored, 1)).tolist()
    type_mean = (sums.type / np.maximum(sums.scored, 1)).tolist()
    titles = corpus.titles
    out = []
    for k, doc_id in enumerate(prep.doc_ids):
        who = tuple(compress(names, columns[k]))
        out.append(
            DocumentReport(
                id=doc_id,
                title=titles.get(doc_id) or first_line(prep.texts[k], 120),
                annotators=who,
                strict_f1=strict_mean[k] if scored[k] else None,
                type_f1=type_mean[k] if scored[k] else None,
                pairs={
                    key: None if strict[k] != strict[k] else strict[k]  # NaN: both empty
                    for key, both, strict in pair_columns
                    if both[k]
                },
                spans=dict(zip(who, compress(span_counts[k], columns[k]), strict=True)),
            )
        )
    return out


# -- JSON (docs/design.md section 7.1) --------------------------------------------------------


def counts_json(counts: Counts) -> dict[str, float | None]:
    """``{"precision", "recall", "f1"}`` of one comparison (None where undefined)."""
    return {"precision": counts.precision, "recall": counts.recall, "f1": counts.f1}


def _confusion_json(confusion: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
    return [{"a_label": la, "b_label": lb, "count": n} for (la, lb), n in sorted(confusion.items())]


def _extreme_json(value: Extreme | None) -> dict[str, Any] | None:
    return None if value is None else {"value": value.value, "a": value.a, "b": value.b}


def pair_json(pair: PairReport, labels: Sequence[str]) -> dict[str, Any]:
    """One entry of ``pairs``: the specified fields, then the extra ones."""
    out: dict[str, Any] = {"a": pair.a, "b": pair.b, "documents": pair.documents}
    for s in SCHEMES:
        out[s] = counts_json(pair.counts[s])
    out["per_label"] = {
        label: {s: pair.per_label[label][s].f1 for s in LABEL_SCHEMES} for label in labels
    }
    out["tokens"] = pair.cohen.items
    out["observed_agreement"] = pair.cohen.observed
    out["cohen_kappa"] = pair.cohen.value
    # extra fields
    out["expected_agreement"] = pair.cohen.expected
    out["annotated_tokens"] = pair.cohen_annotated.items
    out["cohen_kappa_annotated_tokens"] = pair.cohen_annotated.value
    out["spans"] = {"a": pair.counts["strict"].n_a, "b": pair.counts["strict"].n_b}
    out["macro_label_f1"] = dict(pair.macro_label_f1)
    out["macro_document_f1"] = dict(pair.macro_document_f1)
    out["confusion"] = _confusion_json(pair.confusion)
    why: dict[str, str] = {}
    if pair.reason:
        why["f1"] = pair.reason
    if pair.cohen.value is None and pair.cohen.reason:
        why["cohen_kappa"] = pair.cohen.reason
    if pair.cohen_annotated.value is None and pair.cohen_annotated.reason:
        why["cohen_kappa_annotated_tokens"] = pair.cohen_annotated.reason
    if why:
        out["why_null"] = why
    out["ci95"], why_no_ci = iv.ci_json(pair.ci)
    if why_no_ci:
        out["why_no_ci95"] = why_no_ci
    return out


def report_json(report: AgreementReport) -> dict[str, Any]:
    """The ``agreement --json`` document: the fields of docs/design.md 7.1 in order, then extras.

    Undefined values are None (``null``), never 0 or 1; ``why_null`` says why.
    """
    with gc_paused():
        return _report_json(report)


def _report_json(report: AgreementReport) -> dict[str, Any]:
    labels = report.labels
    ci95, why_no_ci95 = iv.group_json(report.intervals)
    return {
        "annotators": list(report.annotators),
        "documents": {
            "total": report.documents_total,
            "compared": report.documents_compared,
            "excluded": [{"id": e.id, "reason": e.reason} for e in report.excluded],
            "single_annotator": report.single,
        },
        "span_f1": {s: report.span_f1[s] for s in SCHEMES},
        "pairs": [pair_json(p, labels) for p in report.pairs],
        "fleiss_kappa": report.fleiss.value,
        "krippendorff_alpha": report.alpha.value,
        "per_document": [
            {
                "id": d.id,
                "strict_f1": d.strict_f1,
                "type_f1": d.type_f1,
                "annotators": list(d.annotators),
                "pairs": [{"a": a, "b": b, "strict_f1": v} for (a, b), v in d.pairs.items()],
            }
            for d in report.per_document
        ],
        # extra fields
        "span_f1_min": {s: _extreme_json(report.span_f1_min[s]) for s in SCHEMES},
        "span_f1_max": {s: _extreme_json(report.span_f1_max[s]) for s in SCHEMES},
        "per_annotator": dict(report.per_annotator),
        "per_label": {label: dict(v) for label, v in report.per_label.items()},
        "macro_label_f1": {
            s: mean(p.macro_label_f1[s] for p in report.pairs) for s in LABEL_SCHEMES
        },
        "light_kappa": report.light_kappa,
        "fleiss": {
            "documents": report.fleiss_documents,
            "excluded_documents": report.documents_compared - report.fleiss_documents,
            "tokens": report.fleiss.items,
            "observed": report.fleiss.observed,
            "expected": report.fleiss.expected,
        },
        "alpha": {
            "documents": report.alpha_documents,
            "units": report.alpha.units,
            "pairable_values": report.alpha.pairable_values,
            "observed_disagreement": report.alpha.observed_disagreement,
            "expected_disagreement": report.alpha.expected_disagreement,
        },
        "confusion": _confusion_json(report.confusion),
        "why_null": report.reasons,
        "ci95": ci95,
        "why_no_ci95": why_no_ci95,
        "ci95_method": iv.method_json(report.bootstrap),
        "warnings": list(report.warnings),
    }

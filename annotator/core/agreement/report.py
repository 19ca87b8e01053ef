"""The agreement report: every statistic of docs/agreement.md for a group, and its JSON.

``agreement_report(corpus)`` is what the command line and the window's dashboard call. It
returns plain dataclasses (no Qt, no formatting); ``report_json`` turns one into the
``agreement --json`` document, the specified fields first and extra ones after them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.agreement import intervals as iv
from annotator.core.agreement.corpus import Corpus, Exclusion, gc_paused, prepare
from annotator.core.agreement.spans import LABEL_SCHEMES, SCHEMES, Counts, Scheme, mean
from annotator.core.agreement.tokens import (
    Alpha,
    Kappa,
)
from annotator.core.model import GOLD

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
    per_document: Mapping[str, float | None]  # strict F1 of each document of D_ab
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
    per_document: Sequence[DocumentReport]  # sorted by id (``documents.DocumentRows``)
    confusion: dict[tuple[str, str], int]  # summed over pairs (rows: the first of each pair)
    warnings: list[str] = field(default_factory=list)
    intervals: iv.GroupIntervals | None = None  # 95%: the means over pairs, Light, Fleiss, alpha
    bootstrap: iv.Bootstrap = field(default_factory=iv.Bootstrap)

    def queue(self) -> Sequence[DocumentReport]:
        """Documents by disagreement: lowest strict F1 first (then type F1, then id); those
        where every annotator submitted no spans come last."""
        from annotator.core.agreement.documents import DocumentRows

        if isinstance(self.per_document, DocumentRows):
            return self.per_document.queue()

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
    from annotator.core.agreement.assemble import assemble, frame_of, pair_inputs

    prep = prepare(corpus, annotators)
    step("labelling tokens")
    return assemble(frame_of(prep, corpus), pair_inputs(prep, step), settings, step)


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


def _documents_json(documents: Sequence[DocumentReport]) -> list[dict[str, Any]]:
    from annotator.core.agreement.documents import DocumentRows

    if isinstance(documents, DocumentRows):  # made from the columns: the same rows
        return documents.json_rows()
    return [
        {
            "id": d.id,
            "strict_f1": d.strict_f1,
            "type_f1": d.type_f1,
            "annotators": list(d.annotators),
            "pairs": [{"a": a, "b": b, "strict_f1": v} for (a, b), v in d.pairs.items()],
        }
        for d in documents
    ]


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
        "per_document": _documents_json(report.per_document),
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

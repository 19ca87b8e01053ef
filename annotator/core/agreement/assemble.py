"""The agreement report assembled from its parts: the compared documents (``Frame``) and each
pair's comparison over them (``PairInput``).

``agreement_report`` makes both from a corpus (``frame_of``, ``pair_inputs``). A store that
keeps each pair's per-document contributions (the server's lead reports,
``annotator.core.pg.parts``) makes them from those instead, and the same ``assemble`` turns
either into the same ``AgreementReport``: every figure is a sum over documents of integers
(or halves), so the result does not depend on where the parts came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

import numpy as np

from annotator.core.agreement import intervals as iv
from annotator.core.agreement.corpus import Corpus, Exclusion, Prepared
from annotator.core.agreement.documents import DocumentRows, PairDocuments
from annotator.core.agreement.report import (
    NO_SHARED,
    AgreementReport,
    Extreme,
    PairReport,
    Progress,
)
from annotator.core.agreement.spanarrays import PairSpans, compare_pair
from annotator.core.agreement.spans import LABEL_SCHEMES, SCHEMES, Scheme, mean
from annotator.core.agreement.tokens import (
    Alpha,
    Kappa,
    alpha_from_grouped,
    cohen_from_confusion,
    fleiss_from_confusions,
    grouped_confusion,
    label_tokens,
)
from annotator.core.model import first_line


@dataclass
class Frame:
    """What the report needs besides the pairs: the compared documents and who submitted
    them. Made by ``prepare`` from a corpus, or by a store that keeps each pair's
    per-document contributions (``annotator.core.pg.parts``)."""

    annotators: list[str]
    labels: tuple[str, ...]
    doc_ids: list[str]  # compared documents (D_>=2), sorted by id
    submitted: Any  # bool [annotator, document]
    span_counts: list[Any]  # per annotator: valid spans in each compared document
    titles: list[str]  # per compared document
    excluded: list[Exclusion]
    single: int
    total: int
    warnings: list[str]

    @property
    def raters(self) -> Any:
        """How many of the annotators submitted each compared document."""
        return self.submitted.sum(axis=0).astype(np.int64)


@dataclass(frozen=True)
class PairInput:
    """One pair's comparison over every compared document (zero where they did not both
    submit it): the span matching and the token confusion per document."""

    spans: PairSpans
    tokens: Any  # int64 [document, code_a, code_b]


def pair_inputs(prep: Prepared, step: Progress | None = None) -> Iterator[PairInput]:
    """Every pair's comparison, in pair order (one at a time: they are large)."""
    names, k = prep.annotators, len(prep.labels) + 1
    token_codes = [
        label_tokens(prep.tokens, s.starts, s.ends, s.codes, prep.tie_rank) for s in prep.spans
    ]
    n_docs = len(prep.doc_ids)
    doc_of_token = np.repeat(np.arange(n_docs, dtype=np.int64), prep.tokens.counts)
    for i, j in combinations(range(len(names)), 2):
        if step is not None:
            step(f"comparing {names[i]} and {names[j]}")
        both = prep.submitted[i] & prep.submitted[j]
        span_stats = compare_pair(prep.spans[i], prep.spans[j], both, prep.key_base, prep.tie_rank)
        groups = np.where(np.repeat(both, prep.tokens.counts), doc_of_token, -1)
        yield PairInput(span_stats, grouped_confusion(token_codes[i], token_codes[j], groups,
                                                      n_docs, k))  # fmt: skip


def frame_of(prep: Prepared, corpus: Corpus) -> Frame:
    """The frame of a prepared corpus."""
    n_docs = len(prep.doc_ids)
    titles = corpus.titles
    return Frame(
        annotators=prep.annotators,
        labels=prep.labels,
        doc_ids=prep.doc_ids,
        submitted=prep.submitted,
        span_counts=[np.bincount(s.docs, minlength=n_docs) for s in prep.spans],
        titles=[
            titles.get(doc_id) or first_line(prep.texts[k], 120)
            for k, doc_id in enumerate(prep.doc_ids)
        ],
        excluded=prep.excluded,
        single=prep.single,
        total=prep.total,
        warnings=prep.warnings,
    )


def assemble(
    frame: Frame,
    inputs: Iterable[PairInput],
    settings: iv.Bootstrap | None = None,
    progress: Progress | None = None,
    memo: iv.ReplicateMemo | None = None,
    kept_sums: iv.ReplicateSums | None = None,
) -> AgreementReport:
    """The report from its frame and every pair's comparison, in pair order; ``memo`` keeps
    the intervals' replicates for a later report on the same contributions, ``kept_sums`` gives
    the replicates' sums (kept from the last report and updated by difference)."""
    step = progress or (lambda _: None)
    settings = settings or iv.Bootstrap()
    names, labels = frame.annotators, frame.labels
    k = len(labels) + 1
    raters = frame.raters
    n_docs = len(frame.doc_ids)
    pairs: list[PairReport] = []
    grouped: list[Any] = []
    sums = _DocumentSums(n_docs)
    collected = iv.Contributions(raters, k, settings)
    for (i, j), pair in zip(combinations(range(len(names)), 2), inputs, strict=True):
        both = frame.submitted[i] & frame.submitted[j]
        span_stats, per_doc = pair.spans, pair.tokens
        # token confusion per document: the pair's kappa, the group's statistics (documents
        # grouped by how many submitted them) and the intervals all come from it
        counts = np.zeros((len(names) + 1, k, k), np.int64)
        for r in np.unique(raters).tolist():  # (np.add.at: ten times slower)
            counts[r] = per_doc[raters == r].sum(axis=0)
        grouped.append(counts)
        sums.add(names[i], names[j], both, span_stats)
        pairs.append(_pair_report(frame, names[i], names[j], both, span_stats, counts.sum(axis=0)))
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
    if len(names) >= 2 and not frame.doc_ids:
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
        memo,
        kept_sums,
    )
    pairs = [replace(p, ci=ci) for p, ci in zip(pairs, pair_ci, strict=True)]
    return AgreementReport(
        annotators=names,
        labels=labels,
        documents_total=frame.total,
        documents_compared=len(frame.doc_ids),
        excluded=frame.excluded,
        single=frame.single,
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
        alpha_documents=len(frame.doc_ids),
        light_kappa=light_kappa,
        per_document=_documents(frame, sums),
        confusion=confusion,
        warnings=frame.warnings,
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
    frame: Frame, a: str, b: str, both: Any, stats: PairSpans, tokens: Any
) -> PairReport:
    labels = frame.labels
    per_label = stats.label_counts(labels)
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
        per_document=PairDocuments(frame.doc_ids, docs, strict, sizes),
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


def _documents(frame: Frame, sums: _DocumentSums) -> DocumentRows:
    names = frame.annotators
    n_docs = len(frame.doc_ids)
    return DocumentRows(
        ids=frame.doc_ids,
        titles=frame.titles,
        names=names,
        submitted=np.asarray(frame.submitted, bool).reshape(len(names), n_docs),
        span_counts=np.array(
            [np.asarray(c, np.int64) for c in frame.span_counts], np.int64
        ).reshape(len(names), n_docs),
        scored=sums.scored,
        strict=sums.strict / np.maximum(sums.scored, 1),
        type_f1=sums.type / np.maximum(sums.scored, 1),
        pairs=[(names.index(a), names.index(b)) for a, b, _, _ in sums.pairs],
        pair_strict=np.array([strict for _, _, _, strict in sums.pairs]).reshape(
            len(sums.pairs), n_docs
        ),
    )

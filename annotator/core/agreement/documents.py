"""The report's per-document rows kept as columns, made into objects only where asked for
(decision 0102).

A report over 100,000 compared documents has 100,000 rows (who submitted the document, their
spans, each pair's strict F1 and the means) and, per pair, a strict F1 per document. Made as
100,000 ``DocumentReport`` objects and three dictionaries of 100,000 entries, they were a
large part of assembling the report, of keeping it (a pickle of every object) and of reading
it back. Kept as a few arrays they cost little to make, keep and read; ``DocumentRows`` is a
sequence of ``DocumentReport`` that makes each row when it is read (the window's queue, the
text table's worst documents), and ``json_rows`` makes the ``agreement --json`` rows from the
columns directly. The values are the very floats the objects held (the same arithmetic, read
back with ``tolist``), so the JSON is the same whichever way the report was made.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import compress
from typing import Any, overload

import numpy as np

from annotator.core.agreement.report import DocumentReport

Pair = tuple[str, str]


class DocumentRows(Sequence[DocumentReport]):
    """The compared documents' rows, in the report's order (see the module)."""

    def __init__(
        self,
        ids: list[str],
        titles: list[str],
        names: list[str],
        submitted: Any,  # bool [annotator, document]
        span_counts: Any,  # int [annotator, document]
        scored: Any,  # int [document]: pairs with a strict F1
        strict: Any,  # float [document]: mean strict F1 (read where scored)
        type_f1: Any,  # float [document]: mean type F1 (read where scored)
        pairs: list[tuple[int, int]],  # per pair, the annotators' rows in ``names``
        pair_strict: Any,  # float [pair, document], NaN where both are empty
        order: Any = None,  # int [row]: the documents shown, in order (None: all, as kept)
    ) -> None:
        self.ids = ids
        self.titles = titles
        self.names = names
        self.submitted = submitted
        self.span_counts = span_counts
        self.scored = scored
        self.strict = strict
        self.type_f1 = type_f1
        self.pairs = pairs
        self.pair_strict = pair_strict
        self.order = order

    def __len__(self) -> int:
        return len(self.ids) if self.order is None else len(self.order)

    @overload
    def __getitem__(self, index: int) -> DocumentReport: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[DocumentReport]: ...

    def __getitem__(self, index: int | slice) -> DocumentReport | Sequence[DocumentReport]:
        if isinstance(index, slice):
            rows = np.arange(len(self.ids)) if self.order is None else self.order
            return self._view(rows[index])
        n = len(self)
        if not -n <= index < n:
            raise IndexError(index)
        k = index % n
        return self._row(k if self.order is None else int(self.order[k]))

    def __iter__(self) -> Iterator[DocumentReport]:
        rows = range(len(self.ids)) if self.order is None else self.order.tolist()
        for k in rows:
            yield self._row(k)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"DocumentRows({len(self)} documents)"

    def _view(self, order: Any) -> DocumentRows:
        return DocumentRows(
            self.ids, self.titles, self.names, self.submitted, self.span_counts, self.scored,
            self.strict, self.type_f1, self.pairs, self.pair_strict, np.asarray(order, np.int64),
        )  # fmt: skip

    def _row(self, k: int) -> DocumentReport:
        column = self.submitted[:, k].tolist()
        who = tuple(compress(self.names, column))
        scored = bool(self.scored[k])
        pairs: dict[Pair, float | None] = {}
        for p, (i, j) in enumerate(self.pairs):
            if column[i] and column[j]:
                value = float(self.pair_strict[p, k])
                pairs[(self.names[i], self.names[j])] = None if value != value else value
        counts = self.span_counts[:, k].tolist()
        return DocumentReport(
            id=self.ids[k],
            title=self.titles[k],
            annotators=who,
            strict_f1=float(self.strict[k]) if scored else None,
            type_f1=float(self.type_f1[k]) if scored else None,
            pairs=pairs,
            spans={self.names[i]: counts[i] for i, x in enumerate(column) if x},
        )

    def queue(self) -> DocumentRows:
        """The rows by disagreement: lowest strict F1 first (then type F1, then id); those
        where every annotator submitted no spans last (``AgreementReport.queue``)."""
        n = len(self.ids)
        scored = self.scored > 0
        strict = np.where(scored, self.strict, 0.0) + 0.0  # (+ 0.0: -0.0 sorts as 0.0)
        kind = np.where(scored, self.type_f1, 0.0) + 0.0
        by_id = np.empty(n, np.int64)
        by_id[sorted(range(n), key=self.ids.__getitem__)] = np.arange(n)
        return self._view(np.lexsort((by_id, kind, strict, ~scored)))

    def json_rows(self) -> list[dict[str, Any]]:
        """The ``per_document`` rows of ``agreement --json``, made from the columns: the
        documents grouped by who submitted them (a handful of groups), each group's rows made
        column by column."""
        names, ids, n = self.names, self.ids, len(self.ids)
        if not n:
            return []
        scored = self.scored.tolist()
        strict = [v if s else None for v, s in zip(self.strict.tolist(), scored, strict=True)]
        type_f1 = [v if s else None for v, s in zip(self.type_f1.tolist(), scored, strict=True)]
        bits = (1 << np.arange(len(names), dtype=np.int64))[:, None]
        kind = (self.submitted.astype(np.int64) * bits).sum(axis=0) if names else np.zeros(n)
        values_of = [row.tolist() for row in self.pair_strict]
        by_kind = np.argsort(kind, kind="stable")
        codes, starts = np.unique(kind[by_kind], return_index=True)
        out: list[Any] = [None] * n
        for code, group in zip(codes.tolist(), np.split(by_kind, starts[1:]), strict=True):
            rows = group.tolist()
            who = [x for i, x in enumerate(names) if code >> i & 1]
            columns = []
            for p, (i, j) in enumerate(self.pairs):
                if code >> i & 1 and code >> j & 1:
                    a, b, values = names[i], names[j], values_of[p]
                    columns.append(
                        [
                            {"a": a, "b": b, "strict_f1": None if v != v else v}  # NaN: empty
                            for v in map(values.__getitem__, rows)
                        ]
                    )
            pairs = [list(t) for t in zip(*columns, strict=True)] if columns else [[]] * len(rows)
            for k, listed in zip(rows, pairs, strict=True):
                out[k] = {
                    "id": ids[k],
                    "strict_f1": strict[k],
                    "type_f1": type_f1[k],
                    "annotators": list(who),
                    "pairs": listed if columns else [],
                }
        return out if self.order is None else [out[k] for k in self.order.tolist()]


class PairDocuments(Mapping[str, "float | None"]):
    """One pair's strict F1 per document both submitted (None where both are empty), in the
    report's order: a mapping made into a dictionary when first read."""

    def __init__(self, ids: list[str], docs: Any, strict: Any, sizes: Any) -> None:
        self.ids = ids
        self.docs = docs  # int [document]: the compared documents both submitted
        self.strict = strict  # float [compared document]
        self.sizes = sizes  # int [compared document]: spans of both
        self._made: dict[str, float | None] | None = None

    def _dict(self) -> dict[str, float | None]:
        if self._made is None:
            ids, strict, sizes = self.ids, self.strict.tolist(), self.sizes.tolist()
            self._made = {ids[d]: strict[d] if sizes[d] else None for d in self.docs.tolist()}
        return self._made

    def __getitem__(self, key: str) -> float | None:
        return self._dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self.docs)

    def __repr__(self) -> str:
        return repr(self._dict())

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_made": None}  # the columns are kept, not the dictionary

"""The lead's progress table: per annotator, what is assigned and how far they are.

``project_progress(project)`` is what ``annotator progress`` prints and the window's Progress
pane shows. Per annotator: documents assigned, done, skipped, in progress and not started
(counted over their assigned documents), hours spent on them, documents done per hour, and
their last edit anywhere in the project. Then the overlap: documents with two or more
annotators assigned, how many of them every assigned annotator has finished, per pair, and
how many documents two or more annotators have submitted (what agreement is computed on).

Without a plan every annotator who touched a document is listed, with the whole project as
assigned to each.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any, Literal, Protocol, runtime_checkable

from annotator.core.assign import Touch
from annotator.core.assignments import StoredPlan, iso_time
from annotator.core.printable import counted
from annotator.core.storage import ProjectStore


@dataclass(frozen=True)
class AnnotatorProgress:
    """One row of the table."""

    name: str
    assigned: int
    done: int
    skipped: int
    in_progress: int
    seconds: float  # time recorded on the assigned documents
    last_activity: float | None  # POSIX time of their latest edit in the project
    outside_plan: int = 0  # documents they have a record of but are not assigned
    overlap: int = 0  # their assigned documents that others are assigned too
    overlap_finished: int = 0  # of those, done by every annotator assigned

    @property
    def not_started(self) -> int:
        """Assigned documents they have no record of."""
        return self.assigned - self.done - self.skipped - self.in_progress

    @property
    def hours(self) -> float:
        """``seconds`` in hours."""
        return self.seconds / 3600

    @property
    def per_hour(self) -> float | None:
        """Documents done per hour of recorded time (None before any time is recorded)."""
        return self.done / self.hours if self.seconds > 0 else None


@dataclass(frozen=True)
class PairProgress:
    """Two annotators: documents assigned to both, and how many both have done."""

    a: str
    b: str
    shared: int
    finished: int


@dataclass(frozen=True)
class Progress:
    """Everything ``annotator progress`` shows."""

    project: str
    planned: bool  # False: no plan, everyone is assigned everything
    documents: int
    unassigned: int  # documents of the project nobody is assigned (plan only)
    annotators: list[AnnotatorProgress]
    overlap_documents: int  # documents with two or more annotators assigned
    overlap_finished: int  # of those, done by every annotator assigned
    comparable: int  # documents done by two or more annotators: agreement is computed on them
    pairs: list[PairProgress]
    warnings: list[str] = field(default_factory=list)


# Wide enough for any sum of float64s written out in full (about 650 digits).
_EXACT = decimal.Context(prec=1000)


def exact_sum(values: Iterable[float]) -> float:
    """The sum of ``values`` as recorded (each in its shortest decimal form, as the JSONL
    writes it), rounded once: the same in any order, and the same the server keeps
    (decision 0097)."""
    total = decimal.Decimal(0)
    for value in values:
        total = _EXACT.add(total, decimal.Decimal(repr(float(value))))
    return float(total)


def _row(
    name: str, docs: Sequence[str], mine: Mapping[str, Touch], in_project: Any
) -> AnnotatorProgress:
    done = skipped = started = 0
    seconds: list[float] = []
    for doc in docs:
        touch = mine.get(doc)
        if touch is None:
            continue
        seconds.append(touch.seconds)
        if touch.status == "done":
            done += 1
        elif touch.status == "skipped":
            skipped += 1
        else:
            started += 1
    edits = [t.edited for d, t in mine.items() if t.edited is not None and d in in_project]
    return AnnotatorProgress(
        name=name,
        assigned=len(docs),
        done=done,
        skipped=skipped,
        in_progress=started,
        seconds=exact_sum(seconds),
        last_activity=max(edits) if edits else None,
    )


def compute_progress(
    name: str,
    doc_ids: Sequence[str],
    plan: StoredPlan | None,
    work: Mapping[str, Mapping[str, Touch]],
) -> Progress:
    """The table from its inputs (``work``: every annotator's records, by document)."""
    in_project = set(doc_ids)
    done_by = {n: {d for d, t in w.items() if t.status == "done"} for n, w in work.items()}
    comparable = sum(sum(doc in s for s in done_by.values()) >= 2 for doc in doc_ids)
    warnings: list[str] = []
    if plan is None:
        names = sorted(n for n, w in work.items() if in_project.intersection(w))
        everyone = set(doc_ids)
        for n in names:
            everyone &= done_by[n]
        overlap_all = len(doc_ids) if len(names) >= 2 else 0
        rows = [
            replace(
                _row(n, doc_ids, work[n], in_project),
                overlap=overlap_all,
                overlap_finished=len(everyone) if overlap_all else 0,
            )
            for n in names
        ]
        pairs = [
            PairProgress(a, b, len(doc_ids), len(in_project & done_by[a] & done_by[b]))
            for a, b in combinations(names, 2)
        ]
        overlap = len(doc_ids) if len(names) >= 2 else 0
        return Progress(
            name, False, len(doc_ids), 0, rows, overlap, len(everyone) if overlap else 0,
            comparable, pairs, warnings,
        )  # fmt: skip
    assigned: dict[str, list[str]] = {}
    shared: dict[tuple[str, str], list[str]] = {}
    overlap_docs = finished = unassigned = 0
    for doc in doc_ids:
        who = plan.annotators_of(doc)
        if not who:
            unassigned += 1
        for n in who:
            assigned.setdefault(n, []).append(doc)
        if len(who) > 1:
            overlap_docs += 1
            finished += all(doc in done_by.get(n, ()) for n in who)
            for pair in combinations(sorted(who), 2):
                shared.setdefault(pair, []).append(doc)
    outside = {
        n: sum(1 for d in w if d in in_project and n not in plan.annotators_of(d))
        for n, w in work.items()
    }
    names = sorted(set(assigned) | {n for n, k in outside.items() if k})
    mine_shared: dict[str, set[str]] = {}
    for (a, b), docs in shared.items():
        mine_shared.setdefault(a, set()).update(docs)
        mine_shared.setdefault(b, set()).update(docs)
    all_done = {
        d for docs in shared.values() for d in docs
        if all(d in done_by.get(n, ()) for n in plan.annotators_of(d))
    }  # fmt: skip
    rows = [
        replace(
            _row(n, assigned.get(n, []), work.get(n, {}), in_project),
            outside_plan=outside.get(n, 0),
            overlap=len(mine_shared.get(n, ())),
            overlap_finished=len(mine_shared.get(n, set()) & all_done),
        )
        for n in names
    ]
    for n, k in outside.items():
        if k:
            warnings.append(outside_warning(n, k))
    missing = sum(1 for d in plan.entries if d not in in_project)
    if missing:
        are = "is" if missing == 1 else "are"
        warnings.append(f"{counted(missing, 'document')} of the plan {are} not in the project")
    pairs = [
        PairProgress(
            a, b, len(docs), sum(d in done_by.get(a, ()) and d in done_by.get(b, ()) for d in docs)
        )
        for (a, b), docs in sorted(shared.items())
    ]
    return Progress(
        name, True, len(doc_ids), unassigned, rows, overlap_docs, finished, comparable, pairs,
        warnings,
    )  # fmt: skip


@runtime_checkable
class CountsProgress(Protocol):
    """A store's bulk reads that can count the whole table at once (a server: decision
    0093); None when they cannot, and the table is counted here."""

    def progress(self) -> Progress | None: ...


def project_progress(
    project: ProjectStore,
    work: Mapping[str, Mapping[str, Touch]] | None = None,
    plan: StoredPlan | Literal[False] | None = False,
) -> Progress:
    """The progress of the project at this moment (the plan, and every annotator's work);
    ``work`` and ``plan`` are read unless given (False: not given); a store that counts the
    table itself (``CountsProgress``) is asked first when neither is given."""
    if work is None and plan is False:
        from annotator.core.reads import bulk_reads

        bulk = bulk_reads(project)
        counted = bulk.progress() if isinstance(bulk, CountsProgress) else None
        if counted is not None:
            return counted
    if plan is False:
        plan = project.assignments()
    warnings = [str(e) for e in plan.errors] if plan is not None else []
    if work is None:
        from annotator.core.reads import work as read_work

        work = read_work(project)
    progress = compute_progress(project.config.name, project.documents.ids, plan, work)
    progress.warnings[:0] = warnings
    return progress


def progress_json(progress: Progress) -> dict[str, Any]:
    """The ``progress --json`` document."""
    return {
        "project": progress.project,
        "planned": progress.planned,
        "documents": progress.documents,
        "unassigned": progress.unassigned,
        "annotators": [
            {
                "name": r.name,
                "assigned": r.assigned,
                "done": r.done,
                "skipped": r.skipped,
                "in_progress": r.in_progress,
                "not_started": r.not_started,
                "hours": round(r.hours, 3),
                "documents_per_hour": None if r.per_hour is None else round(r.per_hour, 2),
                "last_activity": None if r.last_activity is None else iso_time(r.last_activity),
                "outside_plan": r.outside_plan,
                "overlap_documents": r.overlap,
                "overlap_finished_by_all": r.overlap_finished,
            }
            for r in progress.annotators
        ],
        "overlap": {
            "documents": progress.overlap_documents,
            "finished_by_all": progress.overlap_finished,
            "comparable": progress.comparable,
        },
        "pairs": [
            {"a": p.a, "b": p.b, "shared": p.shared, "finished_by_both": p.finished}
            for p in progress.pairs
        ],
        "warnings": list(progress.warnings),
    }


def outside_warning(name: str, count: int) -> str:
    """The warning for ``count`` records of ``name``'s on documents not assigned to them (the
    same words from either store)."""
    return f"{name} has records of {counted(count, 'document')} not assigned to them"

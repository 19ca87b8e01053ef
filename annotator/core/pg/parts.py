"""The lead's agreement report on a server project, kept incrementally (decision 0089).

Every figure of the report is a sum over documents: per pair of annotators and document both
submitted, the span matches (per scheme and label), the span counts, the exact-boundary label
confusion and the token confusion. Those per-document *parts* are kept on the server
(``agreement_parts``) with what they were computed from: the version of each side's annotation
(the row's ``xmin``, which every change of the row renews, and its revision) and the project's
labels (``basis``). A report reads the versions of every submitted annotation (no spans, no
texts), recomputes the parts only of the documents whose annotations changed since (with the
core's own matching, on those documents alone), writes them back, and hands every part to the
core's ``assemble``: the same code that makes the report from a whole corpus, so the result is
the same (the tests hold the two against each other, after edits and reassignment too).

The parts cannot be computed where the edits are made: an annotator's desktop does not see
the others' spans (blind annotation), and the server does not run the core's tokenizer and
matcher. A lead's report (or a lead's window) computes what changed (``compute``); every
report after the first reads the rest.

``fast_report(store, annotators)`` returns None when the fast path does not apply, and the
caller computes the report the usual way: the user is not a lead, or this desktop holds
edits of those annotators not yet on the server. A span the report leaves out with a warning
(a label the project no longer has, a span outside its text) is left out of the part too, and
the warning kept with the part as a note the report gives again (decision 0116); what the
report's lines need of those notes is kept with its state (decision 0119).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from annotator.core.agreement import intervals as iv
from annotator.core.agreement.assemble import Frame, PairInput, assemble
from annotator.core.agreement.replicate_sums import DrawAhead, KeptSums, WeightsFile
from annotator.core.agreement.report import AgreementReport
from annotator.core.agreement.spanarrays import PairSpans
from annotator.core.agreement.spans import PARTIAL_CREDIT, Counts, Scheme
from annotator.core.model import Document
from annotator.core.pg.compute import (
    IntArray,
    Rows,
    Server,
    Written,
    basis,
    fill_pairs,
)
from annotator.core.pg.documents import TITLE_CHARS, title_of
from annotator.core.pg.report_memo import ReportMemo
from annotator.core.pg.report_notes import Computed, report_warnings
from annotator.core.pg.report_state import FromState, ReportState, StateFile

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

SHARE_AFTER = 1000  # parts read or computed from which a report's state is kept on the server


def pair_input(rows: Rows | IntArray, k: int) -> PairInput:
    """A pair's comparison from its parts (one row per compared document, zero where the
    pair did not both submit it), as ``compare_pair`` and the token count make it."""
    n = len(rows)
    strict, exact, type_only, part = (rows[:, c] for c in range(4))
    label_n_a, label_n_b, label_strict, label_type = (
        rows[:, 4 + c * k : 4 + (c + 1) * k] for c in range(4)
    )
    confusion = rows[:, 4 + 4 * k : 4 + 4 * k + k * k]
    tokens = rows[:, 4 + 4 * k + k * k :].reshape(n, k, k)
    n_a, n_b = int(label_n_a.sum()), int(label_n_b.sum())
    s, e, t, p = (int(x.sum()) for x in (strict, exact, type_only, part))
    credit: dict[Scheme, float] = {
        "strict": float(s),
        "exact": float(e),
        "type": float(s + t),
        "partial": e + PARTIAL_CREDIT * p,
    }
    as_float = [x.astype(np.float64) for x in (strict, exact, type_only, part)]
    spans = PairSpans(
        counts={scheme: Counts(c, n_a, n_b) for scheme, c in credit.items()},
        label_n_a=label_n_a.sum(axis=0),
        label_n_b=label_n_b.sum(axis=0),
        label_credit={"strict": label_strict.sum(axis=0), "type": label_type.sum(axis=0)},
        doc_n_a=label_n_a.sum(axis=1),
        doc_n_b=label_n_b.sum(axis=1),
        doc_credit={
            "strict": as_float[0] * 1.0,
            "exact": as_float[1] * 1.0,
            "type": as_float[0] * 1.0 + as_float[2] * 1.0,
            "partial": as_float[1] * 1.0 + as_float[3] * PARTIAL_CREDIT,
        },
        confusion=confusion.sum(axis=0).reshape(k, k),
    )
    return PairInput(spans, tokens)


def fast_report(
    store: PgProject,
    annotators: Sequence[str],
    settings: iv.Bootstrap | None = None,
    share: bool = False,
    written: Written | None = None,
) -> AgreementReport | None:
    """The agreement report of ``annotators`` from the kept parts (see the module).
    ``share``: keep the state it was made of on the server for every lead whatever it cost
    (a push or an import after its bulk write, decision 0106), not only when made at a cost.
    ``written``: the parts this process has just kept (the bulk write's), laid in from
    memory instead of read back from the server."""
    names = sorted(set(annotators))
    if not store.is_lead or any(store._overlay(n) for n in names):
        return None
    settings = settings or iv.Bootstrap()
    labels = tuple(store.config.label_names)
    k = len(labels) + 1
    key = basis(labels)
    kept_report = ReportMemo(store, names, settings)
    digest = kept_report.digest(key)  # before reading: a change meanwhile makes it differ
    found = kept_report.recall(digest)
    if found is not None:
        return found
    server = Server(store, written=written)
    state_file = StateFile(store, names, key, settings)
    shared = None
    state = state_file.read()
    if state is None:  # this desktop's, else the one a lead kept on the server
        state = shared = state_file.shared()
    done = _versions(server, names, state, kept_report.people)
    count: dict[str, int] = {}
    for name in names:
        for d in done[name]:
            count[d] = count.get(d, 0) + 1
    seen = sorted(count)
    doc_ids = [d for d in seen if count[d] >= 2]
    index = {d: i for i, d in enumerate(doc_ids)}
    n = len(doc_ids)
    submitted = np.zeros((len(names), n), bool)
    for row, name in enumerate(names):
        submitted[row, [index[d] for d in done[name] if d in index]] = True
    same_documents = state is not None and state.doc_ids == doc_ids
    # the bootstrap's draw depends only on how many documents are compared: where it is
    # drawn afresh (no sums kept for these documents) it is drawn while the parts are found
    ahead = (
        DrawAhead(n, settings, "\0".join(names))
        if not same_documents and n >= settings.min_documents and len(names) >= 2
        else None
    )
    kept = FromState(state, done, doc_ids) if state is not None else None
    if state is not None and kept is not None and kept.same:
        for p, (a, b) in enumerate(combinations(names, 2)):
            if kept.changed[a] or kept.changed[b]:  # parts laid in may need 32 bits
                state.rows[p] = state.rows[p].astype(np.int32)
    computed = Computed()  # the notes of the records computed here: not read back
    filled = fill_pairs(server, names, key, labels, done, index, kept, computed.add)
    if filled is None:
        return None
    inputs, fetched, from_state = filled
    warned = report_warnings(server, key, names, done, doc_ids, kept, computed)
    if warned is None:
        return None
    span_warnings, notes = warned
    documents = kept_report.documents
    titles = _titles(server, state if state and state.documents == documents else None, doc_ids)
    frame = Frame(
        annotators=names,
        labels=labels,
        doc_ids=doc_ids,
        submitted=submitted,
        span_counts=_span_counts(names, inputs, n, k),
        titles=titles,
        excluded=[],
        single=sum(1 for d in seen if count[d] == 1),
        total=_total(documents, seen, store),
        warnings=[*store.warnings, *span_warnings],
    )
    own = state is not None and state is not shared  # this desktop's: it reports here again
    weights = WeightsFile(store.cache_dir, "\0".join(names), settings)
    sums = KeptSums(
        state.sums if state is not None and same_documents else None,
        weights if own else None,
        ahead,
    )
    report = assemble(frame, _pairs(inputs, k), settings, kept_sums=sums)
    if sums.changed < 0:  # drawn afresh: the draw kept for the next report's columns
        weights.keep(ahead, n, settings, "\0".join(names))
    # shared with every lead when made at a cost: from no state, or after a large change
    share = share or not from_state or fetched >= max(SHARE_AFTER, len(inputs) * n // 20)
    made = ReportState(
        done, doc_ids, inputs, sums.kept, documents, titles, kept_report.people, notes
    )
    state_file.write(made, share)
    kept_report.keep(digest, report)
    if n >= settings.min_documents and len(names) >= 2:  # this desktop's state from now on
        weights.draw_later(n, settings, "\0".join(names))
    return report


def _versions(
    server: Server, names: list[str], state: ReportState | None, people: dict[str, str]
) -> dict[str, dict[str, str]]:
    """Each annotator's submitted documents and their versions: read from the server for
    those whose done records changed since the kept state (the digest's part of them, their
    count and the sum of their content hashes, is another), taken from the state for the
    others. The parts depend on the records' content alone, so a version kept for a record
    rewritten with the same content still names parts that hold."""
    if state is None:
        return server.versions(names)
    changed = [n for n in names if n not in state.people or state.people[n] != people.get(n, "")]
    done = {n: state.versions.get(n, {}) for n in names if n not in changed}
    return done | (server.versions(changed) if changed else {})


def _titles(server: Server, state: ReportState | None, doc_ids: list[str]) -> list[str]:
    """The compared documents' titles: kept in the state while the project's documents are
    the ones it was made with, else read for those documents alone (not the whole list:
    100,000 documents' heads and meta were most of a report after edits)."""
    if state is not None and state.titles and state.doc_ids == doc_ids:
        return state.titles
    known: dict[str, str] = {}
    if state is not None and state.titles:
        known = dict(zip(state.doc_ids, state.titles, strict=True))
    missing = [d for d in doc_ids if d not in known]
    if missing:
        known |= _read_titles(server, missing)
    return [known.get(d, "") for d in doc_ids]


def _read_titles(server: Server, docs: list[str]) -> dict[str, str]:
    """The titles of ``docs`` as the document list gives them (``PgDocuments.title``): the
    meta's title, else the first line of the head, else of the whole text."""
    rows = server.rows(
        "SELECT id, meta->'title', left(head, %(n)s), chars > %(n)s FROM documents"
        " WHERE project_id = %(p)s AND id = ANY(%(docs)s)",
        {"docs": docs, "n": TITLE_CHARS},
    )
    out = {str(d): title_of(meta, head, cut) for d, meta, head, cut in rows}
    whole = [d for d, title in out.items() if title is None]
    if whole:
        for d, text, meta in server.rows(
            "SELECT id, text, meta FROM documents WHERE project_id = %(p)s AND id = ANY(%(docs)s)",
            {"docs": whole},
        ):
            out[str(d)] = Document(id=str(d), text=text, meta=meta or {}).title
    return {d: title or "" for d, title in out.items()}


def _total(documents: str, seen: list[str], store: PgProject) -> int:
    """The project's documents (every submitted one is among them: the records' key refers
    to the documents), counted by the server as the digest read them."""
    count, _, _ = documents.partition("/")
    return int(count) if count.isdigit() else len(set(seen) | set(store.documents.ids))


def _pairs(inputs: list[Rows], k: int) -> Iterator[PairInput]:
    for rows in inputs:
        yield pair_input(rows, k)


def _span_counts(names: list[str], inputs: list[Rows], n: int, k: int) -> list[IntArray]:
    """Each annotator's valid spans per compared document, from any pair that holds it."""
    out = [np.zeros(n, np.int64) for _ in names]
    for (i, j), rows in zip(combinations(range(len(names)), 2), inputs, strict=True):
        out[i] = np.maximum(out[i], rows[:, 4 : 4 + k].sum(axis=1))
        out[j] = np.maximum(out[j], rows[:, 4 + k : 4 + 2 * k].sum(axis=1))
    return out

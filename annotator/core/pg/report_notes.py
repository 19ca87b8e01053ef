"""The warnings of the lead's report about spans it leaves out, kept with the report's state
(decision 0119), so that a later report reads only the notes of the parts that changed.

The report over every annotation gives, per annotator, a line per span left out and per
duplicate removed (``corpus.span_warnings``): every span left out first, then every
duplicate, in the compared documents' order, cut at ``MAX_WARNINGS_PER_ANNOTATOR`` lines with
one saying how many more. The report from kept parts gives the same lines from the notes kept
with the parts (decision 0116). Where nearly every part has notes (a label taken out of the
project, a script writing spans beyond the texts), reading them all back was most of every
report that computed anything. What the lines need is kept instead: per annotator and
compared document, how many spans were left out and how many duplicates removed; and the
notes of the documents whose lines come before the cut. The next report moves the counts to
the present documents, reads the notes of the documents whose annotation changed (or that
are newly compared) alone, and reads the notes of a document before the cut only where it
has none kept (the cut moved past it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from annotator.core.agreement import corpus
from annotator.core.agreement.corpus import SpanNotes, span_warnings

if TYPE_CHECKING:
    from annotator.core.pg.parts_server import Server
    from annotator.core.pg.report_state import FromState

Counts = npt.NDArray[np.int32]  # per compared document: spans left out, duplicates removed
Notes = dict[str, dict[str, SpanNotes]]  # annotator -> document -> its notes


@dataclass
class KeptNotes:
    """What a report's span warnings were made of (see the module)."""

    counts: list[Counts]  # per annotator (in the report's order), one row per compared document
    shown: Notes  # the notes of the documents whose lines come before the cut

    def encoded(self) -> bytes:
        """``shown`` as JSON, for the state's file."""
        return json.dumps(self.shown, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @staticmethod
    def decoded(counts: list[Counts], blob: bytes) -> KeptNotes:
        """The notes kept in a state's file (``ValueError`` where they are not notes)."""
        raw = json.loads(blob.decode("utf-8")) if blob else {}
        shown: Notes = {
            str(name): {str(d): (list(map(str, n[0])), list(map(str, n[1]))) for d, n in of.items()}
            for name, of in dict(raw).items()
        }
        return KeptNotes(counts, shown)


def report_warnings(
    server: Server,
    key: str,
    names: list[str],
    done: dict[str, dict[str, str]],
    doc_ids: list[str],
    kept: FromState | None,
    computed: Computed | None = None,
) -> tuple[list[str], KeptNotes] | None:
    """The lines the report over every annotation gives about spans it leaves out, from the
    notes kept with the parts of the present versions (decision 0116) and what the last
    report kept of them (``kept``), and the notes of the parts it computed (``computed``);
    and what to keep of them for the next. None where a note the counts name is on no part
    (the report is then computed the usual way)."""
    index = {d: i for i, d in enumerate(doc_ids)}
    n = len(doc_ids)
    prior = kept.state.notes if kept is not None else None
    stale: dict[str, set[str]] = {}  # per annotator, the submitted documents to read again
    moved: dict[str, set[str]] = {}  # and the compared documents whose kept notes are not theirs
    incremental = kept is not None and prior is not None and len(prior.counts) == len(names)
    if kept is None or prior is None or not incremental:
        stale = {name: {d for d in done.get(name, {}) if d in index} for name in names}
        counts = [np.zeros((n, 2), np.int32) for _ in names]
    else:
        new_docs: set[str] = set()
        if not kept.same:  # newly compared: their notes were never counted
            fresh = np.ones(n, bool)
            fresh[kept.found] = False
            new_docs = {doc_ids[i] for i in np.flatnonzero(fresh).tolist()}
        counts = []
        for i, name in enumerate(names):
            mine = _moved(prior.counts[i], kept, n)
            submitted = done.get(name, {})
            moved[name] = {d for d in (kept.changed.get(name, set()) | new_docs) if d in index}
            if moved[name]:
                mine[[index[d] for d in moved[name]]] = 0
            stale[name] = {d for d in moved[name] if d in submitted}
            counts.append(mine)
    notes = _stale_notes(server, key, names, done, index, stale, computed)
    for i, name in enumerate(names):
        for d, (left, dups) in notes.get(name, {}).items():
            counts[i][index[d]] = (len(left), len(dups))
    if incremental and prior is not None:
        for name, of_name in prior.shown.items():  # still of the present annotations
            for d, noted in of_name.items():
                if d in index and d not in moved.get(name, ()):
                    notes.setdefault(name, {}).setdefault(d, noted)
    lines: list[str] = []
    shown: Notes = {}
    location = server.store.location
    for i, name in enumerate(names):
        wanted = [doc_ids[j] for j in _before_the_cut(counts[i])]
        of_name = notes.get(name, {})
        missing = [d for d in wanted if d not in of_name]
        if missing:  # the cut moved past documents whose notes were not kept
            of_name = notes.setdefault(name, {})
            of_name.update(_unchanged(server, key, names, done, index, name, missing))
            missing = [d for d in wanted if d not in of_name]
            if missing:  # not where the counts say: the report is computed the usual way
                return None
        shown[name] = {d: of_name[d] for d in wanted}
        total = int(counts[i].sum())
        lines += span_warnings(
            name, [(d, f"{location} ({name}, {d})", of_name[d]) for d in wanted], total
        )
    return lines, KeptNotes(counts, {name: of for name, of in shown.items() if of})


class Computed:
    """The notes of the records whose parts a report computed, as it computed them: per
    annotator the documents computed (and the version of the record), and their notes
    (a record computed without notes has none)."""

    def __init__(self) -> None:
        self.versions: dict[str, dict[str, str]] = {}
        self.notes: Notes = {}

    def add(self, versions: Mapping[str, Mapping[str, str]], notes: Notes) -> None:
        """The records of a chunk computed: their versions and notes."""
        for name, of_name in versions.items():
            self.versions.setdefault(name, {}).update(of_name)
        for name, noted in notes.items():
            self.notes.setdefault(name, {}).update(noted)


def _stale_notes(
    server: Server,
    key: str,
    names: list[str],
    done: dict[str, dict[str, str]],
    index: Mapping[str, int],
    stale: dict[str, set[str]],
    computed: Computed | None,
) -> Notes:
    """The notes of the ``stale`` records: as computed here where the report computed the
    parts of the present version, else read from the parts kept on the server (every note
    at once where that is most of them: the first report on a desktop)."""
    notes: Notes = {}
    rest: dict[str, set[str]] = {}
    for name, docs in stale.items():
        now = done.get(name, {})
        made = computed.versions.get(name, {}) if computed is not None else {}
        here = {d for d in docs if d in made and made[d] == now.get(d)}
        mine = computed.notes.get(name, {}) if computed is not None else {}
        found = {d: mine[d] for d in here if d in mine}
        if found:
            notes[name] = found
        rest[name] = docs - here
    asked = sum(len(docs) for docs in rest.values())
    records = sum(1 for name in names for d in done.get(name, {}) if d in index)
    if 2 * asked > records:  # most of the records: every note at once
        got = _valid(server.notes(key), done, index, rest)
    else:
        got = _read(server, key, names, done, index, rest)
    for name, of_name in got.items():
        notes.setdefault(name, {}).update(of_name)
    return notes


def _before_the_cut(counts: Counts) -> list[int]:
    """The documents (indexes, in order) whose notes give lines before the cut: the spans
    left out come first, then the duplicates."""
    cut = corpus.MAX_WARNINGS_PER_ANNOTATOR
    left, dups = counts[:, 0].astype(np.int64), counts[:, 1].astype(np.int64)
    wanted = (left > 0) & (np.cumsum(left) - left < cut)
    room = cut - int(left.sum())
    if room > 0:
        wanted |= (dups > 0) & (np.cumsum(dups) - dups < room)
    return np.flatnonzero(wanted).tolist()


def _moved(rows: Counts, kept: FromState, n: int) -> Counts:
    """The kept counts over the present compared documents (zero where none)."""
    if kept.same:
        return np.array(rows, np.int32)
    out = np.zeros((n, 2), np.int32)
    if kept.state.doc_ids and n:
        out[kept.found] = rows[kept.source]
    return out


def _counts(notes: Mapping[str, SpanNotes], index: Mapping[str, int], n: int) -> Counts:
    out = np.zeros((n, 2), np.int32)
    for d, (left, dups) in notes.items():
        out[index[d]] = (len(left), len(dups))
    return out


def _read(
    server: Server,
    key: str,
    names: list[str],
    done: dict[str, dict[str, str]],
    index: Mapping[str, int],
    wanted: Mapping[str, set[str]],
    also: Mapping[str, Mapping[str, str]] | None = None,
) -> Notes:
    """The notes of ``wanted``'s annotators and documents, read from the parts that hold
    them (only those: the parts' key leads with the pair)."""
    docs = sorted(set().union(*wanted.values())) if wanted else []
    if not docs:
        return {}
    pairs = [(a, b) for a, b in combinations(names, 2) if wanted.get(a) or wanted.get(b)]
    return _valid(server.notes(key, pairs, docs), done, index, wanted, also)


def _unchanged(
    server: Server,
    key: str,
    names: list[str],
    done: dict[str, dict[str, str]],
    index: Mapping[str, int],
    name: str,
    docs: list[str],
) -> dict[str, SpanNotes]:
    """The notes of ``name``'s records of ``docs``, unchanged since the kept state. The
    report took their versions from that state (``parts._versions``: the same content), and
    another desktop may since have kept the parts of those records under the versions they
    have now: a note is taken from a part of either."""
    now = server.versions([name], docs).get(name, {})
    also = {name: {d: v for d, v in now.items() if v != done.get(name, {}).get(d)}}
    wanted = {name: set(docs)}
    got = _read(server, key, names, done, index, wanted, also).get(name, {})
    return got


def _valid(
    rows: Iterable[tuple[str, str, str, str, str, dict[str, Any]]],
    done: dict[str, dict[str, str]],
    index: Mapping[str, int],
    wanted: Mapping[str, set[str]] | None,
    also: Mapping[str, Mapping[str, str]] | None = None,
) -> Notes:
    """The notes of compared documents kept with parts of the present version of the
    annotation they are about (``also``: or of this version): the part of a pair not in this
    report may be older than the record. (A note is about one annotation alone: the other
    side's version does not matter.)"""
    notes: Notes = {}
    for a, b, doc, va, vb, kept in rows:
        if doc not in index:
            continue
        for name, (left, dups) in kept.items():
            version = va if name == a else vb if name == b else None
            if version is None or (wanted is not None and doc not in wanted.get(name, ())):
                continue
            if version == done.get(name, {}).get(doc) or (
                also is not None and version == also.get(name, {}).get(doc)
            ):
                notes.setdefault(name, {})[doc] = (list(left), list(dups))
    return notes

"""The store interface: what every project store offers, whatever holds the data.

A project store (``ProjectStore``) holds the settings, the documents, each annotator's
annotations and the assignment plan. An annotator store (``AnnotatorStore``) is one
annotator's annotations opened for work: it reads the latest state and applies edits
(``core.edit``), each journaled before ``commit`` returns. The folder store is the first
implementation (``project.Project`` and ``store.Session``); a PostgreSQL store is the second.
Both must pass the conformance suite in ``tests/store/``, unchanged.

Saving has two levels (``SaveState``): *saved* means journaled and fsynced on this machine
(nothing acknowledged is lost on a crash); *synced* means the store of record has it too.
On a folder the two are the same; a server store journals locally first and sends in order.

``commit`` is synchronous: it returns once the change is durable. A store may also offer a
group commit (``GroupCommitStore``, decision 0064): ``submit`` adopts an edit at once and
queues its write, edits that come faster than one fsync share it, and listeners hear when
they are durable; until then they count in ``SaveState.unsaved``, and ``flush`` waits for
them. A window calls an edit saved only when it has heard so. The folder store offers it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from annotator.core.model import Annotation, Document, Label, ProjectConfig, Status

if TYPE_CHECKING:
    from collections import Counter

    from annotator.core.assign import Assignment
    from annotator.core.assignments import StoredPlan
    from annotator.core.documents import Appended
    from annotator.core.edit import Change, Edit, EditContext
    from annotator.core.errors import RecordError


@dataclass(frozen=True)
class SaveState:
    """How far an annotator's edits have got.

    ``unsaved``: edits shown but not yet durable (0 while commits are synchronous);
    ``unsynced``: durable here but not yet in the store of record (0 on a folder);
    ``compacted``: nothing waits in a journal to be folded into the clean files;
    ``offline``: the store of record cannot be reached now (edits wait, work goes on);
    ``conflicts``: documents whose version here the store of record kept aside, because the
    same annotator changed them elsewhere meanwhile (the person chooses; never on a folder).
    """

    read_only: bool = False
    unsaved: int = 0
    unsynced: int = 0
    compacted: bool = True
    offline: bool = False
    conflicts: int = 0

    @property
    def synced(self) -> bool:
        """True when the store of record holds every edit."""
        return self.unsaved == 0 and self.unsynced == 0

    @property
    def label(self) -> str:
        """``read_only``, ``unsaved``, ``journaled`` (saved, not compacted) or ``saved``."""
        if self.read_only:
            return "read_only"
        if self.unsaved:
            return "unsaved"
        return "saved" if self.compacted else "journaled"


@runtime_checkable
class DocumentSource(Protocol):
    """The project's documents, listed lazily: ids and titles without reading any text."""

    @property
    def ids(self) -> list[str]:
        """Document ids in project order."""
        ...

    def __len__(self) -> int: ...

    def __contains__(self, doc_id: object) -> bool: ...

    def position(self, doc_id: str) -> int:
        """The row of ``doc_id`` in project order."""
        ...

    def title(self, doc_id: str) -> str:
        """The document's title, without reading its text."""
        ...

    def sha(self, doc_id: str) -> str:
        """Hex SHA-256 of the document's text, without reading it."""
        ...

    def get(self, doc_id: str) -> Document:
        """The document (KeyError when there is none)."""
        ...

    def __iter__(self) -> Iterator[Document]: ...

    def append(self, docs: Iterable[Document], by_text: Collection[str] = ()) -> Appended:
        """Add the documents not there yet, durably, excluding other writers meanwhile."""
        ...

    @property
    def errors(self) -> list[RecordError]:
        """Document records that could not be read."""
        ...


@runtime_checkable
class AnnotatorStore(Protocol):
    """One annotator's annotations, opened for work (or read-only)."""

    @property
    def name(self) -> str:
        """The annotator (``gold`` for the adjudicated set)."""
        ...

    @property
    def read_only(self) -> bool:
        """True when edits are refused (another instance holds the annotator)."""
        ...

    def annotation(self, doc_id: str) -> Annotation | None:
        """The latest annotation of ``doc_id`` (journaled edits included), None: untouched."""
        ...

    def status(self, doc_id: str) -> Status | None:
        """The latest status of ``doc_id`` without reading its annotation (None: untouched)."""
        ...

    def touched(self) -> Iterator[str]:
        """Ids of the documents this annotator has a record of."""
        ...

    def status_counts(self) -> Counter[str]:
        """Documents per status over the project's documents (``todo``: untouched)."""
        ...

    def context(self, doc_id: str) -> EditContext:
        """What an edit of ``doc_id`` needs (reads the document)."""
        ...

    def prepare(self, edit: Edit) -> Change:
        """The change ``edit`` would make now; nothing is written."""
        ...

    def commit(self, changes: Sequence[Change]) -> None:
        """Make ``changes`` durable, all or none, in order, then adopt them.

        Raises StaleEditError when a change's ``before`` is no longer the state, and
        AnnotatorError (one line) when it cannot be written; nothing changed then.
        """
        ...

    def apply(self, edit: Edit) -> Change:
        """``prepare`` then ``commit`` one edit."""
        ...

    def apply_many(self, edits: Iterable[Edit]) -> list[Change]:
        """Prepare and commit many edits with one write (an import): all or none."""
        ...

    def set_status(self, doc_id: str, status: Status, seconds: float = 0.0) -> Change:
        """Mark ``doc_id`` in progress, done or skipped (``apply(SetStatus(...))``)."""
        ...

    @property
    def save_state(self) -> SaveState:
        """How far the edits have got."""
        ...

    def flush(self) -> None:
        """Wait until every committed edit is durable here (a no-op while commits are
        synchronous)."""
        ...

    def save(self) -> None:
        """Fold the journal into the clean files (a folder) or send the backlog (a server)."""
        ...

    def close(self) -> None:
        """Save, then release the annotator."""
        ...


@runtime_checkable
class GroupCommitStore(AnnotatorStore, Protocol):
    """An annotator store that can make edits durable after they are shown (group commit)."""

    def submit(self, changes: Sequence[Change]) -> int:
        """Adopt ``changes`` now (checked as ``commit`` does) and queue their write; the
        sequence number the listeners report once it is durable (0: nothing to write)."""
        ...

    def add_durable_listener(self, listener: Callable[[int, str | None], None]) -> None:
        """Call ``listener(durable, error)`` (from another thread) after each write: every
        edit up to sequence ``durable`` is durable; ``error`` names a write that failed (the
        edits wait and are written again)."""
        ...

    def remove_durable_listener(self, listener: Callable[[int, str | None], None]) -> None:
        """Stop calling ``listener``."""
        ...

    @property
    def save_error(self) -> str | None:
        """Why the last write failed, while edits wait to be written again (None: none)."""
        ...


@runtime_checkable
class RemoteStore(AnnotatorStore, Protocol):
    """An annotator store whose store of record is elsewhere (a server): saved here first,
    synced there behind (``SaveState.unsynced``, ``offline``, ``conflicts``)."""

    def wait_synced(self, timeout: float) -> bool:
        """Wait until the store of record holds every edit; False if ``timeout`` passed."""
        ...

    @property
    def sync_error(self) -> str | None:
        """Why the last attempt to reach the store of record failed (None: it did not)."""
        ...


@runtime_checkable
class ProjectStore(Protocol):
    """A project: settings, documents, annotations and the assignment plan."""

    @property
    def location(self) -> str:
        """Where the project is: a folder path or a server URL."""
        ...

    @property
    def config(self) -> ProjectConfig:
        """The project's name, language, labels and options."""
        ...

    @property
    def labels(self) -> tuple[Label, ...]:
        """The labels in order."""
        ...

    @property
    def documents(self) -> DocumentSource:
        """The documents, listed lazily."""
        ...

    @property
    def warnings(self) -> list[str]:
        """Problems met while reading (one ``path:line: reason`` each)."""
        ...

    def annotators(self, include_gold: bool = True) -> list[str]:
        """The annotators with annotations, sorted, ``gold`` last if asked for."""
        ...

    def annotation(self, annotator: str, doc_id: str) -> Annotation | None:
        """One annotator's latest annotation of one document (None: untouched)."""
        ...

    def session(self, name: str, read_only: bool = False) -> AnnotatorStore:
        """Open ``name``'s annotations: for editing (taking their lock) or read-only."""
        ...

    def assignments(self) -> StoredPlan | None:
        """The assignment plan (``core.assignments``), None when the project has none: then
        everyone may annotate everything."""
        ...

    def update_assignments(
        self, change: Callable[[StoredPlan | None], Mapping[str, Assignment]]
    ) -> Mapping[str, Assignment]:
        """Replace the plan with ``change(current plan)``, read and written under one lock,
        atomically; returns the plan written. Refused while the plan has unreadable records."""
        ...

    def close(self) -> None:
        """Release what the store holds (files, connections)."""
        ...

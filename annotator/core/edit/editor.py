"""The open document and its edits: the one path edits take from a person to the store.

``Editor`` keeps the document an annotator has open (its text, tokens and current
annotation) so an edit is worked out without reading anything from disk, and commits each
change through the annotator's store (journaled and fsynced before ``commit`` returns). The
documents a switch is likely to open next can be read ahead (``read_ahead``), so opening one
reads nothing; an annotation read ahead is dropped when this editor changes it. The
window's ``AnnotatorWork`` wraps it (adding undo and signals), the adjudicator edits gold
through one, and the kill test drives one exactly as the window does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from annotator.core.edit.apply import EditContext, apply_edit
from annotator.core.edit.change import Change
from annotator.core.errors import AnnotatorError, BadRecordError
from annotator.core.model import Annotation, Document, Span
from annotator.core.storage import GroupCommitStore
from annotator.core.tokens import Snap

if TYPE_CHECKING:
    from annotator.core.edit.intents import AddSpan, Edit, Relabel  # imported when used
    from annotator.core.storage import AnnotatorStore, DocumentSource


class Editor:
    """One annotator's edits, with one document open at a time."""

    def __init__(
        self, store: AnnotatorStore, documents: DocumentSource, labels: frozenset[str]
    ) -> None:
        self.store = store
        self.documents = documents
        self.labels = labels
        self.doc: Document | None = None
        self.context: EditContext | None = None
        self.annotation: Annotation | None = None
        # the open document's saved record when it is no annotation (decision 0117): the
        # editor holds what can be read of it, and the window says what was left out
        self.problem: BadRecordError | None = None
        # whether the store offers group commit, asked once per store: a runtime protocol
        # check walks every method of the protocol (0.1 ms, on every key press)
        self._group: tuple[object, bool] | None = None
        self.submitted = 0  # the sequence number of the last edit submitted (group commit)
        # documents read ahead (read_ahead), with their annotations where asked for
        self._ahead: dict[str, tuple[Document, tuple[Annotation | None] | None]] = {}

    @property
    def doc_id(self) -> str | None:
        """The open document's id."""
        return self.doc.id if self.doc is not None else None

    @property
    def spans(self) -> tuple[Span, ...]:
        """The open document's spans, in order."""
        return self.annotation.spans if self.annotation is not None else ()

    def open(self, doc: str | Document) -> Document:
        """Make ``doc`` (or the document with that id) the open one (KeyError: no such id)."""
        if isinstance(doc, str):
            doc = self.document(doc)
        self.doc = doc
        self.context = EditContext(doc.id, doc.text, self.store.name, self.labels)
        ahead = self._ahead.get(doc.id)
        if ahead is not None and ahead[0] is doc and ahead[1] is not None:
            self.problem = None  # a record that is no annotation is never read ahead
            self.annotation = ahead[1][0]  # read ahead, and not changed since
        else:
            self.annotation = self._read(doc.id)
        return doc

    def _read(self, doc_id: str) -> Annotation | None:
        """The open document's annotation; of a saved record that is no annotation (a row
        written by another client), what can be read of it, the error kept in ``problem``.
        The record stays as it is until a change of this document saves what is shown."""
        self.problem = None
        try:
            return self.store.annotation(doc_id)
        except BadRecordError as err:
            self.problem = err
            return err.readable

    def document(self, doc_id: str) -> Document:
        """The document ``doc_id``, as read ahead or read now (KeyError: no such id)."""
        ahead = self._ahead.get(doc_id)
        return ahead[0] if ahead is not None else self.documents.get(doc_id)

    def read_ahead(self, doc_ids: list[str], annotations: bool) -> None:
        """Read the documents ``doc_ids`` (the ones likely to be opened next), and their
        annotations if ``annotations``, so that ``open`` finds them read: what was read
        ahead for others is dropped. Only a store no one else writes may have its
        annotations read ahead: every change this editor commits drops the one read for its
        document (``_changed``). A document that cannot be read is left for ``open``."""
        kept: dict[str, tuple[Document, tuple[Annotation | None] | None]] = {}
        for doc_id in doc_ids:
            found = self._ahead.get(doc_id)
            if found is None or (annotations and found[1] is None):
                try:
                    doc = found[0] if found is not None else self.documents.get(doc_id)
                    found = (doc, (self.store.annotation(doc_id),) if annotations else None)
                except (AnnotatorError, KeyError, OSError):
                    continue
            kept[doc_id] = found
        self._ahead = kept

    def drop_ahead(self) -> None:
        """Forget everything read ahead: the next ``open`` reads afresh."""
        self._ahead = {}

    def _changed(self, change: Change) -> None:
        """A change is made: an annotation read ahead for its document is no longer it."""
        found = self._ahead.get(change.doc_id)
        if found is not None and found[1] is not None:
            self._ahead[change.doc_id] = (found[0], None)

    def prepare(self, edit: Edit) -> Change:
        """The change ``edit`` makes now (nothing is written)."""
        if self.context is not None and edit.doc_id == self.context.doc_id:
            return apply_edit(self.annotation, edit, self.context)
        return self.store.prepare(edit)

    def commit(self, change: Change) -> None:
        """Journal ``change`` (fsynced) and make it the current state."""
        if not change.changed:
            return
        self._changed(change)
        self.store.commit([change])
        if change.doc_id == self.doc_id:
            self.annotation = change.after

    def submit(self, change: Change) -> int:
        """Make ``change`` the current state now and have the store write it after (group
        commit, where the store offers it: the sequence number its listeners report once
        the change is durable); a store without it commits at once (0)."""
        if not change.changed:
            return 0
        self._changed(change)
        store = self.store
        if self._group is None or self._group[0] is not store:
            self._group = (store, isinstance(store, GroupCommitStore))
        if self._group[1]:
            seq = cast(GroupCommitStore, store).submit([change])
            self.submitted = max(self.submitted, seq)
        else:
            store.commit([change])
            seq = 0
        if change.doc_id == self.doc_id:
            self.annotation = change.after
        return seq

    def apply(self, edit: Edit) -> Change:
        """Prepare and commit ``edit``."""
        change = self.prepare(edit)
        self.commit(change)
        return change

    def undo(self, change: Change) -> Change:
        """Take ``change``'s document back to the state before it."""
        return self.apply(change.undo())

    def redo(self, change: Change) -> Change:
        """Take ``change``'s document to the state after it again."""
        return self.apply(change.redo())


def label_key_edit(
    doc_id: str,
    selection: tuple[int, int] | None,
    selected: Span | None,
    label: str,
    exact: bool,
) -> AddSpan | Relabel | None:
    """What a label key means: label the selected text, else relabel the selected span,
    else nothing (None)."""
    from annotator.core.edit.intents import AddSpan, Relabel

    if selection is not None:
        start, end = selection
        return AddSpan(doc_id, start, end, label, Snap.EXACT if exact else Snap.EXPAND)
    if selected is not None:
        return Relabel(doc_id, selected.key, label)
    return None

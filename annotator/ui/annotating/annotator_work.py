"""The window's handle on one annotator's store: the open document, edits, undo, time, saving.

``AnnotatorWork`` is the only UI object that changes annotation state, and it does not work
edits out itself: each intent becomes a core edit (``core.edit``), applied by a core
``Editor`` to the open document, and the resulting ``Change`` is pushed as an ``EditCommand``
on the one undo stack. The command hands it to the store, which adopts it at once and writes
it just after (group commit, decision 0064): the signals the widgets repaint from are emitted
at once, the journal's thread reports when the edit is fsynced, and only then does
``saved_state()`` say saved (``saving()`` is true until then). Undo and redo are core
``Restore`` edits: the exact earlier state of any document.

Signals:
    document_opened(str): a document became the current one (its id).
    spans_changed(str, object, object): document id, spans before, spans after.
    status_changed(str, str, str): document id, old status, new status ("todo": untouched).
    span_selected(object): the span to select after an edit (a Span or None).
    changed(object): a ``Change`` was committed (an edit, an undo or a redo).
    saved_state_changed(): the saving/journaled/compacted state may have changed.
    edit_failed(str): an edit was refused, or could not be written (the message); an edit
        already shown that could not be written stays, and is written again.

Compaction (rewriting ``annotations/<name>.jsonl``, docs/design.md section 6) happens on Save,
on close, when idle, and after a document switch while it is cheap: the journal already makes
every edit durable, so compaction is tidiness and must not stall a switch in a 100,000-article
project. After a switch it waits, with the time spent on the document left, until the next
document has painted (``settle_left``): an atomic rewrite and its fsync never delay the text.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack

from annotator.core import edit as intents  # each imported when first named (0100)
from annotator.core.edit import Change, Editor, label_key_edit
from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.model import Annotation, Document, Span, Status
from annotator.core.offsets import Utf16Map
from annotator.core.open import WithFolder
from annotator.core.storage import AnnotatorStore, GroupCommitStore, RemoteStore, SaveState
from annotator.core.store import Session
from annotator.core.text import shorten
from annotator.core.tokens import Snap, TokenIndex
from annotator.ui.annotating.document_clock import DocumentClock
from annotator.ui.annotating.edit_command import EditCommand

if TYPE_CHECKING:
    from annotator.core.edit.intents import Edit

IDLE_SAVE_MS = 20_000  # compact after this long without an edit
OWED_TIME_MS = 100  # time spent on a document left is written after the next one paints
CHEAP_SAVE_S = 0.03  # compact on a document switch while a compaction costs less than this
CHEAP_SAVE_BYTES = 2_000_000  # before one was timed: files this small rewrite in a few ms


class AnnotatorWork(QObject):
    """One annotator's open project in the window: see the module docstring."""

    document_opened = Signal(str)
    spans_changed = Signal(str, object, object)
    status_changed = Signal(str, str, str)
    span_selected = Signal(object)
    changed = Signal(object)
    saved_state_changed = Signal()
    edit_failed = Signal(str)
    _durable = Signal(int, object)  # from the journal's thread: (durable, error or None)

    def __init__(
        self, project: WithFolder, store: AnnotatorStore, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.store = store
        # asked once: a runtime protocol check costs ~0.1 ms, and the title asks on every edit
        self._remote = isinstance(store, RemoteStore)
        self.editor = Editor(store, project.documents, frozenset(project.config.label_names))
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undo_stack")
        self.umap = Utf16Map("")
        self.clock = DocumentClock()
        self.active = False
        self._last_save_cost: float | None = None  # seconds the last compaction took
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_SAVE_MS)
        self._idle.timeout.connect(self._idle_save)
        self._write_error: str | None = None
        self._durable_upto = 0  # every edit up to this sequence number is reported durable
        self._owed: dict[str, float] = {}  # seconds spent on documents left, not written yet
        self._owed_timer = QTimer(self)
        self._owed_timer.setSingleShot(True)
        self._owed_timer.setInterval(OWED_TIME_MS)
        self._owed_timer.timeout.connect(self.settle_left)
        self._compact_owed = False  # a switch left edits to compact (see settle_left)
        self._closed = False
        self._durable.connect(self._durable_reported, Qt.ConnectionType.QueuedConnection)
        if isinstance(store, GroupCommitStore):
            store.add_durable_listener(self._durable.emit)

    # -- state ---------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when another instance holds this annotator (edits are refused)."""
        return self.store.read_only

    @property
    def name(self) -> str:
        """The annotator's name."""
        return self.store.name

    @property
    def doc(self) -> Document | None:
        """The open document."""
        return self.editor.doc

    @property
    def doc_id(self) -> str | None:
        """The id of the open document."""
        return self.editor.doc_id

    @property
    def annotation(self) -> Annotation | None:
        """The open document's annotation (None: untouched)."""
        return self.editor.annotation

    @property
    def spans(self) -> tuple[Span, ...]:
        """The open document's spans, in order."""
        return self.editor.spans

    def status(self, doc_id: str) -> str:
        """``todo``, ``in_progress``, ``done`` or ``skipped``."""
        return self.store.status(doc_id) or "todo"

    def saved_state(self) -> str:
        """``read_only``, ``unsaved`` (edits shown, their fsync not yet returned),
        ``journaled`` (edits fsynced, not compacted) or ``saved``."""
        return self.store.save_state.label

    def sync_state(self) -> SaveState | None:
        """On a server project, how far the edits have got (saved here, synced there);
        None on a folder, where saved is all there is."""
        return self.store.save_state if self._remote else None

    def saving(self) -> bool:
        """True while an edit shown waits for its fsync (and no write has failed)."""
        return self.editor.submitted > self._durable_upto and self._write_error is None

    def _durable_reported(self, durable: int, error: object) -> None:
        """The journal's thread wrote a group (or failed to): the title follows."""
        self._durable_upto = max(self._durable_upto, durable)
        if isinstance(error, str) and error != self._write_error:  # once, not at every retry
            self.edit_failed.emit(
                QCoreApplication.translate(
                    "AnnotatorWork",
                    "%1. The edits are kept here and written again with the next edit, "
                    "on Save or on close.",
                ).replace("%1", error)
            )
        self._write_error = error if isinstance(error, str) else None
        self.saved_state_changed.emit()

    # -- documents -----------------------------------------------------------------------

    def open_document(self, doc_id: str) -> None:
        """Make ``doc_id`` the current document (recording the time spent on the last one)."""
        if doc_id == self.doc_id:
            return
        doc = self.editor.document(doc_id)  # read ahead, or read now
        self._leave()
        self.editor.open(doc)
        self.umap = Utf16Map(doc.text)
        if self.active:
            self.clock.resume(time.monotonic())
        self.document_opened.emit(doc_id)

    def refresh_document(self) -> None:
        """The open document's annotation changed behind the window (a conflict settled):
        read it again and show it; the undo steps, made on the old state, are dropped."""
        doc = self.doc
        if doc is None:
            return
        self.editor.drop_ahead()  # read again, not as read ahead
        self.editor.open(doc)
        self.undo_stack.clear()
        self.document_opened.emit(doc.id)

    def read_ahead(self, doc_ids: list[str]) -> None:
        """Read the documents a switch is likely to open next, with their annotations: on a
        folder project only (decision 0095), and not once closed."""
        if not self._closed and not self._remote:
            self.editor.read_ahead(doc_ids, annotations=True)

    @property
    def tokens(self) -> TokenIndex:
        """The open document's tokens (for snapping and label-all)."""
        context = self.editor.context
        return context.tokens if context is not None else TokenIndex("")

    def warm_up(self) -> None:
        """Build the open document's tokens (5-20 ms for 200 KB): the window calls it once the
        text has painted, so the first label key does not wait for them."""
        if self.doc is not None:
            _ = self.tokens

    def _leave(self) -> None:
        if self.doc is None:
            return
        now = time.monotonic()
        self.clock.pause(now)
        self._owe_time(self.doc.id, self.clock.take(now))
        if getattr(self.store, "dirty", False):
            self._compact_owed = True
            self._owed_timer.start()

    def _owe_time(self, doc_id: str, seconds: float) -> None:
        """Time spent on a document left: written by ``settle_left``, which the window calls
        once the next document has painted (or, at the latest, OWED_TIME_MS from now)."""
        if seconds > 0 and not self.read_only:
            self._owed[doc_id] = self._owed.get(doc_id, 0.0) + seconds
            self._owed_timer.start()

    def settle_left(self) -> None:
        """What leaving a document owes, done once the next one has painted: the time spent
        on the documents left is written, and the journal compacted while that is cheap."""
        self.credit_time()
        if self._compact_owed and not self._closed:
            self._compact_owed = False
            if getattr(self.store, "dirty", False) and self._cheap_to_compact():
                self.save()

    def credit_time(self) -> None:
        """Write the time owed to the documents left (not undo steps); saving and closing
        write it first."""
        self._owed_timer.stop()
        owed, self._owed = self._owed, {}
        for doc_id, seconds in owed.items():
            self.apply_now(intents.AddTime(doc_id, seconds))

    def set_active(self, active: bool) -> None:
        """The window became active or inactive: time counts only while it is active."""
        self.active = active
        now = time.monotonic()
        if active and self.doc is not None:
            self.clock.resume(now)
        else:
            self.clock.pause(now)

    def note_activity(self) -> None:
        """A key press or mouse action: the annotator is not idle."""
        self.clock.activity(time.monotonic())

    # -- intents (each an undoable step) ------------------------------------------------

    def snap(self, start: int, end: int, exact: bool) -> tuple[int, int]:
        """Span offsets for a selection: trimmed, and widened to whole tokens unless exact."""
        return self.tokens.snap(start, end, Snap.EXACT if exact else Snap.EXPAND)

    def edit(self, edit: Edit, text: str) -> Change | None:
        """Apply ``edit`` as one undo step named ``text``; None when it was refused.

        An edit that changes nothing is not a step (its change is returned all the same).
        """
        return self.push(self.prepare(edit), text)

    def push(self, change: Change | None, text: str) -> Change | None:
        """Make a prepared ``change`` one undo step named ``text`` (none when it changes
        nothing: then only the span it names, if any, is selected)."""
        if change is None:
            return None
        if change.changed:
            self.undo_stack.push(EditCommand(self, change, text, change.made))
        elif change.made is not None:
            self.span_selected.emit(change.made)  # e.g. the span was there already
        return change

    def prepare(self, edit: Edit) -> Change | None:
        """The change ``edit`` would make (nothing written); None when it is refused."""
        if not self._editable():
            return None
        try:
            return self.editor.prepare(edit)
        except AnnotatorError as exc:
            self.edit_failed.emit(str(exc))
            return None

    def label_key(
        self, selection: tuple[int, int] | None, selected: Span | None, label: str, exact: bool
    ) -> Change | None:
        """A label key: label the selection, else relabel the selected span (None: neither)."""
        if self.doc is None:
            return None
        edit = label_key_edit(self.doc.id, selection, selected, label, exact)
        if edit is None:
            return None
        if isinstance(edit, intents.Relabel):
            assert selected is not None
            text = QCoreApplication.translate("AnnotatorWork", "Relabel “%1” as %2").replace(
                "%1", shorten(selected.text, 24)
            )
            return self.edit(edit, text.replace("%2", label))
        change = self.prepare(edit)
        if change is None or change.made is None:
            return change
        text = QCoreApplication.translate("AnnotatorWork", "Label “%1” as %2").replace(
            "%1", shorten(change.made.text, 24)
        )
        return self.push(change, text.replace("%2", label))

    def remove(self, span: Span) -> bool:
        """Delete ``span``."""
        if self.doc is None:
            return False
        text = QCoreApplication.translate("AnnotatorWork", "Delete “%1”").replace(
            "%1", shorten(span.text, 24)
        )
        change = self.edit(intents.RemoveSpan(self.doc.id, span.key), text)
        return change is not None and change.changed

    def label_all(self, span: Span) -> Change | None:
        """Label every other free occurrence of ``span``'s text: one undo step and one
        journaled write, however many. The change says what was added and what was left
        alone and why (``Change.skipped``)."""
        if self.doc is None:
            return None
        text = (
            QCoreApplication.translate("AnnotatorWork", "Label all “%1” as %2")
            .replace("%1", shorten(span.text, 24))
            .replace("%2", span.label)
        )
        return self.edit(intents.LabelAll(self.doc.id, span.key), text)

    def mark(self, status: Status) -> bool:
        """Mark the open document done, skipped or in progress, crediting the time spent."""
        if not self._editable():
            return False
        assert self.doc is not None
        seconds = self.clock.take(time.monotonic())
        names = {
            "done": QCoreApplication.translate("AnnotatorWork", "Mark done"),
            "skipped": QCoreApplication.translate("AnnotatorWork", "Skip"),
            "in_progress": QCoreApplication.translate("AnnotatorWork", "Reopen"),
        }
        self.edit(intents.SetStatus(self.doc.id, status, seconds), names[status])
        return self.status(self.doc.id) == status

    # -- writes (the undo command calls these) -------------------------------------------

    def commit(self, change: Change, select: Span | None) -> bool:
        """Journal a prepared ``change``; False (and nothing changed) on error."""
        self.open_document(change.doc_id)  # a step always shows the document it changes
        try:
            self.editor.submit(change)
        except AnnotatorError as exc:
            self.edit_failed.emit(str(exc))
            return False
        self._committed(change, select)
        return True

    def apply(self, edit: Edit, select: Span | None) -> bool:
        """Prepare and journal ``edit`` (an undo or a redo); False on error."""
        self.open_document(edit.doc_id)
        try:
            change = self.editor.prepare(edit)
            self.editor.submit(change)
        except AnnotatorError as exc:
            self.edit_failed.emit(str(exc))
            return False
        self._committed(change, select)
        return True

    def apply_now(self, edit: Edit) -> bool:
        """Journal ``edit`` at once, not as an undo step (time spent, gold's first proposal)."""
        if self.read_only:
            return False
        try:
            change = self.editor.prepare(edit)
            self.editor.submit(change)
        except AnnotatorError as exc:
            self.edit_failed.emit(str(exc))
            return False
        self._committed(change, None)
        return True

    def _committed(self, change: Change, select: Span | None) -> None:
        if not change.changed:
            return
        before, after = change.spans_before, change.spans_after
        old = change.before.status if change.before is not None else "todo"
        new = change.after.status if change.after is not None else "todo"
        if before is not after and before != after:
            self.spans_changed.emit(change.doc_id, before, after)
        if old != new:
            self.status_changed.emit(change.doc_id, old, new)
        self.changed.emit(change)
        self._idle.start()
        self.saved_state_changed.emit()
        if before is not after and before != after:
            self.span_selected.emit(select)

    def _editable(self) -> bool:
        return self.doc is not None and not self.read_only

    # -- saving --------------------------------------------------------------------------

    def index_ready(self) -> bool:
        """False while the annotator's file has a quick index (its full one is being built,
        ``index_worker``): a compaction now would make that one of a file gone."""
        store = self.store
        return store.file.index.complete if isinstance(store, Session) else True

    def indexes_complete(self) -> bool:
        """True once the project's and the annotator's full indexes are in (always on a
        server project, which keeps no file indexes)."""
        complete = getattr(self.project.documents, "complete", True)
        return bool(complete) and self.index_ready()

    def unreadable_lines(self) -> list[RecordError]:
        """Document and annotation lines that could not be read (a folder's)."""
        store = self.store
        return [
            *self.project.documents.errors,
            *(store.file.errors if isinstance(store, Session) else []),
        ]

    def _idle_save(self) -> None:
        if self.index_ready():
            self.save()
        else:
            self._idle.start()  # the journal holds every edit meanwhile

    def _cheap_to_compact(self) -> bool:
        if not self.index_ready():
            return False
        if self._last_save_cost is not None:
            return self._last_save_cost < CHEAP_SAVE_S
        path = self.saved_path
        if path is None:
            return True
        try:
            return path.stat().st_size < CHEAP_SAVE_BYTES
        except FileNotFoundError:
            return True

    @property
    def saved_path(self) -> Path | None:
        """The annotator's annotation file on a folder project (None on a server)."""
        file = getattr(self.store, "file", None)
        path = getattr(file, "path", None)
        return path if isinstance(path, Path) else None

    def save(self) -> bool:
        """Compact the journal into the annotator's JSONL file (atomic); False on error."""
        self._idle.stop()
        self._compact_owed = False
        if self.read_only:
            return True
        self.credit_time()
        synced = self.sync_state()
        if synced is not None and not synced.synced:
            # a server project: every edit is durable in the outbox already, and emptying it
            # waits for the server; the window never waits (a later save empties it)
            self.undo_stack.setClean()
            self.saved_state_changed.emit()
            return True
        started = time.perf_counter()
        try:
            self.store.save()
        except (AnnotatorError, OSError) as exc:
            self.edit_failed.emit(str(exc))
            return False
        self._last_save_cost = time.perf_counter() - started
        self.undo_stack.setClean()
        self.saved_state_changed.emit()
        return True

    def close(self) -> None:
        """Record the time on the open document, compact, release the lock."""
        self._idle.stop()
        self._closed = True
        self._compact_owed = False  # the store compacts as it closes
        self.editor.drop_ahead()
        now = time.monotonic()
        self.clock.pause(now)
        if self.doc is not None:
            self._owe_time(self.doc.id, self.clock.take(now))
        self.credit_time()
        if isinstance(self.store, GroupCommitStore):
            self.store.remove_durable_listener(self._durable.emit)
        try:
            self.store.close()
        except (AnnotatorError, OSError) as exc:  # the journal still holds every edit
            self.edit_failed.emit(str(exc))

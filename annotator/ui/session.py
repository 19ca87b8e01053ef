"""The window's handle on one annotator's Session: the open document, edits, undo, time, saving.

``WorkSession`` is the only UI object that changes annotation state. Intents (``add_span``,
``relabel``, ``remove``, ``label_all``, ``mark``) push undo commands; the commands call back
``apply_spans``/``apply_status``, which journal through ``Session.put`` (fsynced) and only
then emit the signals the widgets repaint from.

Signals:
    document_opened(str): a document became the current one (its id).
    spans_changed(str, object, object): document id, spans before, spans after.
    status_changed(str, str, str): document id, old status, new status ("todo": untouched).
    span_selected(object): the span to select after an edit (a Span or None).
    saved_state_changed(): the journaled/compacted state may have changed.
    edit_failed(str): an edit could not be journaled; nothing changed (the message).

Compaction (rewriting ``annotations/<name>.jsonl``, docs/design.md section 6) happens on Save,
on close, when idle, and on a document switch while it is cheap: the journal already makes every
edit durable, so compaction is tidiness and must not stall a switch in a 100,000-article
project.
"""

from __future__ import annotations

import time
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from annotator.core.errors import AnnotatorError
from annotator.core.model import Annotation, Document, Span, Status, make_span, now_iso
from annotator.core.offsets import Utf16Map
from annotator.core.project import Project
from annotator.core.span_ops import changed_run, find_span, insert_replacing, overlaps_any
from annotator.core.store import Session
from annotator.core.text import shorten
from annotator.core.tokens import Snap, TokenIndex
from annotator.ui.clock import DocumentClock
from annotator.ui.commands import SpansCommand, StatusCommand

IDLE_SAVE_MS = 20_000  # compact after this long without an edit
CHEAP_SAVE_S = 0.03  # compact on a document switch while a compaction costs less than this
CHEAP_SAVE_BYTES = 2_000_000  # before one was timed: files this small rewrite in a few ms


class WorkSession(QObject):
    """One annotator's open project in the window: see the module docstring."""

    document_opened = Signal(str)
    spans_changed = Signal(str, object, object)
    status_changed = Signal(str, str, str)
    span_selected = Signal(object)
    saved_state_changed = Signal()
    edit_failed = Signal(str)

    def __init__(self, project: Project, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.session = session
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undo_stack")
        self.doc: Document | None = None
        self.umap = Utf16Map("")
        self._tokens: TokenIndex | None = None
        self.annotation: Annotation | None = None
        self.clock = DocumentClock()
        self.active = False
        self._last_save_cost: float | None = None  # seconds the last compaction took
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_SAVE_MS)
        self._idle.timeout.connect(self.save)

    # -- state ---------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when another instance holds this annotator (edits are refused)."""
        return self.session.read_only

    @property
    def name(self) -> str:
        """The annotator's name."""
        return self.session.name

    @property
    def doc_id(self) -> str | None:
        """The id of the open document."""
        return self.doc.id if self.doc is not None else None

    @property
    def spans(self) -> tuple[Span, ...]:
        """The open document's spans, in order."""
        return self.annotation.spans if self.annotation is not None else ()

    def status(self, doc_id: str) -> str:
        """``todo``, ``in_progress``, ``done`` or ``skipped``."""
        return self.session.status(doc_id) or "todo"

    def saved_state(self) -> str:
        """``read_only``, ``journaled`` (edits fsynced, not compacted) or ``saved``."""
        if self.read_only:
            return "read_only"
        return "journaled" if self.session.dirty else "saved"

    # -- documents -----------------------------------------------------------------------

    def open_document(self, doc_id: str) -> None:
        """Make ``doc_id`` the current document (recording the time spent on the last one)."""
        if doc_id == self.doc_id:
            return
        doc = self.project.documents.get(doc_id)
        self._leave()
        self.doc = doc
        self.umap = Utf16Map(doc.text)
        self._tokens = None  # built once the text is on screen (20 ms for 200 KB)
        self.annotation = self.session.annotation(doc_id)
        if self.active:
            self.clock.resume(time.monotonic())
        self.document_opened.emit(doc_id)
        QTimer.singleShot(0, self._warm_tokens)

    @property
    def tokens(self) -> TokenIndex:
        """The open document's tokens (for snapping and label-all)."""
        if self._tokens is None:
            self._tokens = TokenIndex(self.doc.text if self.doc is not None else "")
        return self._tokens

    def _warm_tokens(self) -> None:
        if self.doc is not None:
            _ = self.tokens

    def _leave(self) -> None:
        if self.doc is None:
            return
        now = time.monotonic()
        self.clock.pause(now)
        seconds = self.clock.take(now)
        if seconds > 0 and not self.read_only and self.annotation is not None:
            self._put(self.annotation, seconds=self.annotation.seconds + seconds)
        if self.session.dirty and self._cheap_to_compact():
            self.save()

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

    def add_span(self, start: int, end: int, label: str, exact: bool = False) -> Span | None:
        """Label the selection ``[start, end)`` (code points); overlapped spans are replaced."""
        if not self._editable():
            return None
        assert self.doc is not None
        s, e = self.snap(start, end, exact)
        if s >= e:
            return None
        span = make_span(self.doc.text, s, e, label)
        before = self.spans
        if find_span(before, span) >= 0:
            self.span_selected.emit(span)
            return span
        after = insert_replacing(before, span)
        text = (
            QCoreApplication.translate("WorkSession", "Label “%1” as %2")
            .replace("%1", shorten(span.text, 24))
            .replace("%2", label)
        )
        self._push(SpansCommand(self, self.doc.id, before, after, text, select=span))
        return span

    def relabel(self, span: Span, label: str) -> Span | None:
        """Give ``span`` another label."""
        if not self._editable() or span.label == label or find_span(self.spans, span) < 0:
            return None
        assert self.doc is not None
        new = make_span(self.doc.text, span.start, span.end, label)
        after = insert_replacing(self.spans, new)
        text = (
            QCoreApplication.translate("WorkSession", "Relabel “%1” as %2")
            .replace("%1", shorten(span.text, 24))
            .replace("%2", label)
        )
        self._push(SpansCommand(self, self.doc.id, self.spans, after, text, select=new))
        return new

    def remove(self, span: Span) -> bool:
        """Delete ``span``."""
        i = find_span(self.spans, span) if self._editable() else -1
        if i < 0:
            return False
        assert self.doc is not None
        after = self.spans[:i] + self.spans[i + 1 :]
        text = QCoreApplication.translate("WorkSession", "Delete “%1”").replace(
            "%1", shorten(span.text, 24)
        )
        self._push(SpansCommand(self, self.doc.id, self.spans, after, text))
        return True

    def label_all(self, span: Span) -> int:
        """Label every other unlabelled, token-aligned occurrence of ``span``'s text.

        One undo step and one journaled write, however many occurrences. Matching is
        case-sensitive and whole-token (``Aceh`` does not match inside ``Acehnese``), and an
        occurrence touching an existing span is left alone: the annotator decided there.
        """
        if not self._editable() or find_span(self.spans, span) < 0:
            return 0
        assert self.doc is not None
        text, needle = self.doc.text, span.text
        spans = list(self.spans)
        added: list[Span] = []
        pos, free_from = text.find(needle), 0
        while pos != -1:
            end = pos + len(needle)
            if (
                pos >= free_from  # occurrences of some texts can overlap one another
                and self.tokens.is_aligned(pos, end)
                and not overlaps_any(spans, pos, end)
            ):
                added.append(make_span(text, pos, end, span.label))
                free_from = end
            pos = text.find(needle, pos + 1)
        if not added:
            return 0
        after = tuple(sorted([*spans, *added], key=lambda s: (s.start, s.end, s.label)))
        label = (
            QCoreApplication.translate("WorkSession", "Label all “%1” as %2")
            .replace("%1", shorten(needle, 24))
            .replace("%2", span.label)
        )
        self._push(SpansCommand(self, self.doc.id, self.spans, after, label, select=span))
        return len(added)

    def mark(self, status: Status) -> bool:
        """Mark the open document done, skipped or in progress, crediting the time spent."""
        if not self._editable():
            return False
        assert self.doc is not None
        before = self.status(self.doc.id)
        seconds = self.clock.take(time.monotonic())
        names = {
            "done": QCoreApplication.translate("WorkSession", "Mark done"),
            "skipped": QCoreApplication.translate("WorkSession", "Skip"),
            "in_progress": QCoreApplication.translate("WorkSession", "Reopen"),
        }
        old = cast(Status, "in_progress" if before == "todo" else before)
        self._push(StatusCommand(self, self.doc.id, old, status, names[status], seconds))
        return self.status(self.doc.id) == status

    # -- writes (called by the undo commands) -------------------------------------------

    def apply_spans(self, doc_id: str, spans: tuple[Span, ...], select: Span | None) -> bool:
        """Journal ``spans`` as the spans of ``doc_id``; False (and nothing changed) on error."""
        self.open_document(doc_id)  # an undo shows the document it changes
        base = self._base()
        status: Status = "in_progress" if base.status == "skipped" else base.status
        if not self._put(base, spans=spans, status=status):
            return False
        self.span_selected.emit(select)
        return True

    def apply_status(self, doc_id: str, status: Status, add_seconds: float) -> bool:
        """Journal a new status for ``doc_id``; False (and nothing changed) on error."""
        self.open_document(doc_id)
        base = self._base()
        return self._put(base, status=status, seconds=base.seconds + max(0.0, add_seconds))

    def apply_meta(self, doc_id: str, meta: dict[str, Any]) -> bool:
        """Journal ``meta`` as the metadata of ``doc_id`` (rejected suggestions); False on error."""
        self.open_document(doc_id)
        return self._put(self._base(), meta=meta)

    def _base(self) -> Annotation:
        if self.annotation is not None:
            return self.annotation
        assert self.doc is not None
        return Annotation(id=self.doc.id, text=self.doc.text, annotator=self.name)

    def _put(
        self,
        base: Annotation,
        spans: tuple[Span, ...] | None = None,
        status: Status | None = None,
        seconds: float | None = None,
        meta: dict[str, Any] | None = None,
    ) -> bool:
        old_status = self.status(base.id)
        ann = _edited(base, spans, status, seconds, meta)
        try:
            ann = self.session.put(ann)
        except AnnotatorError as exc:
            self.edit_failed.emit(str(exc))
            return False
        if base.id == self.doc_id:
            self.annotation = ann
        if spans is not None and spans != base.spans:
            self.spans_changed.emit(base.id, base.spans, ann.spans)
        if ann.status != old_status:
            self.status_changed.emit(base.id, old_status, ann.status)
        self._idle.start()
        self.saved_state_changed.emit()
        return True

    def _push(self, command: SpansCommand | StatusCommand) -> None:
        self.undo_stack.push(command)

    def _editable(self) -> bool:
        return self.doc is not None and not self.read_only

    # -- saving --------------------------------------------------------------------------

    def _cheap_to_compact(self) -> bool:
        if self._last_save_cost is not None:
            return self._last_save_cost < CHEAP_SAVE_S
        try:
            return self.session.file.path.stat().st_size < CHEAP_SAVE_BYTES
        except FileNotFoundError:
            return True

    def save(self) -> bool:
        """Compact the journal into the annotator's JSONL file (atomic); False on error."""
        self._idle.stop()
        if self.read_only:
            return True
        started = time.perf_counter()
        try:
            self.session.save()
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
        now = time.monotonic()
        self.clock.pause(now)
        seconds = self.clock.take(now)
        if not self.read_only and seconds > 0 and self.annotation is not None:
            self._put(self.annotation, seconds=self.annotation.seconds + seconds)
        try:
            self.session.close()
        except (AnnotatorError, OSError) as exc:  # the journal still holds every edit
            self.edit_failed.emit(str(exc))


def _edited(
    base: Annotation,
    spans: tuple[Span, ...] | None,
    status: Status | None,
    seconds: float | None,
    meta: dict[str, Any] | None = None,
) -> Annotation:
    """``base`` with new spans/status/time, without re-validating 5,000 unchanged spans.

    ``base`` is a valid record, and an edit changes one run of its spans (the rest are the
    same objects); only that run and its two neighbours can break order, overlap or range,
    so only they are checked. If the check fails the full validation runs and raises, so a
    bad record still cannot exist.
    """
    update: dict[str, object] = {"updated_at": now_iso()}
    if status is not None:
        update["status"] = status
    if seconds is not None:
        update["seconds"] = round(seconds, 3)
    if meta is not None:
        update["meta"] = dict(meta)
    if spans is not None:
        if not _well_formed(base.text, base.spans, spans):
            return base.with_spans(spans, **update)
        update["spans"] = spans
    return base.model_copy(update=update)


def _well_formed(text: str, old: tuple[Span, ...], new: tuple[Span, ...]) -> bool:
    head, tail = changed_run(old, new)
    lo, hi = max(0, head - 1), min(len(new), len(new) - tail + 1)
    prev_end, prev_key = 0, (-1, -1, "")
    if lo > 0:
        prev_end, prev_key = new[lo - 1].end, new[lo - 1].key
    for s in new[lo:hi]:
        if s.start < prev_end or s.key <= prev_key or s.end > len(text):
            return False
        if text[s.start : s.end] != s.text:
            return False
        prev_end, prev_key = s.end, s.key
    return True

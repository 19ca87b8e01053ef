"""One annotator's annotations on a server project: journaled on the desktop, synced behind.

``PgSession`` implements ``storage.AnnotatorStore``. Reading: the server's rows for this
annotator (read once when the session opens) overlaid with the edits of the desktop's outbox
not yet confirmed. Editing: ``commit`` appends the edits to the outbox and fsyncs (saved) and
queues them for the ``Sender`` thread (synced once the server confirms); it never waits for the
server. ``save`` waits a little for the backlog and empties the outbox once it is all
confirmed. The edits the server kept as conflicts (the same annotator changed the document on
another desktop meanwhile) are listed by ``conflicts()`` with both versions; ``resolve`` sends
the person's choice. Decision records 0080-0083 give the design.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import socket
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from annotator.core.annotation_file import parse_annotation
from annotator.core.edit import (
    Change,
    Edit,
    EditContext,
    EditError,
    Put,
    Restore,
    SetStatus,
    StaleEditError,
    apply_edit,
    same_state,
)
from annotator.core.errors import AnnotatorError, BadRecordError, LockedError
from annotator.core.journal import Unapplied
from annotator.core.model import Annotation, Status, now_iso
from annotator.core.pg import ServerUnreachable, local_copy
from annotator.core.pg.outbox import Outbox, Outgoing
from annotator.core.pg.restored import Confirmed, recover
from annotator.core.pg.rows import Conflict, ServerRow, conflicts_of, read_rows
from annotator.core.pg.sender import Sender, SyncTarget
from annotator.core.pg.sync import Applied
from annotator.core.storage import SaveState
from annotator.core.writer_lock import Held, hold

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

SAVE_WAIT = 5.0
"""Seconds ``save`` waits for the backlog to reach the server before leaving it queued."""


def _holder() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # getuser raises various errors where no user name is set
        user = "unknown"
    return f"{user}@{socket.gethostname()} pid {os.getpid()} since {now_iso()}"


class PgSession:
    """One annotator's annotations on a server project; see the module docstring."""

    def __init__(self, project: PgProject, name: str, read_only: bool = False) -> None:
        self.project = project
        self._name = name
        self._read_only = read_only
        self._mutex = threading.RLock()
        self.outbox = Outbox(project.cache_dir, name)
        self.confirmed = Confirmed(project.cache_dir, name)
        self._lock: Held | None = None
        self._sender: Sender | None = None
        self.unapplied: list[Unapplied] = []
        self.refused: list[tuple[Outgoing, str]] = []
        self._conflicts: set[str] = set()
        self._labels = frozenset(project.config.label_names)
        if not read_only:
            self._take_lock()
        try:
            self._rows: dict[str, ServerRow] = self._read_rows()
            self._built: dict[str, Annotation | None] = {}
            pending, bad = self.outbox.read(self._text_for, self._parse, repair=not read_only)
            self.unapplied, self.resent = bad, 0
            for u in bad:
                project.warnings.append(f"{u} (entry kept in {self.outbox.unapplied_path.name})")
            if not read_only:
                self.outbox.set_aside(bad)
                self.client_id = self.outbox.client_id()
                pending, self.resent = recover(  # a server restored from a backup: 0122
                    project, self.outbox, self.confirmed, self.client_id, pending,
                    self._text_for, self._parse,
                )  # fmt: skip
            self._dirty: dict[str, tuple[int, Annotation | None]] = {}
            self._last: dict[str, int] = {}
            for edit in pending:
                self._dirty[edit.doc_id] = (edit.seq, edit.state)
                self._last[edit.doc_id] = edit.seq
            self.replayed = len(pending)
            if read_only:
                return
            _, acked = self.outbox.meta()
            self._next = max([acked, *(e.seq for e in pending)]) + 1
            self.outbox.open()
            target = SyncTarget(
                project.url,
                project.project_id,
                self.client_id,
                name,
                project.who,
                project.timeouts,
            )
            self._sender = Sender(
                target, self._on_result, lambda: project.sync_changed(self), project.link,
                self._server_behind,
            )  # fmt: skip
            self._sender.put(pending)
            self._sender.start()
        except BaseException:
            self._release()
            raise

    def _read_rows(self) -> dict[str, ServerRow]:
        """The server's rows of this annotator, kept on this desktop as well; offline, the
        rows kept when the last session read or confirmed them (``local_copy``)."""
        folder = self.project.cache_dir
        try:
            rows = read_rows(self.project.connection(), self.project, self._name)
        except ServerUnreachable:
            copied = local_copy.load_rows(folder, self._name)
            if copied is None:
                raise
            return {d: ServerRow.of(rev, state) for d, (rev, state) in copied.items()}
        if not self._read_only:
            self._keep_rows(rows)
        return rows

    def _keep_rows(self, rows: dict[str, ServerRow], durable: bool = False) -> None:
        local_copy.save_rows(
            self.project.cache_dir,
            self._name,
            {
                d: (r.revision, r.state if r.state is not None else {"untouched": True})
                for d, r in rows.items()
            },
            durable=durable,
        )

    def _take_lock(self) -> None:
        folder = self.project.cache_dir
        folder.mkdir(parents=True, exist_ok=True)
        lock = hold(folder / f"{self._name}.lock")
        if lock is None:
            try:
                holder = (folder / f"{self._name}.owner").read_text("utf-8").strip()
            except OSError:
                holder = "another instance"
            raise LockedError(self._name, holder)
        self._lock = lock
        with contextlib.suppress(OSError):
            (folder / f"{self._name}.owner").write_text(_holder(), encoding="utf-8")

    # -- reading ---------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The annotator (``gold`` for the adjudicated set)."""
        return self._name

    @property
    def read_only(self) -> bool:
        """True when edits are refused."""
        return self._read_only

    def _text_for(self, doc_id: str, sha: str) -> str | None:
        docs = self.project.documents
        try:
            doc = docs.get(doc_id)
        except KeyError:
            return None
        return doc.text if doc.text and docs.sha(doc_id) == sha else None

    def _parse(self, path: str, lineno: int, record: dict[str, Any]) -> Annotation:
        return parse_annotation(path, lineno, record, self._labels)

    def annotation(self, doc_id: str) -> Annotation | None:
        """The latest annotation: this desktop's unconfirmed edit, else the server's."""
        with self._mutex:
            if doc_id in self._dirty:
                return self._dirty[doc_id][1]
            if doc_id in self._built:
                return self._built[doc_id]
            row = self._rows.get(doc_id)
        docs = self.project.documents
        built = None if row is None else row.annotation(doc_id, self._name, docs, self._labels)
        with self._mutex:
            self._built[doc_id] = built
        return built

    def status(self, doc_id: str) -> Status | None:
        """The latest status, without reading the text."""
        with self._mutex:
            if doc_id in self._dirty:
                state = self._dirty[doc_id][1]
                return state.status if state is not None else None
            row = self._rows.get(doc_id)
        return None if row is None or row.state is None else row.state["status"]

    def touched(self) -> Iterator[str]:
        """Ids of the documents this annotator has a record of."""
        with self._mutex:
            dirty = dict(self._dirty)
            rows = list(self._rows.items())
        for doc_id, (_, state) in dirty.items():
            if state is not None:
                yield doc_id
        for doc_id, row in rows:
            if doc_id not in dirty and row.state is not None:
                yield doc_id

    def status_counts(self) -> Counter[str]:
        """Documents per status over the project's documents (``todo``: untouched)."""
        counts: Counter[str] = Counter()
        for doc_id in self.project.documents.ids:
            counts[self.status(doc_id) or "todo"] += 1
        return counts

    # -- editing ---------------------------------------------------------------------------

    def context(self, doc_id: str) -> EditContext:
        """What an edit of ``doc_id`` needs: its text (kept on the desktop once read)."""
        try:
            text = self.project.documents.get(doc_id).text
        except KeyError:
            raise EditError(f"no document {doc_id!r} in the project") from None
        return EditContext(doc_id, text, self._name, self._labels)

    def prepare(self, edit: Edit) -> Change:
        """The change ``edit`` would make now; nothing is written."""
        return self._prepare(edit, self._current(edit.doc_id))

    def _current(self, doc_id: str) -> Annotation | None:
        """What an edit changes: the annotation, or what can be read of a saved row that is
        no annotation (the window shows that, and the change saves it, decision 0117)."""
        try:
            return self.annotation(doc_id)
        except BadRecordError as err:
            return err.readable

    def _prepare(self, edit: Edit, current: Annotation | None) -> Change:
        if isinstance(edit, Put):
            ann, docs = edit.annotation, self.project.documents
            if ann.id not in docs:
                raise EditError(f"no document {ann.id!r} in the project")
            if docs.sha(ann.id) != ann.text_sha256:
                raise EditError(f"the annotation of {ann.id!r} is of another text")
            ctx = EditContext(ann.id, ann.text, self._name, self._labels)
        else:
            ctx = self.context(edit.doc_id)
        return apply_edit(current, edit, ctx)

    def apply(self, edit: Edit) -> Change:
        """``prepare`` then ``commit`` one edit."""
        change = self.prepare(edit)
        self.commit([change])
        return change

    def apply_many(self, edits: Iterable[Edit]) -> list[Change]:
        """Prepare every edit (each seeing the ones before it), commit them with one fsync."""
        changes: list[Change] = []
        seen: dict[str, Annotation | None] = {}
        for edit in edits:
            doc_id = edit.doc_id
            current = seen[doc_id] if doc_id in seen else self._current(doc_id)
            change = self._prepare(edit, current)
            seen[doc_id] = change.after
            changes.append(change)
        self.commit(changes)
        return changes

    def set_status(self, doc_id: str, status: Status, seconds: float = 0.0) -> Change:
        """Mark ``doc_id`` in progress, done or skipped."""
        return self.apply(SetStatus(doc_id, status, seconds))

    def commit(self, changes: Sequence[Change]) -> None:
        """Append the changes to the outbox with one fsync (all or none), adopt them and
        queue them for the server; never waits for the server."""
        if self._read_only or self._sender is None:
            raise AnnotatorError(f"annotator {self._name!r} is open read-only")
        with self._mutex:
            batch: dict[str, Annotation | None] = {}
            out: list[Outgoing] = []
            seq = self._next
            last = dict(self._last)
            for change in changes:
                if not change.changed:
                    continue
                doc_id, after = change.doc_id, change.after
                current = batch[doc_id] if doc_id in batch else self._current(doc_id)
                if not same_state(current, change.before):
                    raise StaleEditError(f"{doc_id} has changed since the edit was prepared")
                if after is not None:
                    self._check(after)
                row = self._rows.get(doc_id)
                base = row.revision if row is not None else 0
                out.append(Outgoing(seq, doc_id, base, last.get(doc_id), after))
                last[doc_id] = seq
                batch[doc_id] = after
                seq += 1
            if not out:
                return
            self.outbox.append(out)  # durable here before anything else
            self._next = seq
            self._last = last
            for e in out:
                self._dirty[e.doc_id] = (e.seq, e.state)
        self._sender.put(out)

    def _check(self, ann: Annotation) -> None:
        if ann.annotator != self._name:
            raise EditError(f"an annotation of {ann.annotator!r} given to {self._name!r}")
        unknown = {s.label for s in ann.spans} - self._labels
        if unknown:
            raise EditError(f"unknown label {sorted(unknown)[0]!r}")

    def _on_result(self, edit: Outgoing, applied: Applied | None, refused: str | None) -> None:
        """Called on the sender's thread for each edit the server answered."""
        with self._mutex:
            if applied is not None and applied.outcome == "applied":
                rev = applied.revision
                if rev is not None:
                    self._rows[edit.doc_id] = ServerRow.of(rev, edit.state)
                    self._built.pop(edit.doc_id, None)
                self.confirmed.note(edit)
            elif applied is not None:
                self._conflicts.add(edit.doc_id)
            else:
                self.refused.append((edit, refused or "refused"))
                self.project.warnings.append(
                    f"{self._name}: an edit of {edit.doc_id!r} was refused by the server: "
                    f"{refused} (kept in {self.outbox.unapplied_path.name})"
                )
                self.outbox.set_aside(
                    [Unapplied(str(self.outbox.path), 0, edit.line()[:-1], refused or "refused")]
                )
            mine = self._dirty.get(edit.doc_id)
            if mine is not None and mine[0] == edit.seq and edit.doc_id not in self._conflicts:
                del self._dirty[edit.doc_id]
        self.project.sync_changed(self)

    def _server_behind(self) -> bool:
        """On the sender's thread: the server refused an edit as out of order, so it knows
        fewer of this desktop's edits than were sent (restored from a backup meanwhile,
        decision 0122). The outbox's edits, and the confirmed states it lost, are queued."""
        with self._mutex:
            self.confirmed.keep()
            pending, _ = self.outbox.read(self._text_for, self._parse)
            self.outbox.close()
            try:
                again, resent = recover(
                    self.project, self.outbox, self.confirmed, self.client_id, pending,
                    self._text_for, self._parse,
                )  # fmt: skip
            finally:
                self.outbox.open()
            for e in again:
                self._dirty[e.doc_id], self._last[e.doc_id] = (e.seq, e.state), e.seq
            self._next = max([self._next - 1, *(e.seq for e in again)]) + 1
            self.resent += resent
            assert self._sender is not None
            self._sender.requeue(again)
        self.project.sync_changed(self)
        return True

    # -- saving and syncing ----------------------------------------------------------------

    @property
    def save_state(self) -> SaveState:
        """Saved (in the outbox) and synced (on the server) apart, with what waits."""
        if self._read_only or self._sender is None:
            return SaveState(read_only=True)
        waiting = self._sender.pending
        return SaveState(
            unsynced=waiting,
            compacted=waiting == 0,
            offline=self._sender.offline,
            conflicts=len(self._conflicts),
        )

    @property
    def sync_error(self) -> str | None:
        """Why the last send failed (None: it did not)."""
        return self._sender.error if self._sender is not None else None

    def flush(self) -> None:
        """Every commit is durable in the outbox when it returns: nothing to wait for."""

    def wait_connected(self, timeout: float) -> bool:
        """Wait until the sender's first attempt to connect is over (made at once when the
        session opens, so the first edit does not wait for it); False if ``timeout`` passed."""
        return self._sender is None or self._sender.ready.wait(timeout)

    def wait_synced(self, timeout: float) -> bool:
        """Wait until the server has confirmed every edit; False if ``timeout`` passed."""
        return self._sender is None or self._sender.wait_idle(timeout)

    def save(self) -> None:
        """Wait a little for the backlog; once all of it is confirmed, empty the outbox."""
        if self._read_only or self._sender is None:
            return
        if self._sender.offline or not self._sender.wait_idle(SAVE_WAIT):
            return  # offline: the outbox keeps everything, the sender goes on trying
        with self._mutex:
            size = self.outbox.signature()
            if self._sender.pending or size is None or size[0] == 0:
                return
            self._keep_rows(self._rows, durable=True)  # confirmed, before the outbox goes
            self.confirmed.keep()
            self.outbox.empty(self.client_id, self._next - 1)
            self._dirty = {d: v for d, v in self._dirty.items() if d in self._conflicts}

    # -- conflicts -------------------------------------------------------------------------

    def conflicts(self) -> list[Conflict]:
        """The documents where the server kept this annotator's version aside (changed on
        another desktop meanwhile), each with both versions, newest kept edit per document."""
        found = conflicts_of(self.project.connection(), self.project, self._name)
        result = []
        for doc_id, mine_rec, theirs_row in found:
            docs = self.project.documents
            theirs = None if theirs_row is None else theirs_row.annotation(doc_id, self._name, docs)
            mine = ServerRow.of(0, mine_rec).annotation(doc_id, self._name, docs)
            rev = theirs_row.revision if theirs_row is not None else 0
            result.append(Conflict(doc_id, theirs, mine, rev))
        return result

    def resolve(self, conflict: Conflict, keep: Annotation | None) -> None:
        """The person chose ``keep`` (either version, or one made from both): it becomes the
        state, sent on the server's current revision, and the conflict is closed."""
        from annotator.core.pg.rows import close_conflicts

        with self._mutex:
            self._rows[conflict.doc_id] = ServerRow.of(
                conflict.revision,
                None if conflict.theirs is None else ServerRow.state_of(conflict.theirs),
            )
            self._built.pop(conflict.doc_id, None)
            self._conflicts.discard(conflict.doc_id)
            self._dirty.pop(conflict.doc_id, None)
            self._last.pop(conflict.doc_id, None)
            current = self.annotation(conflict.doc_id)
        if not same_state(current, keep):
            target = keep
            if target is not None and target.annotator != self._name:
                target = target.model_copy(update={"annotator": self._name})
            self.commit(
                [
                    Change(
                        conflict.doc_id, current, target, Restore(conflict.doc_id, current, target)
                    )
                ]
            )
        close_conflicts(self.project.connection(), self.project, self._name, conflict.doc_id)

    # -- closing ---------------------------------------------------------------------------

    def close(self) -> None:
        """Save (the backlog gets a few seconds), then stop sending and release the lock."""
        if self._read_only:
            return
        try:
            self.save()
        finally:
            self._release()

    def crash(self) -> None:
        """As if the process died now: nothing more is sent or saved, the lock goes (what
        the outbox holds is sent by the next session)."""
        self._release()

    def _release(self) -> None:
        if self._sender is not None:
            self._sender.stop()
        self.outbox.close()
        if self._lock is not None:
            with contextlib.suppress(OSError):
                (self.project.cache_dir / f"{self._name}.owner").unlink()
            self._lock.release()
            self._lock = None
        self.project.forget(self)

    def __enter__(self) -> PgSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

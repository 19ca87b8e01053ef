"""Group commit: journal appends made durable by one thread, off the caller's path.

``JournalWriter`` owns the journal's file descriptor. ``submit`` queues the bytes of one edit
and returns at once with its sequence number; a thread appends everything queued since its
last write with one ``write`` and one ``fsync`` (edits that come faster than one fsync share
it), then reports the highest sequence number now durable to its listeners. Only then may a
window call those edits saved (decision 0064).

A failed append (a full disk) is cut back with ``ftruncate`` (no torn line) and reported to
the listeners with its message; the edits stay queued, in order, and are written again when
the next edit comes or ``flush`` is called. Nothing is dropped while the process lives.

A submit that finds the thread not appending waits, the interpreter released, until the
thread has written the group and gone into its fsync (at most ``HAND_OVER_S``): the thread
needs the interpreter for its few steps before the fsync, and a window holds it from the key
press to the end of the repaint, so without the wait the write started only after the paint
and "saved" came a paint later than it could (decision 0104). During the fsync the thread
needs nothing; after it, only the listeners run. A submit made while the thread appends
returns at once: its edit joins the next group.

``write_now`` is the synchronous path (``Session.commit``): it waits for the queue to be
durable, then appends in the caller's thread, under the same lock, so the journal keeps the
order in which edits were made.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import TypeAlias

from annotator.core import journal
from annotator.core.errors import AnnotatorError

Entry: TypeAlias = bytes | Callable[[], bytes]
"""Journal lines, or a function that makes them (called on the writer's thread, so a long
line is encoded off the caller's path)."""
HAND_OVER_S = 0.002
"""How long ``submit`` waits at most for the thread to have written (a slow write goes on
alone after that)."""
Listener = Callable[[int, str | None], None]
"""``listener(durable, error)``: every edit up to sequence ``durable`` is fsynced; ``error``
is the message of a write that just failed (None after a success)."""


class JournalWriter:
    """Appends queued journal lines from a thread, one fsync per group; see the module."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._cond = threading.Condition()
        self._io = threading.Lock()  # one append at a time, in order
        self._queue: list[Entry] = []
        self._submitted = 0  # sequence number of the last edit queued
        self._durable = 0  # every edit up to this one is fsynced
        self._queued_upto = 0  # the sequence number the queue's last entry ends
        self._handed = 0  # every edit up to this one is written (in its fsync) or failed
        self._appending = False  # the thread writes or fsyncs a group
        self._error: str | None = None
        self._retry = False
        self._closing = False
        self._listeners: list[Listener] = []
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self._thread.start()

    # -- state -----------------------------------------------------------------------------

    @property
    def submitted(self) -> int:
        """Sequence number of the last edit submitted (0: none yet)."""
        return self._submitted

    @property
    def durable(self) -> int:
        """Every edit up to this sequence number is fsynced."""
        return self._durable

    @property
    def unsaved(self) -> int:
        """Edits submitted and not yet fsynced."""
        return self._submitted - self._durable

    @property
    def error(self) -> str | None:
        """The message of the last failed append while edits still wait (None: none)."""
        return self._error

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(durable, error)`` from the writer thread after each append."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        """Stop calling ``listener``."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    # -- writing ---------------------------------------------------------------------------

    def submit(self, data: Entry) -> int:
        """Queue ``data`` (whole journal lines, or a function making them) to be appended
        and fsynced; its sequence number. Returns at once."""
        with self._cond:
            if self._closing:
                raise AnnotatorError("the journal is closed")
            self._submitted += 1
            seq = self._submitted
            self._queue.append(data)
            self._queued_upto = seq
            self._retry = True
            self._cond.notify_all()
            if not self._appending:  # hand the interpreter over until it is written (module)
                self._cond.wait_for(lambda: self._handed >= seq, HAND_OVER_S)
            return seq

    def flush(self, timeout: float | None = None) -> None:
        """Wait until every submitted edit is fsynced; AnnotatorError when the append fails
        (the edits stay queued)."""
        with self._cond:
            target = self._submitted
            if self._durable >= target:
                return
            self._retry = True  # a failed group is tried again now
            self._error = None
            self._cond.notify_all()
            while self._durable < target and self._error is None:
                if not self._cond.wait(timeout):
                    raise AnnotatorError("the journal did not finish writing in time")
            if self._durable < target:
                raise AnnotatorError(f"could not save the edit: {self._error}")

    def write_now(self, data: bytes) -> None:
        """Append ``data`` and fsync it in this thread, after everything queued (raises
        AnnotatorError, the line cut back, when it cannot be written)."""
        self.flush()
        with self._io:
            journal.append(self.fd, data)

    def locked(self) -> threading.Lock:
        """The lock held while the journal is appended to (held for compaction)."""
        return self._io

    def close(self) -> None:
        """Stop the thread once the queue is written or has failed (call ``flush`` first to
        know which)."""
        with self._cond:
            self._closing = True
            self._retry = True
            self._cond.notify_all()
        self._thread.join()

    def _written(self, upto: int) -> None:
        """The group up to ``upto`` is written and goes into its fsync: a waiting submit
        may go on."""
        with self._cond:
            self._handed = upto
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not (self._queue and self._retry) and not self._closing:
                    self._cond.wait()
                if not self._queue:
                    return  # closing, nothing left
                if self._closing and not self._retry:
                    return  # closing after a failure: the caller knows (flush raised)
                batch: list[Entry] = self._queue
                upto = self._queued_upto
                self._queue = []
                self._appending = True
            error: str | None = None
            with self._io:
                try:
                    # a made entry is kept as bytes, so a retry writes the same lines
                    made = [entry() if callable(entry) else entry for entry in batch]
                    batch = list(made)
                    journal.append(self.fd, b"".join(made), partial(self._written, upto))
                except AnnotatorError as exc:
                    error = str(exc).removeprefix("could not save the edit: ")
                except Exception as exc:  # anything else: the thread lives on, flush returns
                    error = f"{type(exc).__name__}: {exc}"
            with self._cond:
                self._handed = max(self._handed, upto)
                self._appending = False
                if error is None:
                    self._durable = upto
                    self._error = None
                else:  # keep the group, first in line, for the next try
                    self._queue[:0] = batch
                    self._error = error
                    self._retry = False
                self._cond.notify_all()
                durable = self._durable
            for listener in list(self._listeners):
                listener(durable, error)


__all__ = ["JournalWriter", "Listener"]

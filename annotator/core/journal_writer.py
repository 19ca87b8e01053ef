"""Group commit: journal appends made durable by one thread, off the caller's path.

``JournalWriter`` owns the journal's file descriptor. ``submit`` queues the bytes of one edit
and returns at once with its sequence number; a thread appends everything queued since its
last write with one ``write`` and one ``fsync`` (edits that come faster than one fsync share
it), then reports the highest sequence number now durable to its listeners. Only then may a
window call those edits saved (decision 0064).

A failed append (a full disk) is cut back with ``ftruncate`` (no torn line) and reported to
the listeners with its message; the edits stay queued, in order, and are written again when
the next edit comes or ``flush`` is called. Nothing is dropped while the process lives.

A submit that finds the thread idle writes the line itself (a copy into the page cache,
0.05 ms for 120 KB) and leaves the thread only the fsync, the part that waits for the disk;
it then lets the interpreter go until the thread has taken the line (``HAND_OVER_S`` at
most), so that the fsync starts at once. The thread needs the interpreter for every step
between its system calls, and a window holds it from the key press to the end of the
repaint: a write left to the thread started only when the window let go of it, after the
paint or after Python's 5 ms switch interval, and "saved" came that much later (decision
0104). A submit made while the thread appends (an fsync in flight) only queues its edit, for
the next group: a caller never waits for the disk.

``write_now`` is the synchronous path (``Session.commit``): it waits for the queue to be
durable, then appends in the caller's thread, under the same lock, so the journal keeps the
order in which edits were made.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TypeAlias

from annotator.core import journal
from annotator.core.errors import AnnotatorError

Entry: TypeAlias = bytes | Callable[[], bytes]
"""Journal lines, or a function that makes them (called on the writer's thread, so a long
line is encoded off the caller's path)."""
HAND_OVER_S = 0.001
"""How long a submit that wrote its line lets the interpreter go at most, for the thread to
take the line into its fsync (it takes a few microseconds once it runs)."""
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
        self._appending = False  # a group is being written or fsynced
        self._caller_writes = False  # submit writes a line (the thread waits for it)
        self._unsynced: tuple[int, bytes, int] | None = None  # (where, line, seq) submit wrote
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
        """Have ``data`` (whole journal lines, or a function making them) appended and
        fsynced; its sequence number. Written here when the thread is idle, queued for the
        next group while it appends; never waits for an fsync (see the module)."""
        with self._cond:
            if self._closing:
                raise AnnotatorError("the journal is closed")
            self._submitted += 1
            seq = self._submitted
            idle = not self._appending and self._error is None and not self._queue
            if not (idle and self._io.acquire(blocking=False)):
                self._queue.append(data)
                self._queued_upto = seq
                self._retry = True
                self._cond.notify_all()
                return seq
            self._appending = self._caller_writes = True
        line: bytes | None = None
        where: int | None = None
        try:  # the thread is idle: the line is written here, its fsync is the thread's
            # a line that cannot be made or written (cut back) is left to the thread, which
            # tries again and tells its listeners why
            with contextlib.suppress(Exception):
                line = data() if callable(data) else data
                where = journal.write(self.fd, line)
        finally:
            self._io.release()
            with self._cond:
                self._caller_writes = False
                if where is not None and line is not None:
                    self._unsynced = (where, line, seq)
                    self._cond.notify_all()
                    self._cond.wait_for(lambda: self._unsynced is None, HAND_OVER_S)
                else:
                    self._appending = False
                    self._queue.insert(0, data if line is None else line)
                    self._queued_upto = max(self._queued_upto, seq)
                    self._retry = True
                self._cond.notify_all()
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

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._caller_writes or not (
                    (self._queue and self._retry) or self._unsynced or self._closing
                ):
                    self._cond.wait()
                pending, self._unsynced = self._unsynced, None
                if pending is not None:
                    self._cond.notify_all()  # the submit that wrote it may go on
                if not self._queue and pending is None:
                    return  # closing, nothing left
                if self._closing and not self._retry and pending is None:
                    return  # closing after a failure: the caller knows (flush raised)
                batch: list[Entry] = self._queue
                upto = max(self._queued_upto if batch else 0, pending[2] if pending else 0)
                self._queue = []
                self._appending = True
            error: str | None = None
            with self._io:
                try:
                    # a made entry is kept as bytes, so a retry writes the same lines
                    made = [entry() if callable(entry) else entry for entry in batch]
                    batch = list(made)
                    since = pending[0] if pending is not None else None
                    journal.append(self.fd, b"".join(made), since)
                except AnnotatorError as exc:
                    error = str(exc).removeprefix("could not save the edit: ")
                except Exception as exc:  # anything else: the thread lives on, flush returns
                    error = f"{type(exc).__name__}: {exc}"
            with self._cond:
                self._appending = False
                if error is None:
                    self._durable = upto
                    self._error = None
                else:  # keep the group (cut back, the line submit wrote too), first in line
                    self._queue[:0] = [pending[1], *batch] if pending is not None else batch
                    self._queued_upto = max(self._queued_upto, upto)
                    self._error = error
                    self._retry = False
                self._cond.notify_all()
                durable = self._durable
            for listener in list(self._listeners):
                listener(durable, error)


__all__ = ["JournalWriter", "Listener"]

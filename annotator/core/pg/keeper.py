"""The lead's desktop keeps the agreement parts of documents as they are finished (decision
0101), so the next report finds them computed.

The lead's window hears each changed annotation from the server (decision 0083) and hands
its document to a ``PartsKeeper``: a thread of its own, with a connection of its own, that
gathers the documents named within a second and computes the parts of those now done by two
or more annotators (``compute.keep_parts``: only parts not kept for the present versions,
so a notice of a document still in progress costs two small queries). When it starts, and
after the listener reconnects (notices sent meanwhile are lost), it catches up over every
document of the project, a chunk at a time. Only a lead keeps parts (the server lets only
leads write them); for anybody else the keeper does nothing.

A report on this desktop and the keeper never compute the same documents at once: both hold
``compute.COMPUTING`` while finding and computing, so the report waits for the keeper's
chunk and then finds it kept.

What goes wrong (decision 0112). A failure of the server (away, restarting, too slow, rows
held by another client, or a refusal) is ``problem``, one line, and the computing is tried
again after ``RETRY`` seconds, for ever; ``failures`` counts those in a row and ``passing``
says whether the last may pass by itself, so a caller that cannot wait for ever (``keep
--once``) decides when to give up. An error that is not the server's, raised while computing
some documents (data the desktop cannot decode, written by hand or by an old client; a span
without its label is the report's data warning, decision 0115), is pinned to its document
by computing halves of the chunk again: that document is skipped and named (``skipped``,
``warned``), the others are kept. More than ``SKIP_AT_MOST`` documents failing
in one computing, or an error outside any document's computing, is a fault of the keeper: it
stops, ``fault`` names the error, and ``warned`` says so, since nothing would be kept any more
while it looked alive.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core.errors import fault_line
from annotator.core.pg import RETRY, ServerError, passing
from annotator.core.pg.compute import CHUNK, keep_parts
from annotator.core.pg.parts_server import Server, Tally

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

GATHER = 1.0
"""Seconds of notices gathered into one computing (a burst of finished documents is one)."""
SKIP_AT_MOST = 10
"""Documents skipped in one computing beyond which the keeper takes the error for its own
fault rather than the documents' and stops."""
CATCH_UP_AFTER = 5.0
"""Seconds after the start before the catch-up over the whole project: the window opens and
shows its first document first."""


class PartsKeeper:
    """Computes the parts of the documents it is given, on its own thread (module doc)."""

    def __init__(
        self,
        store: PgProject,
        catch_up: float | None = CATCH_UP_AFTER,
        kept: Callable[[int, int, float], None] | None = None,
        warned: Callable[[str], None] | None = None,
    ) -> None:
        """``catch_up``: seconds before every document is looked at (None: never, only
        the documents given). ``kept(documents, parts, seconds)`` is called on the keeper's
        thread after each computing that ended well: the documents looked at, the parts
        kept since the last call (each counted as its write commits, so a computing that
        failed after keeping some, or pinned a bad document, counts every part it kept;
        decision 0118), the seconds it took. ``warned(line)`` is called on the keeper's
        thread when a document is skipped (the first time for each) and when the keeper
        stops on a fault (module doc)."""
        self.store = store
        self.catch_up = catch_up
        self.kept = kept
        self.warned = warned
        self.problem: str | None = None  # the last failure, one line; None once one ends well
        self.passing = False  # whether the last failure may pass by itself (not a refusal)
        self.failures = 0  # computings failed in a row (the server's failures)
        self.fault: str | None = None  # the error the keeper stopped on, one line
        self.skipped: dict[str, str] = {}  # documents not computed: the error of each
        self._skipped_now = 0
        self._tally = Tally()  # parts written, counted as each write commits
        self._told = 0  # of those, the parts a ``kept`` line has counted
        self._lock = threading.Lock()
        self._docs: set[str] = set()
        self._everything = False
        self._ended = False  # the thread has ended: nothing given is computed any more
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        if store.is_lead:
            self._thread = threading.Thread(target=self._run, name="parts-keeper", daemon=True)
            self._thread.start()
        if catch_up is None or self._thread is None:
            self._idle.set()

    @property
    def computed(self) -> int:
        """Parts computed and kept so far."""
        return self._tally.parts

    def add(self, document: str | None) -> None:
        """Compute the parts of ``document`` soon (None: of every document)."""
        if self._thread is None:
            return
        with self._lock:
            if self._ended:  # stopped, or on a fault: idle for good
                return
            if document is None:
                self._everything = True
            else:
                self._docs.add(document)
            self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until everything given so far is computed, or the keeper stopped on a fault
        (True; ``fault`` tells), or ``timeout`` passes (False)."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        """Stop after the chunk being computed; the thread's connection is closed."""
        self._stopped.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10.0)

    def _take(self) -> tuple[set[str], bool]:
        with self._lock:
            docs, everything = self._docs, self._everything
            self._docs, self._everything = set(), False
            self._wake.clear()
            return docs, everything

    def _run(self) -> None:
        server: Server | None = None
        try:
            if self.catch_up is not None:
                if self._stopped.wait(self.catch_up):
                    return
                self.add(None)
            while not self._stopped.is_set():
                self._wake.wait()
                if self._stopped.wait(GATHER):
                    break
                docs, everything = self._take()
                try:
                    if server is None:
                        server = Server(self.store, tally=self._tally).apart()
                    self._keep(server, docs, everything)
                except ServerError as exc:  # the server away, or refused: again later
                    self.problem = str(exc)
                    self.passing = passing(exc)
                    self.failures += 1  # after the two above: a reader sees them with it
                    if server is not None:
                        server.close()
                        server = None
                    with self._lock:
                        self._docs |= docs
                        self._everything |= everything
                    self._stopped.wait(RETRY)
                    self._wake.set()
                    continue
                self.problem, self.failures = None, 0
                with self._lock:
                    if not self._docs and not self._everything:
                        self._idle.set()
        except Exception as exc:  # a fault: stop, and say so rather than look alive
            self.fault = str(exc) if isinstance(exc, _TooManySkipped) else fault_line(exc)
            self._warn(f"agreement parts no longer kept: {self.fault}")
        finally:
            if server is not None:
                server.close()
            with self._lock:
                self._ended = True
                self._idle.set()

    def _warn(self, line: str) -> None:
        if self.warned is not None:
            with contextlib.suppress(Exception):  # the one told is gone (a window closing)
                self.warned(line)

    def _keep(self, server: Server, docs: set[str], everything: bool) -> None:
        started = time.perf_counter()
        todo = sorted(docs)
        if everything:
            todo = [str(d) for (d,) in server.rows(
                "SELECT id FROM documents WHERE project_id = %(p)s ORDER BY id", {}
            )]  # fmt: skip
        self._skipped_now = 0
        for first in range(0, len(todo), CHUNK):
            if self._stopped.is_set():
                return
            self._pinned(server, todo[first : first + CHUNK])
        # the parts written since the last line, a computing that failed after writing some
        # of its chunks included: what the halves below find kept is counted where written
        now = self._tally.parts
        computed, self._told = now - self._told, now
        if self.kept is not None:
            self.kept(len(todo), computed, time.perf_counter() - started)

    def _pinned(self, server: Server, docs: list[str]) -> None:
        """``keep_parts`` of ``docs``; on an error that is not the server's, the two halves
        again, down to the document that raises it, which is skipped and named."""
        try:
            keep_parts(self.store, docs, None, server)
        except ServerError:
            raise
        except Exception as exc:
            if len(docs) > 1:
                half = len(docs) // 2
                self._pinned(server, docs[:half])
                self._pinned(server, docs[half:])
                return
            self._skip(docs[0], exc)
            return
        for doc in docs:
            self.skipped.pop(doc, None)  # computed now: no longer skipped

    def _skip(self, doc: str, exc: Exception) -> None:
        line = fault_line(exc)
        self._skipped_now += 1
        if self._skipped_now > SKIP_AT_MOST:
            raise _TooManySkipped(
                f"more than {SKIP_AT_MOST} documents failed in one computing, the last"
                f" {doc}: {line}"
            ) from exc
        if self.skipped.get(doc) != line:
            self.skipped[doc] = line
            self._warn(f"agreement parts of document {doc} not kept: {line}")


class _TooManySkipped(Exception):
    """Too many documents failed to be a few bad documents: the keeper's fault (its message)."""

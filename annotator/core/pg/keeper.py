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
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core.pg import ServerError
from annotator.core.pg.compute import CHUNK, keep_parts
from annotator.core.pg.parts_server import Server

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

GATHER = 1.0
"""Seconds of notices gathered into one computing (a burst of finished documents is one)."""
RETRY = 5.0
"""Seconds before a computing that failed (the server away) is tried again."""
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
    ) -> None:
        """``catch_up``: seconds before every document is looked at (None: never, only
        the documents given). ``kept(documents, parts, seconds)`` is called on the keeper's
        thread after each computing that ended well: the documents looked at, the parts
        computed and kept, the seconds it took."""
        self.store = store
        self.catch_up = catch_up
        self.kept = kept
        self.computed = 0  # parts computed and kept so far
        self.problem: str | None = None  # the last failure, one line
        self._lock = threading.Lock()
        self._docs: set[str] = set()
        self._everything = False
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        if store.is_lead:
            self._thread = threading.Thread(target=self._run, name="parts-keeper", daemon=True)
            self._thread.start()
        if catch_up is None or self._thread is None:
            self._idle.set()

    def add(self, document: str | None) -> None:
        """Compute the parts of ``document`` soon (None: of every document)."""
        if self._thread is None:
            return
        with self._lock:
            if document is None:
                self._everything = True
            else:
                self._docs.add(document)
            self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until everything given so far is computed (True) or ``timeout`` passes."""
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
        if self.catch_up is not None:
            if self._stopped.wait(self.catch_up):
                self._idle.set()
                return
            self.add(None)
        try:
            while not self._stopped.is_set():
                self._wake.wait()
                if self._stopped.wait(GATHER):
                    break
                docs, everything = self._take()
                try:
                    if server is None:
                        server = Server(self.store).apart()
                    self._keep(server, docs, everything)
                except ServerError as exc:  # the server away, or refused: again later
                    self.problem = str(exc)
                    if server is not None:
                        server.close()
                        server = None
                    with self._lock:
                        self._docs |= docs
                        self._everything |= everything
                    self._stopped.wait(RETRY)
                    self._wake.set()
                    continue
                with self._lock:
                    if not self._docs and not self._everything:
                        self._idle.set()
        finally:
            if server is not None:
                server.close()
            self._idle.set()

    def _keep(self, server: Server, docs: set[str], everything: bool) -> None:
        started = time.perf_counter()
        todo = sorted(docs)
        if everything:
            todo = [str(d) for (d,) in server.rows(
                "SELECT id FROM documents WHERE project_id = %(p)s ORDER BY id", {}
            )]  # fmt: skip
        computed = 0
        for first in range(0, len(todo), CHUNK):
            if self._stopped.is_set():
                return
            done = keep_parts(self.store, todo[first : first + CHUNK], None, server) or 0
            self.computed += done
            computed += done
        if self.kept is not None:
            self.kept(len(todo), computed, time.perf_counter() - started)

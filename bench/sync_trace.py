"""Where one edit's time goes between the edit and *synced*, in a simulated desktop's process.

``install()`` wraps the desktop's own code (nothing is replaced: each wrapper calls the real
function and notes the time) so that every edit of a ``PgSession`` gets these stamps, all
``time.perf_counter`` in the process that made the edit:

- ``prepare``: the edit applied to the document's state (the core's edit and its pydantic
  models), from ``apply`` to ``prepare`` returning;
- ``journal``: the outbox line written and fsynced (``Outbox.append``);
- ``queue``: from the line being durable to ``Sender.put`` having woken the sender;
- ``wake``: from there until the sender thread starts sending the batch holding the edit (the
  thread's wake-up, waiting for the GIL, or the batch before it still on the wire);
- ``server``: the time the sender spent waiting on its connection (``Connection.wait``: the
  round trips, the server's work and its commit);
- ``client``: the rest of the send (building the statements, psycopg's own work, the GIL);
- ``ack``: from the batch confirmed to ``wait_synced`` returning in the editing thread.

``round_trips`` counts the connection waits of the batch that carried the edit. The stamps go
to ``RECORDS``; ``summary()`` gives, for the median edit and for the slowest 1 %, the mean
of each phase.
"""

from __future__ import annotations

import statistics
import threading
import time
from typing import Any

PHASES = ("prepare", "journal", "queue", "wake", "client", "server", "ack")
RECORDS: list[dict[str, float]] = []
_local = threading.local()
_installed = False


def install() -> None:
    """Wrap the desktop's edit, outbox, sender and connection code with time stamps."""
    global _installed
    if _installed:
        return
    _installed = True
    from annotator.core.pg import connection, outbox, sender, session

    pending: dict[tuple[int, int], dict[str, float]] = {}
    lock = threading.Lock()

    real_apply = session.PgSession.apply
    real_prepare = session.PgSession.prepare
    real_append = outbox.Outbox.append
    real_put = sender.Sender.put
    real_send = sender.Sender._send
    real_wait_idle = sender.Sender.wait_idle
    real_wait = connection.Connection.wait

    def apply(self: Any, edit: Any) -> Any:
        _local.stamps = {"start": time.perf_counter()}
        return real_apply(self, edit)

    def prepare(self: Any, edit: Any) -> Any:
        result = real_prepare(self, edit)
        stamps = getattr(_local, "stamps", None)
        if stamps is not None:
            stamps["prepared"] = time.perf_counter()
        return result

    def append(self: Any, edits: Any) -> None:
        stamps = getattr(_local, "stamps", None)
        t0 = time.perf_counter()
        real_append(self, edits)
        if stamps is None:
            return
        stamps.setdefault("prepared", t0)
        stamps["journaled"] = time.perf_counter()

    def put(self: Any, edits: Any) -> None:
        stamps = getattr(_local, "stamps", None)
        if stamps is not None and "journaled" in stamps:
            stamps["queued"] = float("nan")
            with lock:
                for e in edits:
                    pending[(id(self), e.seq)] = stamps
        real_put(self, edits)
        if stamps is not None and "journaled" in stamps:
            stamps["queued"] = time.perf_counter()

    def send(self: Any, batch: Any) -> None:
        began = time.perf_counter()
        _local.waited, _local.trips = 0.0, 0
        try:
            real_send(self, batch)
        finally:
            done = time.perf_counter()
            with lock:
                for e in batch:
                    stamps = pending.pop((id(self), e.seq), None)
                    if stamps is not None:
                        stamps.update(
                            sent=began, waited=_local.waited, trips=_local.trips, confirmed=done
                        )
                        stamps["owner"] = id(self)

    def wait(self: Any, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        t0 = time.perf_counter()
        try:
            return real_wait(self, gen, interval=interval, timeout=timeout)
        finally:
            if hasattr(_local, "waited"):
                _local.waited += time.perf_counter() - t0
                _local.trips += 1

    def wait_idle(self: Any, timeout: float) -> bool:
        result = real_wait_idle(self, timeout)
        stamps = getattr(_local, "stamps", None)
        if stamps is not None and "confirmed" in stamps and stamps.get("owner") == id(self):
            stamps["acked"] = time.perf_counter()
            RECORDS.append(_phases(stamps))
        _local.stamps = None
        return result

    for owner, name, wrapper in (
        (session.PgSession, "apply", apply),
        (session.PgSession, "prepare", prepare),
        (outbox.Outbox, "append", append),
        (sender.Sender, "put", put),
        (sender.Sender, "_send", send),
        (sender.Sender, "wait_idle", wait_idle),
        (connection.Connection, "wait", wait),
    ):
        setattr(owner, name, wrapper)


def _phases(s: dict[str, float]) -> dict[str, float]:
    ms = 1000.0
    send = s["confirmed"] - s["sent"]
    return {
        "total": (s["acked"] - s["start"]) * ms,
        "prepare": (s["prepared"] - s["start"]) * ms,
        "journal": (s["journaled"] - s["prepared"]) * ms,
        "queue": (s["queued"] - s["journaled"]) * ms,
        "wake": (s["sent"] - s["queued"]) * ms,
        "client": (send - s["waited"]) * ms,
        "server": s["waited"] * ms,
        "ack": (s["acked"] - s["confirmed"]) * ms,
        "round_trips": s["trips"],
        "at": s["start"],
    }


def summary(records: list[dict[str, float]]) -> list[str]:
    """Lines: each phase's mean over the middle of the edits and over the slowest 1 %."""
    if not records:
        return ["no edits traced"]
    ordered = sorted(records, key=lambda r: r["total"])
    n = len(ordered)
    middle = ordered[int(n * 0.45) : max(int(n * 0.55), int(n * 0.45) + 1)]
    tail = ordered[int(n * 0.99) :] or ordered[-1:]
    lines = []
    for label, group in (("p45-p55", middle), (f"slowest 1% ({len(tail)})", tail)):
        parts = "  ".join(
            f"{p} {statistics.fmean(r[p] for r in group):6.1f}" for p in ("total", *PHASES)
        )
        trips = statistics.fmean(r["round_trips"] for r in group)
        lines.append(f"{label:>18}: {parts}  waits on the connection {trips:.1f}")
    first = min(r["at"] for r in records)
    when = ", ".join(f"{r['at'] - first:.1f}" for r in sorted(tail, key=lambda r: r["at"]))
    lines.append(f"the slowest 1% were made at (s after the first edit): {when}")
    return lines

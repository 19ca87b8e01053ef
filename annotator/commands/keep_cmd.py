"""``annotator keep URL [--once]``: the lead's reports kept ready while no lead's window is
open (decision 0109).

A lead runs it as a service beside the server. It opens the project as a lead, catches up
over the whole project at once, then keeps the agreement parts of documents as they are
finished, heard from the server's notices: the ``PartsKeeper`` and the ``Listener`` of the
lead's window (decision 0101), here without a window. After each computing it keeps the
state of the lead's report on the server for every lead (decision 0106), so the first report
on any lead's desktop starts from it: at once after the catch-up, then at most every
``SHARE_EVERY`` seconds while work arrives and once when ``QUIET`` seconds passed without
any, since making the report costs seconds on a large project.

One line per computing on standard output. The server going away is one line on standard
error; the listener reconnects and the keeper catches up over the whole project again (the
notices sent meanwhile are lost). SIGINT or SIGTERM stops it (exit 0). ``--once`` catches
up, keeps the state and exits (cron).

What goes wrong (decision 0112). ``--once`` tries a failure that may pass by itself (the
server away, restarting or too slow, rows held by another client) again ``RETRIES`` times,
``RETRY`` seconds apart, each said in a line on standard error, whether it met it opening the
project, keeping the parts or keeping the state; a refusal (permission, password, no such
database or project) or a failure that lasts ends it with one line, exit 1. A document the
keeper cannot compute is named on standard error and the others are kept. The keeper or the
listener stopping on a fault (an error that is not the server's) ends the service with one
line naming it, exit 1, so that the service manager starts it again, rather than leaving a
process that looks alive and keeps nothing.
"""

from __future__ import annotations

import argparse
import queue
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING

from annotator.commands.output import warn
from annotator.core.errors import AnnotatorError, fault_line
from annotator.core.open import open_store
from annotator.core.pg import RETRY, ServerError, is_server_url, passing, redact_url

if TYPE_CHECKING:
    from annotator.core.pg.keeper import PartsKeeper
    from annotator.core.pg.listen import Listener, Notice
    from annotator.core.pg.store import PgProject
    from annotator.core.storage import ProjectStore

SHARE_EVERY = 60.0
"""Seconds at least between two makings of the shared report state while work arrives."""
QUIET = 5.0
"""Seconds without a computing after which the state is made if work came since the last."""
POLL = 0.25
"""Seconds one wait lasts before a stop is checked again."""
RETRIES = 3
"""Times ``--once`` tries a failure that may pass by itself again, ``RETRY`` seconds apart."""

Kept = tuple[int, int, float]  # documents looked at, parts kept, seconds


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``keep``."""
    parser.add_argument("url", help="the project's postgresql:// URL, as a lead")
    parser.add_argument(
        "--once",
        action="store_true",
        help=(
            "catch up over the whole project, keep the state, exit; the server away,"
            f" restarting, too slow or busy is tried again {RETRIES} times, {RETRY:g} s apart,"
            " a refusal (permission, no such database or project) is not"
        ),
    )


def run(args: argparse.Namespace) -> int:
    """Keep the parts and the state until stopped (or once)."""
    if not is_server_url(args.url):
        raise AnnotatorError(
            f"{args.url}: keep works on a server project (postgresql://...); a folder"
            " project's reports compute their agreement when asked"
        )
    with _stopping() as stop, _opened(args.url, stop, RETRIES if args.once else 0) as store:
        from annotator.core.pg.store import PgProject

        assert isinstance(store, PgProject)
        if not store.is_lead:
            raise AnnotatorError(
                f"{redact_url(args.url)}: keep runs as a lead; {store.user} is an annotator"
                " of this project (the server lets only leads keep agreement parts)"
            )
        return _keep(store, stop, once=args.once)


@contextmanager
def _opened(url: str, stop: threading.Event, retries: int) -> Iterator[ProjectStore]:
    """The project, its opening tried again ``retries`` times when its failure may pass."""
    tried = 0
    while True:
        try:
            store = open_store(url)
            break
        except ServerError as exc:
            tried += 1
            if stop.is_set() or retries == 0:
                raise
            _again(str(exc), passing(exc), tried, "project not opened")
            if stop.wait(RETRY):
                raise
    try:
        yield store
    finally:
        store.close()


def _again(problem: str, may_pass: bool, tried: int, what: str) -> None:
    """After the ``tried``-th failure of a step of ``--once``: one line on standard error and
    back to try again, or the command's one line (a refusal, or a failure that lasts)."""
    if not may_pass:
        raise AnnotatorError(f"{what}: {problem}")
    if tried > RETRIES:
        raise AnnotatorError(f"{what}: {problem} (tried {tried} times, {RETRY:g} s apart)")
    warn(f"annotator keep: {problem}; trying again in {RETRY:g} s ({tried} of {RETRIES})")


@contextmanager
def _stopping() -> Iterator[threading.Event]:
    """An event set by SIGINT or SIGTERM meanwhile (the handlers before are put back)."""
    stop = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    before = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, old in before.items():
            signal.signal(s, old)


def _keep(store: PgProject, stop: threading.Event, once: bool) -> int:
    from annotator.core.pg.keeper import PartsKeeper

    kept: queue.Queue[Kept] = queue.Queue()

    def warned(line: str) -> None:  # a document skipped; the keeper's fault ends the command
        if keeper.fault is None:
            warn(f"annotator keep: {line}")

    keeper = PartsKeeper(
        store, catch_up=0.0, kept=lambda d, p, s: kept.put((d, p, s)), warned=warned
    )
    listener = None
    try:
        if once:
            _catch_up(keeper, stop)
            if not stop.is_set():
                if kept.empty():
                    raise AnnotatorError(f"agreement parts not kept: {keeper.problem or 'stopped'}")
                parts_line = _parts_line(kept.get_nowait())
                print(f"{parts_line}; {_share_once(store, stop, parts_line)}", flush=True)
            return 0

        def heard(notice: Notice) -> None:
            if notice.kind == "annotations":
                keeper.add(notice.document)
            elif notice.kind == "resync":  # notices sent while away are lost
                keeper.add(None)

        listener = store.listen(heard)
        _serve(store, keeper, listener, kept, stop)
        return 0
    finally:
        if listener is not None:
            listener.stop()
        keeper.stop()


def _catch_up(keeper: PartsKeeper, stop: threading.Event) -> None:
    """Wait for the keeper's catch-up, through ``RETRIES`` of its tries again of a failure
    that may pass; a refusal, a failure that lasts or a fault is the command's (one line)."""
    seen = 0
    while not keeper.wait_idle(POLL):
        if keeper.failures > seen:
            seen = keeper.failures
            _again(keeper.problem or "", keeper.passing, seen, "agreement parts not kept")
        if stop.is_set():
            return
    if keeper.fault is not None:
        raise AnnotatorError(f"agreement parts not kept: {keeper.fault}")


def _share_once(store: PgProject, stop: threading.Event, parts_line: str) -> str:
    """``_share`` for ``--once``, tried again as the catch-up is; a failure that stays is
    the command's line, after the parts' line (they are kept)."""
    tried = 0
    while True:
        said, error = _share(store)
        if error is None or stop.is_set():
            return said
        tried += 1
        try:
            _again(said, isinstance(error, ServerError) and passing(error), tried, "")
        except AnnotatorError:
            print(parts_line, flush=True)
            raise AnnotatorError(said + (f" (tried {tried} times)" if tried > 1 else "")) from None
        if stop.wait(RETRY):
            return said


def _serve(
    store: PgProject,
    keeper: PartsKeeper,
    listener: Listener,
    kept: queue.Queue[Kept],
    stop: threading.Event,
) -> None:
    """Print each computing, make the shared state when due, say each new problem and each
    time the notices are heard again."""
    listening = False
    dirty = True  # the catch-up's computing is followed by the state at once
    shared_at = float("-inf")
    last_work = time.monotonic()
    said: dict[str, str | None] = {"keeper": None, "listener": None}
    while not stop.is_set():
        if keeper.fault is not None:
            raise AnnotatorError(f"agreement parts no longer kept: {keeper.fault}")
        if listener.fault is not None:
            raise AnnotatorError(f"the server's notices no longer heard: {listener.fault}")
        try:
            item: Kept | None = kept.get(timeout=POLL)
        except queue.Empty:
            item = None
        if listener.listening.is_set() != listening:
            listening = not listening
            if listening:
                print("listening to the server's notices", flush=True)
        now = time.monotonic()
        if item is not None:
            last_work = now
            dirty = dirty or item[0] > 0
            line = _parts_line(item)
            if dirty and now - shared_at >= SHARE_EVERY and kept.empty():
                said_share, error = _share(store)
                dirty = isinstance(error, AnnotatorError)  # else: once new work arrives
                line += f"; {said_share}" + ("; trying again" if dirty else "")
                shared_at = time.monotonic()
            print(line, flush=True)
        elif dirty and now - last_work >= QUIET and keeper.wait_idle(0):
            said_share, error = _share(store)
            dirty = isinstance(error, AnnotatorError)
            print(said_share + ("; trying again" if dirty else ""), flush=True)
            shared_at = last_work = time.monotonic()  # failed: tried again once quiet again
        for source, problem in (("keeper", keeper.problem), ("listener", listener.error)):
            if problem is not None and problem != said[source]:
                warn(f"annotator keep: {problem}; trying again")
            said[source] = problem


def _parts_line(item: Kept) -> str:
    documents, parts, seconds = item
    return (
        f"parts: {documents:,} document{'' if documents == 1 else 's'}, {parts:,}"
        f" part{'' if parts == 1 else 's'} kept in {seconds:.2f} s"
    )


def _share(store: PgProject) -> tuple[str, Exception | None]:
    """Make the report ``annotator agreement`` makes by default and keep its state on the
    server for every lead; what happened, in a few words, and the failure when it failed (a
    server's failure is tried again: the store's connection is opened again on the next try;
    data the report cannot take, or a fault, is named in a few words, not a traceback)."""
    from annotator.commands.agreement_cmd import kept_report
    from annotator.core.agreement.loading import choose_annotators

    started = time.perf_counter()
    try:
        names = choose_annotators(store, None)
        report = kept_report(store, names, share=True) if len(names) >= 2 else None
    except AnnotatorError as exc:
        return f"report state not shared ({exc})", exc
    except Exception as exc:
        return f"report state not shared ({fault_line(exc)})", exc
    if report is None:
        return "report state not shared (gold to score, or fewer than two annotators)", None
    return f"report state shared in {time.perf_counter() - started:.2f} s", None

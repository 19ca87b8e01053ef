"""The group commit's writer: edits faster than one fsync share it, order is kept, a failed
append is cut back, reported and written again, and nothing is called durable before its
fsync returned."""

import errno
import os
import threading
from pathlib import Path

import pytest
from _store_helpers import make_project

from annotator.core.edit import AddSpan
from annotator.core.errors import AnnotatorError
from annotator.core.journal_writer import JournalWriter
from annotator.core.project import Project
from annotator.core.tokens import Snap


def open_journal(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)


def test_edits_made_during_one_fsync_share_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "j"
    fd = open_journal(path)
    real_fsync = os.fsync
    entered, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow_fsync(n: int) -> None:
        calls.append(n)
        entered.set()
        assert release.wait(10)
        real_fsync(n)

    monkeypatch.setattr(os, "fsync", slow_fsync)
    heard: list[tuple[int, str | None]] = []
    writer = JournalWriter(fd)
    writer.add_listener(lambda durable, error: heard.append((durable, error)))
    assert writer.submit(b"a\n") == 1
    assert entered.wait(10)  # the first append is in its fsync
    for line in (b"b\n", b"c\n", b"d\n"):
        writer.submit(line)
    assert writer.durable == 0
    assert writer.unsaved == 4
    assert heard == []
    release.set()
    writer.flush(10)
    assert writer.durable == 4
    assert writer.unsaved == 0
    assert len(calls) == 2  # one fsync for the first edit, one for the three after it
    assert heard == [(1, None), (4, None)]
    assert path.read_bytes() == b"a\nb\nc\nd\n"
    writer.close()
    os.close(fd)


def test_a_submit_writes_its_line_and_leaves_the_thread_only_the_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The thread needs the interpreter for each step between its system calls, and a window
    holds it until its repaint is done: a submit to an idle writer writes the line itself
    (decision 0104); one made while an fsync runs only queues, for the next group."""
    path = tmp_path / "j"
    fd = open_journal(path)
    real_write, real_fsync = os.write, os.fsync
    order: list[str] = []
    entered, release = threading.Event(), threading.Event()

    def write(n: int, data: bytes) -> int:
        done = real_write(n, data)
        order.append(f"written by {threading.current_thread().name}")
        return done

    def held_fsync(n: int) -> None:
        order.append(f"fsync by {threading.current_thread().name}")
        entered.set()
        assert release.wait(10)
        real_fsync(n)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", held_fsync)
    here = threading.current_thread().name
    writer = JournalWriter(fd)
    try:
        assert writer.submit(b"a\n") == 1
        order.append("returned")
        assert order[0] == f"written by {here}"
        assert path.read_bytes() == b"a\n"
        assert writer.durable == 0  # its fsync has not returned
        assert entered.wait(10)
        assert sorted(order[1:]) == ["fsync by journal-writer", "returned"]
        assert writer.submit(b"b\n") == 2  # the thread is in the fsync: queued, not written
        assert path.read_bytes() == b"a\n"
    finally:
        release.set()
    writer.flush(10)
    assert path.read_bytes() == b"a\nb\n"
    assert order[3:] == ["written by journal-writer", "fsync by journal-writer"]
    assert writer.durable == 2
    writer.close()
    os.close(fd)


def test_a_line_written_by_submit_whose_fsync_fails_is_cut_back_and_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "j"
    path.write_bytes(b"old\n")
    fd = open_journal(path)
    real_fsync = os.fsync
    failing = threading.Event()
    failing.set()

    def fsync(n: int) -> None:
        if failing.is_set():
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(n)

    monkeypatch.setattr(os, "fsync", fsync)
    heard: list[tuple[int, str | None]] = []
    writer = JournalWriter(fd)
    writer.add_listener(lambda durable, error: heard.append((durable, error)))
    writer.submit(b"first\n")  # written here; the thread's fsync fails
    with pytest.raises(AnnotatorError, match="Input/output error"):
        writer.flush(10)
    assert path.read_bytes() == b"old\n"  # cut back: never called saved, not left half-known
    assert writer.durable == 0
    assert "Input/output error" in (heard[-1][1] or "")
    failing.clear()
    writer.submit(b"second\n")
    writer.flush(10)
    assert path.read_bytes() == b"old\nfirst\nsecond\n"  # once each, in order
    assert heard[-1] == (2, None)
    writer.close()
    os.close(fd)


def test_a_failed_append_is_cut_back_reported_and_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "j"
    path.write_bytes(b"old\n")
    fd = open_journal(path)
    real_write = os.write
    full = threading.Event()
    full.set()

    def write(n: int, data: bytes) -> int:
        if full.is_set():
            real_write(n, bytes(data)[:3])  # a part lands, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(n, data)

    monkeypatch.setattr(os, "write", write)
    heard: list[tuple[int, str | None]] = []
    writer = JournalWriter(fd)
    writer.add_listener(lambda durable, error: heard.append((durable, error)))
    writer.submit(b"first\n")
    with pytest.raises(AnnotatorError, match="No space left"):
        writer.flush(10)
    assert writer.durable == 0
    assert writer.unsaved == 1
    assert writer.error is not None
    assert "No space left" in writer.error
    assert path.read_bytes() == b"old\n"  # no torn line
    assert heard
    assert heard[-1][0] == 0
    assert "No space left" in (heard[-1][1] or "")
    full.clear()  # space was freed
    writer.submit(b"second\n")
    writer.flush(10)
    assert path.read_bytes() == b"old\nfirst\nsecond\n"  # in order, nothing dropped
    assert writer.durable == 2
    assert writer.error is None
    assert heard[-1] == (2, None)
    writer.close()
    os.close(fd)


def test_write_now_waits_for_the_queue_and_keeps_the_order(tmp_path: Path) -> None:
    path = tmp_path / "j"
    fd = open_journal(path)
    writer = JournalWriter(fd)
    for i in range(50):
        writer.submit(b"q%d\n" % i)
    writer.write_now(b"now\n")
    assert path.read_bytes().splitlines()[-1] == b"now"
    assert path.read_bytes().splitlines()[:50] == [b"q%d" % i for i in range(50)]
    assert writer.unsaved == 0
    writer.close()
    with pytest.raises(AnnotatorError):
        writer.submit(b"late\n")
    os.close(fd)


def test_a_session_submit_shows_the_edit_at_once_and_saves_it_after(tmp_path: Path) -> None:
    text = "Presiden 🇮🇩 Joko Widodo tiba di Jakarta."
    start = text.index("Jakarta")
    project = make_project(tmp_path / "p", {"d1": text})
    session = project.session("ani")
    heard: list[tuple[int, str | None]] = []
    done = threading.Event()

    def listener(durable: int, error: str | None) -> None:
        heard.append((durable, error))
        done.set()

    session.add_durable_listener(listener)
    change = session.prepare(AddSpan("d1", start, start + 7, "CITY", Snap.EXACT))
    seq = session.submit([change])
    assert seq == 1
    after = session.annotation("d1")
    assert after is not None  # adopted at once, before any fsync was waited for
    assert [s.text for s in after.spans] == ["Jakarta"]
    assert done.wait(10)
    assert heard == [(1, None)]
    assert session.save_state.unsaved == 0
    assert session.save_state.label == "journaled"
    assert b'"CITY"' in session.journal_path.read_bytes()
    session.close()
    reopened = Project.open(tmp_path / "p").session("ani")
    got = reopened.annotation("d1")
    assert got is not None
    assert [s.key for s in got.spans] == [(start, start + 7, "CITY")]
    reopened.close()

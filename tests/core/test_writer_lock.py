"""The annotator's writer lock: flock taken directly, filelock where there is none (0100).

The lock is the one ``filelock.FileLock`` takes on the same file, so a process holding it
either way keeps the other out; other processes are real ones, started for the test.
"""

from __future__ import annotations

import errno
import fcntl
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from annotator.core.errors import LockedError
from annotator.core.project import Project
from annotator.core.writer_lock import hold

# a new process takes the lock on argv[1] the way argv[2] says, prints "held" or "busy",
# then waits for a line on its stdin before it ends (and so lets the lock go)
OTHER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    if sys.argv[2] == "filelock":
        from filelock import FileLock, Timeout
        lock = FileLock(sys.argv[1], timeout=0)
        try:
            lock.acquire()
            print("held", flush=True)
        except Timeout:
            print("busy", flush=True)
    else:
        from annotator.core.writer_lock import hold
        print("held" if hold(Path(sys.argv[1])) is not None else "busy", flush=True)
    sys.stdin.readline()
    """
)


class Other:
    """Another process that tries the lock, and holds it (if it got it) until ``end``."""

    def __init__(self, path: Path, how: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", OTHER, str(path), how],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.answer = self.process.stdout.readline().strip()

    def end(self) -> None:
        self.process.communicate("\n", timeout=60)  # closes the pipes too
        assert self.process.returncode == 0


@pytest.mark.parametrize("how", ["hold", "filelock"])
def test_a_lock_held_here_keeps_another_process_out_whichever_way_it_asks(
    tmp_path: Path, how: str
) -> None:
    path = tmp_path / "ani.lock"
    held = hold(path)
    assert held is not None
    other = Other(path, how)
    assert other.answer == "busy"
    other.end()
    held.release()
    again = Other(path, how)
    assert again.answer == "held"  # released: the next one gets it
    again.end()


@pytest.mark.parametrize("how", ["hold", "filelock"])
def test_a_lock_held_by_another_process_is_not_taken_here(tmp_path: Path, how: str) -> None:
    path = tmp_path / "ani.lock"
    other = Other(path, how)
    assert other.answer == "held"
    assert hold(path) is None
    other.end()  # the process ended: its lock went with it
    held = hold(path)
    assert held is not None
    held.release()


def test_filelock_in_this_process_and_hold_keep_each_other_out(tmp_path: Path) -> None:
    path = tmp_path / "ani.lock"
    lock = FileLock(str(path), timeout=0)
    lock.acquire()
    assert hold(path) is None
    lock.release()
    held = hold(path)
    assert held is not None
    with pytest.raises(Timeout):
        FileLock(str(path), timeout=0).acquire()
    held.release()
    held.release()  # a second release does nothing


def test_a_symlink_in_the_locks_place_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("not a lock", encoding="utf-8")
    (tmp_path / "ani.lock").symlink_to(target)
    with pytest.raises(OSError, match="symbolic links") as info:
        hold(tmp_path / "ani.lock")
    assert info.value.errno == errno.ELOOP
    assert target.read_text(encoding="utf-8") == "not a lock"


def test_the_lock_file_is_made_with_the_mode_the_umask_gives(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        held = hold(tmp_path / "ani.lock")
    finally:
        os.umask(old)
    assert held is not None
    assert (tmp_path / "ani.lock").stat().st_mode & 0o777 == 0o644
    held.release()


def test_where_the_filesystem_has_no_flock_filelock_takes_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = fcntl.flock
    refused: list[int] = []

    def no_flock(fd: int, operation: int) -> None:
        if operation == fcntl.LOCK_EX | fcntl.LOCK_NB and not refused:
            refused.append(fd)
            raise OSError(errno.ENOSYS, "Function not implemented")
        real(fd, operation)

    monkeypatch.setattr(fcntl, "flock", no_flock)
    held = hold(tmp_path / "ani.lock")
    assert refused  # flock was asked first
    assert isinstance(held, FileLock)  # then filelock took it
    assert held.is_locked
    held.release()
    assert not held.is_locked


def test_any_other_flock_error_is_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fd: int, operation: int) -> None:
        raise OSError(errno.EBADF, "Bad file descriptor")

    monkeypatch.setattr(fcntl, "flock", broken)
    with pytest.raises(OSError, match="Bad file descriptor") as info:
        hold(tmp_path / "ani.lock")
    assert info.value.errno == errno.EBADF


def test_a_second_session_of_the_same_annotator_is_refused_across_processes(
    tmp_path: Path,
) -> None:
    root = tmp_path / "p"
    project = Project.init(root)
    session = project.session("ani")
    other = Other(project.state_dir / "ani.lock", "hold")
    assert other.answer == "busy"  # the session's lock, seen from another process
    other.end()
    with pytest.raises(LockedError):
        Project.open(root).session("ani")
    session.close()
    Project.open(root).session("ani").close()  # free again

"""The lock that makes one process the writer of an annotator's files.

``hold(path)`` takes an exclusive ``flock`` on ``path`` (made if missing, with the mode the
umask gives any file) without waiting, and returns what releases it; None when another
process holds it. It is the lock ``filelock.FileLock`` takes on the same file, so a process
using either sees the other's. The window takes it at every start, and importing filelock
(with the logging, secrets, decimal and soft-lock machinery it brings) was 2.6 % of a start's
work (decision 0100), so the usual case is these few lines: where there is no ``flock``
(Windows, or a filesystem that does not have it, some network ones), filelock's ``FileLock``
takes it, with its fallback to a soft lock.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import Protocol

_BUSY = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES})
"""flock's answers for a lock held elsewhere (some filesystems say EACCES)."""
_NO_FLOCK = frozenset({errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOLCK})
"""flock's answers where the filesystem cannot lock."""


class Held(Protocol):
    """A lock held by this process."""

    def release(self) -> None:
        """Let another process take it."""


class _Flocked:
    """An exclusive flock held on an open file, released by unlocking and closing it."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            import fcntl

            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)


def hold(path: Path) -> Held | None:
    """Take the lock on ``path`` at once: what releases it, or None when it is held."""
    if sys.platform == "win32":
        return _soft(path)
    import fcntl

    # no symlink followed (as filelock); not inherited by a process this one starts
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in _BUSY:
            return None
        if exc.errno in _NO_FLOCK:
            return _soft(path)
        raise
    except BaseException:
        os.close(fd)
        raise
    return _Flocked(fd)


def _soft(path: Path) -> Held | None:
    """filelock's lock on ``path``, which falls back to a soft lock where flock is missing."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        return None
    return lock

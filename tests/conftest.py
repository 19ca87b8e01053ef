"""Shared test set-up: Qt runs offscreen (pytest-qt has no ini option for the platform)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import atexit
import shutil
import tempfile

# Keep tests away from the user's real data and settings (the demo project, QSettings), and
# leave nothing behind: a run wrote about 1 MB there (the demo, the code table) and kept it.
_HOME = tempfile.mkdtemp(prefix="annotator-tests-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = os.path.join(_HOME, _var.lower())


import builtins  # noqa: E402
import errno  # noqa: E402
import io  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _nothing_asked_at_the_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A command run inside the test process never asks the terminal the tests run from (it
    would wait for a person); a password or key's passphrase kept in memory, or an asker set,
    by one test is gone for the next. Tests of the prompts run the command on a terminal of
    its own (tests/pg/_terminal.py)."""
    from annotator.commands import terminal
    from annotator.core.pg.tls_key import PASSPHRASES
    from annotator.core.pg.typed import PASSWORDS

    monkeypatch.setattr(terminal, "has_terminal", lambda: False)
    yield
    PASSWORDS.clear()
    PASSPHRASES.clear()


@pytest.fixture
def read_only_fs(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """``read_only_fs(root)``: every write under ``root`` fails as on a read-only file system.

    The tests may run as root, whom a chmod does not stop; this refuses what the kernel would
    on a read-only mount (EROFS): making a folder, or opening a file for writing through
    ``os.open`` (which ``tempfile``, ``filelock`` and the journal use) or ``open``.
    ``monkeypatch.undo()`` ends it.
    """
    real_open, real_mkdir = os.open, os.mkdir
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    roots: list[Path] = []

    def inside(path: str) -> bool:
        return any(Path(path).is_relative_to(r) for r in roots)

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        name = os.fsdecode(path)
        if flags & writing and inside(name):
            raise OSError(errno.EROFS, "Read-only file system", name)
        return real_open(path, flags, *args, **kwargs)

    def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        name = os.fsdecode(path)
        if inside(name):
            if os.path.exists(name):
                raise FileExistsError(errno.EEXIST, "File exists", name)
            raise OSError(errno.EROFS, "Read-only file system", name)
        real_mkdir(path, *args, **kwargs)

    real_io_open = io.open

    def io_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | bytes | os.PathLike) and set(mode) & set("wax+"):
            name = os.fsdecode(file)
            if inside(name):
                raise OSError(errno.EROFS, "Read-only file system", name)
        return real_io_open(file, mode, *args, **kwargs)

    def start(root: Path) -> None:
        roots.append(Path(root))
        monkeypatch.setattr(os, "open", open_)
        monkeypatch.setattr(os, "mkdir", mkdir)
        monkeypatch.setattr(io, "open", io_open)
        monkeypatch.setattr(builtins, "open", io_open)

    return start

"""What the commands print goes through here, so nothing from an input drives the terminal.

``guarded_stdout()`` wraps standard output for the length of a command: every write has its
control characters escaped (``annotator.core.printable``). Standard error is left as it is,
because progress bars draw on it with carriage returns; what the commands print there
themselves (problems, notes) goes through ``warn``.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO, cast

from annotator.core.printable import escape_controls, one_line


class _Escaping:
    """A text stream that escapes control characters on the way to another one."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(escape_controls(text))
        return len(text)

    def __getattr__(self, name: str) -> object:  # flush, isatty, fileno, encoding...
        return getattr(self.inner, name)


@contextlib.contextmanager
def guarded_stdout() -> Iterator[None]:
    """Escape control characters in everything written to standard output meanwhile."""
    inner = sys.stdout
    sys.stdout = cast(TextIO, _Escaping(inner))
    try:
        yield
    finally:
        sys.stdout = inner


def warn(line: str) -> None:
    """Print one line on standard error, control characters (line feeds too) escaped."""
    print(one_line(line), file=sys.stderr)


def server_restored(store: object) -> None:
    """Say on standard error when a server store found its server restored from a backup and
    sent this desktop's edits again (decision 0122): one line per annotator."""
    for line in getattr(store, "restored", ()):
        warn(f"annotator: {line}")

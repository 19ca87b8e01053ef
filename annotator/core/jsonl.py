"""Reading JSONL line by line with ``path:line`` errors, and atomic file replacement."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from annotator.core.errors import RecordError


def decode_line(path: str, lineno: int, raw: bytes) -> dict[str, Any]:
    """Parse one JSONL line into an object, or raise RecordError naming ``path:lineno``."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(path, lineno, f"not UTF-8 (byte {exc.start})") from None
    text = text.removeprefix("\ufeff") if lineno == 1 else text
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(path, lineno, f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise RecordError(path, lineno, "invalid JSON: nested too deeply") from None
    if not isinstance(value, dict):
        raise RecordError(path, lineno, f"expected a JSON object, got {type(value).__name__}")
    return value


def iter_lines(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """Yield ``(line number, byte offset, raw line without newline)`` of non-blank lines."""
    with open(path, "rb") as f:
        offset = 0
        for lineno, raw in enumerate(f, 1):
            size = len(raw)
            stripped = raw.rstrip(b"\r\n")
            if stripped.strip():
                yield lineno, offset, stripped
            offset += size


def dumps(record: dict[str, Any]) -> str:
    """One compact JSONL line (no newline), UTF-8 kept readable."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, chunks: Iterable[bytes]) -> None:
    """Replace ``path`` with ``chunks``: temp file in the same folder, fsync, ``os.replace``.

    If anything fails (a full disk, a vanished folder) the old file is left untouched and the
    temp file removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def append_durably(f: IO[bytes], data: bytes) -> None:
    """Append ``data`` and fsync; on failure cut the file back so no torn line remains."""
    pos = f.seek(0, os.SEEK_END)
    try:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            f.truncate(pos)
            f.flush()
        raise

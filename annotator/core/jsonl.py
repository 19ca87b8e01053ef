"""Reading JSONL line by line with ``path:line`` errors, and atomic file replacement.

Python's ``json`` reads more than can be written back: ``NaN``, ``Infinity`` and numbers such
as ``1e400`` (which become ``inf``), integers past Python's digit limit (a ValueError that is
not a JSONDecodeError), and ``\\ud800``, a lone surrogate that no UTF-8 file can hold. Every
reader here refuses such a value with a reason, so a bad line is one ``path:line`` problem
instead of a traceback when the record is saved, and nothing unstorable reaches a project file.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from annotator.core.errors import RecordError


class Unstorable(ValueError):
    """A JSON value that parses but cannot be stored (a non-finite number, a lone surrogate)."""


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        shown = text if len(text) <= 24 else text[:20] + "..."
        raise Unstorable(f"the number {shown} is too large to store")
    return value


def _constant(name: str) -> float:
    raise Unstorable(f"{name} is not a JSON number")


STRICT = json.JSONDecoder(parse_float=_finite, parse_constant=_constant)
"""A decoder that refuses non-finite numbers (it calls back only for floats and constants)."""

_LENIENT = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=str)
# the same grammar with no number ever converted: finds where a refused value ends

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def too_many_digits() -> str:
    """The reason given for an integer past Python's digit limit."""
    return f"an integer has more than {sys.get_int_max_str_digits()} digits, too large to store"


def lone_surrogate(value: Any, where: str = "") -> str | None:
    """Where ``value`` holds a lone surrogate (``"meta.title"``, ``"spans[0].label"``)."""
    if isinstance(value, str):
        return (where or "the value") if _has_surrogate(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{where}.{key}" if where else str(key)
            if _has_surrogate(key):
                return f"a key of {where or 'the record'}"
            found = lone_surrogate(item, name)
            if found:
                return found
    elif isinstance(value, list):
        for k, item in enumerate(value):
            found = lone_surrogate(item, f"{where}[{k}]")
            if found:
                return found
    return None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def surrogate_reason(where: str) -> str:
    """The reason given for a lone surrogate at ``where`` (a field path)."""
    field = where if where.startswith(("a key", "the value")) else f"field {where!r}"
    return f"{field} holds a lone surrogate (\\ud800-\\udfff), not text; it cannot be saved"


def check_storable(text: str, value: Any) -> None:
    """Raise Unstorable if ``value`` (decoded from ``text``) holds a lone surrogate.

    Only JSON escapes make one (UTF-8 cannot encode it), so the text is searched first and
    the value walked only when an escape of the surrogate range is there.
    """
    if _SURROGATE_ESCAPE.search(text):
        where = lone_surrogate(value)
        if where is not None:
            raise Unstorable(surrogate_reason(where))


def loads(text: str) -> Any:
    """``json.loads`` that raises JSONDecodeError, or Unstorable with a reason, for bad input."""
    try:
        value = STRICT.decode(text)
    except json.JSONDecodeError:
        raise
    except Unstorable:
        raise
    except ValueError:  # the integer digit limit
        raise Unstorable(too_many_digits()) from None
    check_storable(text, value)
    return value


def raw_decode(text: str, start: int) -> tuple[Any, int]:
    """``STRICT.raw_decode`` for a stream of values; an Unstorable value still says its end.

    Raises ``UnstorableAt(reason, end)`` so the reader can go on after the bad value.
    """
    try:
        value, end = STRICT.raw_decode(text, start)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        reason = str(exc) if isinstance(exc, Unstorable) else too_many_digits()
        _, end = _LENIENT.raw_decode(text, start)
        raise UnstorableAt(reason, end) from None
    try:
        check_storable(text[start:end], value)
    except Unstorable as exc:
        raise UnstorableAt(str(exc), end) from None
    return value, end


class UnstorableAt(Unstorable):
    """An Unstorable value in a stream, with the position just after it."""

    def __init__(self, reason: str, end: int) -> None:
        super().__init__(reason)
        self.end = end


def json_problem(exc: json.JSONDecodeError) -> str:
    """``Expecting ',' delimiter at column 12``; ``json`` says "Unterminated string starting
    at", so the column follows without a second "at"."""
    joint = " " if exc.msg.endswith(" at") else " at "
    return f"{exc.msg}{joint}column {exc.colno}"


def decode_line(path: str, lineno: int, raw: bytes) -> dict[str, Any]:
    """Parse one JSONL line into an object, or raise RecordError naming ``path:lineno``."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(path, lineno, f"not UTF-8 (byte {exc.start})") from None
    text = text.removeprefix("\ufeff")  # on any line: files joined with cat keep theirs
    try:
        value = loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(path, lineno, f"invalid JSON: {json_problem(exc)}") from None
    except Unstorable as exc:
        raise RecordError(path, lineno, str(exc)) from None
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


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it, then put it back
    os.umask(mask)
    return mask


def file_mode(path: Path) -> int:
    """The mode a rewrite of ``path`` gets: the mode it has now, else what the umask allows.

    A file the user made group-readable (a shared project folder) stays so after every save;
    a new file gets ``0o666`` less the umask, as any program's ``open`` would give it.
    """
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def atomic_write(path: Path, chunks: Iterable[bytes], durable: bool = True) -> None:
    """Replace ``path`` with ``chunks`` (``atomic_write_with`` says how)."""

    def write(f: IO[bytes]) -> None:
        for chunk in chunks:
            f.write(chunk)

    atomic_write_with(path, write, durable)


def atomic_write_with(path: Path, write: Callable[[IO[bytes]], None], durable: bool = True) -> None:
    """Replace ``path`` with what ``write`` writes to the file it is given (a pickle or an
    array streamed, say): temp file in the same folder, fsync, ``os.replace``.

    ``durable=False`` leaves out both fsyncs (the file's and the folder's): the replacement is
    still whole or absent for the programs reading it, but a power cut may lose it (or leave
    an empty file). Only for copies that are refreshed anyway and never the record.

    The new file keeps the mode of the one it replaces, or follows the umask (``mkstemp``
    alone would make it owner-only). If anything fails (a full disk, a vanished folder) the
    old file is left untouched and the temp file removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with contextlib.suppress(OSError):  # a folder that ignores modes (some mounts)
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
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

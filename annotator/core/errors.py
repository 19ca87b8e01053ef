"""Errors with a one-line, human message naming the file and line."""

from __future__ import annotations

import traceback
from pathlib import PurePath

from pydantic import ValidationError


class AnnotatorError(Exception):
    """A problem the user can fix; its message is one clear sentence, shown without traceback."""


class RecordError(AnnotatorError):
    """A bad line of an input or project file: ``path:line: reason``."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}:{line}: {reason}")


class LockedError(AnnotatorError):
    """Another running instance holds the annotator's lock."""

    def __init__(self, annotator: str, holder: str) -> None:
        self.annotator = annotator
        self.holder = holder
        super().__init__(f"annotator {annotator!r} is open elsewhere ({holder})")


def describe(error: ValidationError) -> str:
    """One line from a pydantic error: ``field: message; field: message``."""
    parts = []
    for item in error.errors(include_url=False):
        loc = ".".join(str(p) for p in item["loc"])
        msg = item["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def fault_line(error: BaseException) -> str:
    """One line naming an error no caller foresaw (a fault, or data the code cannot take):
    its type, its first line and where it was raised: ``KeyError: 'label' (spans.py:194)``."""
    text = str(error).strip()
    words = f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return words
    return f"{words} ({PurePath(frames[-1].filename).name}:{frames[-1].lineno})"

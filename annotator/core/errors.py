"""Errors with a one-line, human message naming the file and line."""

from __future__ import annotations

import traceback
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

if TYPE_CHECKING:
    from annotator.core.model import Annotation


class AnnotatorError(Exception):
    """A problem the user can fix; its message is one clear sentence, shown without traceback."""


class RecordError(AnnotatorError):
    """A bad line of an input or project file: ``path:line: reason``."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}:{line}: {reason}")


class BadRecordError(AnnotatorError):
    """A stored annotation of a store that is not a folder that is no annotation (a server
    row written by another client): ``server project, annotator NAME, document ID: reason``.
    Readers of every record leave it out and name it, as a folder's bad line is."""

    def __init__(
        self,
        where: str,
        annotator: str,
        doc_id: str,
        reason: str,
        done: tuple[str, list[tuple[Any, Any, Any]]] | None = None,
        unreadable: bool = False,
        readable: Annotation | None = None,
    ) -> None:
        self.annotator = annotator
        self.doc_id = doc_id
        self.reason = reason
        # a done record made on the document's present text: (the text, its spans as stored),
        # for the agreement report, whose checks leave a bad span out with a warning
        self.done = done
        # its JSON could not be decoded at all (decision 0117): every reader leaves it out
        self.unreadable = unreadable
        # what can be read of it (model.readable_part), for its annotator's window
        self.readable = readable
        super().__init__(f"{where}, annotator {annotator}, document {doc_id}: {reason}")


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

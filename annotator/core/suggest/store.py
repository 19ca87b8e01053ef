"""Where pre-computed suggestions live: ``suggestions/<set>.jsonl``, outside ``annotations/``.

One line per document::

    {"id": "seed-000", "text_sha256": "<hex>", "source": "both",
     "spans": [{"start": 57, "end": 64, "label": "CITY", "source": "gazetteer", "score": 0.9}]}

Nothing here is an annotation: ``Project.annotators()``, sessions, agreement and export read
only ``annotations/``, so a suggestion counts nowhere until an annotator accepts it (it is
then an ordinary span in their own file).

A *set* is written by ``annotator preannotate`` for batch work. ``--as NAME`` writes the set
``NAME`` that annotator ``NAME`` sees; without it the set ``default`` that everyone without a
set of their own sees. A stored line is used only while the document's text is unchanged
(same hash); otherwise the window falls back to live suggestions.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import ValidationError

from annotator.core.errors import AnnotatorError, RecordError, describe
from annotator.core.index import IndexKind, LineIndex, build_index
from annotator.core.jsonl import atomic_write, decode_line, dumps
from annotator.core.model import check_annotator_name
from annotator.core.suggest.record import Suggestion

if TYPE_CHECKING:
    from annotator.core.open import WithFolder

FOLDER = "suggestions"
DEFAULT_SET = "default"


def suggestions_dir(project: WithFolder) -> Path:
    """``suggestions/`` in the project folder."""
    return project.root / FOLDER


def _parse(path: str, lineno: int, record: dict[str, Any]) -> tuple[str, str, list[Suggestion]]:
    doc_id, sha, spans = record.get("id"), record.get("text_sha256"), record.get("spans")
    if not isinstance(doc_id, str) or not doc_id:
        raise RecordError(path, lineno, "id: must be a non-empty string")
    if not isinstance(sha, str) or len(sha) != 64:
        raise RecordError(path, lineno, "text_sha256: must be a 64-character hex digest")
    if not isinstance(spans, list):
        raise RecordError(path, lineno, "spans: must be a list")
    try:
        return doc_id, sha, [Suggestion.model_validate(s) for s in spans]
    except ValidationError as exc:
        raise RecordError(path, lineno, describe(exc)) from None


class SuggestionSummary(NamedTuple):
    """What the index keeps of a document's stored suggestions."""

    sha256: str
    """Hex SHA-256 of the text they were made for."""
    spans: int
    """How many suggestions."""


def _summarise(path: str, lineno: int, raw: bytes) -> tuple[str, SuggestionSummary]:
    doc_id, sha, spans = _parse(path, lineno, decode_line(path, lineno, raw))
    return doc_id, SuggestionSummary(sha, len(spans))


SUGGESTIONS = IndexKind("suggestions", SuggestionSummary, _summarise)


class SuggestionFile:
    """Read access to one suggestion set through a cached line index."""

    def __init__(self, project: WithFolder, name: str = DEFAULT_SET) -> None:
        self.project = project
        self.name = check_set_name(name)
        self.path = suggestions_dir(project) / f"{self.name}.jsonl"
        self.cache = project.state_dir / "cache" / f"suggestions-{self.name}.idx.json"
        self.index: LineIndex[SuggestionSummary] = build_index(self.path, SUGGESTIONS, self.cache)

    @property
    def exists(self) -> bool:
        """Whether the set has been written."""
        return self.path.exists()

    @property
    def errors(self) -> list[RecordError]:
        """Lines that could not be read (they are skipped)."""
        return self.index.errors

    def __len__(self) -> int:
        return len(self.index)

    def reload(self) -> None:
        """Re-read the index if the file changed on disk (e.g. a new preannotate run)."""
        self.index = build_index(self.path, SUGGESTIONS, self.cache)

    def get(self, doc_id: str, text_sha256: str | None = None) -> list[Suggestion] | None:
        """The stored suggestions of ``doc_id``; None when absent or made for another text."""
        entry = self.index.entry(doc_id)
        if entry is None:
            return None
        if text_sha256 is not None and entry.summary.sha256 != text_sha256:
            return None
        lineno, raw = self.index.read_raw(doc_id)
        record = decode_line(str(self.path), lineno, raw)
        return _parse(str(self.path), lineno, record)[2]


def check_set_name(name: str) -> str:
    """A set is named like an annotator (it is the set that annotator sees)."""
    try:
        return check_annotator_name(name)
    except ValueError as exc:
        raise AnnotatorError(f"suggestion set: {exc}") from None


def set_for(project: WithFolder, annotator: str | None) -> SuggestionFile | None:
    """The set an annotator sees: their own if written, else ``default``, else None."""
    names = ([annotator] if annotator else []) + [DEFAULT_SET]
    for name in names:
        found = SuggestionFile(project, name)
        if found.exists:
            return found
    return None


def write_set(
    project: WithFolder,
    name: str,
    records: Iterable[tuple[str, str, list[Suggestion]]],
    source: str,
) -> Path:
    """Replace the set ``name`` with ``(id, text_sha256, suggestions)`` records, atomically."""
    path = suggestions_dir(project) / f"{check_set_name(name)}.jsonl"

    def chunks() -> Iterable[bytes]:
        for doc_id, sha, suggestions in records:
            line = {
                "id": doc_id,
                "text_sha256": sha,
                "source": source,
                "spans": [s.to_json() for s in suggestions],
            }
            yield (dumps(line) + "\n").encode("utf-8")

    atomic_write(path, chunks())
    return path

"""What an import is asked to do (options) and what it did (the summary)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError
from annotator.core.importers.spans import Note, Overlaps

MAX_NOTES = 20  # notes listed one by one; the rest are counted

NOTE_KINDS: dict[str, str] = {
    "trimmed": "span{s} trimmed of surrounding whitespace",
    "unit": "record{s} whose offsets fit the text only in the other unit",
    "dropped": "span{s} dropped by --map",
    "overlap": "overlapping span{s} dropped (--overlaps longest)",
    "same-text": "document{s} whose text the project already holds under another id",
    "ignored": "record{s} with non-span results left out",
    "cut": "CoNLL file{s} without -DOCSTART- cut into documents",
    "unread": "record{s} with annotation-like fields this format does not read",
    "repeat": "record{s} repeating an earlier one exactly, imported once",
}
"""What each kind of note counts, ``{s}`` where the noun takes its plural."""


class UsageError(AnnotatorError):
    """The options do not make sense for this project (the command line exits 2)."""


@dataclass(frozen=True)
class ImportOptions:
    """What to import and how. ``label_map`` maps input labels to project labels (None: drop)."""

    format: str = "auto"
    annotator: str | None = None
    label_map: Mapping[str, str | None] = field(default_factory=dict)
    overlaps: Overlaps = "error"
    overwrite: bool = False
    source_user: str | None = None
    sentences_per_doc: int | None = None  # CoNLL without -DOCSTART- (None: 1)
    text_field: str | None = None  # the input's field holding the text (doccano, JSONL, ...)
    label_field: str | None = None  # doccano's field holding the spans


@dataclass
class ImportSummary:
    """What an import did: counts, problems (``path:line: reason``) and notes."""

    annotator: str | None = None
    files: int = 0
    records: int = 0
    documents_added: int = 0
    documents_present: int = 0
    annotations_written: int = 0
    annotations_unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    note_counts: Counter[str] = field(default_factory=Counter)
    stopped: bool = False

    @property
    def ok(self) -> bool:
        """True when every record was imported."""
        return not self.problems

    def note(self, note: Note) -> None:
        """Count a note, and keep it to show if it is among the first few."""
        self.note_counts[note.kind] += 1
        if len(self.notes) < MAX_NOTES:
            self.notes.append(note)

    def lines(self) -> list[str]:
        """The summary a person reads at the end."""
        out = [
            f"read {self.files} file{plural(self.files)}, "
            f"{self.records} record{plural(self.records)}",
            f"documents: {self.documents_added} added, {self.documents_present} already "
            "in the project",
        ]
        if self.annotator is not None:
            out.append(
                f"annotations of {self.annotator}: {self.annotations_written} written, "
                f"{self.annotations_unchanged} unchanged"
            )
        for kind, n in sorted(self.note_counts.items()):
            out.append(f"note: {n:,} {NOTE_KINDS.get(kind, kind).format(s=plural(n))}")
        if self.stopped:
            out.append(
                "the import stopped early (see the last problem); run it again when it "
                "is fixed: nothing is imported twice"
            )
        elif self.problems:
            out.append(
                f"{len(self.problems)} problem{plural(len(self.problems))}: those records were not "
                "imported; fix them and import again (nothing is imported twice)"
            )
        return out


def plural(n: int) -> str:
    return "" if n == 1 else "s"


def parse_label_map(items: Sequence[str], labels: Sequence[str]) -> dict[str, str | None]:
    """``["LOC=CITY", "MISC="]`` as a mapping (an empty right side drops the label)."""
    out: dict[str, str | None] = {}
    for item in items:
        old, sep, new = item.partition("=")
        old, new = old.strip(), new.strip()
        if not sep or not old:
            raise UsageError(f"--map {item!r}: expected OLD=NEW (or OLD= to drop OLD)")
        if new and new not in labels:
            raise UsageError(
                f"--map {item}: {new} is not a label of this project ({', '.join(labels)})"
            )
        out[old] = new or None
    return out

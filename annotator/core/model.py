"""The records: labels, spans, documents and annotations, as frozen pydantic models.

A bad record cannot exist: the validators check every invariant of docs/design.md sections 3-4
(offsets in range and half-open, span text equal to the covered characters, no overlap,
known labels, the text hash). Labels are checked against the project's label list when it
is passed as validation context ``{"labels": {...}}``, which the store always does.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

Status = Literal["in_progress", "done", "skipped"]
STATUSES: tuple[Status, ...] = ("in_progress", "done", "skipped")
ANNOTATOR_RE = re.compile(r"[a-z0-9_.-]{1,64}")
GOLD = "gold"
MERGED = "merged"  # the spans a strict majority agrees on, gold where it exists (export)
DEFAULT_LABELS: tuple[tuple[str, str, str, str], ...] = (
    ("PERSON", "1", "#4e79a7", "A named person, without titles or degrees"),
    ("AGENCY", "2", "#f28e2b", "A government body, ministry, agency or organisation"),
    ("CITY", "3", "#59a14f", "A city, regency (kabupaten) or province"),
    ("DATE", "4", "#e15759", "A calendar date or year expression"),
    ("PROGRAM", "5", "#b07aa1", "A named programme, initiative, network or app"),
)


def sha256_text(text: str) -> str:
    """Hex SHA-256 of the UTF-8 text: how a document is recognised across files."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now_iso() -> str:
    """The current UTC time as ``2026-11-28T05:00:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_annotator_name(name: str) -> str:
    """Return ``name`` if it is a valid annotator name, else raise ValueError."""
    if not ANNOTATOR_RE.fullmatch(name):
        raise ValueError(f"annotator name {name!r} must be 1-64 of a-z 0-9 _ . -")
    return name


class Label(BaseModel):
    """One entity label of a project."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    key: str = ""
    color: str = Field(default="#888888", pattern=r"^#[0-9a-fA-F]{6}$")
    description: str = ""


class Span(BaseModel):
    """A labelled half-open code-point range ``[start, end)`` of a document's text.

    Its values are taken only as the record holds them (decision 0117): offsets are JSON
    integers, not ``"3"``, ``3.0`` or ``true``, and the label and text are strings. Whichever
    store holds a record, one written otherwise is no annotation, named by ``validate``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    start: int = Field(ge=0)
    end: int
    label: str
    text: str

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Self:
        if self.end <= self.start:
            raise ValueError(f"span end {self.end} must be greater than start {self.start}")
        if len(self.text) != self.end - self.start:
            raise ValueError(
                f"span text {self.text!r} has {len(self.text)} characters, "
                f"offsets {self.start}-{self.end} cover {self.end - self.start}"
            )
        labels = info.context.get("labels") if isinstance(info.context, dict) else None
        if labels is not None and self.label not in labels:
            raise ValueError(f"unknown label {self.label!r}")
        return self

    @property
    def key(self) -> tuple[int, int, str]:
        """``(start, end, label)``: the identity used by matching and the journal."""
        return (self.start, self.end, self.label)

    def overlaps(self, start: int, end: int) -> bool:
        """True when the span shares at least one character with ``[start, end)``."""
        return self.start < end and start < self.end


def make_span(text: str, start: int, end: int, label: str) -> Span:
    """A span of ``text`` with its covered characters filled in (validated)."""
    return Span(start=start, end=end, label=label, text=text[start:end])


class Document(BaseModel):
    """An article: ``{"id", "text", "meta"}``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1)
    text: str
    meta: dict[str, Any] = Field(default_factory=dict)

    @property
    def title(self) -> str:
        """The title in ``meta``, else the first non-empty line of the text."""
        title = self.meta.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        return first_line(self.text)


def first_line(text: str, limit: int = 200) -> str:
    """The first non-empty line of ``text``, stripped and cut to ``limit`` characters."""
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:limit]
    return ""


class Annotation(BaseModel):
    """One annotator's latest annotation of one document: a line of the training data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    text: str
    spans: tuple[Span, ...] = ()
    status: Status = "in_progress"
    annotator: str
    text_sha256: str = ""
    updated_at: str = ""
    seconds: float = Field(default=0.0, ge=0, allow_inf_nan=False)  # JSON has no inf
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("annotator")
    @classmethod
    def _name(cls, value: str) -> str:
        return check_annotator_name(value)

    @model_validator(mode="after")
    def _check(self) -> Self:
        digest = sha256_text(self.text)
        if not self.text_sha256:
            object.__setattr__(self, "text_sha256", digest)
        elif self.text_sha256 != digest:
            raise ValueError("text_sha256 does not match the text")
        if not self.updated_at:
            object.__setattr__(self, "updated_at", now_iso())
        n = len(self.text)
        ordered = tuple(sorted(self.spans, key=lambda s: (s.start, s.end, s.label)))
        prev: Span | None = None
        for span in ordered:
            if span.end > n:
                raise ValueError(f"span {span.start}-{span.end} ends past the text ({n})")
            if self.text[span.start : span.end] != span.text:
                raise ValueError(
                    f"span {span.start}-{span.end} text {span.text!r} does not match "
                    f"the document ({self.text[span.start : span.end]!r})"
                )
            if prev is not None and span.start < prev.end:
                raise ValueError(
                    f"span {span.start}-{span.end} overlaps span {prev.start}-{prev.end}"
                )
            prev = span
        if ordered != self.spans:
            object.__setattr__(self, "spans", ordered)
        return self


def readable_part(record: dict[str, Any], labels: Collection[str] | None) -> Annotation | None:
    """What can be read of a stored record that is no annotation (decision 0117): its spans
    each valid on its own (a span that overlaps one kept before it left out), its meta if it
    is an object, the rest as it is; None when even that is no annotation. The window shows
    an annotator this of their own saved record, and names what was left out."""
    text = record.get("text")
    if not isinstance(text, str):
        return None
    context = None if labels is None else {"labels": labels}
    spans = record.get("spans")
    kept: list[Span] = []
    for item in spans if isinstance(spans, list) else []:
        try:
            span = Span.model_validate(item, context=context)
        except ValueError:
            continue
        if span.end <= len(text) and text[span.start : span.end] == span.text:
            kept.append(span)
    free: list[Span] = []
    for span in kept:  # in the record's order: the first of two overlapping spans is kept
        if not any(span.overlaps(s.start, s.end) for s in free):
            free.append(span)
    meta = record.get("meta")
    try:
        return Annotation.model_validate(
            {**record, "spans": free, "meta": meta if isinstance(meta, dict) else {}}
        )
    except ValueError:
        return None


class ProjectConfig(BaseModel):
    """``annotator.toml``: the project's name, language, labels and options."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str = "annotator project"
    language: str = "id"
    labels: tuple[Label, ...] = Field(
        default_factory=lambda: tuple(
            Label(name=n, key=k, color=c, description=d) for n, k, c, d in DEFAULT_LABELS
        )
    )
    options: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        names = [label.name for label in self.labels]
        if len(set(names)) != len(names):
            raise ValueError("label names must be unique")
        if not names:
            raise ValueError("a project needs at least one label")
        return self

    @property
    def label_names(self) -> tuple[str, ...]:
        """Label names in project order."""
        return tuple(label.name for label in self.labels)

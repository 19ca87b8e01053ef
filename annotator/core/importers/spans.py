"""Imported spans: offset units resolved against the text, then labels, whitespace and overlaps.

Two steps, both pure. ``resolve_offsets`` turns the offsets a tool wrote into code points of
the raw text: a span that repeats its text (Label Studio's ``value.text``) takes the unit under
which that text matches; spans without text take the tool's documented unit unless only the
other one puts every span on token boundaries (then the file was written by a tool that counts
differently, and saying so beats shifting every entity after an emoji). ``finish_spans`` maps
labels, trims whitespace, drops exact repeats and refuses (or resolves) overlaps. See
``docs/decisions/0011-import-spans.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import Literal

from annotator.core.errors import RecordError
from annotator.core.model import Span, make_span
from annotator.core.offsets import Utf16Map
from annotator.core.tokens import TokenIndex, trim

Overlaps = Literal["error", "longest"]


class Unit(StrEnum):
    """What an offset counts."""

    CODE_POINTS = "code points"
    UTF16 = "UTF-16 code units"


@dataclass(frozen=True, slots=True)
class RawSpan:
    """A span as the input wrote it: values not yet checked, ``text`` when the tool gives it."""

    start: object
    end: object
    label: object
    text: object = None
    line: int | None = None  # the span's own line (CoNLL), else the record's
    where: str | None = None  # how messages name it, when offsets would not help (CoNLL)


@dataclass(frozen=True, slots=True)
class ImportedSpan:
    """A span in code points of the stored (normalised) text, label as the input named it."""

    start: int
    end: int
    label: str
    where: str  # "span 5-12" in the input's own offsets, for messages
    line: int


@dataclass(frozen=True, slots=True)
class Note:
    """Something an import did that the user should know, though nothing failed."""

    path: str
    line: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Bad(Exception):
    """A record is unusable; the message is the reason (the caller adds ``path:line``)."""


def _int(value: object, what: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Bad(f"{where}: {what} must be an integer, got {value!r}")
    return value


def _num(value: int) -> str:
    """An offset for a message: a number of absurd length shown by its size only."""
    text = str(value)
    return text if len(text) <= 15 else f"<a number of {len(text)} digits>"


def check_raw(spans: Sequence[RawSpan]) -> list[tuple[int, int, str, str | None, RawSpan]]:
    """Type and order checks: ``(start, end, label, text, raw)`` per span, or Bad."""
    out = []
    for k, raw in enumerate(spans, 1):
        where = f"span {k}"
        start = _int(raw.start, "start", where)
        end = _int(raw.end, "end", where)
        where = f"span {_num(start)}-{_num(end)}"
        if start < 0:
            raise Bad(f"{where}: start is negative")
        if end < start:
            raise Bad(f"{where} is reversed (end before start)")
        if end == start:
            raise Bad(f"{where} is empty")
        if not isinstance(raw.label, str) or not raw.label:
            raise Bad(f"{where}: label must be a non-empty string, got {raw.label!r}")
        if raw.text is not None and not isinstance(raw.text, str):
            raise Bad(f"{where}: text must be a string, got {raw.text!r}")
        out.append((start, end, raw.label, raw.text, raw))
    return out


def _convert(umap: Utf16Map, unit: Unit, start: int, end: int) -> tuple[int, int] | str:
    """Code-point offsets of ``[start, end)`` counted in ``unit``, or why they do not fit."""
    if unit is Unit.CODE_POINTS:
        if end > umap.length:
            return f"ends past the end of the text ({umap.length} characters)"
        return start, end
    if end > umap.length16:
        return f"ends past the end of the text ({umap.length16} UTF-16 units)"
    cs, ce = umap.to_code_point(start), umap.to_code_point(end)
    if umap.to_utf16(cs) != start or umap.to_utf16(ce) != end:
        return "splits a character in two when read as UTF-16 units"
    return cs, ce


def _fits(text: str, got: tuple[int, int] | str, said: str | None) -> bool:
    return not isinstance(got, str) and (said is None or text[got[0] : got[1]] == said)


def resolve_offsets(
    raw_text: str, spans: Sequence[RawSpan], documented: Unit
) -> tuple[list[tuple[int, int, str, str, int | None]], Unit | None]:
    """Code-point spans ``(start, end, label, where, line)`` in ``raw_text``, or Bad.

    Returns the unit that was used when it is not the documented one (for a note).
    """
    checked = check_raw(spans)
    if not checked:
        return [], None
    umap = Utf16Map(raw_text)
    other = Unit.UTF16 if documented is Unit.CODE_POINTS else Unit.CODE_POINTS
    units = (documented,) if umap.length == umap.length16 else (documented, other)
    chosen: list[tuple[int, int]] = []
    used_other = False
    if any(said is not None for *_, said, _ in checked) or len(units) == 1:
        for start, end, _, said, _ in checked:
            tries = [_convert(umap, u, start, end) for u in units]
            for k, got in enumerate(tries):
                if _fits(raw_text, got, said):
                    assert not isinstance(got, str)
                    chosen.append(got)
                    used_other = used_other or k == 1
                    break
            else:
                raise Bad(_mismatch(raw_text, units, tries, start, end, said))
    else:
        plain = [(s, e) for s, e, *_ in checked]
        chosen, unit = _by_tokens(raw_text, umap, documented, other, plain)
        used_other = unit is not documented
    out = [
        (cs, ce, label, raw.where or f"span {start}-{end}", raw.line)
        for (cs, ce), (start, end, label, _, raw) in zip(chosen, checked, strict=True)
    ]
    return out, (other if used_other else None)


def _by_tokens(
    text: str, umap: Utf16Map, documented: Unit, other: Unit, spans: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], Unit]:
    """Spans without text: the documented unit, unless only the other fits the tokens."""
    index = TokenIndex(text)

    def attempt(unit: Unit) -> tuple[list[tuple[int, int]] | None, bool, str]:
        got: list[tuple[int, int]] = []
        for s, e in spans:
            conv = _convert(umap, unit, s, e)
            if isinstance(conv, str):
                return None, False, f"span {_num(s)}-{_num(e)} {conv}"
            got.append(conv)
        return got, all(index.is_aligned(*trim(text, *g)) for g in got), ""

    doc_got, doc_aligned, why = attempt(documented)
    oth_got, oth_aligned, _ = attempt(other)
    if doc_got is not None and (doc_aligned or not oth_aligned):
        return doc_got, documented
    if oth_got is not None:
        return oth_got, other
    raise Bad(why)


def _mismatch(
    text: str,
    units: tuple[Unit, ...],
    tries: list[tuple[int, int] | str],
    start: int,
    end: int,
    said: str | None,
) -> str:
    where = f"span {_num(start)}-{_num(end)}"
    if said is None:
        return f"{where} {tries[0]}"
    if len(units) == 1:
        got = tries[0]
        if isinstance(got, str):
            return f"{where} {got}"
        return f"{where} says {said!r} but the text there is {text[got[0] : got[1]]!r}"
    found = [
        f"{text[g[0] : g[1]]!r} counting {u}" if not isinstance(g, str) else f"nothing ({g})"
        for u, g in zip(units, tries, strict=True)
    ]
    return f"{where} says {said!r}, which matches the text in no unit: {'; '.join(found)}"


def finish_spans(
    path: str,
    text: str,
    spans: Sequence[ImportedSpan],
    labels: frozenset[str],
    label_map: Mapping[str, str | None],
    overlaps: Overlaps = "error",
) -> tuple[list[Span], list[Note]]:
    """Validated spans of ``text`` with project labels, or RecordError at the span's line.

    Labels map through ``label_map`` (``None``: drop the span), then exactly or ignoring case
    to a project label. Whitespace around a span is trimmed (docs/design.md section 4); exact
    repeats are merged; overlapping spans are an error, or with ``overlaps="longest"`` the
    longest wins.
    """
    notes: list[Note] = []
    kept: dict[tuple[int, int, str], ImportedSpan] = {}
    upper = {name.upper(): name for name in labels}
    for sp in spans:
        if sp.label in label_map:
            label = label_map[sp.label]
            if label is None:
                notes.append(Note(path, sp.line, "dropped", f"{sp.where}: {sp.label} dropped"))
                continue
        elif sp.label in labels:
            label = sp.label
        elif sp.label.upper() in upper:
            label = upper[sp.label.upper()]
        else:
            raise RecordError(
                path,
                sp.line,
                f"{sp.where}: unknown label {sp.label!r} (labels: {', '.join(sorted(labels))}; "
                f"map it with --map {sp.label}=LABEL)",
            )
        start, end = trim(text, sp.start, sp.end)
        if start >= end:
            raise RecordError(path, sp.line, f"{sp.where} covers only whitespace")
        if (start, end) != (sp.start, sp.end):
            notes.append(Note(path, sp.line, "trimmed", f"{sp.where}: trimmed of whitespace"))
        kept.setdefault((start, end, label), ImportedSpan(start, end, label, sp.where, sp.line))
    chosen = _flat(path, list(kept.values()), overlaps, notes)
    return [make_span(text, s.start, s.end, s.label) for s in chosen], notes


def _flat(
    path: str, spans: list[ImportedSpan], overlaps: Overlaps, notes: list[Note]
) -> list[ImportedSpan]:
    if overlaps == "error":
        ordered = sorted(spans, key=lambda s: (s.start, s.end))
        for prev, cur in pairwise(ordered):
            if cur.start < prev.end:
                raise RecordError(
                    path,
                    cur.line,
                    f"{prev.where} ({prev.label}) and {cur.where} ({cur.label}) overlap; spans "
                    "here are flat: fix the file, or pass --overlaps longest",
                )
        return ordered
    chosen: list[ImportedSpan] = []
    for sp in sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label)):
        clash = next((c for c in chosen if sp.start < c.end and c.start < sp.end), None)
        if clash is None:
            chosen.append(sp)
        else:
            notes.append(
                Note(
                    path,
                    sp.line,
                    "overlap",
                    f"{sp.where} ({sp.label}) dropped: overlaps the longer {clash.where} "
                    f"({clash.label})",
                )
            )
    return sorted(chosen, key=lambda s: (s.start, s.end))

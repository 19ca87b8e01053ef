"""What every exporter receives: a document with its tokens and token-aligned spans, and tags.

``prepare(...)`` is the single place where a span meets the tokenizer. A span that does not
start at a token start and end at a token end is *misaligned*; it is never dropped silently:
it is widened to whole tokens, left out, or refused (the caller decides, see ``Misaligned``),
and every such span is reported as a ``MisalignedSpan``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import accumulate
from typing import Any, Literal, NamedTuple, overload

from pydantic_core import from_json

from annotator.core.jsonl import decode_line
from annotator.core.printable import one_line
from annotator.core.tokens import TOKEN_RE

Scheme = Literal["iob2", "bilou"]
SCHEMES: tuple[Scheme, ...] = ("iob2", "bilou")
_PREFIXES: dict[str, tuple[str, ...]] = {"iob2": ("B", "I"), "bilou": ("B", "I", "L", "U")}


class Misaligned(StrEnum):
    """What a token-based export does with a span that is not on token boundaries."""

    WIDEN = "widen"  # expand to the whole tokens it touches (the default)
    DROP = "drop"  # leave it out of every format, and list it
    REFUSE = "refuse"  # fail the export, listing every such span; nothing is written


TokenOffsets = tuple[int, int]
"""A token as ``(start, end)``: what ``annotator.core.tokens.Token`` holds, without the class."""

_SPAN = re.Match.span
_SPLIT = re.compile(f"({TOKEN_RE.pattern})")  # the tokens, kept between the gaps


def token_offsets(text: str) -> list[TokenOffsets]:
    """The project's tokens of ``text`` (``core.tokens.tokenize``, the same regex) as tuples."""
    return list(map(_SPAN, TOKEN_RE.finditer(text)))


def split_tokens(text: str) -> tuple[list[str], list[int], list[int], list[str]]:
    """``(words, starts, ends, gaps)`` of ``text``'s tokens (``core.tokens.tokenize``'s).

    ``gaps[i]`` is the text before token ``i`` and ``gaps[-1]`` the text after the last
    (whitespace only: the tokenizer takes everything else). One ``re.split`` gives the words
    and the gaps, and the running sum of their lengths gives the offsets: an export makes
    millions of tokens, and this makes no object per token beyond its word and two integers
    (a match object and a tuple per token, then a slice for its word, cost half as much again).
    """
    pieces = _SPLIT.split(text)  # gap, word, gap, word, ..., gap
    offsets = list(accumulate(map(len, pieces)))
    return pieces[1::2], offsets[0:-1:2], offsets[1::2], pieces[0::2]


class TokenPairs(Sequence[TokenOffsets]):
    """A document's tokens as ``(start, end)`` pairs, read from its two lists of offsets."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, starts: Sequence[int], ends: Sequence[int]) -> None:
        self._starts = starts
        self._ends = ends

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, i: int) -> TokenOffsets: ...

    @overload
    def __getitem__(self, i: slice) -> list[TokenOffsets]: ...

    def __getitem__(self, i: int | slice) -> TokenOffsets | list[TokenOffsets]:
        if isinstance(i, slice):
            return list(zip(self._starts[i], self._ends[i], strict=True))
        return self._starts[i], self._ends[i]

    def __iter__(self) -> Iterator[TokenOffsets]:
        return zip(self._starts, self._ends, strict=True)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"TokenPairs({list(self)!r})"


class ExportSpan(NamedTuple):
    """A span as exported: exact character offsets and the tokens ``[token_start, token_end)``.

    For an aligned span the tokens cover exactly ``[start, end)``; for a widened one they
    cover more (``char_start``/``char_end`` give the widened characters). A tuple, not a
    frozen dataclass: millions are made, and a frozen dataclass is five times slower to make.
    """

    start: int
    end: int
    label: str
    token_start: int
    token_end: int  # exclusive
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class MisalignedSpan:
    """A span that does not fall on token boundaries, and what the export did with it."""

    doc_id: str
    start: int
    end: int
    label: str
    text: str
    action: Literal["widened", "dropped", "refused"]
    widened: tuple[int, int] | None = None  # the whole-token offsets, when widened
    reason: str = "not on token boundaries"
    widened_text: str = ""

    def where(self) -> str:
        """``doc-1 57-63 'Jakart' (CITY)``: the document, offsets, text and label."""
        return f"{one_line(self.doc_id)} {self.start}-{self.end} {self.text!r} ({self.label})"

    def describe(self) -> str:
        """One line: ``doc-1 57-63 'Jakart' (CITY): widened to 57-64 'Jakarta'``."""
        head = self.where()
        if self.action == "widened" and self.widened is not None:
            return f"{head}: widened to {self.widened[0]}-{self.widened[1]} {self.widened_text!r}"
        return f"{head}: {self.action}, {self.reason}"

    def to_json(self) -> dict[str, Any]:
        """The record written to ``meta.json``."""
        out: dict[str, Any] = {
            "id": self.doc_id,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "action": self.action,
            "reason": self.reason,
        }
        if self.widened is not None:
            out["widened"] = list(self.widened)
            out["widened_text"] = self.widened_text
        return out


@dataclass(frozen=True, slots=True)
class ExportDoc:
    """One document ready for any format: text, meta, tokens, spans, and its split.

    ``records`` are the token ranges ``[start, stop)`` it is written as (see
    ``annotator.core.export.cutting``); empty means the format's own default (the whole
    document, or for CoNLL its lines).

    The tokens are also kept as the lists every format reads: ``words`` (their characters),
    ``starts``, ``ends``, and ``gaps`` (the text before each token, and after the last one).
    ``prepare`` makes them in one pass and every writer shares them; a document built from
    ``tokens`` alone gets them from those.
    """

    id: str
    text: str
    meta: dict[str, Any]
    tokens: Sequence[TokenOffsets]
    spans: tuple[ExportSpan, ...]
    split: str = "all"
    origin: str = ""
    records: tuple[tuple[int, int], ...] = ()
    starts: Sequence[int] = ()
    ends: Sequence[int] = ()
    words: Sequence[str] = ()
    gaps: Sequence[str] = ()  # one more than the tokens: the text after the last is last

    def __post_init__(self) -> None:
        if len(self.gaps) == len(self.tokens) + 1:
            return
        text, tokens = self.text, self.tokens
        ends = [e for _, e in tokens]
        gaps = [text[a:b] for a, (b, _) in zip([0, *ends], tokens, strict=False)]
        gaps.append(text[ends[-1] if ends else 0 :])
        object.__setattr__(self, "starts", [s for s, _ in tokens])
        object.__setattr__(self, "ends", ends)
        object.__setattr__(self, "words", [text[s:e] for s, e in tokens])
        object.__setattr__(self, "gaps", gaps)

    def with_records(self, records: tuple[tuple[int, int], ...]) -> ExportDoc:
        """This document, written as ``records`` (``dataclasses.replace``, without its cost)."""
        return ExportDoc(
            self.id, self.text, self.meta, self.tokens, self.spans, self.split, self.origin,
            records, self.starts, self.ends, self.words, self.gaps,
        )  # fmt: skip

    def token_texts(self) -> list[str]:
        """The tokens' characters, in order."""
        return list(self.words)


@dataclass
class Prepared:
    """``prepare``'s result: the document, and the misaligned spans found in it."""

    doc: ExportDoc
    misaligned: list[MisalignedSpan] = field(default_factory=list)


def prepare(
    doc_id: str,
    text: str,
    meta: dict[str, Any],
    spans: Iterable[tuple[int, int, str]],
    mode: Misaligned = Misaligned.WIDEN,
    *,
    split: str = "all",
    origin: str = "",
) -> Prepared:
    """Tokenize ``text`` and place each ``(start, end, label)`` span on its tokens.

    ``spans`` must not overlap (annotations never do). Widening can make two spans share a
    token (two entities inside one word): the later one is then left out and reported.
    """
    words, starts, ends, gaps = split_tokens(text)
    kept: list[ExportSpan] = []
    bad: list[MisalignedSpan] = []
    last_token_end = 0
    for start, end, label in sorted(spans):
        first = bisect_right(starts, start) - 1  # the token starting at or before start...
        if first < 0 or ends[first] <= start:
            first += 1  # ...or, if it ends before start, the next: the first ending after
        stop = bisect_left(starts, end)  # tokens starting before end
        if first >= stop:
            bad.append(_bad(doc_id, text, start, end, label, mode, "covers no token"))
            continue
        c0, c1 = starts[first], ends[stop - 1]
        if (c0, c1) != (start, end):
            if mode is not Misaligned.WIDEN:
                bad.append(_bad(doc_id, text, start, end, label, mode))
                continue
            if first < last_token_end:
                reason = "shares a token with the span before it once widened"
                bad.append(_bad(doc_id, text, start, end, label, Misaligned.DROP, reason))
                continue
            bad.append(
                MisalignedSpan(
                    doc_id,
                    start,
                    end,
                    label,
                    text[start:end],
                    "widened",
                    (c0, c1),
                    widened_text=text[c0:c1],
                )
            )
        kept.append(ExportSpan(start, end, label, first, stop, c0, c1))
        last_token_end = stop
    doc = ExportDoc(
        doc_id, text, meta, TokenPairs(starts, ends), tuple(kept), split, origin,
        starts=starts, ends=ends, words=words, gaps=gaps,
    )  # fmt: skip
    return Prepared(doc, bad)


def _bad(
    doc_id: str,
    text: str,
    start: int,
    end: int,
    label: str,
    mode: Misaligned,
    reason: str = "not on token boundaries",
) -> MisalignedSpan:
    action: Literal["dropped", "refused"] = "refused" if mode is Misaligned.REFUSE else "dropped"
    return MisalignedSpan(doc_id, start, end, label, text[start:end], action, None, reason)


def read_record(path: str, lineno: int, raw: bytes) -> dict[str, Any]:
    """One JSONL record, parsed by pydantic-core's JSON reader (twice as fast as ``json``).

    A line that it refuses is read again by ``decode_line`` for the ``path:line`` message.
    """
    try:
        value = from_json(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        return decode_line(path, lineno, raw)
    return value


_HEAD = re.compile(rb'\{"id":"(?:[^"\\]|\\.)*","text":"')
_TEXT_END = b'","spans":['


def read_record_without_text(path: str, lineno: int, raw: bytes) -> dict[str, Any]:
    """``read_record`` for a reader that needs no ``text``: it may be left out.

    An annotation line the store wrote starts ``{"id":"<id>","text":"<text>","spans":[`` and
    the text is most of its bytes. The text ends at the first ``","spans":[`` after
    ``"text":"`` when every quote between is escaped (an odd run of backslashes before it)
    and no unpaired backslash escapes the quote that ends it; the rest of the line, without
    the text field, is then all that is parsed. The text itself is not checked (the export
    reads lines its index validated). Any other line, or one that would hold a second
    ``text`` key, is read whole by ``read_record``.
    """
    head = _HEAD.match(raw)
    if head is not None:
        start = head.end()
        end = raw.find(_TEXT_END, start)
        if end >= 0 and _closes_string(raw, start, end):
            try:
                value = from_json(raw[: start - 8] + raw[end + 2 :])  # {"id":..,"spans":[..
            except ValueError:
                value = None
            if type(value) is dict and "text" not in value:
                return value
    return read_record(path, lineno, raw)


def _escaped(raw: bytes, at: int, start: int) -> bool:
    """Whether the character at ``at`` follows an odd run of backslashes (from ``start``)."""
    k = at
    while k > start and raw[k - 1] == 0x5C:
        k -= 1
    return (at - k) % 2 == 1


def _closes_string(raw: bytes, start: int, end: int) -> bool:
    """Whether a JSON string that starts at ``start`` runs to the quote at ``end`` unbroken:
    no unescaped quote before it, and that quote itself not escaped."""
    at = raw.find(b'"', start, end)
    while at >= 0:  # quotes inside news text are few
        if not _escaped(raw, at, start):
            return False
        at = raw.find(b'"', at + 1, end)
    return not _escaped(raw, end, start)


def tag_names(labels: Sequence[str], scheme: Scheme = "iob2") -> list[str]:
    """Tag names in id order: ``O``, then ``B-X``, ``I-X`` (``L-X``, ``U-X``) per label."""
    return ["O", *(f"{p}-{label}" for label in labels for p in _PREFIXES[scheme])]


def entity_tags(doc: ExportDoc, scheme: Scheme = "iob2") -> Iterator[tuple[int, str]]:
    """``(token index, tag)`` of the tokens inside entities: the tagging rule, in one place."""
    bilou = scheme == "bilou"
    for span in doc.spans:
        first, stop, label = span.token_start, span.token_end, span.label
        if bilou and stop - first == 1:
            yield first, "U-" + label
            continue
        yield first, "B-" + label
        inside = "I-" + label
        for i in range(first + 1, stop - 1 if bilou else stop):
            yield i, inside
        if bilou:
            yield stop - 1, "L-" + label


def tags(doc: ExportDoc, scheme: Scheme = "iob2") -> list[str]:
    """One tag per token of ``doc``, in IOB2 or BILOU."""
    out = ["O"] * len(doc.words)
    for i, tag in entity_tags(doc, scheme):
        out[i] = tag
    return out

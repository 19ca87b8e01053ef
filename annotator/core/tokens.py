"""The one tokenizer (docs/design.md section 5) and the span snapping built on it."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from enum import StrEnum
from operator import itemgetter
from typing import NamedTuple

TOKEN_RE = re.compile(r"\w+|[^\w\s]")


class Token(NamedTuple):
    """A token: the half-open code-point range ``[start, end)`` of one regex match."""

    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Return the tokens of ``text``: the matches of ``\\w+|[^\\w\\s]``."""
    return [Token(m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


class Snap(StrEnum):
    """How a selection becomes a span (as spaCy's ``alignment_mode``)."""

    EXPAND = "expand"  # widen outward to whole tokens (the default in the window)
    EXACT = "exact"  # keep the characters as selected (only trimmed of whitespace)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class TokenIndex:
    """Token boundaries of one text, for snapping and alignment checks in O(log n)."""

    def __init__(self, text: str, tokens: Sequence[Token] | None = None) -> None:
        self.text = text
        self._tokens = list(tokens) if tokens is not None else None
        if tokens is None:  # no Python object per token: 200 KB in a few ms, not 50
            bounds = list(map(re.Match.span, TOKEN_RE.finditer(text)))
            self.starts: list[int] = list(map(itemgetter(0), bounds))
            self.ends: list[int] = list(map(itemgetter(1), bounds))
        else:
            self.starts = [t.start for t in tokens]
            self.ends = [t.end for t in tokens]

    @property
    def tokens(self) -> list[Token]:
        """The tokens, in order (made when first asked for)."""
        if self._tokens is None:
            self._tokens = list(map(Token, self.starts, self.ends))
        return self._tokens

    def snap(self, start: int, end: int, mode: Snap = Snap.EXPAND) -> tuple[int, int]:
        """Turn a selection into span offsets: trimmed, and widened to tokens if asked.

        Returns an empty range ``(x, x)`` when the selection holds no token.
        """
        start, end = trim(self.text, max(0, start), min(len(self.text), end))
        if start >= end or mode is Snap.EXACT:
            return start, end
        first = bisect_right(self.ends, start)  # first token ending after start
        last = bisect_left(self.starts, end) - 1  # last token starting before end
        if first > last:
            return start, start
        return min(start, self.starts[first]), max(end, self.ends[last])

    def is_aligned(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` begins at a token start and ends at a token end."""
        i = bisect_left(self.starts, start)
        j = bisect_left(self.ends, end)
        return (
            i < len(self.starts)
            and self.starts[i] == start
            and j < len(self.ends)
            and self.ends[j] == end
        )

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``[first, last)`` of the tokens that overlap ``[start, end)``."""
        return bisect_right(self.ends, start), bisect_left(self.starts, end)

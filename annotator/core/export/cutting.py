"""Records a model can take: a document cut into pieces of at most ``max_words`` tokens.

A token-classification model sees a few hundred subwords at a time; a news article longer
than that is cut by the tokenizer and the entities past the cut are lost. So an export cuts
each document into records itself, where a reader would: at sentence ends (a line break, or
``.``, ``!``, ``?`` followed by a capital or a digit, not after a known abbreviation such as
``Dr.`` or an initial), packing whole sentences into each record up to ``max_words`` tokens.
A sentence longer than that is cut between entities, never inside one; only an entity longer
than ``max_words`` by itself makes a longer record. Every entity is in exactly one record.

``cut_records`` gives token ranges ``[start, stop)``. With ``lines_apart`` (CoNLL), each line
of the text is its own record as before (a line break inside an entity does not count), and
only a line longer than ``max_words`` is cut further. ``max_words = 0`` cuts nothing more.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from itertools import pairwise

from annotator.core.export.records import ExportSpan, TokenOffsets

# A sentence end: terminal punctuation, any closing quotes or brackets, then a space, then
# (checked after the match) a capital or a digit, perhaps behind an opening quote or bracket.
_PUNCT_END = re.compile("[.!?\u2026]+[\"'\u201d\u2019\u00bb)\\]]*[ \t\u00a0]+")
_OPENING = "\"'\u201c\u2018\u00ab([-\u2013\u2014"  # quotes, guillemet, brackets, dashes
_ABBREVIATIONS = frozenset({
    "dr", "drs", "dra", "prof", "ir", "hj", "h", "kh", "st", "sdr", "sdri", "bpk", "ibu", "yth",
    "no", "nomor", "tel", "telp", "hlm", "jl", "jln", "gg", "kec", "kab", "kel", "prov", "pt",
    "cv", "tbk", "rp", "mr", "mrs", "ms", "jr", "sr", "dkk", "vs", "tgl", "kol", "mayjen",
    "brigjen", "letjen", "jend", "kapt", "lt", "serka", "bripda", "aiptu", "kompol", "akbp",
    "kombes", "irjen", "komjen"
})  # fmt: skip
"""Words that end with a full stop inside a sentence (titles, ranks, addresses, ``Rp.``)."""


def _starts_sentence(text: str, pos: int) -> bool:
    while pos < len(text) and text[pos] in _OPENING:
        pos += 1
    return pos < len(text) and (text[pos].isupper() or text[pos].isdigit())


def line_breaks(
    text: str, tokens: Sequence[TokenOffsets], starts: Sequence[int] | None = None
) -> list[int]:
    """Token indices ``b`` (``0 < b < len(tokens)``) with a line break just before token ``b``."""
    n = len(tokens)
    if n < 2:
        return []
    starts = starts or [t[0] for t in tokens]
    found: list[int] = []
    pos = text.find("\n", tokens[0][1])
    while 0 <= pos < tokens[-1][0]:
        b = bisect_right(starts, pos)
        found.append(b)
        pos = text.find("\n", starts[b])
    return found


def sentence_ends(text: str, tokens: Sequence[TokenOffsets], lines: bool = True) -> list[int]:
    """Token indices ``b`` (``0 < b < len(tokens)``) where a sentence ends before token ``b``.

    ``lines``: a line break ends a sentence too.
    """
    n = len(tokens)
    if n < 2:
        return []
    starts = [t[0] for t in tokens]
    found = set(line_breaks(text, tokens)) if lines else set()
    for m in _PUNCT_END.finditer(text, tokens[0][1], tokens[-1][0] + 1):
        if not _starts_sentence(text, m.end()):
            continue
        word = bisect_left(starts, m.start()) - 1  # the token before the punctuation
        if word >= 0 and tokens[word][1] == m.start():
            before = text[tokens[word][0] : tokens[word][1]]
            if before.lower() in _ABBREVIATIONS or (len(before) == 1 and before.isupper()):
                continue
        b = bisect_left(starts, m.end())
        if 0 < b < n:
            found.add(b)
    return sorted(found)


class _Entities:
    """Which token boundaries fall inside an entity (the spans are sorted and never share a
    token)."""

    def __init__(self, spans: Sequence[ExportSpan]) -> None:
        self.starts = [s.token_start for s in spans]
        self.ends = [s.token_end for s in spans]

    def around(self, b: int) -> int | None:
        """The index of the entity that boundary ``b`` would cut in two, else None."""
        i = bisect_left(self.starts, b) - 1  # the last entity starting before b
        return i if i >= 0 and self.ends[i] > b else None


_LOOK_BACK = 400
"""Characters searched at a time, from the end back: a record's last sentence end is most
often within its last few hundred characters, and the whole window is some thousands."""
_IN_PUNCT_END = frozenset(".!?\u2026\"'\u201d\u2019\u00bb)] \t\u00a0")  # _PUNCT_END's characters


def _ends_down(text: str, starts: Sequence[int], lo: int, hi: int, lines: bool) -> Iterator[int]:
    """Sentence ends ``b`` with ``lo < b <= hi``, the latest first, found only as far back as
    asked: a record needs its last sentence end, rarely more."""
    punct = (
        bisect_left(starts, m.end())
        for m in _punct_down(text, starts[lo], starts[hi])
        if _is_end(text, starts, m)
    )
    if not lines:
        return punct
    return heapq.merge(_line_ends_down(text, starts, lo, hi), punct, reverse=True)


def _punct_down(text: str, first: int, stop: int) -> Iterator[re.Match[str]]:
    """``_PUNCT_END.finditer(text, first, stop)``, the last match first, searched
    ``_LOOK_BACK`` characters at a time. Each piece begins after a character no match can
    hold, so a match is never cut in two."""
    while stop > first:
        begin = max(first, stop - _LOOK_BACK)
        while begin > first and text[begin - 1] in _IN_PUNCT_END:
            begin -= 1
        yield from reversed(list(_PUNCT_END.finditer(text, begin, stop)))
        stop = begin


def _line_ends_down(text: str, starts: Sequence[int], lo: int, hi: int) -> Iterator[int]:
    pos = text.rfind("\n", starts[lo], starts[hi])
    while pos >= 0:
        yield bisect_right(starts, pos)
        pos = text.rfind("\n", starts[lo], pos)


def _is_end(text: str, starts: Sequence[int], m: re.Match[str]) -> bool:
    """Whether a match of ``_PUNCT_END`` ends a sentence (not an abbreviation, a capital next)."""
    if not _starts_sentence(text, m.end()):
        return False
    word = bisect_left(starts, m.start()) - 1  # the token before the punctuation
    if word >= 0:
        before = text[starts[word] : m.start()]
        if before.lower() in _ABBREVIATIONS or (len(before) == 1 and before.isupper()):
            return False
    return True


def _pack(
    text: str,
    starts: Sequence[int],
    start: int,
    stop: int,
    entities: _Entities,
    max_words: int,
    lines: bool,
) -> list[tuple[int, int]]:
    """Greedy records over tokens ``[start, stop)``: as many whole sentences as fit."""
    out: list[tuple[int, int]] = []
    while stop - start > max_words:
        limit = start + max_words
        cut = next(
            (
                b
                for b in _ends_down(text, starts, start, limit, lines)
                if entities.around(b) is None
            ),
            None,
        )
        if cut is None:  # one sentence longer than the limit: cut it between entities
            inside = entities.around(limit)
            if inside is None:
                cut = limit
            elif entities.starts[inside] > start:
                cut = entities.starts[inside]
            else:  # an entity longer than the limit by itself: its record is longer
                cut = entities.ends[inside]
        out.append((start, cut))
        start = cut
    if stop > start:
        out.append((start, stop))
    return out


def cut_records(
    text: str,
    tokens: Sequence[TokenOffsets],
    spans: Sequence[ExportSpan],
    max_words: int,
    lines_apart: bool = False,
    starts: Sequence[int] | None = None,
) -> list[tuple[int, int]]:
    """Token ranges of the records of one document (see the module docstring).

    ``starts``: the tokens' start offsets, if the caller has them already.
    """
    n = len(tokens)
    if not n:
        return []
    entities = _Entities(spans)
    if lines_apart:
        starts = starts or [t[0] for t in tokens]
        breaks = line_breaks(text, tokens, starts)
        bounds = [0, *(b for b in breaks if entities.around(b) is None), n]
        pieces = list(pairwise(bounds))
        if max_words <= 0 or all(b - a <= max_words for a, b in pieces):
            return pieces
        return [r for a, b in pieces for r in _pack(text, starts, a, b, entities, max_words, False)]
    if max_words <= 0 or n <= max_words:
        return [(0, n)]
    starts = starts or [t[0] for t in tokens]
    return _pack(text, starts, 0, n, entities, max_words, True)

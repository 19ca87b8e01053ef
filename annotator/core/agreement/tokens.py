"""Token labels (IO) and the token statistics of docs/agreement.md 3.2-3.3: Cohen, Fleiss, alpha.

Two layers. ``token_labels`` is the readable per-document rule. ``tokenize_corpus`` and
``label_tokens`` do the same for a whole corpus at once with numpy (one small-int label per
token per annotator). The three statistics are computed from confusion matrices of token
codes (category 0 is ``O``): Cohen's kappa from one pair's matrix, Fleiss' kappa and
Krippendorff's alpha from the matrices of every pair, split by how many annotators submitted
each document. That reduction is exact: for a token judged by m annotators,
``sum_j n_ij^2 = m + 2 * (agreeing pairs)``, and each of the m values pairs with m - 1 others.
The list-based ``cohen_kappa``, ``fleiss_kappa`` and ``krippendorff_alpha`` build the same
matrices, so the tests that hold them against the reference libraries cover the report's path.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.core.agreement.spans import SpanTuple
from annotator.core.tokens import TokenIndex

IntArray = npt.NDArray[np.int64]
Codes = npt.NDArray[np.integer[Any]]  # small-int label codes (int8 in the report)
OUTSIDE = "O"  # the label of a token outside every span

_WORD = re.compile(r"\w")
_SPACE = re.compile(r"\s")
SPACE, WORD, OTHER = 0, 1, 2  # character classes: a token is a run of WORD or one OTHER


def token_labels(text: str, spans: Sequence[SpanTuple]) -> list[str]:
    """The IO label of every token of ``text`` (``O`` where no span overlaps it).

    Where several spans overlap a token the largest overlap wins, then the earliest start,
    then the longest span, then the alphabetically first label (the outer of nested spans).
    """
    index = TokenIndex(text)
    best: dict[int, tuple[int, int, int, str]] = {}
    for start, end, label in spans:
        first, last = index.token_range(start, end)
        for t in range(first, last):
            tok = index.tokens[t]
            shared = min(tok.end, end) - max(tok.start, start)
            key = (-shared, start, start - end, label)
            if shared > 0 and (t not in best or key < best[t]):
                best[t] = key
    return [best[t][3] if t in best else OUTSIDE for t in range(len(index.tokens))]


# -- the whole corpus at once -----------------------------------------------------------------


def _class_of(char: str) -> int:
    if _WORD.match(char):
        return WORD
    return SPACE if _SPACE.match(char) else OTHER


_ASCII_CLASS = np.array([_class_of(chr(i)) for i in range(128)], dtype=np.uint8)


@lru_cache(maxsize=65536)
def _code_point_class(cp: int) -> int:
    return _class_of(chr(cp))


def _char_classes(text: str) -> npt.NDArray[np.uint8]:
    """The class of every character of a non-ASCII text (classified per distinct character)."""
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _ASCII_CLASS[np.minimum(cps, 127)]
    wide = np.flatnonzero(cps > 127)
    distinct, inverse = np.unique(cps[wide], return_inverse=True)
    table = np.fromiter((_code_point_class(int(c)) for c in distinct), np.uint8, len(distinct))
    classes[wide] = table[inverse]
    return classes


# bytes.translate tables: ASCII byte -> 1 if of the class, else 0 (other bytes never occur)
_IS_WORD = bytes(int(c == WORD) for c in _ASCII_CLASS.tolist()) + bytes(128)
_IS_OTHER = bytes(int(c == OTHER) for c in _ASCII_CLASS.tolist()) + bytes(128)


@dataclass(frozen=True)
class TokenTable:
    """The tokens of many texts laid end to end, one separator character between texts.

    ``starts``/``ends`` are positions in that layout; text ``k`` begins at ``offsets[k]`` and
    holds tokens ``doc_first[k]:doc_first[k + 1]``.
    """

    starts: IntArray
    ends: IntArray
    offsets: IntArray
    doc_first: IntArray

    @property
    def counts(self) -> IntArray:
        """Tokens per text."""
        return np.diff(self.doc_first)

    def __len__(self) -> int:
        return len(self.starts)


def layout(texts: Sequence[str]) -> IntArray:
    """Where each text starts when the texts are laid end to end, one separator between."""
    lengths = np.fromiter((len(t) for t in texts), np.int64, len(texts))
    offsets = np.zeros(len(texts), np.int64)
    if len(texts) > 1:
        np.cumsum(lengths[:-1] + 1, out=offsets[1:])
    return offsets


def untokenized(texts: Sequence[str]) -> TokenTable:
    """The layout of ``texts`` without their tokens (for span-only comparisons)."""
    empty = np.zeros(0, np.int64)
    return TokenTable(empty, empty, layout(texts), np.zeros(len(texts) + 1, np.int64))


def tokenize_corpus(texts: Sequence[str]) -> TokenTable:
    """Tokenize every text with the regex rule ``\\w+|[^\\w\\s]``, vectorized.

    ASCII texts are classified over their joined bytes at once; the others character by
    distinct character (through the regex itself, so ``\\w`` means what ``re``
    says it means).
    """
    offsets = layout(texts)
    word, other = char_flags(texts, offsets)
    return token_table(word, other, offsets)


def char_flags(
    texts: Sequence[str], offsets: IntArray
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Per position of the texts laid end to end (``offsets``, one separator between):
    whether it is a word character, and whether it is a token of its own (``OTHER``)."""
    # ASCII texts are classified byte by byte with bytes.translate (as fast as a copy); the
    # others get a placeholder, overwritten below.
    joined = bytearray(
        b"\n".join(t.encode("ascii") if t.isascii() else b" " * len(t) for t in texts)
    )
    word = np.frombuffer(joined.translate(_IS_WORD), dtype=bool)
    other = np.frombuffer(joined.translate(_IS_OTHER), dtype=bool)
    for k, text in enumerate(texts):
        if not text.isascii():
            classes = _char_classes(text)
            word[offsets[k] : offsets[k] + len(text)] = classes == WORD
            other[offsets[k] : offsets[k] + len(text)] = classes == OTHER
    return word, other


def token_table(
    word: npt.NDArray[np.bool_], other: npt.NDArray[np.bool_], offsets: IntArray
) -> TokenTable:
    """Every token's bounds from the characters' flags (``char_flags``)."""
    start_pos, doc_first = token_starts(word, other, offsets)
    # A token ends at every OTHER and at a WORD not followed by a WORD.
    ends = other.copy()
    if len(word):
        ends[-1] |= word[-1]
        ends[:-1] |= word[:-1] & ~word[1:]
    end_pos = np.flatnonzero(ends).astype(np.int64) + 1
    return TokenTable(start_pos, end_pos, offsets, doc_first)


def token_starts(
    word: npt.NDArray[np.bool_], other: npt.NDArray[np.bool_], offsets: IntArray
) -> tuple[IntArray, IntArray]:
    """Where each token starts (every OTHER, and a WORD not preceded by a WORD), and each
    text's first token followed by the number of tokens."""
    starts = other.copy()
    if len(word):
        starts[0] |= word[0]
        starts[1:] |= word[1:] & ~word[:-1]
    start_pos = np.flatnonzero(starts).astype(np.int64)
    doc_first = np.append(np.searchsorted(start_pos, offsets), len(start_pos)).astype(np.int64)
    return start_pos, doc_first


def expand_ranges(first: IntArray, last: IntArray) -> tuple[IntArray, IntArray]:
    """For ranges ``[first_k, last_k)``: (k, i) for every i of every range, in order."""
    n = np.maximum(last - first, 0)
    owner = np.repeat(np.arange(len(first), dtype=np.int64), n)
    step = np.arange(len(owner), dtype=np.int64) - np.repeat(np.cumsum(n) - n, n)
    return owner, first[owner] + step


def label_tokens(
    table: TokenTable,
    starts: IntArray,
    ends: IntArray,
    codes: Codes,
    tie_rank: Codes,
) -> npt.NDArray[np.int8]:
    """Label code of every token (0 = ``O``) for one annotator's spans (layout positions).

    ``tie_rank`` orders the labels alphabetically, the last tie-break of ``token_labels``.
    """
    labels = np.zeros(len(table), np.int8)
    first = np.searchsorted(table.ends, starts, side="right")
    last = np.searchsorted(table.starts, ends, side="left")
    span, tok = expand_ranges(first, last)
    if len(tok) == 0:
        return labels
    if np.all(tok[1:] > tok[:-1]):  # no token is shared by two spans: the common case
        labels[tok] = codes[span]
        return labels
    shared = np.minimum(table.ends[tok], ends[span]) - np.maximum(table.starts[tok], starts[span])
    longest_first = starts[span] - ends[span]
    order = np.lexsort((tie_rank[codes[span]], longest_first, starts[span], -shared, tok))
    tok, span = tok[order], span[order]
    winner = np.ones(len(tok), bool)
    winner[1:] = tok[1:] != tok[:-1]
    labels[tok[winner]] = codes[span[winner]]
    return labels


def grouped_confusion(
    ya: Codes,
    yb: Codes,
    groups: Codes,
    n_groups: int,
    k: int,
) -> IntArray:
    """Counts ``[g, code_a, code_b]`` over the tokens whose group ``g`` is not negative."""
    keep = groups >= 0
    flat = (groups[keep] * k + ya[keep]) * k + yb[keep]
    return np.bincount(flat, minlength=n_groups * k * k).reshape(n_groups, k, k).astype(np.int64)


# -- the statistics ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kappa:
    """A kappa with what it was computed from. ``value`` is None when undefined (``reason``)."""

    value: float | None
    observed: float | None  # p_o (Cohen) or P-bar (Fleiss)
    expected: float | None  # p_e or P-bar_e
    items: int  # tokens
    reason: str | None = None


@dataclass(frozen=True)
class Alpha:
    """Krippendorff's alpha (nominal) with its disagreements; None when undefined."""

    value: float | None
    observed_disagreement: float | None  # D_o
    expected_disagreement: float | None  # D_e
    pairable_values: int  # n
    units: int
    reason: str | None = None


def _one_category(counts: IntArray) -> str:
    used = np.flatnonzero(counts)
    if len(used) == 1 and used[0] == 0:
        return "every token is O"
    return "every token has the same label"


def cohen_from_confusion(confusion: IntArray) -> Kappa:
    """Cohen's kappa of a K x K confusion matrix of two annotators' codes."""
    n = int(confusion.sum())
    if n == 0:
        return Kappa(None, None, None, 0, "no tokens to compare")
    rows = confusion.sum(axis=1)
    cols = confusion.sum(axis=0)
    observed = float(np.trace(confusion)) / n
    chance = int(rows @ cols)  # integers: p_e == 1 is decided exactly
    expected = chance / (n * n)
    if chance == n * n:
        return Kappa(None, observed, expected, n, _one_category(rows + cols))
    return Kappa((observed - expected) / (1 - expected), observed, expected, n)


def fleiss_from_confusions(confusions: Sequence[IntArray], raters: int) -> Kappa:
    """Fleiss' kappa from the K x K matrices of every pair of ``raters`` annotators, each
    counted over the same items (the documents all of them submitted)."""
    if raters < 2 or not confusions:
        return Kappa(None, None, None, 0, "fewer than two annotators")
    agree = sum(int(np.trace(c)) for c in confusions)
    totals = sum(c.sum(axis=0) + c.sum(axis=1) for c in confusions)
    per_category = np.asarray(totals, np.int64) // (raters - 1)  # sum_i n_ij
    ratings = int(per_category.sum())
    items = ratings // raters
    if items == 0:
        return Kappa(None, None, None, 0, "no tokens rated by every annotator")
    observed = 2 * agree / (items * raters * (raters - 1))
    squares = int(per_category @ per_category)
    expected = squares / (ratings * ratings)
    if squares == ratings * ratings:
        return Kappa(None, observed, expected, items, _one_category(per_category))
    return Kappa((observed - expected) / (1 - expected), observed, expected, items)


def alpha_from_grouped(grouped: Sequence[IntArray]) -> Alpha:
    """Krippendorff's alpha (nominal) from every pair's ``[m, code_a, code_b]`` counts.

    ``m`` is the number of annotators who gave the unit a value; units with ``m < 2`` never
    reach a pair's counts (they cannot be paired).
    """
    if not grouped:
        return Alpha(None, None, None, 0, 0, "fewer than two annotators")
    n_groups, k, _ = grouped[0].shape
    values = np.zeros(k, np.int64)  # n_c
    coincide = 0.0  # sum_c o_cc
    units = 0
    for m in range(2, n_groups):
        traces = sum(int(np.trace(g[m])) for g in grouped)
        margins = np.asarray(sum(g[m].sum(axis=0) + g[m].sum(axis=1) for g in grouped))
        values += margins // (m - 1)
        units += int(margins.sum()) // (m - 1) // m
        coincide += 2 * traces / (m - 1)
    n = int(values.sum())
    if n == 0:
        return Alpha(None, None, None, 0, 0, "no token has values from two annotators")
    squares = int(values @ values)
    observed = (n - coincide) / n
    expected = (n * n - squares) / (n * (n - 1))
    if squares == n * n:
        return Alpha(None, observed, expected, n, units, _one_category(values))
    return Alpha(1 - observed / expected, observed, expected, n, units)


# -- the same statistics from plain label lists (for callers and for the oracle tests) -------


def _codes(*rows: Sequence[Hashable | None]) -> tuple[dict[Hashable, int], int]:
    """Category codes: ``O`` (when present) first, then the others in order of appearance."""
    seen: dict[Hashable, int] = {}
    for row in rows:
        for value in row:
            if value is not None and value not in seen:
                seen[value] = len(seen)
    if OUTSIDE in seen:
        order = [OUTSIDE, *(v for v in seen if v != OUTSIDE)]
        seen = {v: i for i, v in enumerate(order)}
    return seen, max(len(seen), 1)


def cohen_kappa(ya: Sequence[Hashable], yb: Sequence[Hashable]) -> Kappa:
    """Cohen's kappa of two equally long label sequences."""
    if len(ya) != len(yb):
        raise ValueError(f"label sequences differ in length ({len(ya)} and {len(yb)})")
    codes, k = _codes(ya, yb)
    confusion = np.zeros((k, k), np.int64)
    np.add.at(confusion, ([codes[v] for v in ya], [codes[v] for v in yb]), 1)
    return cohen_from_confusion(confusion)


def _pair_matrices(rows: Sequence[Sequence[Hashable | None]]) -> list[IntArray]:
    """``[m, code_a, code_b]`` counts of every pair of rows (None = missing)."""
    codes, k = _codes(*rows)
    n_units = len(rows[0]) if rows else 0
    if any(len(r) != n_units for r in rows):
        raise ValueError("every annotator needs a value (or None) for every unit")
    coded = np.array([[codes[v] if v is not None else -1 for v in r] for r in rows], np.int64)
    coded = coded.reshape(len(rows), n_units)
    m = (coded >= 0).sum(axis=0)
    out = []
    for a in range(len(rows)):
        for b in range(a + 1, len(rows)):
            both = (coded[a] >= 0) & (coded[b] >= 0)
            groups = np.where(both, m, -1)
            out.append(grouped_confusion(coded[a], coded[b], groups, len(rows) + 1, k))
    return out


def fleiss_kappa(ratings: Sequence[Sequence[Hashable]]) -> Kappa:
    """Fleiss' kappa of ``ratings[rater][item]`` (every rater rates every item)."""
    grouped = _pair_matrices(ratings)
    return fleiss_from_confusions([g[len(ratings)] for g in grouped], len(ratings))


def krippendorff_alpha(data: Sequence[Sequence[Hashable | None]]) -> Alpha:
    """Krippendorff's alpha (nominal) of ``data[coder][unit]``, None for a missing value."""
    return alpha_from_grouped(_pair_matrices(data))


__all__ = [
    "OUTSIDE",
    "Alpha",
    "Kappa",
    "TokenTable",
    "alpha_from_grouped",
    "char_flags",
    "cohen_from_confusion",
    "cohen_kappa",
    "fleiss_from_confusions",
    "fleiss_kappa",
    "grouped_confusion",
    "krippendorff_alpha",
    "label_tokens",
    "token_labels",
    "token_starts",
    "token_table",
    "tokenize_corpus",
]

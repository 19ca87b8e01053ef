"""Token labels and confusions kept sparse: the numbers ``tokenize_corpus``, ``label_tokens``
and ``grouped_confusion`` give, made without a token's end, nor a label per token.

A report's parts need, per document, how many tokens it has and, per annotator, the label of
every token a span touches; every other token is ``O`` for both sides of a pair. So only the
tokens' starts are listed, and a span ``[s, e)`` touches the tokens from (the tokens starting
before ``s``) less ``straddle(s)`` to (the tokens starting before ``e``), ``straddle(s)``
being 1 when a word runs across ``s`` (the only way a token starting before ``s`` can end
after it: every other token is one character). That is exactly the range the two binary
searches of ``label_tokens`` give over the starts and the ends (``tests/core/
test_sparse_tokens.py`` holds them equal). A pair's token confusion is counted over the
tokens either side labelled; its ``O``-``O`` cell is the document's tokens less those. The
tokens' ends are made only when two spans of one annotator share a token (the largest
overlap wins, as in ``label_tokens``).

(A count of the tokens before every character, a cumulative sum, was tried in place of the
binary searches: the sum over every character cost more than the searches it saved.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from annotator.core.agreement.tokens import (
    Codes,
    IntArray,
    TokenTable,
    char_flags,
    expand_ranges,
    layout,
    token_starts,
    token_table,
)

Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class CharTokens:
    """The tokens of texts laid end to end as ``TokenTable`` lays them: their starts."""

    word: Bools  # per layout position: a word character
    other: Bools  # per layout position: a character that is a token of its own
    starts: IntArray  # where each token starts
    offsets: IntArray  # where each text starts
    doc_first: IntArray  # the first token of each text, then the number of tokens
    _bounds: list[TokenTable] = field(default_factory=list, compare=False, repr=False)

    @property
    def counts(self) -> IntArray:
        """Tokens per text."""
        return np.diff(self.doc_first)

    def table(self) -> TokenTable:
        """Every token's bounds (made once, when first asked for)."""
        if not self._bounds:
            self._bounds.append(token_table(self.word, self.other, self.offsets))
        return self._bounds[0]


def char_tokens(texts: Sequence[str]) -> CharTokens:
    """The tokens' starts of ``texts`` (the rule of ``tokenize_corpus``)."""
    offsets = layout(texts)
    word, other = char_flags(texts, offsets)
    starts, doc_first = token_starts(word, other, offsets)
    return CharTokens(word, other, starts, offsets, doc_first)


def token_ranges(chars: CharTokens, starts: IntArray, ends: IntArray) -> tuple[IntArray, IntArray]:
    """The tokens ``[first, last)`` each span ``[starts, ends)`` (layout positions, in one
    text, not empty) overlaps: ``label_tokens``'s binary searches, without the ends."""
    first = np.searchsorted(chars.starts, starts, side="left")
    inside = starts > 0  # the text's first position follows a separator (or nothing)
    at = starts[inside]
    first[inside] -= (chars.word[at - 1] & chars.word[at]).astype(np.int64)
    return first, np.searchsorted(chars.starts, ends, side="left")


@dataclass(frozen=True)
class Labelled:
    """One annotator's token labels where not ``O``: the tokens in order, their codes and
    their texts."""

    tokens: IntArray
    codes: IntArray
    docs: IntArray


def label_spans(
    chars: CharTokens,
    starts: IntArray,
    ends: IntArray,
    codes: Codes,
    docs: IntArray,
    tie_rank: Codes,
) -> Labelled:
    """``label_tokens``'s labels of the tokens the spans touch (codes not 0), the rest ``O``;
    ``docs``: each span's text."""
    first, last = token_ranges(chars, starts, ends)
    span, tok = expand_ranges(first, last)
    if len(tok) == 0:
        return Labelled(tok, tok, tok)
    if not np.all(tok[1:] > tok[:-1]):  # a token shared by two spans: the largest overlap
        table = chars.table()
        shared = np.minimum(table.ends[tok], ends[span]) - np.maximum(
            table.starts[tok], starts[span]
        )
        longest_first = starts[span] - ends[span]
        order = np.lexsort((tie_rank[codes[span]], longest_first, starts[span], -shared, tok))
        tok, span = tok[order], span[order]
        winner = np.ones(len(tok), bool)
        winner[1:] = tok[1:] != tok[:-1]
        tok, span = tok[winner], span[winner]
    # the int8 of ``label_tokens``' labels
    return Labelled(tok, codes[span].astype(np.int8).astype(np.int64), docs[span])


def sparse_confusion(
    chars: CharTokens, a: Labelled, b: Labelled, both: Bools, k: int
) -> npt.NDArray[np.int64]:
    """Per document ``[d, code_a * k + code_b]`` over the tokens of the documents ``both``
    submitted (zero rows elsewhere): ``grouped_confusion``'s counts."""
    n = len(both)
    # each of b's tokens among a's, or not
    at = np.minimum(np.searchsorted(a.tokens, b.tokens), max(len(a.tokens) - 1, 0))
    shared = a.tokens[at] == b.tokens if len(a.tokens) else np.zeros(len(b.tokens), bool)
    yb = np.zeros(len(a.tokens), np.int64)
    yb[at[shared]] = b.codes[shared]
    alone = ~shared
    doc = np.concatenate([a.docs, b.docs[alone]])
    ya = np.concatenate([a.codes, np.zeros(int(alone.sum()), np.int64)])
    yb = np.concatenate([yb, b.codes[alone]])
    keep = both[doc]
    doc, ya, yb = doc[keep], ya[keep], yb[keep]
    out = np.bincount((doc * k + ya) * k + yb, minlength=n * k * k).reshape(n, k * k)
    out[:, 0] += np.where(both, chars.counts - np.bincount(doc, minlength=n), 0)
    return out.astype(np.int64)


__all__ = ["CharTokens", "Labelled", "char_tokens", "label_spans", "sparse_confusion"]

"""One article while the rules run over it: its tokens, their layout, and which rule took each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.suggest.gazetteer import UNLABELLED
from annotator.core.suggest.layout import Layout
from annotator.core.suggest.record import Suggestion
from annotator.core.tokens import Token

Cand = tuple[int, int, Suggestion]
OPAQUE = UNLABELLED  # tokens of a name with no label: no phase takes them, nothing is shown


def cap(word: str) -> bool:
    """The word starts with an upper-case letter."""
    return bool(word) and word[0].isupper() and word[0].isalpha()


@dataclass
class Article:
    """Tokens, their strings, line joins and layout; per token the label that took it."""

    text: str
    tokens: list[Token]
    words: list[str]
    gaps_ok: list[bool]
    lay: Layout
    owner: list[str | None] = field(default_factory=list)
    found: list[Cand] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.owner = [None] * len(self.tokens)

    def free(self, i: int, j: int) -> bool:
        """No rule took any of the tokens ``[i, j)``."""
        return all(o is None for o in self.owner[i:j])

    def single_space(self, k: int) -> bool:
        """Tokens ``k`` and ``k + 1`` are separated by exactly one space."""
        return self.text[self.tokens[k].end : self.tokens[k + 1].start] == " "

    def glued(self, k: int) -> bool:
        """Nothing separates tokens ``k`` and ``k + 1``."""
        return self.tokens[k].end == self.tokens[k + 1].start

    def suggestion(self, i: int, j: int, label: str, source: str, score: float) -> Suggestion:
        """The suggestion for tokens ``[i, j)``."""
        return Suggestion(
            start=self.tokens[i].start,
            end=self.tokens[j - 1].end,
            label=label,
            source=source,
            score=score,
        )

    def take(self, i: int, j: int, sug: Suggestion) -> bool:
        """Record ``sug`` over tokens ``[i, j)`` if they are all free."""
        if i >= j or not self.free(i, j):
            return False
        for k in range(i, j):
            self.owner[k] = sug.label
        self.found.append((i, j, sug))
        return True

    def take_all(self, cands: Iterable[Cand]) -> None:
        """Take candidates longest first (then by score, then leftmost)."""
        for i, j, sug in sorted(cands, key=lambda c: (c[0] - c[1], -c[2].score, c[0])):
            self.take(i, j, sug)

    def release(self, i: int, j: int) -> None:
        """Give back every found span inside ``[i, j)`` (a longer entity replaces them)."""
        keep = []
        for a, b, sug in self.found:
            if i <= a and b <= j:
                for k in range(a, b):
                    self.owner[k] = None
            else:
                keep.append((a, b, sug))
        self.found = keep

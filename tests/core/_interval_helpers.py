"""Simulated annotators with a known agreement, for the confidence interval tests.

Every document is a run of one-word tokens. A word is an entity (PERSON) with probability
``entity``; each annotator marks an entity with probability ``hit`` and any other word with
probability ``false``, independently. Words and documents are independent, so the population
values of every figure follow from the per-word probabilities (large-sample limits):

- q11, the chance two annotators both mark a word, and q10, that one marks it and not the other;
- strict span F1 (spans are single words) = 2 E[C] / (E[|A|] + E[|B|]) = q11 / (q11 + q10);
- Cohen's kappa = (p_o - p_e) / (1 - p_e) with p_o = q11 + q00, p_e = r^2 + (1 - r)^2 and
  r = q11 + q10 the chance one annotator marks a word; with exchangeable annotators Fleiss'
  kappa and Krippendorff's alpha have the same limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from annotator.core.agreement.corpus import Corpus

WORD = "kata"


@dataclass(frozen=True)
class Simulation:
    """The annotators' behaviour, and the population values it implies."""

    entity: float = 0.3
    hit: float = 0.8
    false: float = 0.05
    words: int = 30

    @property
    def q11(self) -> float:
        return self.entity * self.hit**2 + (1 - self.entity) * self.false**2

    @property
    def q10(self) -> float:
        e, h, f = self.entity, self.hit, self.false
        return e * h * (1 - h) + (1 - e) * f * (1 - f)

    @property
    def f1(self) -> float:
        return self.q11 / (self.q11 + self.q10)

    @property
    def kappa(self) -> float:
        q00 = 1 - self.q11 - 2 * self.q10
        r = self.q11 + self.q10
        observed, expected = self.q11 + q00, r * r + (1 - r) * (1 - r)
        return (observed - expected) / (1 - expected)

    def corpus(self, documents: int, annotators: int, rng: np.random.Generator) -> Corpus:
        """``documents`` simulated documents, every one submitted by every annotator."""
        text = " ".join([WORD] * self.words)
        starts = [i * (len(WORD) + 1) for i in range(self.words)]
        names = [f"a{k}" for k in range(annotators)]
        marks: dict[str, dict[str, list[tuple[int, int, str]]]] = {n: {} for n in names}
        for d in range(documents):
            doc = f"d{d:04d}"
            entity = rng.random(self.words) < self.entity
            for name in names:
                chance = np.where(entity, self.hit, self.false)
                marked = np.flatnonzero(rng.random(self.words) < chance)
                marks[name][doc] = [(starts[w], starts[w] + len(WORD), "PERSON") for w in marked]
        texts = {f"d{d:04d}": text for d in range(documents)}
        return Corpus.from_spans(texts, marks)

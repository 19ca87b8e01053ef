"""Where each token stands in an article: at a line start, a sentence start, in a headline.

News capitalises more than names: every word of a Title Case headline ("Joko Widodo Resmikan
Bendungan Karian") and the first word of every sentence. The rules read a capital letter as
evidence of a name only where it is not explained by these, so they need to know, per token:

- ``line_start``: the first word-like token of its line (only symbols such as "📌" before it);
- ``sentence_start``: the first word of a sentence: at a line start, after ``.``, ``!`` or
  ``?`` and a space (not "M.Kes"), after a dateline's dash, or after an opening quote there;
- ``headline``: on a Title Case line, where at least four words in five are capitalised
  (prepositions and conjunctions aside) and which does not end with a full stop. A byline
  ("Penulis: ...") is not a headline; a "Baca juga: ..." line is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.tokens import Token

# Lower-case words a Title Case headline keeps small: "Kembali ke Jakarta", "Menang atas Vietnam"
SMALL_WORDS = frozenset(
    {
        "di", "ke", "dari", "dan", "atau", "untuk", "yang", "dengan", "pada", "dalam",
        "oleh", "bagi", "soal", "atas", "serta", "tentang", "usai", "jadi", "juga", "the",
        "of", "and", "in", "on", "at", "for", "to", "a", "an", "vs",
    }
)  # fmt: skip
ENDS = frozenset({".", "!", "?"})
QUOTES = frozenset({'"', "\u201c", "'", "\u2018", "(", "["})
DASHES = frozenset({"-", "\u2013", "\u2014"})
MIN_HEADLINE_WORDS = 3
HEADLINE_SHARE = 0.8


@dataclass(frozen=True)
class Layout:
    """Per-token flags (see the module docstring)."""

    line_start: list[bool]
    sentence_start: list[bool]
    headline: list[bool]


def _is_word(word: str) -> bool:
    first = word[:1]
    return (first.isalnum() or first == "_") and not word.isdigit()


def _headline_line(words: Sequence[str], byline_cues: frozenset[str]) -> bool:
    first = next((w for w in words if _is_word(w)), "")
    if first in byline_cues or (words and words[-1] == "."):
        return False  # a byline, or a sentence (headlines end without a full stop)
    counted = capitalised = 0
    for word in words:
        if not _is_word(word) or len(word) < 2 or word in SMALL_WORDS:
            continue
        counted += 1
        capitalised += word[0].isupper()
    return counted >= MIN_HEADLINE_WORDS and capitalised >= HEADLINE_SHARE * counted


def layout(
    text: str, tokens: Sequence[Token], words: Sequence[str], byline_cues: frozenset[str]
) -> Layout:
    """The flags of every token of ``text`` (``words`` are the tokens' strings)."""
    n = len(tokens)
    line_start = [False] * n
    sentence_start = [False] * n
    headline = [False] * n
    line_first = 0
    seen_word = False
    boundary = True  # the next word opens a sentence
    for k in range(n):
        new_line = k == 0 or "\n" in text[tokens[k - 1].end : tokens[k].start]
        if new_line:
            if k > 0:
                _mark(headline, line_first, k, words, byline_cues)
            line_first, seen_word, boundary = k, False, True
        word = words[k]
        if word[:1].isalnum() or word[:1] == "_":
            line_start[k] = not seen_word
            sentence_start[k] = boundary and _is_word(word)
            seen_word, boundary = True, False
        elif word in ENDS or word in DASHES:
            spaced = k + 1 < n and tokens[k].end < tokens[k + 1].start
            # "M.Kes" and "30/08" are not sentence ends; "Presiden. Ia" and "JAKARTA - Ia" are
            if spaced and (word in ENDS or (k > 0 and tokens[k - 1].end < tokens[k].start)):
                boundary = True
        elif word not in QUOTES:
            boundary = boundary and word in (":", "|")
    _mark(headline, line_first, n, words, byline_cues)
    return Layout(line_start, sentence_start, headline)


def _mark(
    headline: list[bool], a: int, b: int, words: Sequence[str], byline_cues: frozenset[str]
) -> None:
    if b > a and _headline_line(words[a:b], byline_cues):
        for k in range(a, b):
            headline[k] = True

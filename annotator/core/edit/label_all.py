"""Label-all-occurrences: where else a span's text occurs, and which occurrences to leave alone.

An occurrence is a case-sensitive match of the span's text that begins and ends on token
boundaries (``Aceh`` does not occur inside ``Acehnese``). Of those, two kinds are left alone
and reported, because labelling them would go against what the annotator or the guidelines
decided:

- one that overlaps a span already there (the annotator decided there);
- a bare occurrence that is part of a longer capitalised name: "Kemendagri" in "Kemendagri
  RI", "Makassar" in "Kota Makassar". The guidelines want the longer name, and only a person
  can tell where it ends. A neighbouring word counts as part of the name when it starts with
  a capital letter and is joined to the occurrence by a single space (no punctuation, no line
  break). A capitalised word that starts a sentence does not count: most are ordinary words
  ("Menurut Kemendagri", "Di Makassar"), so a name that starts a sentence ("Pemprov
  Makassar.") is labelled all the same, and the annotator sees it in the span list.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.edit.change import Skipped, SkipReason
from annotator.core.model import Span
from annotator.core.span_ops import overlaps_any
from annotator.core.tokens import TokenIndex

SENTENCE_END = ".!?\n"


def occurrences(
    text: str, needle: str, tokens: TokenIndex, spans: Sequence[Span], longer_names: bool = True
) -> tuple[list[tuple[int, int]], list[Skipped]]:
    """``(free, skipped)``: the occurrences of ``needle`` to label, and those left alone.

    ``spans`` are the document's sorted, flat spans; the occurrence a span already covers
    exactly is neither free nor reported (it is that span).
    """
    free: list[tuple[int, int]] = []
    skipped: list[Skipped] = []
    if not needle:
        return free, skipped
    pos, free_from = text.find(needle), 0
    while pos != -1:
        end = pos + len(needle)
        if pos >= free_from and tokens.is_aligned(pos, end):  # occurrences may overlap
            if overlaps_any(spans, pos, end):
                if not _is_span(spans, pos, end):
                    skipped.append(Skipped(pos, end, SkipReason.OVERLAPS_SPAN))
            elif longer_names and in_longer_name(text, pos, end):
                skipped.append(Skipped(pos, end, SkipReason.LONGER_NAME))
            else:
                free.append((pos, end))
                free_from = end
        pos = text.find(needle, pos + 1)
    return free, skipped


def _is_span(spans: Sequence[Span], start: int, end: int) -> bool:
    return any(s.start == start and s.end == end for s in spans if s.start <= start < s.end)


def in_longer_name(text: str, start: int, end: int) -> bool:
    """True when ``[start, end)`` is joined by one space to a capitalised word on either side
    (a word that only starts a sentence does not count)."""
    # the word after: "Kemendagri RI"
    if end + 1 < len(text) and text[end] == " " and _capitalised(text, end + 1):
        return True
    # the word before: "Kota Makassar" (but not "Menurut Kemendagri" at a sentence start)
    if start >= 2 and text[start - 1] == " " and text[start - 2].isalnum():
        word_start = start - 1
        while word_start > 0 and text[word_start - 1].isalnum():
            word_start -= 1
        if _capitalised(text, word_start) and not _starts_sentence(text, word_start):
            return True
    return False


def longer_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the longer name around ``[start, end)`` runs: the capitalised words joined to it
    by one space on either side (by ``in_longer_name``'s rule), to show a person what was left
    for them ("Kemendagri" -> "Kemendagri RI")."""
    while start >= 2 and text[start - 1] == " " and text[start - 2].isalnum():
        word = start - 1
        while word > 0 and text[word - 1].isalnum():
            word -= 1
        if not _capitalised(text, word) or _starts_sentence(text, word):
            break
        start = word
    while end + 1 < len(text) and text[end] == " " and _capitalised(text, end + 1):
        word_end = end + 1
        while word_end < len(text) and text[word_end].isalnum():
            word_end += 1
        end = word_end
    return start, end


def _capitalised(text: str, pos: int) -> bool:
    return pos < len(text) and text[pos].isupper()


def _starts_sentence(text: str, pos: int) -> bool:
    """True when only spaces separate ``pos`` from the start of the text or a sentence end."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in SENTENCE_END

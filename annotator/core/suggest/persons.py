"""Person names from context: after a title or cue (``Dr``, ``Bapak``, ``Gubernur``, ``kata``),
before a degree (``MSi``, ``DPhil``), and their other mentions in the same article.

A PERSON span is the name only: ``Dr Safrizal ZA MSi`` gives ``Safrizal ZA``. Position words
between a title and a name are skipped (``Menteri Dalam Negeri Tito Karnavian`` gives
``Tito Karnavian``), and a capitalised run that runs straight into an agency or a place is
taken for a unit's name, not a person's (``Direktur Jenderal Bina Administrasi Kewilayahan
Kemendagri``).
"""

from __future__ import annotations

import re
import unicodedata

from annotator.core.suggest import record as rec
from annotator.core.suggest.gazetteer import Entry, Resources, Trie
from annotator.core.suggest.record import Suggestion
from annotator.core.tokens import Token

SEPARATE_OK = ("", " ")
WORD_RE = re.compile(r"\w")
UNIT_JOINERS = frozenset({"dan", "serta", "&"})
OPENERS = frozenset({",", ".", ";", ":", '"', "\u201c"})


def _capitalised(word: str) -> bool:
    if not word or not word[0].isupper() or not word[0].isalpha():
        return False
    return not (word.isupper() and len(word) > 4)  # a headline word or acronym, not a name


class _Scan:
    def __init__(
        self,
        text: str,
        tokens: list[Token],
        words: list[str],
        gaps_ok: list[bool],
        owner: list[str | None],
        res: Resources,
    ) -> None:
        self.text, self.tokens, self.words, self.gaps_ok, self.owner = (
            text,
            tokens,
            words,
            gaps_ok,
            owner,
        )
        self.titles, self.degrees, self.words_ = res.titles, res.degrees, res.words
        self.not_name = res.words.not_name
        self.n = len(words)
        # one pass: is each token the first word-ish token of its line?
        self.opens_line: list[bool] = []
        seen_word = False
        for k, token in enumerate(tokens):
            if k == 0 or "\n" in text[tokens[k - 1].end : token.start]:
                seen_word = False
            self.opens_line.append(not seen_word)
            seen_word = seen_word or bool(WORD_RE.match(words[k]))

    def name_word(self, word: str) -> bool:
        """Capitalised, not a headline word, not a position or sentence word."""
        return _capitalised(word) and word not in self.not_name

    def tight(self, k: int) -> bool:
        """Tokens ``k`` and ``k + 1`` are joined by nothing or one space."""
        return self.text[self.tokens[k].end : self.tokens[k + 1].start] in SEPARATE_OK

    def spaced(self, k: int) -> bool:
        """Whitespace follows token ``k`` (a sentence's full stop, not "M.Kes")."""
        return k + 1 < self.n and self.tokens[k].end < self.tokens[k + 1].start

    def line_start(self, i: int) -> bool:
        """Token ``i`` opens its line (only symbols such as a "📌" before it)."""
        return self.opens_line[i]

    def marks(self, k: int) -> int:
        """How many tokens after ``k`` are combining marks glued to it ("Rene" + U+0301)."""
        m = 0
        while (
            k + m + 1 < self.n
            and self.tokens[k + m].end == self.tokens[k + m + 1].start
            and all(unicodedata.category(c).startswith("M") for c in self.words[k + m + 1])
        ):
            m += 1
        return m

    def is_degree(self, k: int) -> bool:
        return self.degrees.match(self.words, self.gaps_ok, k) is not None

    def run(self, k: int) -> tuple[int, int] | None:
        """The name starting at (or just after position words from) token ``k``."""
        words, n = self.words, self.n
        a, j, last, count = k, k, k, 0
        while j < n and count < 6 and self.owner[j] is None and not self.is_degree(j):
            w = words[j]
            if w in self.not_name and w[:1].isupper():
                if count:
                    return None  # "Direktur Jenderal Otonomi Daerah": a unit, not a name
                a = last = j + 1  # a position word before the name: start after it
            elif self.name_word(w):
                if count and self.titles.match(words, self.gaps_ok, j) is not None:
                    break
                count += 1
                j += self.marks(j)
                last = j + 1
                # an initial "W." keeps its dot; "Ma'ruf" keeps its apostrophe
                if j + 1 < n and words[j + 1] in (".", "'") and self.tight(j):
                    if words[j + 1] == "." and len(w) == 1:
                        last = j + 2
                        j += 1
                    elif words[j + 1] == "'" and j + 2 < n and words[j + 2][:1].islower():
                        last = j + 3
                        j += 2
            elif not (count and w in self.words_.name_connectors):
                if w in UNIT_JOINERS and j + 1 < n and _capitalised(words[j + 1]):
                    return None  # "Kepala Pusat Data dan Informasi": a unit's name
                break
            if j + 1 < n and not self.tight(j):
                break
            j += 1
        return (a, last) if last > a and count else None

    def appositive(self, k: int) -> list[tuple[int, int, float]]:
        """A name that opens a clause and is then reported on or aged.

        ``Kepala BPS Jatim, Dwi Hartanto Saputro, mengatakan``, ``..., Yohanes Bili Kaka,
        MPd, mengatakan`` (the degree skipped) and ``Jonner Simanjuntak (47), petani``.
        """
        if k >= self.n or self.owner[k] is not None:
            return []
        span = self.run(k)
        if span is None:
            return []
        a, b = span
        words, n = self.words, self.n
        if b + 2 < n and words[b] == "(" and words[b + 1].isdigit() and words[b + 2] == ")":
            return [(a, b, 0.7)]
        p = b
        while p < n:
            if words[p] == "," or (words[p] == "." and p > b and words[p - 1] != ","):
                p += 1
                continue
            hit = self.degrees.match(words, self.gaps_ok, p)
            if hit is None:
                break
            p = hit[0]
        if p > b and p < n and words[p - 1] == "," and words[p] in self.words_.post_verbs:
            return [(a, b, 0.7)]
        return []

    def after_cue(self, i: int) -> int | None:
        """Where a name may start after a title or cue at token ``i``, else None."""
        words = self.words
        hit = self.titles.match(words, self.gaps_ok, i)
        if hit is not None:
            j = hit[0]
        elif words[i] in self.words_.cues or (
            words[i] in self.words_.line_cues and self.line_start(i)
        ):
            j = i + 1
        else:
            return None
        # skip a dot or colon, more titles ("Prof. Dr. Ir. H."), and a body, place or
        # programme named between the position and the person ("Gubernur Jawa Barat Ridwan
        # Kamil", "Direktur Jakarta Smart City Yudhistira Nugraha")
        while j < self.n and self.gaps_ok[j - 1]:
            if words[j] in (".", ":"):
                j += 1
                continue
            more = self.titles.match(words, self.gaps_ok, j)
            if more is not None:
                j = more[0]
                continue
            if self.owner[j] in ("AGENCY", "CITY", "PROGRAM"):
                label = self.owner[j]
                while j < self.n and self.owner[j] == label:
                    j += 1
                continue
            break
        return j if j < self.n else None


def find_persons(
    text: str,
    tokens: list[Token],
    words: list[str],
    gaps_ok: list[bool],
    owner: list[str | None],
    res: Resources,
) -> list[tuple[int, int, Suggestion]]:
    """PERSON candidates ``(first token, end token, suggestion)`` on tokens nobody took."""
    scan = _Scan(text, tokens, words, gaps_ok, owner, res)
    cands: list[tuple[int, int, float]] = []
    n = len(words)
    for i in range(n):
        if owner[i] is not None:
            continue
        start = scan.after_cue(i)
        if start is not None and start > i:
            span = scan.run(start)
            if span is not None:
                a, b = span
                # a run straight into an agency or a place names a unit, not a person
                if not (
                    b < n and owner[b] is not None and owner[b] != "DATE" and scan.tight(b - 1)
                ):
                    cands.append((a, b, 0.8 if words[i] not in res.words.cues else 0.6))
        if scan.is_degree(i) and i > 0 and scan.tight(i - 1):
            a = i
            while (
                a > 0
                and i - a < 4
                and owner[a - 1] is None
                and scan.name_word(words[a - 1])
                and scan.gaps_ok[a - 1]
                and scan.tight(a - 1)
                and not scan.is_degree(a - 1)
                and scan.titles.match(words, gaps_ok, a - 1) is None
            ):
                a -= 1
            if a < i:
                cands.append((a, i, 0.7))
        if (words[i] in OPENERS and scan.spaced(i)) or scan.line_start(i):
            cands += scan.appositive(i if scan.line_start(i) and words[i] not in OPENERS else i + 1)
    # keep a flat set, then find the other mentions of each name in the article
    chosen: list[tuple[int, int, float]] = []
    taken = [False] * n
    for a, b, score in sorted(cands, key=lambda c: (-c[2], -(c[1] - c[0]), c[0])):
        if not any(taken[a:b]):
            chosen.append((a, b, score))
            for k in range(a, b):
                taken[k] = True
    # an alias in parentheses right after a name: "Joko Widodo (Jokowi)"
    for _a, b, _ in list(chosen):
        k = b
        if (
            k + 2 < n
            and words[k] == "("
            and words[k + 2] == ")"
            and scan.name_word(words[k + 1])
            and owner[k + 1] is None
            and not taken[k + 1]
        ):
            chosen.append((k + 1, k + 2, 0.7))
            taken[k + 1] = True
    mentions = Trie()
    for a, b, _ in chosen:
        name = words[a:b]
        mentions.add(" ".join(name), Entry("PERSON", rec.TITLE, 0.6), case_variants=False)
        if sum(1 for w in name if len(w) > 1) > 1:
            for w in name:
                if len(w) >= 4 and scan.name_word(w) and not w.isupper():
                    mentions.add(w, Entry("PERSON", rec.TITLE, 0.5), case_variants=False)
    for a, b, entry in mentions.find_all(words, gaps_ok):
        if any(taken[a:b]) or any(o is not None for o in owner[a:b]):
            continue
        # a lone name word inside a longer capitalised run is someone else's name part
        if b - a == 1 and (
            (a > 0 and scan.name_word(words[a - 1]) and scan.tight(a - 1))
            or (b < n and scan.name_word(words[b]) and scan.tight(b - 1))
        ):
            continue
        chosen.append((a, b, entry.score))
        for k in range(a, b):
            taken[k] = True
    return [
        (
            a,
            b,
            Suggestion(
                start=tokens[a].start,
                end=tokens[b - 1].end,
                label="PERSON",
                source=rec.TITLE,
                score=score,
            ),
        )
        for a, b, score in chosen
    ]

"""Reading person names off the tokens: where a name starts, what it may hold, where it ends.

A name is a run of capitalised words on one line, joined by one space at most: ``Barack
Obama``, ``Fikar W.Eda``, ``B.J. Habibie``, ``Shin Tae-yong`` (a lower-case part after a
hyphen), ``Ma'ruf Amin``, ``Abdurrachman bin Ali`` and ``Fabio Di Giannantonio`` (a connector
between two name words), ``Safrizal ZA`` (capitals of up to four letters). It stops at a word
that is never a name's (``not_name.txt``: positions, units, sentence openers), a title or a
degree, a country, a word another rule took, a capitalised role word opening a sentence, and
before ``-`` followed by a capital (``Heri Koswara-Sholihin`` is two people).

``phrase_end(j)`` skips what a position phrase holds between a title and the name:
``Menteri Kebudayaan, Komunitas, dan Pemuda Singapura Edwin Tong``, ``Kepala Bidang Pembinaan
dan Prestasi PBSI Rionny Mainaky``, ``Kapolres Bogor AKBP Rio``, ``Duta Besar RI untuk
Malaysia Hermono``, ``Direktur Jenderal ... Kemendagri, Dr Safrizal``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from annotator.core.suggest.gazetteer import Resources
from annotator.core.suggest.layout import Layout
from annotator.core.tokens import Token

SEPARATE_OK = ("", " ")
ROMAN = re.compile(r"[IVXLC]+")
MAX_NAME_WORDS = 6
ENTITIES = ("AGENCY", "CITY", "PROGRAM", "OPAQUE")
UNIT_JOINERS = frozenset({"dan", "serta", "&"})
# "Duta Besar RI untuk Malaysia Hermono", "Konsul Jenderal RI di Sydney Vedi"
PLACE_WORDS = frozenset({"untuk", "di", "asal", "dari"})
# A capitalised word that opens a sentence and is also a given name is read as the name
ROLE_NAMES = frozenset({"Putri", "Putra", "Ibu", "Bapak"})
# Words for kin: "Suami Hevearita, Alwin Basri," (the second name is the husband's)
KIN = frozenset(
    {
        "suami", "istri", "ayah", "ibu", "anak", "adik", "kakak", "putra", "putri", "kakek",
        "nenek", "cucu", "paman", "bibi", "keponakan", "menantu", "mertua", "janda", "duda",
        "kekasih", "pacar", "tunangan", "pasangan", "ayahanda", "ibunda", "saudara",
    }
)  # fmt: skip


def capitalised(word: str) -> bool:
    """A word as names are written: an upper-case letter first, not a word in capitals."""
    if not word or not word[0].isupper() or not word[0].isalpha():
        return False
    return not (word.isupper() and len(word) > 4)  # a headline word, not a name


def acronym(word: str) -> bool:
    """``PSSI``, ``ITDC``: three capitals or more (initials of people are shorter)."""
    return len(word) >= 3 and word.isupper() and word.isalpha()


class NameScanner:
    """One article's tokens, what the earlier rules took, and the name tests on them."""

    def __init__(
        self,
        text: str,
        tokens: Sequence[Token],
        words: Sequence[str],
        gaps_ok: Sequence[bool],
        owner: Sequence[str | None],
        res: Resources,
        lay: Layout,
    ) -> None:
        self.text, self.tokens, self.words, self.gaps_ok, self.owner = (
            text,
            tokens,
            words,
            gaps_ok,
            owner,
        )
        self.res, self.lay = res, lay
        self.lex = res.lexicon
        self.titles, self.degrees = res.titles, res.degrees
        self.n = len(words)
        self.connectors = res.words.name_connectors
        self._name_word: list[bool | None] = [None] * self.n
        # tokens inside a country's name ("Korea Selatan"): never a name's
        self.in_country = [False] * self.n
        for a, b, _ in self.lex.countries.find_all(list(words), list(gaps_ok)):
            for k in range(a, b):
                self.in_country[k] = True

    # -- single tokens ----------------------------------------------------------------------

    def gap(self, k: int) -> str:
        """What separates tokens ``k`` and ``k + 1``."""
        return self.text[self.tokens[k].end : self.tokens[k + 1].start]

    def tight(self, k: int) -> bool:
        """Tokens ``k`` and ``k + 1`` are joined by nothing or one space."""
        return k + 1 < self.n and self.gap(k) in SEPARATE_OK

    def glued(self, k: int) -> bool:
        """Nothing at all between tokens ``k`` and ``k + 1``."""
        return k + 1 < self.n and self.tokens[k].end == self.tokens[k + 1].start

    def title_end(self, k: int) -> int | None:
        """End of a title, position or honorific at ``k`` (``Kapolres``, ``Wali Kota``)."""
        if self.words[k] not in self.titles.root:
            return None
        hit = self.titles.match(self.words, self.gaps_ok, k)
        return hit[0] if hit is not None else None

    def degree_end(self, k: int) -> int | None:
        """End of an academic degree at ``k`` (``MSi``, ``S.H.``)."""
        if self.words[k] not in self.degrees.root:
            return None
        hit = self.degrees.match(self.words, self.gaps_ok, k)
        return hit[0] if hit is not None else None

    def country_end(self, k: int) -> int | None:
        """End of a country's name at ``k``."""
        if self.words[k] not in self.lex.countries.root:
            return None
        hit = self.lex.countries.match(self.words, self.gaps_ok, k)
        return hit[0] if hit is not None else None

    def role_end(self, k: int) -> int | None:
        """End of a role word at ``k`` (``pelatih``; ``Istri`` only when it opens a sentence)."""
        word = self.words[k]
        if word[:1].isupper() and (not self.lay.sentence_start[k] or word in ROLE_NAMES):
            return None
        if word in self.lex.roles.root:
            hit = self.lex.roles.match(self.words, self.gaps_ok, k)
            if hit is not None:
                return hit[0]
        # "istrinya", "lawannya": a role with its possessive
        if word.endswith("nya") and word[:-3].lower() in self.lex.single_roles:
            return k + 1
        return None

    def not_name_end(self, k: int) -> int | None:
        """End of a capitalised never-a-name word or phrase at ``k``."""
        if not capitalised(self.words[k]):
            return None
        if self.lex.never_name(self.words[k]):
            return k + 1
        hit = self.lex.not_name_phrases.match(self.words, self.gaps_ok, k)
        return hit[0] if hit is not None else None

    def name_word(self, k: int) -> bool:
        """Token ``k`` may be a word of a name (the owners must not change meanwhile)."""
        known = self._name_word[k]
        if known is None:
            word = self.words[k]
            known = self._name_word[k] = (
                capitalised(word)
                and self.owner[k] is None
                and not self.in_country[k]
                and not self.lex.never_name(word)
                and self.title_end(k) is None
                and self.role_end(k) is None
                and self.country_end(k) is None
                and self.degree_end(k) is None
            )
        return known

    def marks(self, k: int) -> int:
        """How many tokens after ``k`` are combining marks glued to it ("Rene" + U+0301)."""
        m = 0
        while (
            k + m + 1 < self.n
            and self.glued(k + m)
            and all(unicodedata.category(c).startswith("M") for c in self.words[k + m + 1])
        ):
            m += 1
        return m

    # -- names ------------------------------------------------------------------------------

    def _word_end(self, k: int) -> int:
        """The end of the name word at ``k`` with what is glued to it: ``W.``, ``Tae-yong``."""
        end = k + 1 + self.marks(k)
        words = self.words
        while end < self.n and self.glued(end - 1):
            sep = words[end]
            if sep == "." and len(words[end - 1]) == 1 and words[end - 1].isupper():
                end += 1  # an initial keeps its dot: "W.", "B.J."
                break
            if (
                sep in ("'", "\u2019", "-")
                and end + 1 < self.n
                and self.glued(end)
                and words[end + 1][:1].isalpha()
                and (sep != "-" or words[end + 1][:1].islower())
            ):
                end += 2 + self.marks(end + 1)
                continue
            break
        return end

    def run(self, k: int) -> tuple[int, int] | None:
        """The name starting at token ``k`` as ``(k, end)``, or None when there is none."""
        j = last = k
        count = 0
        while j < self.n and count < MAX_NAME_WORDS:
            if j > k and not self.tight(j - 1):
                break
            if self.name_word(j) or (count and self._title_in_name(j)):
                count += 1
                j = last = self._word_end(j)
                continue
            if count and self.words[j] in self.connectors and self.owner[j] is None:
                # "Ali bin Abu", "Ursula von der Leyen": one or two connectors, then a name word
                nxt = j + 1
                if nxt < self.n and self.words[nxt] in self.connectors and self.tight(j):
                    nxt += 1
                if self.tight(j) and self.tight(nxt - 1) and nxt < self.n and self.name_word(nxt):
                    j = nxt
                    continue
            break
        if not count or all(ROMAN.fullmatch(self.words[x]) for x in range(k, last)):
            return None  # "kelas XII": a numeral, not initials
        return (k, last)

    def _title_in_name(self, k: int) -> bool:
        """``Christine Hakim``, ``Lukman Hakim``: a one-word title that ends a surname."""
        word = self.words[k]
        return (
            capitalised(word)
            and self.owner[k] is None
            and not self.lex.never_name(word)
            and self.title_end(k) == k + 1
            and not (k + 1 < self.n and self.tight(k) and self.name_word(k + 1))
        )

    def run_start(self, k: int) -> bool:
        """Token ``k`` begins a run (no name word just before it)."""
        return self.name_word(k) and not (
            k > 0 and self.tight(k - 1) and (self.name_word(k - 1) or self.words[k - 1] == ".")
        )

    def into_entity(self, end: int) -> bool:
        """A name ending before ``end`` runs into an agency or a place (over unit words)."""
        return self.unit_tail(end, titles=False) is not None

    # -- position phrases -------------------------------------------------------------------

    def _unit_list(self, j: int) -> int | None:
        """At ``,`` or ``dan`` inside a position phrase: where the list of unit words goes on."""
        words, n = self.words, self.n
        k = j + 1
        if words[j] == "," and k < n and words[k] in UNIT_JOINERS:
            k += 1
        if k >= n:
            return None
        if (
            self.not_name_end(k) is not None
            or self.title_end(k) is not None
            or self.owner[k] in ENTITIES
        ):
            return k
        if acronym(words[k]) and self.tight(k):
            return k + 1  # "Menteri Koperasi dan UKM Teten Masduki"
        single = self.run(k)
        if single is not None and single[1] == k + 1 and single[1] < n:
            after = words[single[1]]
            if after == "," or after in UNIT_JOINERS:
                return single[1]  # "Kebudayaan, Komunitas, dan Pemuda": a unit word
        return None

    def phrase_end(self, j: int, limit: int = 16) -> int:
        """From token ``j`` after a title, cue or role: the first token past the position phrase."""
        words, n, owner = self.words, self.n, self.owner
        start, hops = j, 0
        while j < n and j - start < limit and self.gaps_ok[j - 1]:
            word = words[j]
            end = self.title_end(j)
            if end is None:
                end = self.not_name_end(j)
            if end is None:
                end = self.country_end(j)
            if end is not None:
                j = end
                continue
            if word == ":" and self.glued(j - 1):
                j += 1  # "Penulis: Fikar W Eda"
                continue
            if owner[j] in ENTITIES:
                label = owner[j]
                while j < n and owner[j] == label:
                    j += 1
                continue
            if word == "," and j + 1 < n and self.title_end(j + 1) is not None:
                j += 1  # "... Kemendagri, Dr Safrizal ZA"
                continue
            if word == "," or word in UNIT_JOINERS:
                nxt = self._unit_list(j)
                if nxt is None:
                    break
                j = nxt
                continue
            if word in PLACE_WORDS and j + 1 < n:
                if self.country_end(j + 1) is not None or owner[j + 1] == "CITY":
                    j += 1
                    continue
                break
            if acronym(word) and owner[j] is None and self.tight(j) and j + 1 < n:
                nxt_word = words[j + 1]
                if self.name_word(j + 1) and not nxt_word.isupper():
                    j += 1  # "Ketua Umum PSSI Erick Thohir": the body before the name
                    continue
            span = self.run(j)
            if span is not None and hops < 2:
                # "Kepala Daerah Operasi Manggala Agni Pontianak Hendri", "Kapolsek Jatiuwung
                # Kompol Ali": a name is never followed by its body, place or title
                tail = self.unit_tail(span[1])
                if tail is None and self.tight(span[1] - 1) and self.title_end(span[1]) is not None:
                    tail = span[1]
                if tail is not None:
                    hops += 1
                    j = tail
                    continue
            break
        return j

    def unit_tail(self, end: int, titles: bool = True) -> int | None:
        """Where a body, a place or a title starts after unit words from ``end``, else None.

        ``Pusat Gempa Bumi dan Tsunami BMKG``: from "Gempa Bumi", over "dan Tsunami", to BMKG;
        ``Pengurus Besar Nahdlatul Ulama KH Yahya``: from "Pengurus" to "KH".
        """
        words, n, owner = self.words, self.n, self.owner
        k = end
        joined = False  # "Xi Jinping dan Perdana Menteri": a title after "dan" is another's
        while k < n and k - end < 6 and self.tight(k - 1):
            if owner[k] in ("AGENCY", "CITY", "PROGRAM"):
                return k
            if titles and not joined and self.title_end(k) is not None:
                return k
            word = words[k]
            if word in UNIT_JOINERS or word == ",":
                joined = True
            elif not capitalised(word):
                return None
            k += 1
        return None

"""Person names from Indonesian news evidence, with or without a gazetteer of people.

A capitalised run (see ``names``) is suggested as PERSON only with evidence around it, one
rule family each (the score says how strong the evidence is):

- a title, position or honorific before it, past the position phrase (``Presiden Joko
  Widodo``, ``Perdana Menteri India Narendra Modi``, ``Kapolres Bogor AKBP Rio``, ``Mbak Ita``),
  never the title itself: 0.8;
- a byline word at a line start (``Penulis: Fikar W Eda``): 0.8;
- a degree after it (``Safrizal ZA MSi``): 0.7;
- a speech cue before it (``kata Basuki``, ``menurut Perry``, ``berinisial RH``, ``sapaan
  akrab Jojo``): 0.75;
- a role or kin word before it (``pelatih Shin Tae-yong``, ``pengamat politik Ray
  Rangkuti``): 0.7;
- a speech verb after it (``Basuki menyebut``, ``Harris segera menyatakan``): 0.65;
- apposition: ``, Name,`` after a clause that names a role or position (``Istri korban,
  Nurhayati binti Ahmad, yang``), ``, Name, mengatakan``, ``Name (41)``: 0.7;
- ``bin``/``binti`` inside the run (``Abdurrachman bin Ali``): 0.75;
- after a weak cue, a name of two words or more (``dicetak Egy Maulana Vikri``): 0.55;
- then names coordinated with a found one and the found names' other mentions (``mentions``).

No rule fires on a Title Case headline line, where every word is capitalised: a name there is
found only as a mention of one found in the article's body.
"""

from __future__ import annotations

from annotator.core.suggest import record as rec
from annotator.core.suggest.gazetteer import Resources
from annotator.core.suggest.layout import Layout
from annotator.core.suggest.mentions import coordinated, mentions
from annotator.core.suggest.names import KIN, NameScanner, capitalised
from annotator.core.suggest.record import Suggestion
from annotator.core.tokens import Token

TITLE_SCORE = 0.8
CUE_SCORE = 0.75
ROLE_SCORE = 0.7
APPOSITION_SCORE = 0.7
DEGREE_SCORE = 0.7
VERB_SCORE = 0.65
WEAK_SCORE = 0.55
CONNECTED_SCORE = 0.75
OPENERS = frozenset({",", ".", ";", ":", '"', "\u201c", "(", "-", "\u2013"})
CLAUSE_ENDS = frozenset({",", ".", ";", ":", "!", "?", '"', "\u201c", "\u201d", "(", ")"})
APPOSITION_ENDS = frozenset({",", "(", ".", ";", "dari", "asal", "yang"})
MAX_MODIFIERS = 2
NOT_MODIFIERS = frozenset({"adalah", "yang", "itu", "ini", "tersebut", "dan", "atau", "ke"})
# warga Dayeuhkolot, penduduk Jember: a place follows, not a person
PLACE_ROLES = frozenset({"warga", "Warga", "penduduk", "Penduduk"})
PLACE_MODIFIERS = frozenset({"dari", "asal", "di", "ke"})
INITIAL_CUES = frozenset({"berinisial", "inisial", "inisialnya"})

Cand = tuple[int, int, float, str]


class _Persons(NameScanner):
    """The rule families of the module docstring over one article."""

    def candidates(self) -> list[Cand]:
        out: list[Cand] = []
        headline = self.lay.headline
        words, w = self.words, self.res.words
        quick = self._quick_skip()
        for i in range(self.n):
            word = words[i]
            if self.owner[i] is not None or headline[i] or (word in quick):
                continue
            # a title or position, a cue, a byline word, a role: the name after it
            title = self.title_end(i)
            if title is not None:
                self._after(i, title, TITLE_SCORE, rec.TITLE, out)
            elif word in INITIAL_CUES:
                self._initials(i + 1, out)
            elif word in w.cues:
                self._after(i, i + 1, CUE_SCORE, rec.CONTEXT, out)
            elif word in w.line_cues and self.lay.line_start[i]:
                self._after(i, i + 1, TITLE_SCORE, rec.TITLE, out)
            elif word in w.weak_cues:
                self._after(i, i + 1, WEAK_SCORE, rec.CONTEXT, out, min_words=2)
            else:
                role = self.role_end(i)
                if role is not None and word not in PLACE_ROLES:
                    self._after_role(role, out)
            if self.degree_end(i) is not None and i > 0 and self.tight(i - 1):
                self._before_degree(i, out)
            if self.run_start(i):
                self._run_evidence(i, out)
        return out

    def _quick_skip(self) -> set[str]:
        """Words of this article no rule family starts at (most of them: small words)."""
        w, lex = self.res.words, self.lex
        keys = self.titles.root.keys() | self.degrees.root.keys() | lex.roles.root.keys()
        triggers = w.cues | w.line_cues | w.weak_cues
        return {
            word
            for word in set(self.words)
            if not capitalised(word)
            and word not in keys
            and word not in triggers
            and not word.endswith("nya")
        }

    def _after(
        self, i: int, j: int, score: float, source: str, out: list[Cand], min_words: int = 1
    ) -> None:
        start = self.phrase_end(j)
        if start >= self.n or self.lay.headline[start]:
            return
        span = self.run(start)
        if span is None:
            return
        a, b = span
        if self.into_entity(b):
            return  # "Direktur Jenderal Otonomi Daerah X Kemendagri": a unit's name
        if sum(1 for k in range(a, b) if capitalised(self.words[k])) < min_words:
            return
        out.append((a, b, score, source))

    def _initials(self, k: int, out: list[Cand]) -> None:
        """``berinisial AS``: the capitals after it are a person's initials (even "AS")."""
        word = self.words[k] if k < self.n else ""
        if (
            word.isupper()
            and word.isalpha()
            and len(word) <= 4
            and self.tight(k - 1)
            and self.owner[k] is None
        ):
            out.append((k, k + 1, CUE_SCORE, rec.CONTEXT))

    def _after_role(self, j: int, out: list[Cand]) -> None:
        """``pengamat politik Ray Rangkuti``: up to two lower-case words, then the name."""
        k = j
        while k < self.n and k - j < MAX_MODIFIERS and self.tight(k - 1):
            word = self.words[k]
            if not word.isalpha() or not word.islower() or word in NOT_MODIFIERS:
                break
            if word in self.res.words.report_verbs or word in self.res.words.post_verbs:
                return
            if word in PLACE_MODIFIERS:
                return  # "petani mitra dari Lembang": a place follows
            if capitalised(word):
                break
            k += 1
        if k < self.n and self.tight(k - 1):
            self._after(j, k, ROLE_SCORE, rec.CONTEXT, out)

    def _before_degree(self, i: int, out: list[Cand]) -> None:
        """``Safrizal ZA MSi``: the name words right before a degree."""
        a = i
        while (
            a > 0
            and i - a < 4
            and self.name_word(a - 1)
            and self.gaps_ok[a - 1]
            and self.tight(a - 1)
            and self.title_end(a - 1) is None
        ):
            a -= 1
        if a < i and not (a > 0 and self.title_end(a - 1) is None and self.lay.headline[a]):
            out.append((a, i, DEGREE_SCORE, rec.TITLE))

    def _run_evidence(self, k: int, out: list[Cand]) -> None:
        """A run with evidence after it or inside it: a verb, apposition, bin/binti, an age."""
        span = self.run(k)
        if span is None:
            return
        a, b = span
        words, n = self.words, self.n
        inner = words[a:b]
        if any(x in ("bin", "binti", "bt", "ibn", "ibnu") for x in inner):
            out.append((a, b, CONNECTED_SCORE, rec.CONTEXT))
            return
        if b + 2 < n and words[b] == "(" and words[b + 1].isdigit() and words[b + 2] == ")":
            out.append((a, b, APPOSITION_SCORE, rec.CONTEXT))  # "Jonner Simanjuntak (47)"
            return
        if self.into_entity(b):
            return
        # one word opening a sentence may be any noun ("Keduanya menyebut"): a name there is
        # found as a mention of one found elsewhere
        if self.lay.sentence_start[a] and b - a == 1:
            return
        if self._verb_after(b) or self._as_position(b):
            out.append((a, b, VERB_SCORE, rec.CONTEXT))
            return
        if b + 1 < n and words[b] == "," and words[b + 1] == "sapaan":
            out.append((a, b, VERB_SCORE, rec.CONTEXT))  # "MBS, sapaan akrab ..."
            return
        if b - a == 1 and inner[0].isupper():
            return  # "BRKN, nelayan": an acronym, not initials, without stronger evidence
        if self._role_after(b):
            out.append((a, b, VERB_SCORE, rec.CONTEXT))
        elif a > 0 and words[a - 1] == "," and self._apposition(a, b):
            out.append((a, b, APPOSITION_SCORE, rec.CONTEXT))

    def _as_position(self, b: int) -> bool:
        """``Sri Mulyani Indrawati sebagai menteri keuangan``: a name, then its office."""
        n, words = self.n, self.words
        if b + 1 >= n or words[b] not in self.res.words.as_words:
            return False
        return self.title_end(b + 1) is not None or self.role_end(b + 1) is not None

    def _role_after(self, b: int) -> bool:
        """``Rahmat, pedagang sayur``, ``Emily Carter, salah seorang penonton``."""
        n, words = self.n, self.words
        if b + 1 >= n or words[b] != ",":
            return False
        k = b + 1
        while k < n and k - b < 4 and words[k] in ("salah", "satu", "seorang", "sang"):
            k += 1
        return k < n and self.role_end(k) is not None and words[k] not in PLACE_ROLES

    def _verb_after(self, b: int) -> bool:
        """A speech verb follows the name at ``b``: ``Basuki menyebut``, ``Name, mengatakan``."""
        words, n, w = self.words, self.n, self.res.words
        p = b
        while p < n and p - b < 4 and (words[p] == "," or self.degree_end(p) is not None):
            p = self.degree_end(p) or p + 1  # ", MPd, mengatakan": the degree is skipped
        if p < n and words[p] in w.adverbs:
            p += 1
        if p >= n:
            return False
        if words[p] in w.report_verbs:
            return True
        return p > b and words[p - 1] == "," and words[p] in w.post_verbs

    def _apposition(self, a: int, b: int) -> bool:
        """``Kuasa hukum terdakwa, Johannes Sitorus, mengatakan``: a role in the clause before."""
        n, words = self.n, self.words
        if b < n and words[b] not in APPOSITION_ENDS and self.gaps_ok[b - 1]:
            return False
        if a >= 2 and self.lex.unit_word(words[a - 2]):
            return False  # "Kebudayaan, Komunitas, dan Pemuda": a list of unit words
        k = a - 2  # the token before the comma
        seen = 0
        while k >= 0 and seen < 12 and self.gaps_ok[k]:
            if words[k] == "," and k > 0 and self.owner[k - 1] == "CITY":
                k -= 1  # "asal Kabupaten Maluku Tengah, Maluku, Yosias": a place's commas
                continue
            if words[k] in CLAUSE_ENDS:
                break
            if self.name_word(k):
                # "sutradara Joko Anwar, Siksa Kubur,": the role is Joko Anwar's; but "Suami
                # Hevearita, Alwin Basri," and "Janda tokoh oposisi Alexei Navalny, Yulia
                # Navalnaya,": a kin word before that name makes the next one kin
                while k >= 0 and seen < 12 and words[k] not in CLAUSE_ENDS:
                    if words[k].lower() in KIN:
                        return True
                    k -= 1
                    seen += 1
                return False
            if self.title_end(k) is not None or self.role_end(k) is not None:
                return True
            k -= 1
            seen += 1
        return False


def find_persons(
    text: str,
    tokens: list[Token],
    words: list[str],
    gaps_ok: list[bool],
    owner: list[str | None],
    res: Resources,
    lay: Layout,
) -> list[tuple[int, int, Suggestion]]:
    """PERSON candidates ``(first token, end token, suggestion)`` on tokens nobody took."""
    scan = _Persons(text, tokens, words, gaps_ok, owner, res, lay)
    chosen: list[Cand] = []
    taken = [False] * scan.n
    for a, b, score, source in sorted(scan.candidates(), key=lambda c: (-c[2], c[0] - c[1], c[0])):
        if not any(taken[a:b]):
            chosen.append((a, b, score, source))
            for k in range(a, b):
                taken[k] = True
    chosen += coordinated(scan, chosen, taken)
    chosen += mentions(scan, chosen, taken)
    return [
        (
            a,
            b,
            Suggestion(
                start=tokens[a].start, end=tokens[b - 1].end, label="PERSON", source=source,
                score=score,
            ),
        )
        for a, b, score, source in chosen
    ]  # fmt: skip

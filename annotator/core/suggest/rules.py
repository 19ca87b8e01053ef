"""Rule suggestions for Indonesian news: gazetteers, dates, abbreviations, names after titles.

``RuleSuggester(labels).suggest(text)`` returns flat, token-aligned suggestions that follow the
annotation guidelines (``resources/guidelines/``). Everything is compiled once per process
(token tries, one date regex), so an article takes milliseconds and the window can run the
rules when a document opens.

Order of precedence (a later phase only takes tokens no earlier phase took, except where said):

1. the team's own terms and patterns (``suggestions.toml``, see ``project_rules``);
2. gazetteer names, longest first (``Jakarta Smart City`` before ``Jakarta``), a city widened
   over a ``Kota``/``Kabupaten``/``Provinsi``/``DKI`` word before it (but ``Wali Kota
   Makassar`` gives ``Makassar``), and date expressions;
3. capitalised names after a head word (``Kementerian ...``, ``Kabupaten ...``); an agency's
   name takes in a place inside it (``Pemerintah DKI Jakarta`` is one AGENCY);
4. "long name (ABBR)": the abbreviation takes the long name's label and is then found
   throughout the article, overriding a packaged list ("ABBR (Long Name)" works the other
   way round: ``JAKI (Jakarta Kini)``);
5. an agency written with its place or ``RI`` becomes one span (``Polda Jatim``,
   ``Kemendagri RI``);
6. person names after a title or cue or before a degree (see ``persons``), then their other
   mentions in the article.

The word lists (titles, head words, months...) are data: ``resources/suggest/rules.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from annotator.core.suggest import record as rec
from annotator.core.suggest.article import Article, Cand, cap
from annotator.core.suggest.dates import find_dates
from annotator.core.suggest.gazetteer import Entry, Resources, Trie, load_resources, token_words
from annotator.core.suggest.heads import find_heads, find_named, find_shared_heads, mark_opaque
from annotator.core.suggest.layout import layout
from annotator.core.suggest.persons import find_persons
from annotator.core.suggest.project_rules import ProjectRules
from annotator.core.suggest.record import Suggestion
from annotator.core.tokens import Snap, TokenIndex, tokenize

# A dateline: a place in capitals at the start of a line (after an outlet's name), then a dash
DATELINE_RE = re.compile(
    r"(?m)^(?:[A-Z0-9]+\.[A-Z]+,[ \t]*)?"  # "TRIBUNGAYO.COM, "
    r"([A-Z]{3,}(?:[ \t][A-Z]{3,}){0,2})[ \t]*[-\u2013\u2014][ \t]"
)
# An abbreviation in parentheses: "Kemendagri", "ASCN", "NRs", "BPJS"
ABBR_RE = re.compile(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*|[A-Z][a-z]+[A-Z]?[a-z]*")


class RuleSuggester:
    """The rule suggester for one project's labels, resources and ``suggestions.toml``."""

    def __init__(
        self,
        labels: Iterable[str],
        project_rules: ProjectRules | None = None,
        resources: Resources | None = None,
    ) -> None:
        self.labels = frozenset(labels)
        self.rules = project_rules or ProjectRules()
        self.resources = resources or load_resources()
        self.words = self.resources.words
        self.project_trie = Trie()
        for label, terms in self.rules.terms.items():
            for term in terms:
                self.project_trie.add(term, Entry(label, rec.PROJECT, 0.95))

    @classmethod
    def from_folder(cls, labels: Iterable[str], folder: Path) -> RuleSuggester:
        """A suggester for the gazetteers in ``folder`` (tests and benchmarks)."""
        return cls(labels, resources=load_resources(folder))

    def on(self, family: str) -> bool:
        """Whether a built-in family is switched on (``[rules] off`` in suggestions.toml)."""
        return family not in self.rules.off

    def suggest(self, text: str) -> list[Suggestion]:
        """Flat, token-aligned suggestions for ``text``, sorted by offset."""
        tokens = tokenize(text)
        words, gaps = token_words(text, tokens)
        doc = Article(text, tokens, words, gaps, layout(text, tokens, words, self.words.line_cues))
        index = TokenIndex(text, tokens)
        self._project(doc, index)
        cands: list[Cand] = []
        if self.on("gazetteer"):
            cands += self._gazetteer(doc)
        if self.on("date"):
            cands += self._dates(doc, index)
        if self.on("dateline"):
            cands += self._datelines(doc, index)
        mark_opaque(doc, self.resources, cands)
        doc.take_all(cands)
        if self.on("head"):
            find_heads(doc, self.resources)
            find_shared_heads(doc, self.resources)
            find_named(doc, self.resources)
        if self.on("abbreviation"):
            self._abbreviations(doc)
        self._agency_places(doc)
        if self.on("person"):
            doc.take_all(
                find_persons(text, tokens, words, gaps, doc.owner, self.resources, doc.lay)
            )
        out = [
            sug
            for _, _, sug in doc.found
            if sug.label in self.labels and text[sug.start : sug.end] not in self.rules.ignore
        ]
        return sorted(out, key=lambda s: (s.start, s.end))

    # -- phases ----------------------------------------------------------------------------

    def _project(self, doc: Article, index: TokenIndex) -> None:
        cands = [
            (i, j, doc.suggestion(i, j, e.label, rec.PROJECT, e.score))
            for i, j, e in self.project_trie.find_all(doc.words, doc.gaps_ok)
        ]
        for label, patterns in self.rules.patterns.items():
            for pattern in patterns:
                for m in pattern.finditer(doc.text):
                    s, e = m.span(1) if pattern.groups else m.span()
                    if s < 0 or e <= s:
                        continue
                    s, e = index.snap(s, e, Snap.EXPAND)
                    i, j = index.token_range(s, e)
                    if i < j:
                        cands.append((i, j, doc.suggestion(i, j, label, rec.PROJECT, 0.9)))
        doc.take_all(cands)

    def _gazetteer(self, doc: Article) -> list[Cand]:
        out = []
        for i, j, entry in self.resources.names.find_all(doc.words, doc.gaps_ok):
            start = i
            if entry.label == "CITY":
                start = self._city_prefix(doc, i, entry.kind == "province")
                if (
                    doc.words[start] in ("Kota", "KOTA")
                    and 0 < start < j - 1
                    and doc.words[start - 1] in self.words.kota_owners
                ):
                    start += 1
            out.append((start, j, doc.suggestion(start, j, entry.label, entry.source, entry.score)))
        return out

    def _city_prefix(self, doc: Article, i: int, province: bool) -> int:
        prefixes = self.words.province_prefixes if province else self.words.city_prefixes
        for prefix in prefixes:
            k = i - len(prefix)
            if k >= 0 and tuple(doc.words[k:i]) == prefix and all(doc.gaps_ok[k:i]):
                return k
        return i

    def _dates(self, doc: Article, index: TokenIndex) -> list[Cand]:
        out = []
        w = self.words
        for s, e, score in find_dates(doc.text, w.months, w.months_short, w.days):
            i, j = index.token_range(s, e)
            if i < j and index.is_aligned(s, e):
                out.append((i, j, doc.suggestion(i, j, "DATE", rec.DATE, score)))
        return out

    def _datelines(self, doc: Article, index: TokenIndex) -> list[Cand]:
        """``MAKASSAR - Pemerintah ...``: the place in capitals that opens a news item."""
        out = []
        for m in DATELINE_RE.finditer(doc.text):
            i, j = index.token_range(*m.span(1))
            if i < j:
                out.append((i, j, doc.suggestion(i, j, "CITY", rec.HEAD, 0.7)))
        return out

    def _abbreviations(self, doc: Article) -> None:
        """Definitions "long name (ABBR)" / "ABBR (Long Name)", then every mention."""
        words, n = doc.words, len(doc.words)
        defined: dict[str, str] = {}
        for i, j, sug in sorted(doc.found, key=lambda f: f[0]):
            if sug.label not in ("AGENCY", "PROGRAM", "CITY"):
                continue
            if j + 2 < n and words[j] == "(" and words[j + 2] == ")":
                abbr = words[j + 1]
                if ABBR_RE.fullmatch(abbr) and abbr != words[i]:
                    defined.setdefault(abbr, sug.label)
            if sug.label != "CITY" and j - i == 1 and j < n and words[j] == "(":
                close = next((k for k in range(j + 1, min(j + 10, n)) if words[k] == ")"), None)
                if (
                    close is not None
                    and close > j + 2
                    and all(cap(x) or x in self.words.connectors for x in words[j + 1 : close])
                    and all(o in (None, "CITY") for o in doc.owner[j + 1 : close])
                ):
                    doc.release(j + 1, close)
                    doc.take(
                        j + 1,
                        close,
                        doc.suggestion(j + 1, close, sug.label, rec.ABBREVIATION, 0.85),
                    )
        if not defined:
            return
        trie = Trie()
        for abbr, label in defined.items():
            trie.add(abbr, Entry(label, rec.ABBREVIATION, 0.85), case_variants=False)
        exact = {(a, b): sug for a, b, sug in doc.found}
        for i, j, e in trie.find_all(words, doc.gaps_ok):
            old = exact.get((i, j))
            if old is not None and old.label != e.label and old.source != rec.PROJECT:
                doc.release(i, j)  # the article's own definition beats a packaged list
            doc.take(i, j, doc.suggestion(i, j, e.label, e.source, e.score))

    def _agency_places(self, doc: Article) -> None:
        """One AGENCY span for a body written with its place, parent or ``RI``.

        ``Polda Jatim``, ``BPS Jawa Timur``, ``BPJS Kesehatan Cabang Kupang``, ``Kemendagri
        RI``, ``Ditjen Dukcapil Kemendagri`` (a sub-unit and its parent; two bodies side by
        side stay apart otherwise). A comma or a parenthesis between them keeps them apart:
        ``Badan Pusat Statistik (BPS) Jawa Timur`` is AGENCY, AGENCY, CITY.
        """
        w, n = self.words, len(doc.words)
        changed = True
        while changed:
            changed = False
            by_start = {a: (a, b, sug) for a, b, sug in doc.found}
            for i, j, sug in sorted(doc.found, key=lambda f: f[0]):
                if sug.label != "AGENCY" or sug.source == rec.PROJECT or j >= n:
                    continue
                if not (doc.gaps_ok[j - 1] and doc.single_space(j - 1)):
                    continue
                k = j
                if doc.words[k] in w.branch_words and doc.owner[k] is None and k + 1 < n:
                    k += 1
                nxt = by_start.get(k)
                end = None
                if nxt is not None and nxt[2].source != rec.PROJECT:
                    if nxt[2].label == "CITY" or (
                        nxt[2].label == "AGENCY" and k == j and doc.words[i] in w.unit_heads
                    ):
                        end = nxt[1]
                elif k == j and doc.words[j] == "RI" and doc.owner[j] is None:
                    end = j + 1
                if end is None:
                    continue
                doc.release(i, end)
                doc.take(i, end, doc.suggestion(i, end, "AGENCY", sug.source, sug.score))
                changed = True
                break

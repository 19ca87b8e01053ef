"""Token tries of names (the packaged gazetteers and the team's own terms), matched longest first.

Terms are tokenized with the project's one tokenizer, so every match begins and ends on token
boundaries by construction. Case rules: a term matches as written, in capitals (headlines,
datelines: ``JAKARTA``), or with each word capitalised; never in lower case, so the common
nouns ``kota`` or ``batu`` are not taken for the places ``Kota`` and ``Batu``.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError
from annotator.core.paths import resources_dir
from annotator.core.tokens import TOKEN_RE, Token

if TYPE_CHECKING:
    from annotator.core.suggest.lexicon import Lexicon


@dataclass(frozen=True)
class Entry:
    """What a term stands for: its label, source and prior score."""

    label: str
    source: str
    score: float
    kind: str = ""  # "province" for provinces (they take "Provinsi", not "Kabupaten")


_END = ""  # the key of a terminal entry in a trie node (no token is empty)
UNLABELLED = "OPAQUE"  # the label of names the guidelines leave unlabelled (never shown)


def variants(term: str) -> set[str]:
    """The spellings of ``term`` that count as the same name (see the module docstring)."""
    words = term.split()
    titled = " ".join(w[:1].upper() + w[1:] for w in words)
    return {" ".join(words), " ".join(words).upper(), titled}


class Trie:
    """A token trie: ``match(words, i)`` gives the longest term starting at token ``i``."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}
        self.size = 0

    def add(self, term: str, entry: Entry, case_variants: bool = True) -> None:
        """Add ``term`` (and its case variants); a later entry for the same words wins."""
        for spelling in variants(term) if case_variants else {term}:
            words = TOKEN_RE.findall(spelling)
            if not words:
                continue
            node = self.root
            for word in words:
                node = node.setdefault(word, {})
            if _END not in node:
                self.size += 1
            node[_END] = entry

    def merge(self, other: Trie) -> None:
        """Add every term of ``other`` (its entries win on equal words)."""

        def walk(dst: dict[str, Any], src: dict[str, Any]) -> None:
            for key, value in src.items():
                if key == _END:
                    if _END not in dst:
                        self.size += 1
                    dst[_END] = value
                else:
                    walk(dst.setdefault(key, {}), value)

        walk(self.root, other.root)

    def match(
        self, words: Sequence[str], gaps_ok: Sequence[bool], i: int
    ) -> tuple[int, Entry] | None:
        """``(j, entry)`` for the longest term covering tokens ``[i, j)``, or None.

        ``gaps_ok[k]`` says whether tokens ``k`` and ``k + 1`` may belong to one name (no
        line break between them).
        """
        node = self.root
        best: tuple[int, Entry] | None = None
        k = i
        n = len(words)
        while k < n:
            nxt = node.get(words[k])
            if nxt is None:
                break
            node = nxt
            k += 1
            if _END in node:
                best = (k, node[_END])
            if k < n and not gaps_ok[k - 1]:
                break
        return best

    def find_all(
        self, words: Sequence[str], gaps_ok: Sequence[bool]
    ) -> Iterator[tuple[int, int, Entry]]:
        """Every longest match, left to right, not overlapping: ``(i, j, entry)``."""
        i, n = 0, len(words)
        while i < n:
            hit = self.match(words, gaps_ok, i) if words[i] in self.root else None
            if hit is None:
                i += 1
                continue
            j, entry = hit
            yield i, j, entry
            i = j


def token_words(text: str, tokens: list[Token]) -> tuple[list[str], list[bool]]:
    """The tokens' strings, and for each token whether the next one is on the same line."""
    words = [text[t.start : t.end] for t in tokens]
    gaps = ["\n" not in text[tokens[k].end : tokens[k + 1].start] for k in range(len(tokens) - 1)]
    gaps.append(False)
    return words, gaps


def read_list(path: Path) -> list[str]:
    """Non-empty lines of a resource list, ``#`` comments and surrounding blanks removed."""
    out = []
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """``long name TAB abbreviation`` lines (the abbreviation may be missing)."""
    pairs = []
    for line in read_list(path):
        long, _, short = line.partition("\t")
        if not _ and "  " in line:  # tolerate a file saved with spaces for tabs
            long, _, short = (p.strip() for p in line.partition("  "))
        pairs.append((long.strip(), short.strip()))
    return pairs


@dataclass(frozen=True)
class RuleWords:
    """The word lists of ``resources/suggest/rules.toml`` (titles, cues, head words...)."""

    months: tuple[str, ...]
    months_short: tuple[str, ...]
    days: tuple[str, ...]
    cues: frozenset[str]
    weak_cues: frozenset[str]
    line_cues: frozenset[str]
    name_connectors: frozenset[str]
    agency_heads: frozenset[str]
    program_heads: frozenset[str]
    program_cues: frozenset[str]
    agency_tails: frozenset[str]
    city_heads: frozenset[str]
    connectors: frozenset[str]
    city_prefixes: tuple[tuple[str, ...], ...]
    province_prefixes: tuple[tuple[str, ...], ...]
    kota_owners: frozenset[str]
    not_heads: tuple[tuple[str, ...], ...]
    unit_heads: frozenset[str]
    branch_words: frozenset[str]
    post_verbs: frozenset[str]
    report_verbs: frozenset[str]
    as_words: frozenset[str]
    adverbs: frozenset[str]


@dataclass(frozen=True)
class Resources:
    """The packaged word lists the rules read (a missing gazetteer is skipped)."""

    names: Trie  # CITY, AGENCY, PROGRAM names and abbreviations; unlabelled organisations
    titles: Trie  # words before a person's name: Dr, Bapak, Gubernur ...
    degrees: Trie  # academic degrees after a name: MSi, S.H., DPhil ...
    words: RuleWords
    lexicon: Lexicon  # not-name words, roles, opaque heads, countries (see ``lexicon``)


def _entries(folder: Path, extra: Path) -> Iterable[tuple[str, Entry]]:
    for term in read_list(folder / "cities.txt"):
        yield term, Entry("CITY", "gazetteer", 0.9)
        # the gazetteer writes "Kabupaten X"; news also writes "Kab. X"
        if term.startswith("Kabupaten "):
            yield "Kab. " + term.removeprefix("Kabupaten "), Entry("CITY", "gazetteer", 0.9)
    for path in (folder / "provinces.txt", extra / "province_short_forms.txt"):
        for term in read_list(path):
            yield term, Entry("CITY", "gazetteer", 0.9, "province")
    for long, short in read_pairs(folder / "agencies.tsv"):
        if long:
            yield long, Entry("AGENCY", "gazetteer", 0.9)
        if short:
            yield short, Entry("AGENCY", "gazetteer", 0.85)
    # organisations with no label: taken like names, so nothing is suggested inside them
    for term in read_list(folder / "unlabelled.txt"):
        yield term, Entry(UNLABELLED, "gazetteer", 0.9)
    for line in read_list(folder / "programs.txt"):
        for part in line.split("\t"):
            if part.strip():
                yield part.strip(), Entry("PROGRAM", "gazetteer", 0.85)


def _rule_words(path: Path) -> tuple[RuleWords, list[str], list[str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnnotatorError(f"{path} is missing: reinstall annotator") from None
    except tomllib.TOMLDecodeError as exc:
        raise AnnotatorError(f"{path}: {exc}") from None

    def phrases(table: str, key: str) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(TOKEN_RE.findall(p)) for p in get(table, key) if p.strip())

    def get(table: str, key: str) -> list[str]:
        value = data.get(table, {}).get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AnnotatorError(f"{path}: [{table}] {key} must be a list of strings")
        return value

    return (
        RuleWords(
            months=tuple(get("dates", "months")),
            months_short=tuple(get("dates", "months_short")),
            days=tuple(get("dates", "days")),
            cues=frozenset(get("persons", "cues")),
            weak_cues=frozenset(get("persons", "weak_cues")),
            line_cues=frozenset(get("persons", "line_cues")),
            name_connectors=frozenset(get("persons", "connectors")),
            agency_heads=frozenset(get("heads", "agency")),
            program_heads=frozenset(get("heads", "program")),
            program_cues=frozenset(get("heads", "program_cues")),
            agency_tails=frozenset(get("heads", "agency_tails")),
            city_heads=frozenset(get("heads", "city")),
            connectors=frozenset(get("heads", "connectors")),
            city_prefixes=phrases("heads", "city_prefixes"),
            province_prefixes=phrases("heads", "province_prefixes"),
            kota_owners=frozenset(get("heads", "kota_owners")),
            not_heads=phrases("heads", "not_heads"),
            unit_heads=frozenset(get("heads", "unit_heads")),
            branch_words=frozenset(get("heads", "branch_words")),
            post_verbs=frozenset(get("persons", "post_verbs")),
            report_verbs=frozenset(get("persons", "report_verbs")),
            as_words=frozenset(get("persons", "as_words")),
            adverbs=frozenset(get("persons", "adverbs")),
        ),
        get("persons", "titles"),
        get("persons", "degrees"),
    )


@functools.lru_cache(maxsize=4)
def load_resources(folder: Path | None = None, words_file: Path | None = None) -> Resources:
    """Build the tries once per process from ``resources/gazetteers/`` and the rule words."""
    from annotator.core.suggest.lexicon import load_lexicon  # it builds on this module

    base = resources_dir()
    folder = folder or base / "gazetteers"
    words, base_titles, base_degrees = _rule_words(words_file or base / "suggest" / "rules.toml")
    names = Trie()
    for term, entry in _entries(folder, base / "suggest"):
        names.add(term, entry)
    title, degree = Entry("PERSON", "title", 0.8), Entry("PERSON", "title", 0.8)
    titles, degrees = Trie(), Trie()
    for term in [*base_titles, *read_list(folder / "person_titles.txt")]:
        titles.add(term, title, case_variants=False)
        titles.add(term[:1].upper() + term[1:], title, case_variants=False)
        # positions are written in lower case mid-sentence: "mantan presiden Barack Obama"
        if len(term) > 2 and term.replace(" ", "").isalpha() and not term.isupper():
            titles.add(term.lower(), title, case_variants=False)
            titles.add(term[:1].upper() + term[1:].lower(), title, case_variants=False)
    for term in [*base_degrees, *read_list(folder / "person_degrees.txt")]:
        degrees.add(term, degree, case_variants=False)
    extra_months = tuple(w for line in read_list(folder / "months.txt") for w in line.split())
    extra_days = tuple(w for line in read_list(folder / "days.txt") for w in line.split())
    words = dataclasses.replace(
        words,
        months=tuple(dict.fromkeys([*words.months, *extra_months])),
        days=tuple(dict.fromkeys([*words.days, *extra_days])),
    )
    lexicon = load_lexicon(base / "suggest", folder)
    return Resources(names, titles, degrees, words, lexicon)

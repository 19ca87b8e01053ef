"""Word lists that tell a person's name from the words around it: not-name words, roles, countries.

Loaded once per process from ``resources/suggest/`` (``unit_words.txt``, ``not_name.txt``,
``person_roles.txt``, ``opaque_heads.txt``) and ``resources/gazetteers/countries.txt``. None of
them is ever suggested; they only decide where a name starts and ends:

- ``unit_words``: capitalised words of positions, units and institutions (``Pajak``,
  ``Kebudayaan``, ``Board``);
- ``not_name``: those and every other capitalised word that is never part of a person's name
  (heads of places, sentence openers);
- ``roles``: words for people by role or kin written before a name (``pelatih``, ``istri``);
- ``opaque``: head words of names that have no label (``Jalan``, ``Universitas``, ``PT``);
- ``countries``: country names, which have no label either and sit inside position phrases
  (``Perdana Menteri India Narendra Modi``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from annotator.core.suggest.gazetteer import Entry, Trie, read_list
from annotator.core.tokens import TOKEN_RE

_WORD = Entry("", "lexicon", 0.0)
# Indonesian nouns of institutions are made with these affixes: "Perfilman", "Kebudayaan",
# "Pembangunan", "Penanggulangan", "Kependudukan". No given name is formed so.
UNIT_NOUN = re.compile(r"(?:Per|Pem|Pen|Peng|Peny|Pel|Ke|Kepen|Kem|Ber)[a-z]{3,}an")


@dataclass(frozen=True)
class Lexicon:
    """The word lists of the module docstring, as sets and token tries."""

    unit_words: frozenset[str]
    not_name: frozenset[str]
    not_name_phrases: Trie
    roles: Trie
    single_roles: frozenset[str]  # one-word roles, for "istrinya", "lawannya"
    opaque: Trie
    countries: Trie

    def unit_word(self, word: str) -> bool:
        """A word of positions, units and institutions (listed, or formed like one)."""
        return word in self.unit_words or bool(UNIT_NOUN.fullmatch(word))

    def never_name(self, word: str) -> bool:
        """A capitalised word that is never part of a person's name."""
        return word in self.not_name or bool(UNIT_NOUN.fullmatch(word))


def _trie(terms: list[str], case_variants: bool) -> Trie:
    trie = Trie()
    for term in terms:
        trie.add(term, _WORD, case_variants=case_variants)
    return trie


def load_lexicon(suggest_dir: Path, gazetteer_dir: Path) -> Lexicon:
    """Read the lists (a missing file is an empty list)."""
    units = read_list(suggest_dir / "unit_words.txt")
    words = units + read_list(suggest_dir / "not_name.txt")
    single = frozenset(w for w in words if len(TOKEN_RE.findall(w)) == 1)
    phrases = [w for w in words if len(TOKEN_RE.findall(w)) > 1]
    roles = Trie()
    role_list = read_list(suggest_dir / "person_roles.txt")
    for role in role_list:
        roles.add(role, _WORD, case_variants=False)
        roles.add(role[:1].upper() + role[1:], _WORD, case_variants=False)
    return Lexicon(
        unit_words=frozenset(units),
        not_name=single,
        not_name_phrases=_trie(phrases, case_variants=False),
        roles=roles,
        single_roles=frozenset(r for r in role_list if " " not in r),
        opaque=_trie(read_list(suggest_dir / "opaque_heads.txt"), case_variants=False),
        countries=_trie(read_list(gazetteer_dir / "countries.txt"), case_variants=True),
    )

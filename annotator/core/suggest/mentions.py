"""The other mentions of a person found once in an article: coordinated names, aliases, repeats.

- ``coordinated``: a name listed with a found one is a person's too (``Fajar Alfian dan
  Muhammad Rian Ardianto``, ``berinisial HM, AR, dan SY``, ``Heri Koswara-Sholihin``), and so
  is an alias in parentheses right after one (``Joko Widodo (Jokowi)``);
- ``mentions``: the found names and their parts, wherever else they are written
  (``Basuki Hadimuljono`` ... ``kata Basuki``), in headlines too (``Jokowi Resmikan
  Bendungan``), but not as a part of someone else's longer name.
"""

from __future__ import annotations

from annotator.core.suggest import record as rec
from annotator.core.suggest.gazetteer import Entry, Trie
from annotator.core.suggest.names import KIN, NameScanner, capitalised

COORDINATED_SCORE = 0.6
ALIAS_SCORE = 0.7
FULL_SCORE = 0.6
PART_SCORE = 0.5
MAX_LISTED_WORDS = 4
Cand = tuple[int, int, float, str]


def coordinated(scan: NameScanner, chosen: list[Cand], taken: list[bool]) -> list[Cand]:
    """Names listed with (or an alias right after) a chosen name, marked in ``taken``."""
    out: list[Cand] = []
    queue = list(chosen)
    while queue:
        a, b, _, _ = queue.pop()
        alias = _alias(scan, b)
        for span, score in ((alias, ALIAS_SCORE), (_right(scan, b), COORDINATED_SCORE)):
            if span is not None and not any(taken[span[0] : span[1]]):
                cand = (span[0], span[1], score, rec.CONTEXT)
                out.append(cand)
                queue.append(cand)
                for k in range(span[0], span[1]):
                    taken[k] = True
        left = _left(scan, a)
        if left is not None and not any(taken[left[0] : left[1]]):
            cand = (left[0], left[1], COORDINATED_SCORE, rec.CONTEXT)
            out.append(cand)
            queue.append(cand)
            for k in range(left[0], left[1]):
                taken[k] = True
    return out


def _alias(scan: NameScanner, b: int) -> tuple[int, int] | None:
    words, n = scan.words, scan.n
    if b + 2 < n and words[b] == "(" and words[b + 2] == ")" and scan.name_word(b + 1):
        return (b + 1, b + 2)
    return None


def _listed(scan: NameScanner, span: tuple[int, int] | None) -> tuple[int, int] | None:
    if span is None or scan.lay.headline[span[0]] or scan.into_entity(span[1]):
        return None
    words = sum(1 for k in range(span[0], span[1]) if capitalised(scan.words[k]))
    return span if words <= MAX_LISTED_WORDS else None


def _right(scan: NameScanner, b: int) -> tuple[int, int] | None:
    """The name after ``, ``, ``dan``, ``/`` or a hyphen that follows the name ending at ``b``."""
    words, n = scan.words, scan.n
    k = b
    if k + 2 < n and words[k] == "(" and words[k + 1].isdigit() and words[k + 2] == ")":
        k += 3  # "AP (22) dan RS (19)"
    if k >= n or not scan.gaps_ok[k - 1]:
        return None
    sep = words[k]
    if sep == ",":
        if not _list_ahead(scan, k):
            return None  # "Joko Anwar, Siksa Kubur, menembus": apposition, not a list
        k += 1
        if k < n and words[k] in ("dan", "serta"):
            k += 1
    elif sep in ("dan", "serta", "/", "&") or (sep == "-" and scan.glued(k - 1) and scan.glued(k)):
        k += 1
    else:
        return None
    if k >= n or not scan.gaps_ok[k - 1]:
        return None
    return _listed(scan, scan.run(k))


def _list_ahead(scan: NameScanner, k: int) -> bool:
    """From the comma at ``k``: names and commas up to a ``dan`` or ``serta`` (a list)."""
    words, n = scan.words, scan.n
    for _ in range(8):
        if k >= n or not scan.gaps_ok[k - 1]:
            return False
        if words[k] in ("dan", "serta"):
            return True
        if words[k] != ",":
            return False
        k += 1
        if k < n and words[k] in ("dan", "serta"):
            return True
        span = scan.run(k)
        if span is None:
            return False
        k = span[1]
        if k + 2 < n and words[k] == "(" and words[k + 1].isdigit() and words[k + 2] == ")":
            k += 3  # "AF (29), NR (41), dan DP (52)"
    return False


def _left(scan: NameScanner, a: int) -> tuple[int, int] | None:
    """The name before ``dan``, ``/`` or a hyphen that precedes the name at ``a``."""
    words = scan.words
    k = a - 1
    if k < 0 or not scan.gaps_ok[k]:
        return None
    sep = words[k]
    if sep in ("dan", "serta"):
        k -= 1
        if k >= 0 and words[k] == ",":
            k -= 1
    elif sep in ("/", "&") or (sep == "-" and scan.glued(k) and k > 0 and scan.glued(k - 1)):
        k -= 1  # not "," : "dari Lembang, Cecep Supriadi," is a place, then a person
    else:
        return None
    end = k + 1
    best = None
    for s in range(k, max(-1, k - 8), -1):
        if scan.run(s) == (s, end):
            best = (s, end)
    if best is None or (best[0] > 0 and scan.tight(best[0] - 1) and scan.name_word(best[0] - 1)):
        return None
    return _listed(scan, best)


def _parts(scan: NameScanner, a: int, b: int) -> list[tuple[str, float]]:
    """The name ``[a, b)`` and its shorter forms: runs of its words, single words of 3+ letters."""
    words = scan.words
    full = " ".join(words[a:b])
    out = [(full, FULL_SCORE)]
    idx = [k for k in range(a, b) if capitalised(words[k]) and len(words[k]) > 1]
    for i in range(len(idx)):
        for j in range(i, len(idx)):
            first, last = idx[i], idx[j]
            part = " ".join(words[first : last + 1])
            if part == full:
                continue
            if first == last and (
                len(words[first]) < 3
                or words[first].isupper()
                or words[first].lower() in KIN
                or scan.lex.roles.match([words[first].lower()], [False], 0) is not None
            ):
                continue  # "Putri" of "Aulia Rahma Putri" is also "daughter"
            if any(scan.lex.never_name(w) for w in words[first : last + 1]):
                continue
            out.append((part, PART_SCORE))
    return out


def mentions(scan: NameScanner, chosen: list[Cand], taken: list[bool]) -> list[Cand]:
    """Every other place the chosen names (or their parts) are written, marked in ``taken``."""
    trie = Trie()
    for a, b, _, _ in chosen:
        for term, score in sorted(_parts(scan, a, b), key=lambda p: p[1]):
            trie.add(term, Entry("PERSON", rec.CONTEXT, score), case_variants=False)
    out: list[Cand] = []
    words, n, owner = scan.words, scan.n, scan.owner
    lay = scan.lay
    for a, b, entry in trie.find_all(words, list(scan.gaps_ok)):
        if any(taken[a:b]) or any(o is not None for o in owner[a:b]):
            continue
        if not lay.headline[a]:
            # a part of someone else's longer name: "Michelle" + "Obama" is not "Obama"
            if (
                a > 0
                and scan.tight(a - 1)
                and scan.name_word(a - 1)
                and not lay.sentence_start[a - 1]
            ):
                continue
            if b < n and scan.tight(b - 1) and scan.name_word(b):
                continue
        out.append((a, b, entry.score, rec.CONTEXT))
        for k in range(a, b):
            taken[k] = True
    return out

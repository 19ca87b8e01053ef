"""Names found by the word that heads them, and names that have no label at all.

- ``mark_opaque``: a head word of ``opaque_heads.txt`` (``Jalan``, ``Universitas``, ``PT``)
  and the capitalised words after it are one name with no label: nothing inside is suggested
  (``Jalan Sudirman``, ``Bandara Soekarno-Hatta``, ``Kecamatan Medan Amplas``);
- ``find_heads``: ``Kementerian Pertanian``, ``Badan Riset Kelautan Nusantara``, ``Kabupaten
  Aceh Tengah``, ``Program Lumbung Pangan Desa``: a head word of ``rules.toml`` and the
  capitalised words after it; an agency takes in a body or a place named inside it
  (``Pemerintah DKI Jakarta``) and ends at its place (``Dinas Perdagangan Kota Makassar``);
- ``find_shared_heads``: ``Kabupaten Pulang Pisau dan Kapuas``;
- ``find_named``: a name after a lower-case word that announces a programme (``program
  Rantang Kasih``, ``aplikasi Sapawarga``), and an English body named by its last word
  (``Singapore Tourism Board``).
"""

from __future__ import annotations

from annotator.core.suggest import record as rec
from annotator.core.suggest.article import OPAQUE, Article, Cand, cap
from annotator.core.suggest.gazetteer import Entry, Resources
from annotator.core.suggest.names import acronym

HEAD_SCORE = 0.6
MAX_NAMED_WORDS = 6
LIST_JOINERS = ("dan", "serta")
ENGLISH_JOINERS = frozenset({"of", "for", "and", "on"})
HOSPITAL = Entry(OPAQUE, "lexicon", 0.0)


def mark_opaque(doc: Article, res: Resources, cands: list[Cand]) -> None:
    """Mark the tokens of names with no label ``OPAQUE`` (see the module docstring).

    A capitalised head counts where a capitalised run starts, or right after a title
    (``Kepala Desa Sidomakmur``), not inside another name (``Kementerian Koperasi``); a head
    in capitals (``PT``, ``RSUD``) counts anywhere. A listed name that covers the head wins
    (``Sungai Penuh``), and the name stops before a place written with its own head word
    (``Desa Kabupaten Lombok Timur`` is no name).
    """
    words, n, owner = doc.words, len(doc.words), doc.owner
    covered: set[int] = set()
    admin: set[int] = set()
    prefixes = {p[0] for p in res.words.city_prefixes + res.words.province_prefixes}
    for i, j, _ in cands:
        covered.update(range(i, j))
        if words[i] in prefixes:
            admin.add(i)
    heads = res.lexicon.opaque
    i = 0
    while i < n:
        word = words[i]
        if word in heads.root:
            hit = heads.match(words, doc.gaps_ok, i)
        elif word.isupper() and word.startswith("RS") and 3 <= len(word) <= 6:
            hit = (i + 1, HOSPITAL)  # a hospital: RSCM, RSPAD, RSIA
        else:
            hit = None
        if hit is None or owner[i] is not None or i in covered:
            i += 1
            continue
        if not words[i].isupper() and i > 0 and doc.single_space(i - 1):
            before = words[i - 1]
            if cap(before) and res.titles.match(words, doc.gaps_ok, i - 1) is None:
                i += 1
                continue
        j = hit[0]
        while j < n and doc.gaps_ok[j - 1] and owner[j] is None and j not in admin:
            word, glued = words[j], doc.glued(j - 1)
            if (
                (cap(word) and (glued or doc.single_space(j - 1)))
                or (word.isdigit() and len(word) <= 3 and doc.single_space(j - 1))
                or (word in ("-", "'", ".") and glued and j + 1 < n and words[j + 1][:1].isalnum())
            ):
                j += 1
            else:
                break
        if j > hit[0]:
            for k in range(i, j):
                owner[k] = OPAQUE
        i = max(j, i + 1)


def _position_before(doc: Article, res: Resources, i: int) -> bool:
    """A position phrase leads up to token ``i``: "Kepala", "Kepala Badan", "Juru bicara",
    "Direktur Jenderal Perhubungan Udara" (a title, then unit words)."""
    words = doc.words
    k = i - 1
    while k >= 0 and i - k <= 8 and doc.gaps_ok[k]:
        if res.titles.match(words, doc.gaps_ok, k) is not None:
            return True
        if not (cap(words[k]) or words[k].islower()):
            return False
        # "Juru bicara": a title's own lower-case word; any other lower-case word ends it
        if (
            words[k].islower()
            and words[k] not in res.words.connectors
            and (k == 0 or res.titles.match(words, doc.gaps_ok, k - 1) is None)
        ):
            return False
        k -= 1
    return False


def find_heads(doc: Article, res: Resources) -> None:
    """Take the head-word names of the module docstring."""
    words, n, w = doc.words, len(doc.words), res.words
    heads = w.agency_heads | w.program_heads
    starts = heads | w.city_heads
    lex = res.lexicon
    country: set[int] = set()  # "Komisi Eropa", "Kementerian Luar Negeri China"
    for a, b, _ in res.lexicon.countries.find_all(words, doc.gaps_ok):
        country.update(range(a, b))
    cands: list[tuple[int, int, str]] = []
    absorb: tuple[str, ...]
    own_end = {a: b for a, b, sug in doc.found if sug.label == "AGENCY"}
    for i, word in enumerate(words):
        if word not in starts or (doc.owner[i] is not None and i not in own_end):
            continue
        if any(tuple(words[i : i + len(p)]) == p for p in w.not_heads):
            continue
        if word in w.agency_heads:
            label, limit, absorb = "AGENCY", 10, ("CITY", "AGENCY")
        elif word in w.program_heads:
            label, limit, absorb = "PROGRAM", 6, ()
        elif word in w.city_heads:
            label, limit, absorb = "CITY", 3, ()
        else:
            continue
        # inside a position phrase or a headline the words after the body's name are a
        # person's or the headline's: the name holds only unit words, acronyms and places
        # ("Kepala Badan Geologi Muhammad Wafid", "Dinas PUPR Jadi Tersangka")
        in_title = i > 0 and doc.single_space(i - 1) and _position_before(doc, res, i)
        strict = in_title or doc.lay.headline[i]
        # a listed body may go on: "Dinas Tenaga Kerja dan Transmigrasi Kabupaten X"
        j = last = own_end.get(i, i + 1)
        parent = False
        while j < n and j - i <= limit and doc.gaps_ok[j - 1]:
            owner = doc.owner[j]
            if owner in absorb and last == j:
                while j < n and doc.owner[j] == owner:
                    j += 1
                last = j
                if owner == "CITY":
                    break  # "Dinas Perdagangan Kota Makassar" ends at its place
                parent = True
                continue
            if owner is not None:
                break
            word = words[j]
            if cap(word) and word not in heads:
                if strict and not lex.unit_word(word) and not acronym(word) and j not in country:
                    break
                last, parent = j + 1, False
            elif word == "," and label == "AGENCY" and j + 1 < n and _list_goes_on(doc, res, j):
                pass  # "Dinas Sosial, Pemberdayaan Perempuan, dan Keluarga Berencana"
            elif word not in w.connectors or label == "CITY":
                break
            j += 1
        # "Kepala Pusat Gempa Bumi dan Tsunami BMKG": a unit of BMKG inside a title is part
        # of the title; only BMKG is a span
        if in_title and parent and label == "AGENCY" and words[i] in w.unit_heads:
            continue
        if last < n and doc.owner[last] == OPAQUE and doc.single_space(last - 1):
            continue  # "Komisi Disiplin PSSI": a unit of a body with no label
        if last > i + 1:
            cands.append((i, last, label))
    for i, j, label in sorted(cands, key=lambda c: c[0] - c[1]):
        if any(o not in (None, "CITY", "AGENCY") for o in doc.owner[i:j]):
            continue
        if not doc.free(i, i + 1) and (i not in own_end or own_end[i] >= j):
            continue
        doc.release(i, j)
        doc.take(i, j, doc.suggestion(i, j, label, rec.HEAD, HEAD_SCORE))


def _list_goes_on(doc: Article, res: Resources, j: int) -> bool:
    nxt = doc.words[j + 1]
    return nxt in LIST_JOINERS or res.lexicon.unit_word(nxt)


def find_shared_heads(doc: Article, res: Resources) -> None:
    """``Kabupaten Pulang Pisau dan Kapuas``: the second regency shares the head word."""
    words, n = doc.words, len(doc.words)
    prefixes = {p[0] for p in res.words.city_prefixes}
    for i, j, sug in sorted(doc.found, key=lambda f: f[0]):
        if sug.label != "CITY" or words[i] not in prefixes or j + 1 >= n:
            continue
        if words[j] != "dan" or not doc.gaps_ok[j]:
            continue
        k = j + 1
        while k < n and k - j <= 3 and doc.owner[k] is None and cap(words[k]):
            if words[k] in prefixes or not doc.gaps_ok[k - 1]:
                break
            k += 1
        if k > j + 1:
            doc.take(j + 1, k, doc.suggestion(j + 1, k, "CITY", rec.HEAD, HEAD_SCORE))


def _cap_run(doc: Article, k: int) -> int:
    """End of the capitalised words from ``k`` (one space apart, on one line), nobody's or
    a listed place's (``Malang Cerdas``); the run must hold a word nobody took."""
    words, n = doc.words, len(doc.words)
    j = k
    while (
        j < n
        and j - k < MAX_NAMED_WORDS
        and doc.owner[j] in (None, "CITY")
        and cap(words[j])
        and (j == k or (doc.gaps_ok[j - 1] and doc.single_space(j - 1)))
    ):
        j += 1
    if all(doc.owner[x] is not None for x in range(k, j)):
        return k
    while j > k and doc.owner[j - 1] is not None:
        j -= 1  # "aplikasi Sapawarga Jawa Barat": the place after the name is not in it
    return j


def find_named(doc: Article, res: Resources) -> None:
    """Programmes after ``program``/``aplikasi``, English bodies by their last word."""
    words, n, w = doc.words, len(doc.words), res.words
    for i in range(n - 1):
        if doc.owner[i] is not None or doc.lay.headline[i]:
            continue
        word = words[i]
        if word in w.program_cues and doc.gaps_ok[i] and doc.single_space(i):
            j = _cap_run(doc, i + 1)
            if j > i + 1:
                doc.release(i + 1, j)
                sug = doc.suggestion(i + 1, j, "PROGRAM", rec.HEAD, HEAD_SCORE)
                doc.take(i + 1, j, sug)
            continue
        if word in w.agency_tails:
            a = i
            while (
                a > 0
                and i - a < MAX_NAMED_WORDS
                and doc.owner[a - 1] is None
                and (cap(words[a - 1]) or words[a - 1] in ENGLISH_JOINERS)
                and doc.gaps_ok[a - 1]
                and doc.single_space(a - 1)
                and not doc.lay.sentence_start[a]
            ):
                a -= 1
            while a < i and not cap(words[a]):
                a += 1  # "House of Commons", not "of Commons"
            if a < i:
                doc.take(a, i + 1, doc.suggestion(a, i + 1, "AGENCY", rec.HEAD, HEAD_SCORE))

"""Indonesian (and English) date expressions in news text, as one compiled regex.

What is a DATE follows the DATE guideline: ``8 Juli 2018``, ``Selasa (30/08/2022)`` (day name
and parentheses in one span), ``30/08/2022``, ``tahun 2023`` (``tahun`` included),
``Oktober 2023``, ``17 Agustus``, ``10-11 Mei 2023``, ``2019-2021``, ``tahun 1990-an``,
``triwulan III 2023``, ``July 8, 2018``, ``2022-08-30``, a bare year (``Network 2023``,
``akhir 2022`` gives ``2022``) and a bare day name (``katanya, Selasa``). Words around the
date (pada, sejak, periode) stay outside. Not dates: relative days (``Minggu lalu``), the year
of a law (``UU Nomor 23 Tahun 2014``), a count that looks like a year (``2000 orang``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

FULL_SCORE = 0.95
YEAR_ONLY_SCORE = 0.7
DAY_ONLY_SCORE = 0.6
# "UU Nomor 23 Tahun 2014": the year belongs to the law's name
LAW_BEFORE = re.compile(r"(?:Nomor|No\.?)\s*\d+\s+(?:[Tt]ahun\s+)?$")
COUNT_AFTER = re.compile(
    r"\s+(?:orang|jiwa|unit|ekor|buah|rumah|kali|meter|km|kg|ton|hektare|ha|peserta|warga|"
    r"kasus|lembar|paket|keluarga|siswa|mahasiswa)\b"
)


def _alt(words: Sequence[str]) -> str:
    # longest first so "Juli" is not cut to "Jul"; escaped so "Jum'at" stays literal
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.lru_cache(maxsize=8)
def date_regex(
    months: tuple[str, ...], months_short: tuple[str, ...], days: tuple[str, ...]
) -> re.Pattern[str]:
    """The compiled pattern (the word lists come from ``resources/suggest/rules.toml``)."""
    month = rf"(?:{_alt(months)}|(?:{_alt(months_short)})\.?)"
    day = rf"(?:{_alt(days)})"
    d = r"(?:[012]?\d|3[01])"
    year = r"(?:1[89]\d\d|2[01]\d\d)"
    numeric = rf"(?:{d}[/.\-](?:0?[1-9]|1[0-2])[/.\-](?:{year}|\d\d))"
    iso = rf"(?:{year}-(?:0[1-9]|1[0-2])-(?:[0-2]\d|3[01]))"
    dmy = rf"(?:{d}(?:\s?[-\u2013]\s?{d})?\s+{month}(?:\s+{year})?)"
    mdy = rf"(?:{month}\s+{d}(?:st|nd|rd|th)?,?\s+{year})"
    my = rf"(?:{month}\s+{year})"
    years = rf"(?:{year}(?:\s?[-\u2013]\s?{year}|-an)?)"
    tahun = rf"(?:[Tt]ahun|TAHUN)\s+{years}"
    quarter = rf"(?:triwulan|kuartal|semester|caturwulan)\s+(?:[IV]+|\d)\s+{year}"
    core = rf"(?:{iso}|{numeric}|{mdy}|{dmy}|{my}|{tahun}|{quarter})"
    short_numeric = rf"(?:{d}/(?:0?[1-9]|1[0-2])(?:/(?:{year}|\d\d))?)"
    paren = rf"\(\s*(?:{core}|{short_numeric})\s*\)"
    # A day name may lead a date: "Selasa (30/08/2022)", "Senin, 8 Juli 2018".
    pattern = (
        rf"(?<![\w/.\-])(?:"
        rf"(?:{day}\s*,?\s*)?{paren}"
        rf"|(?:{day}\s*,?\s+)?{core}"
        rf"|(?P<year_only>{years})"
        rf"|(?P<day_only>(?-i:(?!Minggu\s+(?:lalu|depan|ini|ke)\b){day}))"
        rf")(?![\w/])"
    )
    return re.compile(pattern, re.IGNORECASE)


def find_dates(
    text: str, months: tuple[str, ...], months_short: tuple[str, ...], days: tuple[str, ...]
) -> Iterator[tuple[int, int, float]]:
    """``(start, end, score)`` of each date expression in ``text``."""
    for m in date_regex(months, months_short, days).finditer(text):
        start, end = m.span()
        # never across a line break: a heading's trailing day name is not tomorrow's date
        if "\n" in text[start:end]:
            continue
        if m.group("year_only") or m.group(0)[:1] in "Tt":
            if LAW_BEFORE.search(text, max(0, start - 30), start):
                continue
            if m.group("year_only") and COUNT_AFTER.match(text, end):
                continue
        if m.group("day_only"):
            score = DAY_ONLY_SCORE
        elif m.group("year_only"):
            score = YEAR_ONLY_SCORE
        else:
            score = FULL_SCORE
        yield start, end, score

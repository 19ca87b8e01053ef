"""Rule suggestions on sentences with known entities, the team's own rules, and invariants."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from _helpers_suggest import LABELS, found
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import RecordError
from annotator.core.suggest.project_rules import load_project_rules
from annotator.core.suggest.rules import RuleSuggester
from annotator.core.tokens import TokenIndex

RULES = RuleSuggester(LABELS)


def suggest(text: str) -> list[tuple[str, str]]:
    return found(text, RULES.suggest(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Untuk Indonesia, terpilih DKI Jakarta, Kota Makassar dan Kabupaten Banyuwangi.",
            [("CITY", "DKI Jakarta"), ("CITY", "Kota Makassar"), ("CITY", "Kabupaten Banyuwangi")],
        ),
        # "Kota" belongs to the office, the city is Makassar
        ("Wali Kota Makassar meluncurkan aplikasi.", [("CITY", "Makassar")]),
        (
            "Persidangan yang diselenggarakan Selasa (30/08/2022) secara daring.",
            [("DATE", "Selasa (30/08/2022)")],
        ),
        (
            "Direktur Jenderal Bina Administrasi Kewilayahan Kemendagri, Dr Safrizal ZA MSi "
            "saat menyampaikan sambutannya.",
            [("AGENCY", "Kemendagri"), ("PERSON", "Safrizal ZA")],
        ),
        (
            "ASCN dibentuk pada 8 Juli 2018 di Singapura.",
            [("PROGRAM", "ASCN"), ("DATE", "8 Juli 2018")],
        ),
        ("serah terima untuk periode tahun 2023 dari Kamboja", [("DATE", "tahun 2023")]),
        (
            "layanan publik Pemerintah DKI Jakarta seperti JakLapor",
            [("AGENCY", "Pemerintah DKI Jakarta"), ("PROGRAM", "JakLapor")],
        ),
        (
            "menyampaikan inovasi JAKI (Jakarta Kini) sebagai suatu platform.",
            [("PROGRAM", "JAKI"), ("PROGRAM", "Jakarta Kini")],
        ),
        ("TRIBUNGAYO.COM, JAKARTA - Indonesia siap menjabat", [("CITY", "JAKARTA")]),
        (
            "Penulis: Fikar W Eda | Editor: Rizwan\nLaporan Fikar W.Eda/Jakarta",
            [("PERSON", "Fikar W Eda"), ("PERSON", "Fikar W.Eda"), ("CITY", "Jakarta")],
        ),
        (
            "Kepala BPS Jatim, Dwi Hartanto Saputro, mengatakan inflasi turun.",
            [("AGENCY", "BPS Jatim"), ("PERSON", "Dwi Hartanto Saputro")],
        ),
        # no label for countries, generic words, relative dates or a law's year
        ("Indonesia dan Kamboja, kota cerdas, pekan lalu, UU Nomor 23 Tahun 2014.", []),
    ],
)
def test_known_entities(text: str, expected: list[tuple[str, str]]) -> None:
    assert suggest(text) == expected


def test_an_abbreviation_defined_once_is_found_throughout() -> None:
    # an invented body: only its head word ("Badan") and the definition can find it
    text = (
        "Badan Riset Kelautan Nusantara (BRKN) menggelar rapat di Kota Ambon.\n"
        "Menurut data BRKN, nelayan di Maluku bertambah. BRKN juga mendata kapal."
    )
    assert suggest("Menurut data BRKN, nelayan bertambah.") == []
    assert found(text, RULES.suggest(text)) == [
        ("AGENCY", "Badan Riset Kelautan Nusantara"),
        ("AGENCY", "BRKN"),
        ("CITY", "Kota Ambon"),
        ("AGENCY", "BRKN"),
        ("CITY", "Maluku"),
        ("AGENCY", "BRKN"),
    ]


def test_an_abbreviation_takes_the_label_of_its_long_name() -> None:
    text = "Program Lumbung Pangan Desa (LPD) berjalan. Dana LPD cair."
    assert suggest(text) == [
        ("PROGRAM", "Program Lumbung Pangan Desa"),
        ("PROGRAM", "LPD"),
        ("PROGRAM", "LPD"),
    ]


def test_person_after_a_title_and_before_a_degree_without_them() -> None:
    text = "Kepala Dinas Kesehatan Kabupaten TTS, dr Maria Goreti Nenobais, M.Kes, mengatakan."
    assert suggest(text) == [
        ("AGENCY", "Dinas Kesehatan Kabupaten TTS"),
        ("PERSON", "Maria Goreti Nenobais"),
    ]


def test_later_mentions_of_a_person_are_found() -> None:
    text = "Gubernur Jawa Barat Ridwan Kamil hadir. Menurutnya, kata Ridwan, acara lancar."
    assert suggest(text) == [
        ("CITY", "Jawa Barat"),
        ("PERSON", "Ridwan Kamil"),
        ("PERSON", "Ridwan"),
    ]


def test_offsets_are_code_points_after_emoji_and_combining_marks() -> None:
    prefix = "📌 Penulis: Rene\u0301 Eda\r\n"  # an emoji, a combining acute, a CRLF line end
    text = prefix + "Rapat di Kota Makassar, Senin (5/12/2022)."
    out = RULES.suggest(text)
    assert found(text, out) == [
        ("PERSON", "Rene\u0301 Eda"),
        ("CITY", "Kota Makassar"),
        ("DATE", "Senin (5/12/2022)"),
    ]
    city = next(s for s in out if s.label == "CITY")
    assert city.start == len(prefix + "Rapat di ")


def test_lowercase_common_nouns_are_not_places() -> None:
    assert suggest("kota itu indah, batu dan kabupaten lain") == []


# -- the team's own rules ---------------------------------------------------------------------


def write_rules(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "suggestions.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_project_terms_and_patterns_win_and_ignore_and_off_work(tmp_path: Path) -> None:
    path = write_rules(
        tmp_path,
        '[terms]\nPROGRAM = ["Makassar Smart Card"]\nAGENCY = ["Tim Penggerak PKK"]\n'
        "[patterns]\nPROGRAM = ['Jak(?:Lingko|Preneur)', 'aplikasi (Lontara\\+)']\n"
        '[ignore]\nterms = ["Jakarta"]\n[rules]\noff = ["date"]\n',
    )
    rules = RuleSuggester(LABELS, load_project_rules(path, frozenset(LABELS)))
    text = (
        "Makassar Smart Card dan aplikasi Lontara+ dari Tim Penggerak PKK diluncurkan di "
        "Jakarta dan Bandung pada 8 Juli 2018, bersama JakLingko."
    )
    assert found(text, rules.suggest(text)) == [
        ("PROGRAM", "Makassar Smart Card"),
        ("PROGRAM", "Lontara+"),
        ("AGENCY", "Tim Penggerak PKK"),
        ("CITY", "Bandung"),
        ("PROGRAM", "JakLingko"),
    ]


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("[terms]\nPROGRAM = ['ok']\n\n[patterns]\nCITY = ['(unclosed']\n", 5, "bad pattern"),
        ("[terms]\n\nORG = ['Bulog']\n", 3, "unknown label 'ORG'"),
        ("[terms\nCITY = []\n", 1, ""),
        ("[rules]\noff = ['persons']\n", 2, "unknown family 'persons'"),
        ("[terms]\nCITY = 'Makassar'\n", 2, "must be a list of strings"),
        ("[extra]\n", 1, "unknown table [extra]"),
    ],
)
def test_mistakes_in_suggestions_toml_name_file_and_line(
    tmp_path: Path, body: str, line: int, reason: str
) -> None:
    path = write_rules(tmp_path, body)
    with pytest.raises(RecordError) as info:
        load_project_rules(path, frozenset(LABELS))
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


def test_no_file_means_no_project_rules(tmp_path: Path) -> None:
    rules = load_project_rules(tmp_path / "suggestions.toml", frozenset(LABELS))
    assert rules.terms == {}
    assert rules.patterns == {}


def test_labels_outside_the_project_are_never_suggested() -> None:
    only_dates = RuleSuggester(["DATE"])
    text = "Wali Kota Makassar hadir Senin (5/12/2022) di Kemendagri."
    assert found(text, only_dates.suggest(text)) == [("DATE", "Senin (5/12/2022)")]


# -- invariants on any text ------------------------------------------------------------------

PIECES = [
    "Kota", "Makassar", "DKI", "Jakarta", "Kemendagri", "(", ")", "Kementerian", "Dalam",
    "Negeri", "Dr", "Safrizal", "ZA", "MSi", "Selasa", "30/08/2022", "8", "Juli", "2018",
    "tahun", "2023", "kata", "Budi", ",", ".", "dan", "Wali", "Kabupaten", "Banyuwangi",
    "📌", "e\u0301", "JAKARTA", "-", "ASCN", "Badan", "Riset", "X", "Penulis", ":", "\n",
    "\r\n", "BPS", "Jatim", "Gubernur", "Jawa", "Barat",
]  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.lists(st.sampled_from(["", " ", "  "])))
def test_suggestions_are_flat_aligned_and_in_range(pieces: list[str], seps: list[str]) -> None:
    text = "".join(p + (seps[i % len(seps)] if seps else " ") for i, p in enumerate(pieces))
    out = RULES.suggest(text)
    index = TokenIndex(text)
    for a, b in itertools.pairwise(out):
        assert a.end <= b.start
    for s in out:
        assert 0 <= s.start < s.end <= len(text)
        assert index.is_aligned(s.start, s.end)
        assert s.label in LABELS
        assert text[s.start : s.end] == text[s.start : s.end].strip()

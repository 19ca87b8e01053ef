"""Places and agencies by their head words, names with no label, and where a line is a headline."""

from __future__ import annotations

import pytest
from _helpers_suggest import LABELS, found

from annotator.core.suggest.gazetteer import load_resources
from annotator.core.suggest.layout import layout
from annotator.core.suggest.rules import RuleSuggester
from annotator.core.tokens import tokenize

RULES = RuleSuggester(LABELS)


def suggest(text: str) -> list[tuple[str, str]]:
    return found(text, RULES.suggest(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Kota/Kabupaten/Provinsi + a name no gazetteer lists
        (
            "Banjir melanda Kabupaten Tanah Merah Jaya tadi malam.",
            [("CITY", "Kabupaten Tanah Merah Jaya")],
        ),
        ("Warga Kota Sungai Penuh berkumpul.", [("CITY", "Kota Sungai Penuh")]),
        # head words of agencies, and a listed body that goes on
        (
            "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Bogor membuka lowongan.",
            [("AGENCY", "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Bogor")],
        ),
        (
            "Kepala Badan Geologi Muhammad Wafid meminta warga menjauh.",
            [("AGENCY", "Badan Geologi"), ("PERSON", "Muhammad Wafid")],
        ),
        (
            "Kepala Dinas Sosial, Pemberdayaan Perempuan, dan Keluarga Berencana Banyuwangi "
            "Henik Setyorini menambahkan.",
            [
                (
                    "AGENCY",
                    "Dinas Sosial, Pemberdayaan Perempuan, dan Keluarga Berencana Banyuwangi",
                ),
                ("PERSON", "Henik Setyorini"),
            ],
        ),
        # an English body by its last word
        (
            "Dukungan diberikan melalui Singapore Tourism Board tahun ini.",
            [("AGENCY", "Singapore Tourism Board")],
        ),
        # a programme after a lower-case "program" or "aplikasi"
        (
            "Pemkab Banyuwangi memperluas program Rantang Kasih.",
            [("AGENCY", "Pemkab Banyuwangi"), ("PROGRAM", "Rantang Kasih")],
        ),
        # a regional office written with its place is one span
        ("Kepala Dinkes Surabaya meminta warga waspada.", [("AGENCY", "Dinkes Surabaya")]),
        ("Polrestabes Semarang menangkap dua pelaku.", [("AGENCY", "Polrestabes Semarang")]),
    ],
)
def test_head_words_name_places_agencies_and_programmes(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert suggest(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # in a headline an agency holds only unit words, acronyms and places
        ("Tiga Pegawai Dinas PUPR Jadi Tersangka Korupsi", [("AGENCY", "Dinas PUPR")]),
        ("Pemprov Jabar Gabungkan Dua Aplikasi Layanan", [("AGENCY", "Pemprov Jabar")]),
        # a unit of a body with no label is no agency
        ("Sanksi dijatuhkan Komisi Disiplin PSSI pekan lalu.", []),
        # a place inside a club's or a hospital's name is not suggested
        ("Persebaya Surabaya kalah di kandang.", []),
        ("Ia dirawat di RSCM Jakarta selama dua pekan.", []),
        # a country is no CITY, and never part of a person's name
        ("Delegasi Singapura dan Korea Selatan tiba.", []),
    ],
)
def test_what_head_words_must_not_take(text: str, expected: list[tuple[str, str]]) -> None:
    assert suggest(text) == expected


def test_layout_marks_headlines_sentence_starts_and_bylines() -> None:
    text = (
        "Jokowi Resmikan Bendungan di Lebak\n"
        "LEBAK - Presiden meresmikan bendungan. Warga senang.\n"
        "Penulis: Rina Marlina | Editor: Aditya Pratama\n"
        "Baca juga: Warga Lebak Sambut Bendungan Baru"
    )
    tokens = tokenize(text)
    words = [text[t.start : t.end] for t in tokens]
    lay = layout(text, tokens, words, load_resources().words.line_cues)
    by_word = {w: k for k, w in reversed(list(enumerate(words)))}
    assert lay.headline[by_word["Jokowi"]]
    assert lay.headline[by_word["Bendungan"]]
    assert not lay.headline[by_word["Presiden"]]
    assert not lay.headline[by_word["Rina"]]  # a byline is no headline
    assert lay.headline[by_word["Sambut"]]  # a "Baca juga" title is
    assert lay.sentence_start[by_word["Presiden"]]  # after a dateline's dash
    assert lay.sentence_start[by_word["Warga"]]
    assert not lay.sentence_start[by_word["bendungan"]]
    # "M.Kes" has no sentence end inside it
    text = "dr Maria, M.Kes, hadir"
    tokens = tokenize(text)
    words = [text[t.start : t.end] for t in tokens]
    lay = layout(text, tokens, words, frozenset())
    assert not lay.sentence_start[words.index("Kes")]

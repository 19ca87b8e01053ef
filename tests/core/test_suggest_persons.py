"""Person names without a gazetteer: one test per rule family, with the cases that must not fire."""

from __future__ import annotations

import pytest
from _helpers_suggest import LABELS, found

from annotator.core.suggest.record import CONTEXT, TITLE
from annotator.core.suggest.rules import RuleSuggester

RULES = RuleSuggester(LABELS)


def persons(text: str) -> list[str]:
    return [t for label, t in found(text, RULES.suggest(text)) if label == "PERSON"]


# -- a title, position or honorific before the name, read through the position phrase -------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Perdana Menteri India Narendra Modi tiba.", "Narendra Modi"),
        ("Kapolsek Jatiuwung Kompol Ali Zaenal mengimbau warga.", "Ali Zaenal"),
        (
            "Menteri Kebudayaan, Komunitas, dan Pemuda Singapura Edwin Tong membantah.",
            "Edwin Tong",
        ),
        ("Kepala Bidang Pembinaan dan Prestasi PBSI Rionny Mainaky hadir.", "Rionny Mainaky"),
        ("Duta Besar RI untuk Malaysia Hermono menyambut.", "Hermono"),
        ("Direktur Jenderal Pajak Suryo Utomo menjelaskan.", "Suryo Utomo"),
        ("mantan presiden Barack Obama hadir.", "Barack Obama"),
        ("Senator John McCain kalah.", "John McCain"),
        ("Sebelumnya Mbak Ita tiba.", "Ita"),
        ("Makam Pangeran Singa Brata dipugar.", "Singa Brata"),
        ("Presiden Komisi Eropa Ursula von der Leyen berpidato.", "Ursula von der Leyen"),
        ("Pemimpin Korea Utara Kim Jong Un bertemu wartawan.", "Kim Jong Un"),
    ],
)
def test_a_name_after_a_title_or_position_phrase(text: str, name: str) -> None:
    assert persons(text) == [name]
    sug = next(s for s in RULES.suggest(text) if s.label == "PERSON")
    assert sug.source == TITLE
    assert sug.score == pytest.approx(0.8)


@pytest.mark.parametrize(
    "text",
    [
        "Hal itu disampaikan Presiden dalam pidatonya.",
        '"Kami siap," ujar Menlu.',
        "Gubernur mengatakan bantuan sudah dikirim.",
        "Kapolres mengimbau warga tetap tenang.",
        "Menteri Kebudayaan, Komunitas, dan Pemuda membuka acara.",
        "Kepala Desa Sidomakmur ditahan jaksa.",
    ],
)
def test_a_position_without_a_name_is_not_a_person(text: str) -> None:
    assert persons(text) == []


def test_titles_and_degrees_stay_outside_the_name() -> None:
    text = (
        "Kepala Dinas Komunikasi dan Informatika DIY, Dr. Ir. H. Rudy Hartono Wibowo, M.Si., "
        "mengatakan aplikasi itu siap. Kepala BKKBN dr Hasto Wardoyo, Sp.OG(K), hadir."
    )
    assert persons(text) == ["Rudy Hartono Wibowo", "Hasto Wardoyo"]


# -- speech cues and verbs, roles, apposition ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('"Semua lancar," kata Basuki di lokasi.', "Basuki"),
        ("Menurut Perry, inflasi terkendali.", "Perry"),
        ('"Saya senang," tulis Hewitt di akunnya.', "Hewitt"),
        ("Dalam rapat itu Sukarjo menyebut anggaran cukup.", "Sukarjo"),
        ("Setelah itu Kamala Harris segera menyatakan siap.", "Kamala Harris"),
        ("Timnas dilatih pelatih Shin Tae-yong sejak lama.", "Shin Tae-yong"),
        ("Hal itu dikritik pengamat politik Ray Rangkuti kemarin.", "Ray Rangkuti"),
        ("Gol dicetak Egy Maulana Vikri pada menit ke-52.", "Egy Maulana Vikri"),
        ("Pedagang bernama Ujang Suherman mengeluh.", "Ujang Suherman"),
    ],
)
def test_a_name_by_a_cue_a_verb_or_a_role(text: str, name: str) -> None:
    assert persons(text) == [name]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Istri korban, Nurhayati binti Ahmad, yang hadir menangis.", "Nurhayati binti Ahmad"),
        (
            "Kuasa hukum terdakwa, Johannes Sitorus, mengatakan kliennya menyesal.",
            "Johannes Sitorus",
        ),
        ("Hal senada disampaikan Rahmat, pedagang sayur di pasar itu.", "Rahmat"),
        ("Warga desa, Enung Nurhayati (56), mengungsi.", "Enung Nurhayati"),
        ("Suami Hevearita, Alwin Basri, juga diperiksa.", "Alwin Basri"),
    ],
)
def test_apposition_after_a_role_or_an_age(text: str, name: str) -> None:
    assert name in persons(text)
    assert all(s.source in (CONTEXT, TITLE) for s in RULES.suggest(text) if s.label == "PERSON")


def test_apposition_needs_a_role_and_a_list_of_units_is_none() -> None:
    # a film title after a director's name, a place after "dari": no person
    text = "Film karya sutradara Joko Anwar, Siksa Kubur, laris."
    assert persons(text) == ["Joko Anwar"]
    assert persons("Petani mitra dari Lembang, kata dia, untung.") == []


# -- bin/binti, initials, foreign names ------------------------------------------------------


def test_bin_and_binti_join_a_name() -> None:
    text = "Terdakwa Abdurrachman bin Ali (41) dituntut 15 tahun. Abdurrachman diam."
    assert persons(text) == ["Abdurrachman bin Ali", "Abdurrachman"]


def test_initials_after_berinisial_even_when_they_spell_a_country() -> None:
    text = "Empat tersangka berinisial AS (27), RP (24), dan MY (22) ditangkap."
    assert persons(text) == ["AS", "RP", "MY"]
    assert persons("Ketiganya berinisial HM, AR, dan SY.") == ["HM", "AR", "SY"]
    assert persons("Menurut data BRKN, nelayan bertambah.") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kapolda Papua Irjen Mathius D. Fakhiri membenarkan.", "Mathius D. Fakhiri"),
        ("Menteri Johnny G. Plate hadir.", "Johnny G. Plate"),
        ("Presiden B.J. Habibie wafat.", "B.J. Habibie"),
    ],
)
def test_inner_initials_keep_their_dots(text: str, name: str) -> None:
    assert persons(text) == [name]


def test_foreign_names_and_their_later_mentions() -> None:
    text = (
        "Aktris Jennifer Love Hewitt kembali bermain. Rekan mainnya, Peter Krause, juga "
        "kembali. Hewitt mengaku senang."
    )
    assert persons(text) == ["Jennifer Love Hewitt", "Peter Krause", "Hewitt"]


# -- coordinated names and aliases -----------------------------------------------------------


def test_names_listed_with_a_found_one_and_aliases() -> None:
    text = "Film itu dibintangi Faradina Mufti, Reza Rahadian, dan Christine Hakim."
    assert persons(text) == ["Faradina Mufti", "Reza Rahadian", "Christine Hakim"]
    text = "Presiden Joko Widodo (Jokowi) hadir. Pasangan Heri Koswara-Sholihin menang."
    assert persons(text) == ["Joko Widodo", "Jokowi", "Heri Koswara", "Sholihin"]


# -- headlines and sentence starts -----------------------------------------------------------


def test_a_title_case_headline_does_not_glue_words_onto_a_name() -> None:
    assert persons("Joko Widodo Resmikan Bendungan Karian") == []
    text = (
        "Joko Widodo Resmikan Bendungan Karian\n"
        "LEBAK - Presiden Joko Widodo meresmikan bendungan itu."
    )
    out = [(s.label, text[s.start : s.end]) for s in RULES.suggest(text)]
    assert out[0] == ("PERSON", "Joko Widodo")
    assert out.count(("PERSON", "Joko Widodo")) == 2


def test_a_capitalised_sentence_start_is_not_part_of_the_name() -> None:
    text = "Presiden Barack Obama menang. Kemenangan Obama disambut warga."
    assert persons(text) == ["Barack Obama", "Obama"]
    # one capitalised word opening a sentence, before a speech verb, is not a name by itself
    assert persons("Keduanya mengatakan siap. Polisi menyebut pelaku kabur.") == []


# -- names with no label -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mereka berkumpul di Jalan Sudirman dan Bandara Soekarno-Hatta.",
        "Ia dirawat di Rumah Sakit Abdul Radjak sejak Senin.",
        "Laga digelar di Stadion Gelora Bung Karno.",
        "Ia lulus dari Universitas Hasanuddin.",
        "Mereka tinggal di Kecamatan Medan Amplas.",
    ],
)
def test_names_of_streets_buildings_and_schools_hide_the_person_inside(text: str) -> None:
    out = found(text, RULES.suggest(text))
    assert [x for x in out if x[0] in ("PERSON", "CITY")] == []


def test_a_club_or_company_before_a_name_is_not_part_of_it() -> None:
    assert persons("Pelatih Persib Bojan Hodak puas.") == ["Bojan Hodak"]
    assert persons("Direktur Utama Garuda Indonesia Irfan Setiaputra hadir.") == [
        "Irfan Setiaputra"
    ]

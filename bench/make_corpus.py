"""Synthetic Indonesian news corpus with K annotators' annotations, for the benchmarks.

Every benchmark (project store, agreement, export, the suggestion model's learning curve) needs
a large project whose annotations disagree in a known, controlled way. This script makes one:
articles of about 3 KB (2.5-3.5 KB of UTF-8, 15-25 entities each) written from Bahasa Indonesia
news-style sentence templates, gold spans of five labels (PERSON, AGENCY, CITY, DATE, PROGRAM),
and each annotator's copy of the gold spans with a given rate of disagreement. Standard library
only, streamed line by line, and deterministic: the same arguments give byte-identical files.

Command line::

    python bench/make_corpus.py OUT_DIR --articles N --annotators K
        [--seed S] [--disagreement R] [--not-done P] [--gold] [--force]

``--annotators`` is a count (names ``ann01``, ``ann02``, ...) or comma-separated names. OUT_DIR
must be missing or empty unless ``--force`` is given (then the files written are replaced and
any other file is left alone). It prints the figures: articles, spans, bytes, seconds.

Importable API (other scripts put this folder on ``sys.path`` and ``import make_corpus``):

``generate_article(i, seed) -> (doc_id, text, spans)``
    Article number ``i`` (0-based; its id is ``doc-{i + 1:06d}``), random-access by index. The
    first line of ``text`` is the title. ``spans`` are the gold ``(start, end, label)`` triples:
    code-point offsets, sorted, non-overlapping, free of surrounding whitespace, on token
    boundaries of ``\\w+|[^\\w\\s]``. About 5% of the articles hold non-ASCII text (an accented
    name, a "📌" before a paragraph, an em dash) so that offset bugs surface.
``annotate(text, gold_spans, rng, rate) -> spans``
    One annotator's spans: each gold span, with probability ``rate``, is dropped, relabelled,
    moved by one token at one boundary, or kept with a spurious span added on an unlabelled
    word. The result keeps every invariant of the gold spans. ``rate == 0`` returns the gold.
``write_project(out_dir, articles, annotators, seed, disagreement, gold) -> dict``
    The project folder (docs/design.md section 2): ``annotator.toml``, ``documents.jsonl``,
    ``annotations/<name>.jsonl`` (one record per document per annotator) and, with ``gold``,
    ``annotations/gold.jsonl``. A fraction ``not_done`` (keyword, default 0.03) of each
    annotator's records is ``skipped`` (no spans) or ``in_progress`` (the spans of a first
    part of the text); the rest are ``done``. Returns the figures that the command prints.

Annotations of article ``i`` by annotator ``name`` depend only on ``(seed, i, name)``: adding
annotators or articles never changes the records already made.

Conventions of the gold spans: titles before a name (``Dr``, ``Ir.``, ``H.``) and degrees after
it (``MSi``, ``SH``) are outside the PERSON span; "Kementerian Dalam Negeri (Kemendagri)" is two
AGENCY spans; a regency ("Kabupaten Banyuwangi") is a CITY, the "Kota"/"Kabupaten" word included,
and so is an upper-case dateline city ("JAKARTA"); a weekday belongs to its date ("Selasa
(30/08/2022)", "Senin, 5 Desember 2022"), and so does "tahun" ("tahun 2023"); a regional
government ("Pemprov DKI Jakarta") is one AGENCY span.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import sys
import time
from bisect import bisect_left
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
WORD_RE = re.compile(r"\w")
NAME_RE = re.compile(r"[a-z0-9_.-]{1,64}")  # annotator names (docs/design.md section 2)
LABELS: tuple[tuple[str, str, str, str], ...] = (
    ("PERSON", "1", "#4e79a7", "A named person, without titles or degrees"),
    ("AGENCY", "2", "#f28e2b", "A government body, ministry, agency or organisation"),
    ("CITY", "3", "#59a14f", "A city or regency (kabupaten)"),
    ("DATE", "4", "#e15759", "A calendar date or year expression"),
    ("PROGRAM", "5", "#b07aa1", "A named programme, initiative or network"),
)
LABEL_NAMES: tuple[str, ...] = tuple(label[0] for label in LABELS)
UPDATED_AT = "2026-01-01T00:00:00Z"
NOT_DONE = 0.03
MIN_BYTES, MAX_BYTES = 2500, 3500
MIN_SPANS, MAX_SPANS = 15, 25

Span = tuple[int, int, str]

# ---------------------------------------------------------------------------------------------
# Vocabulary


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE = _words(
    "Budi Agus Ahmad Joko Eko Bambang Hendra Rizky Fajar Taufik Yusuf Bayu Arief Teguh Heru "
    "Slamet Safrizal Yudhistira Fikar Rizwan Dimas Andi Irfan Wahyu Made Wayan Kadek Gede Hasan "
    "Ilham Rudi Dedi Asep Ujang Reza Aditya Galih Surya Iwan Ma'ruf Muhammad Hendro"
)
FEMALE = _words(
    "Siti Dewi Sri Rina Putri Indah Nurul Ayu Dian Ratna Lestari Wulan Fitri Intan Kartika "
    "Mega Nining Yuni Anisa Maya Citra Retno Endang Novi Rahma"
)
EXOTIC_FIRST = ("René", "André", "Zoë", "Désirée", "Joëlle")
LAST = _words(
    "Santoso Wijaya Saputra Hidayat Nugraha Kurniawan Siregar Nasution Simanjuntak Lubis Harahap "
    "Pratama Setiawan Susanto Gunawan Halim Wibowo Rahman Hakim Sembiring Tambunan Situmorang "
    "Ginting Sinaga Purnomo Suryadi Hasibuan Panjaitan Wahyudi Permana Firmansyah Maulana Utami "
    "Rahmawati Anggraini Fauzi Syahputra Hutapea Pangaribuan Mahendra Prasetyo Putra Kusuma Eda "
    "Sitompul Manurung Tanjung Daulay Pohan"
)
TITLES_MALE = ("Dr", "Dr.", "Ir", "Ir.", "H.", "Prof. Dr.", "drg.", "Drs.")
TITLES_FEMALE = ("Dr", "Dr.", "Ir.", "Hj.", "Prof.", "dr.", "Dra.")
DEGREES = (" MSi", " SH", ", SH, MH", " MM", ", SE", " PhD", " DPhil", " MPd", " ST, MT", " MKes")

AGENCIES: tuple[tuple[str, str | None], ...] = (
    ("Kementerian Dalam Negeri", "Kemendagri"),
    ("Kementerian Keuangan", "Kemenkeu"),
    ("Kementerian Kesehatan", "Kemenkes"),
    ("Kementerian Sosial", "Kemensos"),
    ("Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi", "Kemendikbudristek"),
    ("Kementerian Komunikasi dan Informatika", "Kemenkominfo"),
    ("Kementerian Pekerjaan Umum dan Perumahan Rakyat", "Kementerian PUPR"),
    ("Kementerian Perhubungan", "Kemenhub"),
    ("Kementerian Pertanian", "Kementan"),
    ("Kementerian Ketenagakerjaan", "Kemnaker"),
    ("Badan Perencanaan Pembangunan Nasional", "Bappenas"),
    ("Badan Meteorologi, Klimatologi, dan Geofisika", "BMKG"),
    ("Badan Pusat Statistik", "BPS"),
    ("Komisi Pemberantasan Korupsi", "KPK"),
    ("Badan Nasional Penanggulangan Bencana", "BNPB"),
    ("Badan Pengawas Obat dan Makanan", "BPOM"),
    ("Otoritas Jasa Keuangan", "OJK"),
    ("Badan Pemeriksa Keuangan", "BPK"),
    ("Badan Riset dan Inovasi Nasional", "BRIN"),
    ("Badan Siber dan Sandi Negara", "BSSN"),
    ("Komisi Pemilihan Umum", "KPU"),
    ("Badan Pengawas Pemilihan Umum", "Bawaslu"),
    ("Dewan Perwakilan Rakyat", "DPR"),
    ("Bank Indonesia", "BI"),
    ("Pemprov DKI Jakarta", None),
    ("Pemerintah Provinsi Jawa Barat", None),
    ("Pemkot Surabaya", None),
    ("Pemkab Banyuwangi", None),
    ("Pemkot Makassar", None),
    ("Sekretariat ASEAN", None),
)
PROGRAMS: tuple[tuple[str, str | None], ...] = (
    ("Program Keluarga Harapan", "PKH"),
    ("Kartu Prakerja", None),
    ("Jakarta Smart City", None),
    ("Bantuan Langsung Tunai", "BLT"),
    ("Kartu Indonesia Pintar", "KIP"),
    ("Kartu Indonesia Sehat", "KIS"),
    ("Bantuan Pangan Non Tunai", "BPNT"),
    ("Kredit Usaha Rakyat", "KUR"),
    ("Program Sembako", None),
    ("Merdeka Belajar", None),
    ("Kampus Merdeka", None),
    ("Program Sejuta Rumah", None),
    ("Gerakan Nasional 1000 Startup Digital", None),
    ("Program Makan Bergizi Gratis", "MBG"),
    ("Satu Data Indonesia", None),
    ("ASEAN Smart City Network", "ASCN"),
    ("Bantuan Subsidi Upah", "BSU"),
    ("Tol Laut", None),
    ("Program Nasional Pemberdayaan Masyarakat Mandiri", "PNPM Mandiri"),
)
CITIES = _words(
    "Jakarta Surabaya Medan Bandung Makassar Semarang Palembang Denpasar Yogyakarta Balikpapan "
    "Pontianak Manado Padang Pekanbaru Jayapura Kupang Mataram Ambon Samarinda Malang Bogor "
    "Depok Bekasi Tangerang Solo Takengon Cirebon Batam Jambi Bengkulu"
)
CITIES += ("Banda Aceh", "Bandar Lampung", "Tanjung Pinang")
KOTA = ("Makassar", "Surabaya", "Medan", "Bandung", "Semarang", "Malang", "Bogor", "Kupang")
KABUPATEN = (
    "Banyuwangi",
    "Aceh Tengah",
    "Bogor",
    "Sleman",
    "Gowa",
    "Badung",
    "Kutai Kartanegara",
    "Sidoarjo",
    "Bantul",
    "Lombok Timur",
    "Gayo Lues",
    "Deli Serdang",
)
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = _words(
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
)
ROLES = (
    "Direktur Jenderal Bina Administrasi Kewilayahan",
    "Kepala Biro Hubungan Masyarakat",
    "Sekretaris Jenderal",
    "Kepala Bidang Perencanaan",
    "Deputi Bidang Pembangunan Manusia",
    "Juru bicara",
    "Kepala Pusat Data dan Informasi",
    "Direktur Utama",
    "Staf Ahli",
    "Kepala Seksi Pelayanan",
    "Plt Kepala",
    "Inspektur Jenderal",
)
TOPICS = (
    "pelayanan publik",
    "inflasi daerah",
    "angka stunting",
    "partisipasi sekolah",
    "pengangguran terbuka",
    "kota cerdas",
    "digitalisasi layanan",
    "ketahanan pangan",
    "penyaluran bantuan sosial",
    "kualitas udara",
)
GOALS = (
    "menurunkan angka kemiskinan ekstrem",
    "mempercepat transformasi digital",
    "meningkatkan kualitas sumber daya manusia",
    "memperkuat ketahanan pangan nasional",
    "memperluas akses layanan kesehatan",
    "mendorong pertumbuhan usaha mikro, kecil, dan menengah",
)
ADVICE = (
    "mewaspadai potensi cuaca ekstrem",
    "memanfaatkan layanan daring yang tersedia",
    "melaporkan setiap bentuk pungutan liar",
    "memeriksa kembali data kependudukan mereka",
    "tidak mudah percaya pada informasi yang belum jelas sumbernya",
)
OUTLETS = ("BERITANUSA.COM", "KABARDAERAH.ID", "WARTAKITA.CO.ID", "SUARANEGERI.COM")

# Sentence templates: literal text with {SLOT}s. Entity slots: PER (a person of the article's
# cast), AGY (agency), CITY, DATE, PROG (programme); plain slots: ROLE, TOPIC, GOAL, ADVICE,
# NUM, PCT, LEAD (an opening such as "Selain itu, "), TAIL (added by _pools).
SENTENCES = (
    "{ROLE} {AGY}, {PER}, mengatakan bahwa {PROG} akan diperluas ke {CITY} mulai {DATE}.",
    "Hal tersebut disampaikan {ROLE} {AGY}, {PER} saat memberikan sambutan di {CITY}, {DATE}.",
    "Menurut {PER}, pelaksanaan {PROG} di {CITY} sudah mencapai {PCT} persen dari target.",
    "{AGY} mencatat sebanyak {NUM} keluarga telah menerima {PROG} hingga {DATE}.",
    "Kegiatan ini diselenggarakan pada {DATE} di {CITY} dan dihadiri oleh perwakilan {AGY}.",
    '"Kami berharap {TOPIC} dapat terus ditingkatkan bersama seluruh pemangku '
    'kepentingan," kata {PER}.',
    "Sebelumnya, {AGY} telah menandatangani nota kesepahaman dengan {AGY} terkait {TOPIC}.",
    "{PER} menambahkan, pihaknya akan berkoordinasi dengan pemerintah daerah di {CITY} dan {CITY}.",
    "Data {AGY} menunjukkan capaian {TOPIC} di {CITY} naik {PCT} persen pada {DATE}.",
    "Program tersebut mulai berjalan sejak {DATE} dan kini menjangkau {NUM} desa.",
    "Untuk Indonesia, terpilih {CITY}, {CITY} dan {CITY} sebagai percontohan {PROG}.",
    "Ia menjelaskan, {PROG} merupakan bagian dari upaya pemerintah untuk {GOAL}.",
    "Selain itu, {AGY} juga meminta masyarakat di {CITY} untuk {ADVICE}.",
    "Rapat koordinasi tersebut dipimpin langsung oleh {PER} di kantor {AGY}, {CITY}.",
    "{PER} menilai koordinasi antara pemerintah pusat dan daerah masih perlu diperkuat.",
    "Pada {DATE}, {AGY} menyalurkan {PROG} kepada {NUM} warga di {CITY}.",
    "Warga {CITY} menyambut baik kehadiran {PROG} yang dinilai sangat membantu.",
    "Laporan itu diterima {AGY} pada {DATE} dan langsung ditindaklanjuti oleh tim di lapangan.",
    "Dalam kunjungannya ke {CITY}, {PER} meninjau langsung pelaksanaan {PROG}.",
    "{PER} dan {PER} sepakat bahwa {TOPIC} menjadi prioritas hingga {DATE}.",
    "Sementara itu, {ROLE} {AGY} {PER} menyebut anggaran untuk {PROG} mencapai Rp {NUM} miliar.",
    "Menanggapi hal itu, {AGY} berjanji mengevaluasi penyaluran {PROG} sebelum {DATE}.",
    "Sejak {DATE}, jumlah pengaduan masyarakat terus meningkat setiap bulan.",
    "{AGY} memastikan proses verifikasi data dilakukan secara transparan.",
    "Kebijakan tersebut juga akan diterapkan di {CITY} dalam waktu dekat.",
    "Menurut {PER}, masih banyak warga yang belum memahami prosedur pendaftaran.",
    "Pendaftaran {PROG} dibuka secara daring melalui laman resmi pemerintah.",
    "Di {CITY}, antrean warga sudah terlihat sejak pagi hari.",
    "{PER} mengakui masih ada sejumlah kendala dalam penyaluran bantuan.",
    "Evaluasi menyeluruh dijadwalkan berlangsung pada {DATE}.",
    "Ia menyebut {AGY} akan menambah petugas pendamping di setiap kecamatan.",
    "Peserta {PROG} wajib memperbarui data kependudukan sebelum batas waktu yang ditentukan.",
    '"Kami tidak ingin ada warga yang tertinggal," ujar {PER}.',
    "Dalam rapat itu, perwakilan {AGY} memaparkan capaian kinerja semester pertama.",
    "{PER} juga meminta {AGY} mempercepat pencairan anggaran.",
    "Pada {DATE}, tim gabungan melakukan inspeksi mendadak di {CITY}.",
    "Pemerintah daerah di {CITY} mengalokasikan dana khusus untuk mendukung {PROG}.",
    "{AGY} menyatakan siap mendukung {PROG} dengan menyiapkan data penerima yang akurat.",
)
PLAIN = (
    "Menurutnya, kolaborasi menjadi kunci keberhasilan pembangunan yang berkelanjutan.",
    "{LEAD}hal ini sejalan dengan arah kebijakan pemerintah dalam beberapa tahun terakhir.",
    "{LEAD}masyarakat diminta tetap waspada dan mengikuti informasi resmi dari pemerintah.",
    "Ke depan, evaluasi akan dilakukan secara berkala untuk memastikan target tercapai.",
    "Ia juga menekankan pentingnya transparansi dan akuntabilitas dalam pengelolaan anggaran.",
    "{LEAD}pihaknya memastikan seluruh proses berjalan sesuai dengan ketentuan yang berlaku.",
    "{LEAD}upaya tersebut diharapkan dapat meningkatkan kualitas layanan publik bagi warga.",
    "Dalam kesempatan itu, para peserta juga berdiskusi mengenai tantangan di lapangan.",
    "{LEAD}sejumlah kendala teknis masih ditemukan, terutama jaringan internet di daerah "
    "terpencil.",
    "{LEAD}pemerintah menargetkan seluruh tahapan dapat diselesaikan sebelum akhir tahun.",
    "{LEAD}persidangan ini juga dihadiri oleh delegasi dari sepuluh negara anggota ASEAN.",
    "{LEAD}rencana itu mendapat dukungan dari berbagai kalangan, termasuk akademisi dan pelaku "
    "usaha.",
    "Namun, sebagian warga mengaku belum menerima informasi yang memadai.",
    "{LEAD}langkah ini dinilai penting agar manfaat program dapat dirasakan secara merata.",
    "Hingga berita ini diturunkan, proses pendataan masih terus berlangsung.",
    "{LEAD}pengawasan di lapangan akan diperketat untuk mencegah penyimpangan.",
    "{LEAD}para peserta mengikuti kegiatan tersebut dengan antusias hingga acara selesai.",
    "{LEAD}kesiapan infrastruktur menjadi salah satu faktor penentu keberhasilan kebijakan ini.",
    "{LEAD}partisipasi aktif masyarakat sangat dibutuhkan agar hasilnya optimal.",
    "{LEAD}data yang akurat menjadi dasar dalam menentukan sasaran penerima manfaat.",
    "{LEAD}sosialisasi kepada warga akan dilakukan secara bertahap di tingkat kelurahan.",
)
# Endings of the {TAIL} slot, which every sentence template ending in "." gets in its place.
TAILS = (
    "sehingga pelayanan kepada masyarakat dapat berjalan lebih cepat",
    "terutama bagi kelompok masyarakat yang paling rentan",
    "sebagaimana diamanatkan dalam peraturan perundang-undangan",
    "meskipun tantangan di lapangan masih cukup besar",
    "agar tidak terjadi tumpang tindih kewenangan antarinstansi",
    "seperti yang telah dilakukan pada periode sebelumnya",
    "dengan melibatkan perangkat desa dan tokoh masyarakat setempat",
    "karena hal tersebut menyangkut kepentingan orang banyak",
    "baik di wilayah perkotaan maupun di daerah tertinggal",
)
# Openings of the {LEAD} slot; "" starts the sentence with its own (capitalised) first word.
LEADS = ("", "", "", "Selain itu, ", "Di sisi lain, ", "Ia menambahkan, ", "Menurut dia, ")
TITLES = (
    "{AGYS} Tekankan Pentingnya Kolaborasi dalam {PROG}",
    "{PERN} Pastikan {PROG} Tepat Sasaran di {CITY}",
    "{CITY} Jadi Percontohan {PROG}",
    "{AGYS} Catat Kenaikan Penerima {PROG} di {CITY}",
    "Kunjungi {CITY}, {PERN} Tinjau Pelaksanaan {PROG}",
    "{AGYS} dan {AGYS} Perkuat Koordinasi Jelang {DATE}",
)
HEADLINES = (
    "{AGYS} Larang ASN Bawa Uang Tunai Saat Perjalanan Dinas",
    "Warga {CITY} Antusias Sambut {PROG}",
    "{PERN} Beri Tips Sukses untuk Ratusan Mahasiswa Baru di {CITY}",
    "{AGYS} Umumkan Jadwal Penyaluran {PROG}",
)
SLOT_RE = re.compile(r"\{([A-Z]+)\}")
ENTITY_SLOTS = frozenset({"PER", "PERN", "AGY", "AGYS", "CITY", "DATE", "PROG"})
Template = tuple[tuple[bool, str], ...]  # (is_slot, literal text or slot name)


def _parse(template: str) -> Template:
    parts: list[tuple[bool, str]] = []
    for k, piece in enumerate(SLOT_RE.split(template)):
        if piece:
            parts.append((k % 2 == 1, piece))
    return tuple(parts)


def _pools(templates: Sequence[str]) -> list[list[Template]]:
    """Templates grouped by their number of entity slots (0, 1, 2, 3 or more)."""
    pools: list[list[Template]] = [[], [], [], []]
    for template in templates:
        if template.endswith(".") and not template.endswith('."'):
            template = template[:-1] + "{TAIL}"
        parsed = _parse(template)
        slots = sum(1 for is_slot, name in parsed if is_slot and name in ENTITY_SLOTS)
        pools[min(slots, 3)].append(parsed)
    return pools


SENTENCE_POOLS = _pools(SENTENCES + PLAIN)
TITLE_TEMPLATES = [_parse(t) for t in TITLES]
HEADLINE_TEMPLATES = [_parse(t) for t in HEADLINES]
AVERAGE_SENTENCE = 125  # characters, with the joining space: the planner's unit

# ---------------------------------------------------------------------------------------------
# Articles


class _Article:
    """An article being written: its text pieces, length so far and gold spans."""

    def __init__(self, rng: random.Random, exotic: bool) -> None:
        self.rng = rng
        self.exotic = exotic
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[Span] = []
        firsts = (MALE, FEMALE)
        self.cast: list[tuple[list[str], str, str, bool]] = []  # names, title, degree, seen
        for _ in range(rng.randint(3, 5)):
            female = rng.random() < 0.4
            first = rng.choice(firsts[female])
            if exotic and rng.random() < 0.5:
                first = rng.choice(EXOTIC_FIRST)
            shape = rng.random()
            if shape < 0.1:
                names = [first]
            elif shape < 0.75:
                names = [first, rng.choice(LAST)]
            else:
                names = [first, rng.choice(LAST), rng.choice(LAST)]
            titles = TITLES_FEMALE if female else TITLES_MALE
            title = rng.choice(titles) + " " if rng.random() < 0.3 else ""
            degree = rng.choice(DEGREES) if rng.random() < 0.25 else ""
            self.cast.append((names, title, degree, False))
        self.agencies: dict[int, bool] = {}
        self.programs: dict[int, bool] = {}
        self.decks: list[list[Template]] = [[] for _ in SENTENCE_POOLS]

    def draw(self, pool: int) -> Template:
        """A sentence template with ``pool`` entity slots, not repeated until all are used."""
        deck = self.decks[pool]
        if not deck:
            deck += SENTENCE_POOLS[pool]
            self.rng.shuffle(deck)
        return deck.pop()

    def lit(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def ent(self, text: str, label: str) -> None:
        self.spans.append((self.pos, self.pos + len(text), label))
        self.parts.append(text)
        self.pos += len(text)

    # slot fillers -------------------------------------------------------------------------

    def person(self, bare: bool) -> None:
        k = self.rng.randrange(len(self.cast))
        names, title, degree, seen = self.cast[k]
        if bare:
            self.ent(" ".join(names), "PERSON")
        elif not seen:
            self.cast[k] = (names, title, degree, True)
            self.lit(title)
            self.ent(" ".join(names), "PERSON")
            self.lit(degree)
        else:
            self.ent(names[-1] if self.rng.random() < 0.6 else " ".join(names), "PERSON")

    def named(
        self,
        table: tuple[tuple[str, str | None], ...],
        seen: dict[int, bool],
        label: str,
        short: bool,
    ) -> None:
        """An agency or programme: "Full (ABBR)" at first mention, then mostly "ABBR"."""
        k = self.rng.randrange(len(table))
        full, abbr = table[k]
        if abbr is None:
            self.ent(full, label)
        elif short or (seen.get(k) and self.rng.random() < 0.8):
            self.ent(abbr, label)
        elif not seen.get(k) and self.rng.random() < 0.7:
            seen[k] = True
            self.ent(full, label)
            self.lit(" (")
            self.ent(abbr, label)
            self.lit(")")
        else:
            seen[k] = True
            self.ent(full, label)

    def city(self) -> None:
        r = self.rng.random()
        if r < 0.55:
            self.ent(self.rng.choice(CITIES), "CITY")
        elif r < 0.75:
            self.ent("Kota " + self.rng.choice(KOTA), "CITY")
        elif r < 0.95:
            self.ent("Kabupaten " + self.rng.choice(KABUPATEN), "CITY")
        else:
            self.ent("DKI Jakarta", "CITY")

    def date(self) -> None:
        rng = self.rng
        year = rng.randint(2018, 2025)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        r = rng.random()
        if r < 0.3:
            weekday = WEEKDAYS[dt.date(year, month, day).weekday()]
            text = f"{weekday} ({day:02d}/{month:02d}/{year})"
        elif r < 0.6:
            text = f"{day} {MONTHS[month - 1]} {year}"
        elif r < 0.75:
            text = f"tahun {year}"
        elif r < 0.87:
            text = f"{MONTHS[month - 1]} {year}"
        else:
            weekday = WEEKDAYS[dt.date(year, month, day).weekday()]
            text = f"{weekday}, {day} {MONTHS[month - 1]} {year}"
        self.ent(text, "DATE")

    def fill(self, template: Template) -> None:
        rng = self.rng
        capitalise = False
        for is_slot, value in template:
            if not is_slot:
                self.lit(value[0].upper() + value[1:] if capitalise else value)
                capitalise = False
            elif value == "TAIL":
                self.lit(f", {rng.choice(TAILS)}." if rng.random() < 0.5 else ".")
            elif value == "LEAD":
                lead = rng.choice(LEADS)
                self.lit(lead)
                capitalise = not lead
            elif value == "PER" or value == "PERN":
                self.person(bare=value == "PERN")
            elif value == "AGY" or value == "AGYS":
                self.named(AGENCIES, self.agencies, "AGENCY", short=value == "AGYS")
            elif value == "PROG":
                self.named(PROGRAMS, self.programs, "PROGRAM", short=False)
            elif value == "CITY":
                self.city()
            elif value == "DATE":
                self.date()
            elif value == "ROLE":
                self.lit(rng.choice(ROLES))
            elif value == "TOPIC":
                self.lit(rng.choice(TOPICS))
            elif value == "GOAL":
                self.lit(rng.choice(GOALS))
            elif value == "ADVICE":
                self.lit(rng.choice(ADVICE))
            elif value == "NUM":
                self.lit(f"{rng.randint(2, 98_000):,}".replace(",", "."))
            else:  # PCT
                self.lit(f"{rng.randint(10, 99)},{rng.randint(1, 9)}")

    def text(self) -> str:
        return "".join(self.parts)


def _write_article(rng: random.Random) -> tuple[str, str, list[Span]]:
    """One attempt at an article: (title, text, spans), sizes not yet checked."""
    exotic = rng.random() < 0.05
    art = _Article(rng, exotic)
    art.fill(rng.choice(TITLE_TEMPLATES))
    title_end = art.pos
    art.lit("\n")
    target_chars = rng.randint(2750, 3250)
    target_spans = rng.randint(17, 23)
    trailer = rng.random() < 0.6
    if trailer:  # "Penulis: X | Editor: Y" at the end: budget its size and two spans
        target_chars -= 40
        target_spans -= 2
    city = rng.choice(CITIES).upper()
    art.ent(city, "CITY")
    dash = " — " if exotic and rng.random() < 0.5 else " - "
    art.lit(f", {rng.choice(OUTLETS)}{dash}")
    headlines = rng.sample(HEADLINE_TEMPLATES, 2)
    first_paragraph = True
    while art.pos < target_chars:
        if not first_paragraph:
            if headlines and rng.random() < 0.15:
                art.lit("Baca juga: ")
                art.fill(headlines.pop())
                art.lit("\n")
            if exotic and rng.random() < 0.4:
                art.lit("📌 ")
        for k in range(rng.randint(2, 4)):
            if k:
                art.lit(" ")
            need = target_spans - len(art.spans)
            room = max(target_chars - art.pos, 1)
            want = max(need, 0) * AVERAGE_SENTENCE / room
            pool = min(int(want + rng.random()), 3)
            art.fill(art.draw(pool))
            if art.pos >= target_chars:
                break
        art.lit("\n")
        first_paragraph = False
    if trailer:
        art.lit("Penulis: ")
        art.ent(f"{rng.choice(MALE + FEMALE)} {rng.choice(LAST)}", "PERSON")
        art.lit(" | Editor: ")
        art.ent(rng.choice(MALE + FEMALE), "PERSON")
    else:
        art.parts[-1] = ""  # no newline after the last paragraph
        art.pos -= 1
    text = art.text()
    return text[:title_end], text, art.spans


def generate_article(i: int, seed: int = 0) -> tuple[str, str, list[Span]]:
    """Article number ``i`` of the corpus for ``seed``: ``(doc_id, text, gold spans)``.

    The first line of the text is the title. Attempts whose size or span count falls outside
    2.5-3.5 KB or 15-25 spans are redrawn (rare), so the bounds always hold.
    """
    attempt = 0
    while True:
        rng = random.Random(f"{seed}:{i}:{attempt}")
        _, text, spans = _write_article(rng)
        size = len(text.encode("utf-8"))
        if MIN_BYTES <= size <= MAX_BYTES and MIN_SPANS <= len(spans) <= MAX_SPANS:
            return f"doc-{i + 1:06d}", text, spans
        attempt += 1


# ---------------------------------------------------------------------------------------------
# Annotators


def _is_word(text: str, k: int) -> bool:
    return WORD_RE.match(text, k) is not None


def _prev_token(text: str, pos: int) -> tuple[int, int] | None:
    """The last token that ends at or before ``pos`` (a token boundary)."""
    j = pos
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if j == 0:
        return None
    end = j
    if not _is_word(text, j - 1):
        return j - 1, end
    while j > 0 and _is_word(text, j - 1):
        j -= 1
    return j, end


def _shift(text: str, s: int, e: int, lo: int, hi: int, rng: random.Random) -> tuple[int, int]:
    """Move one boundary of ``[s, e)`` by one token, inside ``[lo, hi]`` and its line."""
    moves = [0, 1, 2, 3]
    rng.shuffle(moves)
    inner: list[tuple[int, int]] | None = None
    for move in moves:
        if move == 0:  # widen to the left
            prev = _prev_token(text, s)
            if prev is not None and prev[0] >= lo and "\n" not in text[prev[1] : s]:
                return prev[0], e
        elif move == 1:  # widen to the right
            m = TOKEN_RE.search(text, e)
            if m is not None and m.end() <= hi and "\n" not in text[e : m.start()]:
                return s, m.end()
        else:  # narrow at the left (2) or the right (3)
            if inner is None:
                inner = [m.span() for m in TOKEN_RE.finditer(text, s, e)]
            if len(inner) > 1:
                return (inner[1][0], e) if move == 2 else (s, inner[-2][1])
    return s, e


def _spurious(text: str, spans: list[Span], rng: random.Random) -> Span | None:
    """A span on one or two unlabelled word tokens, or None if none is found quickly."""
    starts = [s for s, _, _ in spans]
    n = len(text)
    for _ in range(8):
        p = rng.randrange(n)
        m = TOKEN_RE.search(text, p)
        if m is not None and p > 0 and _is_word(text, p - 1) and _is_word(text, p):
            m = TOKEN_RE.search(text, m.end())  # p fell inside a word: take the next token
        if m is None or not _is_word(text, m.start()):
            continue
        s, e = m.span()
        if rng.random() < 0.3:
            nxt = TOKEN_RE.search(text, e)
            if (
                nxt is not None
                and _is_word(text, nxt.start())
                and "\n" not in text[e : nxt.start()]
            ):
                e = nxt.end()
        k = bisect_left(starts, e)
        if k == 0 or spans[k - 1][1] <= s:
            return s, e, rng.choice(LABEL_NAMES)
    return None


def annotate(text: str, gold_spans: Sequence[Span], rng: random.Random, rate: float) -> list[Span]:
    """One annotator's version of ``gold_spans`` with disagreement at ``rate`` per span."""
    if rate <= 0:
        return list(gold_spans)
    out: list[Span] = []
    extra = 0
    n = len(gold_spans)
    for k, (s, e, label) in enumerate(gold_spans):
        if rng.random() >= rate:
            out.append((s, e, label))
            continue
        op = rng.randrange(4)
        if op == 0:
            continue  # missed
        if op == 1:
            other = rng.choice([name for name in LABEL_NAMES if name != label])
            out.append((s, e, other))
        elif op == 2:
            lo = out[-1][1] if out else 0
            hi = gold_spans[k + 1][0] if k + 1 < n else len(text)
            s2, e2 = _shift(text, s, e, lo, hi, rng)
            out.append((s2, e2, label))
        else:
            out.append((s, e, label))
            extra += 1
    for _ in range(extra):
        span = _spurious(text, out, rng)
        if span is not None:
            out.insert(bisect_left(out, span), span)
    return out


def annotator_names(annotators: int | Sequence[str]) -> list[str]:
    """``ann01``, ``ann02``, ... for a count; the names themselves otherwise."""
    if isinstance(annotators, int):
        return [f"ann{k:02d}" for k in range(1, annotators + 1)]
    return list(annotators)


# ---------------------------------------------------------------------------------------------
# Project files


def config_toml(name: str = "bench") -> str:
    """``annotator.toml`` with the five labels."""
    lines = [f'name = "{name}"', 'language = "id"']
    for label, key, color, description in LABELS:
        lines += [
            "",
            "[[labels]]",
            f'name = "{label}"',
            f'key = "{key}"',
            f'color = "{color}"',
            f'description = "{description}"',
        ]
    return "\n".join(lines) + "\n"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _spans_json(text: str, spans: Sequence[Span]) -> str:
    return _dumps(
        [{"start": s, "end": e, "label": label, "text": text[s:e]} for s, e, label in spans]
    )


def _record(head: str, spans_json: str, status: str, name: str, tail: str, seconds: float) -> str:
    # Built by hand around the pre-encoded text: json.dumps of one 3 KB text per article, not
    # one per annotator. Keys in the order of docs/design.md section 3.
    return (
        f'{head},"spans":{spans_json},"status":"{status}","annotator":{_dumps(name)}'
        f',{tail},"seconds":{seconds},"meta":{{}}}}\n'
    )


def _annotation(
    i: int, text: str, gold_spans: list[Span], name: str, seed: int, rate: float, not_done: float
) -> tuple[list[Span], str, float]:
    """(spans, status, seconds) of annotator ``name`` for article ``i``."""
    rng = random.Random(f"{seed}:{i}:{name}")
    spans = annotate(text, gold_spans, rng, rate)
    status = "done"
    if rng.random() < not_done:
        if rng.random() < 0.5:
            status, spans = "skipped", []
        else:
            cut = rng.randrange(len(text))
            status, spans = "in_progress", [sp for sp in spans if sp[1] <= cut]
    seconds = round(15 + len(text) / 40 + 4 * len(spans) + rng.uniform(0, 90), 1)
    if status == "skipped":
        seconds = round(rng.uniform(2, 20), 1)
    return spans, status, seconds


def write_project(
    out_dir: str | Path,
    articles: int,
    annotators: int | Sequence[str],
    seed: int = 0,
    disagreement: float = 0.1,
    gold: bool = False,
    *,
    not_done: float = NOT_DONE,
    force: bool = False,
) -> dict[str, Any]:
    """Write the project folder, streaming, and return its figures.

    ``annotators`` is a count (``ann01``, ``ann02``, ...) or a list of names. Raises
    FileExistsError if ``out_dir`` is not empty, unless ``force``.
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()) and not force:
        raise FileExistsError(f"{out} is not empty (use force to replace the corpus files)")
    names = annotator_names(annotators)
    for name in names:
        if not NAME_RE.fullmatch(name) or name == "gold":
            raise ValueError(f"bad annotator name {name!r}: 1-64 of a-z 0-9 _ . -, not gold")
    if len(set(names)) != len(names):
        raise ValueError("an annotator name repeats")
    (out / "annotations").mkdir(parents=True, exist_ok=True)
    (out / "annotator.toml").write_text(config_toml(), encoding="utf-8", newline="\n")
    files = {name: out / "annotations" / f"{name}.jsonl" for name in names}
    gold_path = out / "annotations" / "gold.jsonl"
    paths = [out / "documents.jsonl", *files.values()] + ([gold_path] if gold else [])
    gold_spans_total = 0
    annotated_spans = 0
    done = 0
    with ExitStack() as stack:
        handles = [
            stack.enter_context(path.open("w", encoding="utf-8", newline="\n")) for path in paths
        ]
        docs, outs = handles[0], handles[1 : 1 + len(names)]
        for i in range(articles):
            doc_id, text, spans = generate_article(i, seed)
            gold_spans_total += len(spans)
            id_json = _dumps(doc_id)
            text_json = _dumps(text)
            title = text[: text.find("\n")]
            docs.write(
                f'{{"id":{id_json},"text":{text_json},"meta":{{"title":{_dumps(title)}}}}}\n'
            )
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            head = f'{{"id":{id_json},"text":{text_json}'
            tail = f'"text_sha256":"{digest}","updated_at":"{UPDATED_AT}"'
            for name, handle in zip(names, outs, strict=True):
                ann, status, seconds = _annotation(
                    i, text, spans, name, seed, disagreement, not_done
                )
                annotated_spans += len(ann)
                done += status == "done"
                handle.write(_record(head, _spans_json(text, ann), status, name, tail, seconds))
            if gold:
                gold_json = _spans_json(text, spans)
                handles[-1].write(_record(head, gold_json, "done", "gold", tail, 0.0))
    written = [out / "annotator.toml", *paths]
    return {
        "out_dir": str(out),
        "articles": articles,
        "annotators": names,
        "gold_spans": gold_spans_total,
        "annotation_spans": annotated_spans,
        "done_records": done,
        "documents_bytes": (out / "documents.jsonl").stat().st_size,
        "bytes": sum(path.stat().st_size for path in written),
        "seconds": round(time.perf_counter() - t0, 3),
    }


def _annotators_arg(value: str) -> int | list[str]:
    if value.isdigit():
        return int(value)
    return [name.strip() for name in value.split(",") if name.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path, help="project folder to write (missing or empty)")
    parser.add_argument("--articles", type=int, default=1000, help="number of articles")
    parser.add_argument(
        "--annotators",
        type=_annotators_arg,
        default=2,
        help="how many annotators (ann01, ann02, ...) or comma-separated names",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--disagreement", type=float, default=0.1, help="per-span disagreement rate (0-1)"
    )
    parser.add_argument(
        "--not-done",
        type=float,
        default=NOT_DONE,
        help="per-record chance of status skipped or in_progress instead of done",
    )
    parser.add_argument("--gold", action="store_true", help="also write annotations/gold.jsonl")
    parser.add_argument("--force", action="store_true", help="write into a non-empty folder")
    args = parser.parse_args(argv)
    if args.articles < 0 or not 0 <= args.disagreement <= 1 or not 0 <= args.not_done <= 1:
        parser.error("--articles must be >= 0; --disagreement and --not-done in 0-1")
    try:
        figures = write_project(
            args.out_dir,
            args.articles,
            args.annotators,
            args.seed,
            args.disagreement,
            args.gold,
            not_done=args.not_done,
            force=args.force,
        )
    except (OSError, ValueError) as exc:
        print(f"make_corpus: {exc}", file=sys.stderr)
        return 1
    seconds, articles, names = figures["seconds"], figures["articles"], figures["annotators"]
    print(f"wrote {figures['out_dir']}")
    print(f"  articles          {articles:,}")
    plus_gold = " + gold" if args.gold else ""
    print(f"  annotators        {len(names)} ({', '.join(names)}){plus_gold}")
    print(f"  gold spans        {figures['gold_spans']:,}")
    print(f"  annotation spans  {figures['annotation_spans']:,}")
    print(f"  documents.jsonl   {figures['documents_bytes'] / 1e6:,.1f} MB")
    print(f"  all files         {figures['bytes'] / 1e6:,.1f} MB")
    rate = articles / seconds if seconds else 0.0
    print(f"  time              {seconds:.1f} s ({rate:,.0f} articles/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

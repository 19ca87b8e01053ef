<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>AdjudicationKeys</name>
    <message>
        <source>◀ Back to annotating</source>
        <translation>◀ Kembali ke anotasi</translation>
    </message>
    <message>
        <source>◀ Previous disagreement</source>
        <translation>◀ Ketidaksepakatan sebelumnya</translation>
    </message>
    <message>
        <source>Next disagreement ▶</source>
        <translation>Ketidaksepakatan berikutnya ▶</translation>
    </message>
    <message>
        <source>Take neither</source>
        <translation>Tidak ambil satu pun</translation>
    </message>
    <message>
        <source>Delete gold span</source>
        <translation>Hapus rentang gold</translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation>Kosongkan pilihan</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Urungkan</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Ulangi</translation>
    </message>
    <message>
        <source>Save gold</source>
        <translation>Simpan gold</translation>
    </message>
    <message>
        <source>✓ Adjudicated, next</source>
        <translation>✓ Diadjudikasi, berikutnya</translation>
    </message>
    <message>
        <source>Take annotator %1&apos;s version</source>
        <translation>Ambil versi anotator %1</translation>
    </message>
    <message>
        <source>%1 / %2: next / previous disagreement · %3…%4: take that annotator&apos;s version · %5: neither · in gold: select text and press %6 to label, click a span and press %7 to delete it · %8 undo · %9 adjudicated, next · %10 back to annotating</source>
        <translation>%1 / %2: ketidaksepakatan berikutnya / sebelumnya · %3…%4: ambil versi anotator itu · %5: tidak keduanya · di gold: pilih teks dan tekan %6 untuk memberi label, klik rentang dan tekan %7 untuk menghapusnya · %8 urungkan · %9 diadjudikasi, berikutnya · %10 kembali ke anotasi</translation>
    </message>
</context>
<context>
    <name>AdjudicationMode</name>
    <message>
        <source>Back to &amp;annotating</source>
        <translation>Kembali ke &amp;anotasi</translation>
    </message>
    <message>
        <source>Gold is being adjudicated in another window (%1). This review is read-only: nothing you do here is saved.</source>
        <translation>Gold sedang diadjudikasi di jendela lain (%1). Tinjauan ini hanya-baca: apa pun yang Anda lakukan di sini tidak disimpan.</translation>
    </message>
    <message>
        <source>No document has been submitted by two annotators yet.</source>
        <translation>Belum ada dokumen yang diserahkan oleh dua anotator.</translation>
    </message>
    <message>
        <source>%1 of %2 documents adjudicated</source>
        <translation>%1 dari %2 dokumen sudah diadjudikasi</translation>
    </message>
    <message>
        <source>Counting agreement…</source>
        <translation>Menghitung kesepakatan…</translation>
    </message>
    <message>
        <source>Agreement could not be counted: %1</source>
        <translation>Kesepakatan tidak dapat dihitung: %1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Tersimpan: %1</translation>
    </message>
    <message>
        <source>Every document in the queue is adjudicated.</source>
        <translation>Setiap dokumen dalam antrean sudah diadjudikasi.</translation>
    </message>
    <message>
        <source>Documents by disagreement</source>
        <translation>Dokumen menurut ketidaksepakatan</translation>
    </message>
</context>
<context>
    <name>AdjudicationQueue</name>
    <message>
        <source>Document</source>
        <translation>Dokumen</translation>
    </message>
    <message>
        <source>Strict F1</source>
        <translation>F1 ketat</translation>
    </message>
    <message>
        <source>Annotators</source>
        <translation>Anotator</translation>
    </message>
    <message>
        <source>Adjudicated</source>
        <translation>Diadjudikasi</translation>
    </message>
    <message>
        <source>no</source>
        <translation>belum</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sudah</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>t/a</translation>
    </message>
</context>
<context>
    <name>Adjudicator</name>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Tidak dapat membuka %1: %2</translation>
    </message>
    <message>
        <source>The annotators saw another text: gold starts empty.</source>
        <translation>Para anotator melihat teks yang berbeda: gold dimulai kosong.</translation>
    </message>
    <message>
        <source>%1 — strict F1 %2</source>
        <translation>%1 — F1 ketat %2</translation>
    </message>
    <message>
        <source>%1 %2 · spans: %3</source>
        <translation>%1 %2 · rentang: %3</translation>
    </message>
    <message>
        <source>disagreement %1 of %2</source>
        <translation>ketidaksepakatan %1 dari %2</translation>
    </message>
    <message numerus="yes">
        <source>%n still open</source>
        <translation>
            <numerusform>%n masih terbuka</numerusform>
        </translation>
    </message>
    <message>
        <source>gold adjudicated</source>
        <translation>gold sudah diadjudikasi</translation>
    </message>
    <message>
        <source>gold in progress</source>
        <translation>gold sedang dikerjakan</translation>
    </message>
    <message>
        <source>The annotators agree on every span: check gold and mark it adjudicated.</source>
        <translation>Para anotator sepakat pada setiap rentang: periksa gold lalu tandai sudah diadjudikasi.</translation>
    </message>
    <message>
        <source>Disagreements: %1. %2 goes to the first.</source>
        <translation>Ketidaksepakatan: %1. %2 menuju yang pertama.</translation>
    </message>
    <message>
        <source>resolved: gold takes neither</source>
        <translation>selesai: gold tidak memakai keduanya</translation>
    </message>
    <message>
        <source>open: gold has nothing here</source>
        <translation>terbuka: gold tidak punya apa-apa di sini</translation>
    </message>
    <message>
        <source>resolved: gold has its own spans here</source>
        <translation>selesai: gold punya rentangnya sendiri di sini</translation>
    </message>
    <message>
        <source>resolved: gold has %1&apos;s version</source>
        <translation>selesai: gold memakai versi %1</translation>
    </message>
    <message>
        <source>Disagreement %1 of %2 at [%3, %4): %5 · still open: %6</source>
        <translation>Ketidaksepakatan %1 dari %2 di [%3, %4): %5 · masih terbuka: %6</translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation>(tidak ada)</translation>
    </message>
    <message>
        <source>neither</source>
        <translation>tidak satu pun</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>tersimpan</translation>
    </message>
    <message>
        <source>saving…</source>
        <translation>menyimpan…</translation>
    </message>
    <message>
        <source>saved (journaled)</source>
        <translation>tersimpan (dijurnal)</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>hanya-baca</translation>
    </message>
    <message>
        <source>adjudicated</source>
        <translation>sudah diadjudikasi</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>sedang dikerjakan</translation>
    </message>
    <message>
        <source>Gold · spans: %1 · %2 · %3</source>
        <translation>Gold · rentang: %1 · %2 · %3</translation>
    </message>
    <message>
        <source>Go to a disagreement first (%1).</source>
        <translation>Buka sebuah ketidaksepakatan terlebih dahulu (%1).</translation>
    </message>
    <message>
        <source>No annotator %1 in this document.</source>
        <translation>Tidak ada anotator %1 di dokumen ini.</translation>
    </message>
    <message>
        <source>Take %1&apos;s version</source>
        <translation>Ambil versi %1</translation>
    </message>
    <message>
        <source>Take neither</source>
        <translation>Tidak ambil satu pun</translation>
    </message>
    <message>
        <source>Every disagreement is resolved: %1 marks the document adjudicated.</source>
        <translation>Semua ketidaksepakatan sudah selesai: %1 menandai dokumen sudah diadjudikasi.</translation>
    </message>
    <message>
        <source>%1: done. %2 goes to the next disagreement (%3 still open).</source>
        <translation>%1: selesai. %2 menuju ketidaksepakatan berikutnya (%3 masih terbuka).</translation>
    </message>
    <message>
        <source>Select some text (or a span) in the gold panel first.</source>
        <translation>Pilih teks (atau rentang) di panel gold terlebih dahulu.</translation>
    </message>
</context>
<context>
    <name>AgreementDashboard</name>
    <message>
        <source>Mean over pairs</source>
        <translation>Rata-rata semua pasangan</translation>
    </message>
    <message>
        <source>Counting the annotators&apos; files…</source>
        <translation>Menghitung berkas para anotator…</translation>
    </message>
    <message>
        <source>No numbers yet: press F5 to count the annotators&apos; files.</source>
        <translation>Belum ada angka: tekan F5 untuk menghitung berkas para anotator.</translation>
    </message>
    <message>
        <source>tokens of the documents every annotator submitted (%1)</source>
        <translation>token dari dokumen yang diserahkan semua anotator (%1)</translation>
    </message>
    <message>
        <source>tokens of the documents two or more annotators submitted (%1)</source>
        <translation>token dari dokumen yang diserahkan dua anotator atau lebih (%1)</translation>
    </message>
    <message>
        <source>mean over pairs (Light&apos;s kappa)</source>
        <translation>rata-rata semua pasangan (kappa Light)</translation>
    </message>
    <message>
        <source>observed agreement %1</source>
        <translation>kesepakatan teramati %1</translation>
    </message>
    <message>
        <source>Share of tokens two annotators labelled alike, mean over pairs</source>
        <translation>Porsi token yang diberi label sama oleh dua anotator, rata-rata semua pasangan</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 dari %2</translation>
    </message>
    <message>
        <source>compared; %1 by one annotator only, %2 not by everyone (not in Fleiss), %3 excluded</source>
        <translation>dibandingkan; %1 hanya oleh satu anotator, %2 tidak oleh semua (tidak masuk Fleiss), %3 dikecualikan</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>… dan %1 lainnya</translation>
    </message>
    <message>
        <source>%1 data warnings (spans left out); hover to read the first</source>
        <translation>%1 peringatan data (rentang tidak dihitung); arahkan kursor untuk membaca yang pertama</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 token</translation>
    </message>
    <message>
        <source>%1 documents</source>
        <translation>%1 dokumen</translation>
    </message>
    <message>
        <source>Span F1 (micro per pair, mean over pairs)</source>
        <translation>F1 rentang (mikro per pasangan, rata-rata semua pasangan)</translation>
    </message>
    <message>
        <source>The pair that agrees least</source>
        <translation>Pasangan yang paling tidak sepakat</translation>
    </message>
    <message>
        <source>The pair that agrees most</source>
        <translation>Pasangan yang paling sepakat</translation>
    </message>
    <message>
        <source>95% interval of the mean: bootstrap over documents</source>
        <translation>Interval 95% dari rata-rata: bootstrap atas dokumen</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>rata-rata</translation>
    </message>
    <message>
        <source>lowest</source>
        <translation>terendah</translation>
    </message>
    <message>
        <source>highest</source>
        <translation>tertinggi</translation>
    </message>
    <message>
        <source>95% CI</source>
        <translation>IK 95%</translation>
    </message>
    <message>
        <source>Fleiss&apos; kappa</source>
        <translation>Kappa Fleiss</translation>
    </message>
    <message>
        <source>Krippendorff&apos;s alpha</source>
        <translation>Alpha Krippendorff</translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa</source>
        <translation>Kappa Cohen</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumen</translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa (tokens)</source>
        <translation>Kappa Cohen (token)</translation>
    </message>
    <message>
        <source>%1 F1</source>
        <translation>F1 %1</translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation>Pasangan</translation>
    </message>
    <message>
        <source>F1 per label</source>
        <translation>F1 per label</translation>
    </message>
    <message>
        <source>Label confusion</source>
        <translation>Kebingungan label</translation>
    </message>
    <message>
        <source>Spans with the same boundaries. Rows: the label the first annotator of each pair gave (alphabetical); columns: the second&apos;s.</source>
        <translation>Rentang dengan batas yang sama. Baris: label dari anotator pertama tiap pasangan (urut abjad); kolom: label dari anotator kedua.</translation>
    </message>
    <message>
        <source>Every pair</source>
        <translation>Semua pasangan</translation>
    </message>
</context>
<context>
    <name>AnnotatingController</name>
    <message>
        <source>Select some text (or a span) first.</source>
        <translation>Pilih teks (atau rentang) terlebih dahulu.</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Tidak dapat membuka %1: %2</translation>
    </message>
    <message>
        <source>This project has no documents yet.</source>
        <translation>Proyek ini belum memiliki dokumen.</translation>
    </message>
    <message>
        <source>No documents are assigned to you yet.</source>
        <translation>Belum ada dokumen yang ditugaskan kepada Anda.</translation>
    </message>
    <message>
        <source>Your queue is empty: every document assigned to you is done or skipped.</source>
        <translation>Antrean Anda kosong: setiap dokumen yang ditugaskan kepada Anda sudah selesai atau dilewati.</translation>
    </message>
    <message>
        <source>Every document is done or skipped.</source>
        <translation>Semua dokumen sudah selesai atau dilewati.</translation>
    </message>
    <message>
        <source>Document %1 / %2 · %3</source>
        <translation>Dokumen %1 / %2 · %3</translation>
    </message>
    <message>
        <source>Select a span first.</source>
        <translation>Pilih rentang terlebih dahulu.</translation>
    </message>
    <message numerus="yes">
        <source>Labelled %n more occurrence(s).</source>
        <translation>
            <numerusform>%n kemunculan lain diberi label.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n left alone: it overlaps a span already there.</source>
        <translation>
            <numerusform>%n dibiarkan: tumpang-tindih dengan span yang sudah ada.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n left alone: part of a longer name, which the guideline wants labelled whole (“%1”).</source>
        <translation>
            <numerusform>%n dibiarkan: bagian dari nama yang lebih panjang, yang menurut pedoman diberi label utuh (“%1”).</numerusform>
        </translation>
    </message>
    <message>
        <source>Selection [%1, %2) “%3”: press a label key</source>
        <translation>Pilihan [%1, %2) “%3”: tekan tombol label</translation>
    </message>
    <message>
        <source>Exact spans</source>
        <translation>Rentang persis</translation>
    </message>
    <message>
        <source>Whole tokens</source>
        <translation>Token utuh</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Tersimpan: %1</translation>
    </message>
</context>
<context>
    <name>AnnotatorProgressModel</name>
    <message>
        <source>Annotator</source>
        <translation>Anotator</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Ditugaskan</translation>
    </message>
    <message>
        <source>Documents assigned to them</source>
        <translation>Dokumen yang ditugaskan kepadanya</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Dilewati</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>Sedang dikerjakan</translation>
    </message>
    <message>
        <source>Started, not yet done or skipped</source>
        <translation>Sudah dimulai, belum selesai atau dilewati</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Belum dimulai</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Jam</translation>
    </message>
    <message>
        <source>Time recorded on their assigned documents</source>
        <translation>Waktu yang tercatat pada dokumen yang ditugaskan kepadanya</translation>
    </message>
    <message>
        <source>Docs / hour</source>
        <translation>Dok / jam</translation>
    </message>
    <message>
        <source>Documents done per hour of recorded time</source>
        <translation>Dokumen selesai per jam waktu tercatat</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>Aktivitas terakhir</translation>
    </message>
    <message>
        <source>Their latest edit in the project</source>
        <translation>Suntingan terakhirnya di proyek ini</translation>
    </message>
    <message>
        <source>Overlap done by all</source>
        <translation>Tumpang-tindih selesai oleh semua</translation>
    </message>
    <message>
        <source>Of their documents shared with others, how many every annotator assigned has done: what agreement can be computed on</source>
        <translation>Dari dokumennya yang juga ditugaskan ke orang lain, berapa yang sudah diselesaikan oleh semua anotatornya: dasar penghitungan kesepakatan</translation>
    </message>
    <message>
        <source>%1 documents they have records of are not assigned to them</source>
        <translation>%1 dokumen yang ada catatannya tidak ditugaskan kepadanya</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 dari %2</translation>
    </message>
</context>
<context>
    <name>AnnotatorWork</name>
    <message>
        <source>Label “%1” as %2</source>
        <translation>Label “%1” sebagai %2</translation>
    </message>
    <message>
        <source>Relabel “%1” as %2</source>
        <translation>Ganti label “%1” menjadi %2</translation>
    </message>
    <message>
        <source>%1. The edits are kept here and written again with the next edit, on Save or on close.</source>
        <translation>%1. Suntingan tetap disimpan di sini dan ditulis lagi bersama suntingan berikutnya, saat Simpan, atau saat ditutup.</translation>
    </message>
    <message>
        <source>Delete “%1”</source>
        <translation>Hapus “%1”</translation>
    </message>
    <message>
        <source>Label all “%1” as %2</source>
        <translation>Label semua “%1” sebagai %2</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>Tandai selesai</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Lewati</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Buka kembali</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign documents</source>
        <translation>Tugaskan dokumen</translation>
    </message>
    <message>
        <source>ani,budi,citra</source>
        <translation>ani,budi,citra</translation>
    </message>
    <message>
        <source>e.g. 7d or 36h; empty: reclaim nothing</source>
        <translation>mis. 7d atau 36h; kosong: tidak ada yang diambil kembali</translation>
    </message>
    <message>
        <source>&amp;Team (names, comma-separated):</source>
        <translation>&amp;Tim (nama, dipisah koma):</translation>
    </message>
    <message>
        <source>&amp;Overlap (share of new documents):</source>
        <translation>Tumpang-&amp;tindih (bagian dokumen baru):</translation>
    </message>
    <message>
        <source>Annotators per &amp;overlap document:</source>
        <translation>Anotator per dokumen tumpang-t&amp;indih:</translation>
    </message>
    <message>
        <source>&amp;Seed:</source>
        <translation>&amp;Seed:</translation>
    </message>
    <message>
        <source>&amp;Add to the team:</source>
        <translation>T&amp;ambahkan ke tim:</translation>
    </message>
    <message>
        <source>&amp;Remove from the team:</source>
        <translation>&amp;Keluarkan dari tim:</translation>
    </message>
    <message>
        <source>Re&amp;claim work untouched for:</source>
        <translation>Ambil &amp;kembali pekerjaan yang tak tersentuh selama:</translation>
    </message>
    <message>
        <source>&amp;Assign</source>
        <translation>&amp;Tugaskan</translation>
    </message>
    <message>
        <source>Preview (nothing is written until you press Assign):</source>
        <translation>Pratinjau (belum ada yang ditulis sampai Anda menekan Tugaskan):</translation>
    </message>
    <message>
        <source>Documents per annotator:</source>
        <translation>Dokumen per anotator:</translation>
    </message>
    <message>
        <source>Documents per pair:</source>
        <translation>Dokumen per pasangan:</translation>
    </message>
    <message>
        <source>The same from the command line:</source>
        <translation>Perintah yang sama di baris perintah:</translation>
    </message>
    <message>
        <source>Annotator</source>
        <translation>Anotator</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumen</translation>
    </message>
    <message>
        <source>Pair</source>
        <translation>Pasangan</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>Bersama</translation>
    </message>
    <message>
        <source>%1 new documents: %2 to several annotators, %3 to one.</source>
        <translation>%1 dokumen baru: %2 untuk beberapa anotator, %3 untuk satu.</translation>
    </message>
    <message>
        <source>%1 places move to the newcomers.</source>
        <translation>%1 tempat pindah ke anggota baru.</translation>
    </message>
    <message>
        <source>%1 places of the people removed move to others.</source>
        <translation>%1 tempat milik orang yang dikeluarkan pindah ke yang lain.</translation>
    </message>
    <message>
        <source>%1 untouched places are reclaimed.</source>
        <translation>%1 tempat yang tak tersentuh diambil kembali.</translation>
    </message>
    <message>
        <source>Nothing to assign: every document has its annotators.</source>
        <translation>Tidak ada yang perlu ditugaskan: setiap dokumen sudah punya anotator.</translation>
    </message>
</context>
<context>
    <name>BodySearch</name>
    <message>
        <source>searching the texts needs a project folder</source>
        <translation>pencarian dalam teks memerlukan folder proyek</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <source>Resolve conflicts</source>
        <translation>Selesaikan konflik</translation>
    </message>
    <message>
        <source>You changed these documents on two computers. The server kept the version that reached it first; the other is kept aside, not lost. Choose what stays.</source>
        <translation>Anda mengubah dokumen ini di dua komputer. Server menyimpan versi yang tiba lebih dulu; versi lainnya disisihkan, tidak hilang. Pilih mana yang dipakai.</translation>
    </message>
    <message>
        <source>On the server (saved first, elsewhere)</source>
        <translation>Di server (tersimpan lebih dulu, di tempat lain)</translation>
    </message>
    <message>
        <source>From this computer (kept aside)</source>
        <translation>Dari komputer ini (disisihkan)</translation>
    </message>
    <message>
        <source>Keep the server&apos;s</source>
        <translation>Pakai versi server</translation>
    </message>
    <message>
        <source>Keep this computer&apos;s</source>
        <translation>Pakai versi komputer ini</translation>
    </message>
    <message>
        <source>Keep both (merged)</source>
        <translation>Pakai keduanya (digabung)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>sedang dikerjakan</translation>
    </message>
    <message>
        <source>done</source>
        <translation>selesai</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>dilewati</translation>
    </message>
    <message>
        <source>No conflicts: every version is settled.</source>
        <translation>Tidak ada konflik: setiap versi sudah diputuskan.</translation>
    </message>
    <message>
        <source>(untouched)</source>
        <translation>(belum disentuh)</translation>
    </message>
    <message>
        <source>Both cannot be kept: %1. Keep one, then edit it.</source>
        <translation>Keduanya tidak dapat dipakai: %1. Pakai satu, lalu sunting.</translation>
    </message>
</context>
<context>
    <name>ConfusionModel</name>
    <message>
        <source>Label given by the second annotator</source>
        <translation>Label yang diberikan anotator kedua</translation>
    </message>
    <message>
        <source>%1 spans: both said %2</source>
        <translation>%1 rentang: keduanya memilih %2</translation>
    </message>
    <message>
        <source>%1 spans: first said %2, second said %3</source>
        <translation>%1 rentang: anotator pertama memilih %2, anotator kedua memilih %3</translation>
    </message>
</context>
<context>
    <name>DocumentsPane</name>
    <message>
        <source>Indexing the project: the filter applies when it is done.</source>
        <translation>Proyek sedang diindeks: penyaring berlaku setelah selesai.</translation>
    </message>
    <message>
        <source>Searching the documents&apos; text…</source>
        <translation>Mencari di teks dokumen…</translation>
    </message>
    <message>
        <source>Only titles were searched: %1</source>
        <translation>Hanya judul yang dicari: %1</translation>
    </message>
    <message>
        <source>No matches: no document&apos;s title, id or text holds “%1”.</source>
        <translation>Tidak ada yang cocok: tidak ada judul, id, atau teks dokumen yang memuat “%1”.</translation>
    </message>
    <message>
        <source>No document has this status.</source>
        <translation>Tidak ada dokumen dengan status ini.</translation>
    </message>
    <message>
        <source>Indexing %1 documents…</source>
        <translation>Mengindeks %1 dokumen…</translation>
    </message>
    <message>
        <source>%1 / %2 done</source>
        <translation>%1 / %2 selesai</translation>
    </message>
    <message>
        <source>Filter documents (Ctrl+F)</source>
        <translation>Saring dokumen (Ctrl+F)</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Semua status</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Choose an output folder.</source>
        <translation>Pilih folder keluaran.</translation>
    </message>
    <message>
        <source>Export folder</source>
        <translation>Folder ekspor</translation>
    </message>
    <message>
        <source>Your latest edits could not be saved; nothing was exported.</source>
        <translation>Suntingan terakhir Anda tidak dapat disimpan; tidak ada yang diekspor.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Mengekspor…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Membatalkan…</translation>
    </message>
    <message>
        <source>Reading annotations: %v / %m documents</source>
        <translation>Membaca anotasi: %v / %m dokumen</translation>
    </message>
    <message>
        <source>Writing files: %v / %m documents</source>
        <translation>Menulis berkas: %v / %m dokumen</translation>
    </message>
    <message>
        <source>Exported 1 document to %2.</source>
        <translation>1 dokumen diekspor ke %2.</translation>
    </message>
    <message>
        <source>Exported %1 documents to %2.</source>
        <translation>%1 dokumen diekspor ke %2.</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Ekspor gagal: %1</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>Ekspor dibatalkan; tidak ada yang ditulis.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Export training data</source>
        <translation>Ekspor data latih</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>S&amp;ource:</source>
        <translation>S&amp;umber:</translation>
    </message>
    <message>
        <source>Output &amp;folder:</source>
        <translation>&amp;Folder keluaran:</translation>
    </message>
    <message>
        <source>S&amp;plit:</source>
        <translation>&amp;Pembagian:</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>S&amp;eed:</translation>
    </message>
    <message>
        <source>&amp;Tag scheme:</source>
        <translation>Skema &amp;tag:</translation>
    </message>
    <message>
        <source>Spans off &amp;token boundaries:</source>
        <translation>Rentang di luar batas &amp;token:</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Telusuri…</translation>
    </message>
    <message>
        <source>train, dev, test (%)</source>
        <translation>latih, validasi, uji (%)</translation>
    </message>
    <message>
        <source>Only done annotations are exported. Merged: gold where it exists, else the spans a strict majority of the annotators who submitted the document agree on.</source>
        <translation>Hanya anotasi yang selesai yang diekspor. Gabungan: gold jika ada, selain itu rentang yang disepakati mayoritas mutlak anotator yang menyerahkan dokumen itu.</translation>
    </message>
    <message>
        <source>Shares by document, such as 80,10,10 or 80,20</source>
        <translation>Porsi per dokumen, misalnya 80,10,10 atau 80,20</translation>
    </message>
    <message>
        <source>The same seed always gives the same split</source>
        <translation>Seed yang sama selalu menghasilkan pembagian yang sama</translation>
    </message>
    <message>
        <source>Tags of the CoNLL and Hugging Face formats</source>
        <translation>Tag untuk format CoNLL dan Hugging Face</translation>
    </message>
    <message>
        <source>merged (gold, else majority)</source>
        <translation>gabungan (gold, selain itu mayoritas)</translation>
    </message>
    <message>
        <source>Export refused: a span is not on token boundaries: %2. Nothing was written; fix it, or choose widen or drop.</source>
        <translation>Ekspor ditolak: sebuah rentang tidak tepat pada batas token: %2. Tidak ada yang ditulis; perbaiki rentang itu, atau pilih lebarkan atau buang.</translation>
    </message>
    <message>
        <source>Export refused: %1 spans are not on token boundaries, first %2. Nothing was written; fix them, or choose widen or drop.</source>
        <translation>Ekspor ditolak: %1 rentang tidak tepat pada batas token, yang pertama %2. Tidak ada yang ditulis; perbaiki rentang-rentang itu, atau pilih lebarkan atau buang.</translation>
    </message>
    <message>
        <source>widen to whole tokens</source>
        <translation>lebarkan ke token utuh</translation>
    </message>
    <message>
        <source>drop (and list)</source>
        <translation>buang (dan catat)</translation>
    </message>
    <message>
        <source>refuse the export</source>
        <translation>tolak ekspor</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Ekspor</translation>
    </message>
</context>
<context>
    <name>Figure</name>
    <message>
        <source>95% CI %1</source>
        <translation>IK 95% %1</translation>
    </message>
</context>
<context>
    <name>GoldTableModel</name>
    <message>
        <source>P</source>
        <translation>P</translation>
    </message>
    <message>
        <source>R</source>
        <translation>R</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Precision: share of the annotator&apos;s spans that gold has</source>
        <translation>Presisi: porsi rentang anotator yang juga ada di gold</translation>
    </message>
    <message>
        <source>Recall: share of gold&apos;s spans the annotator found</source>
        <translation>Recall: porsi rentang gold yang ditemukan anotator</translation>
    </message>
    <message>
        <source>F1: harmonic mean of precision and recall</source>
        <translation>F1: rata-rata harmonik presisi dan recall</translation>
    </message>
    <message>
        <source>Annotator</source>
        <translation>Anotator</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumen</translation>
    </message>
    <message>
        <source>Documents gold and they submitted</source>
        <translation>Dokumen yang diserahkan oleh gold dan oleh anotator itu</translation>
    </message>
    <message>
        <source>Overall</source>
        <translation>Keseluruhan</translation>
    </message>
    <message>
        <source>all labels</source>
        <translation>semua label</translation>
    </message>
    <message>
        <source>The lowest in this column: %1 may need guidance on %2</source>
        <translation>Terendah di kolom ini: %1 mungkin perlu bimbingan tentang %2</translation>
    </message>
</context>
<context>
    <name>GoldView</name>
    <message>
        <source>Counting the annotators&apos; files…</source>
        <translation>Menghitung berkas para anotator…</translation>
    </message>
    <message>
        <source>No gold yet. Adjudicate documents (Review &gt; Adjudicate) to build the gold set; each annotator&apos;s precision, recall and F1 against it then appear here.</source>
        <translation>Belum ada gold. Adjudikasikan dokumen (Tinjau &gt; Adjudikasi) untuk membangun set gold; presisi, recall, dan F1 setiap anotator terhadapnya lalu muncul di sini.</translation>
    </message>
    <message>
        <source>Matches count as:</source>
        <translation>Kecocokan dihitung sebagai:</translation>
    </message>
    <message>
        <source>Gold is the reference: precision is the share of the annotator&apos;s spans that gold has, recall the share of gold&apos;s spans the annotator found. The lowest value of each column is marked.</source>
        <translation>Gold adalah acuannya: presisi adalah porsi rentang anotator yang juga ada di gold, recall adalah porsi rentang gold yang ditemukan anotator. Nilai terendah di setiap kolom ditandai.</translation>
    </message>
</context>
<context>
    <name>GuidelinePane</name>
    <message>
        <source>No guideline for this label yet.</source>
        <translation>Belum ada pedoman untuk label ini.</translation>
    </message>
    <message>
        <source>No general guidelines.</source>
        <translation>Belum ada pedoman umum.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Documents</source>
        <translation>Dokumen</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>Rentang</translation>
    </message>
    <message>
        <source>Guideline</source>
        <translation>Pedoman</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>Belum ada proyek terakhir</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>tersimpan</translation>
    </message>
    <message>
        <source>saving…</source>
        <translation>menyimpan…</translation>
    </message>
    <message>
        <source>saved (journaled)</source>
        <translation>tersimpan (dijurnal)</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>hanya-baca</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>Bilah alat</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>Kesepakatan</translation>
    </message>
    <message>
        <source>Against gold</source>
        <translation>Terhadap gold</translation>
    </message>
    <message>
        <source>Suggestions</source>
        <translation>Saran</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Kemajuan</translation>
    </message>
</context>
<context>
    <name>PairProgressModel</name>
    <message>
        <source>Pair</source>
        <translation>Pasangan</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>Bersama</translation>
    </message>
    <message>
        <source>Documents assigned to both</source>
        <translation>Dokumen yang ditugaskan kepada keduanya</translation>
    </message>
    <message>
        <source>Done by both</source>
        <translation>Selesai oleh keduanya</translation>
    </message>
    <message>
        <source>Of those, documents both have done</source>
        <translation>Dari itu, dokumen yang sudah diselesaikan keduanya</translation>
    </message>
</context>
<context>
    <name>PairTableModel</name>
    <message>
        <source>Pair</source>
        <translation>Pasangan</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumen</translation>
    </message>
    <message>
        <source>Documents both annotators submitted</source>
        <translation>Dokumen yang diserahkan kedua anotator</translation>
    </message>
    <message>
        <source>Strict F1</source>
        <translation>F1 ketat</translation>
    </message>
    <message>
        <source>Same start, end and label (the headline)</source>
        <translation>Awal, akhir, dan label sama (angka utama)</translation>
    </message>
    <message>
        <source>Exact F1</source>
        <translation>F1 persis</translation>
    </message>
    <message>
        <source>Same start and end, label ignored</source>
        <translation>Awal dan akhir sama, label diabaikan</translation>
    </message>
    <message>
        <source>Type F1</source>
        <translation>F1 jenis</translation>
    </message>
    <message>
        <source>Overlapping, same label</source>
        <translation>Bertumpang tindih, label sama</translation>
    </message>
    <message>
        <source>Partial F1</source>
        <translation>F1 parsial</translation>
    </message>
    <message>
        <source>Same boundaries 1, overlapping 0.5, label ignored</source>
        <translation>Batas sama 1, bertumpang tindih 0,5, label diabaikan</translation>
    </message>
    <message>
        <source>Token-level Cohen&apos;s kappa, O included</source>
        <translation>Kappa Cohen tingkat token, termasuk O</translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa</source>
        <translation>Kappa Cohen</translation>
    </message>
    <message>
        <source>Observed agreement</source>
        <translation>Kesepakatan teramati</translation>
    </message>
    <message>
        <source>Share of tokens with the same label (p_o)</source>
        <translation>Porsi token dengan label yang sama (p_o)</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Tokens compared</source>
        <translation>Token yang dibandingkan</translation>
    </message>
    <message>
        <source>Strict F1 95%</source>
        <translation>F1 ketat 95%</translation>
    </message>
    <message>
        <source>95% interval of the strict F1: bootstrap over documents</source>
        <translation>Interval 95% dari F1 ketat: bootstrap atas dokumen</translation>
    </message>
    <message>
        <source>Kappa 95%</source>
        <translation>Kappa 95%</translation>
    </message>
    <message>
        <source>95% interval of Cohen&apos;s kappa: bootstrap over documents</source>
        <translation>Interval 95% dari kappa Cohen: bootstrap atas dokumen</translation>
    </message>
</context>
<context>
    <name>ProgressPane</name>
    <message>
        <source>Counting the annotators&apos; files…</source>
        <translation>Menghitung berkas para anotator…</translation>
    </message>
    <message>
        <source>%1 documents, %2 assigned to nobody.</source>
        <translation>%1 dokumen, %2 belum ditugaskan kepada siapa pun.</translation>
    </message>
    <message>
        <source>%1 documents; no plan: everyone may annotate every document.</source>
        <translation>%1 dokumen; tanpa rencana: semua orang boleh menganotasi setiap dokumen.</translation>
    </message>
    <message>
        <source>Overlap: %1 documents with two or more annotators, %2 of them done by all; %3 documents done by two or more (agreement is computed on these).</source>
        <translation>Tumpang-tindih: %1 dokumen dengan dua anotator atau lebih, %2 di antaranya selesai oleh semua; %3 dokumen selesai oleh dua orang atau lebih (kesepakatan dihitung atas dokumen ini).</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <source>Open server project</source>
        <translation>Buka proyek server</translation>
    </message>
    <message>
        <source>The project&apos;s PostgreSQL URL, e.g. postgresql://ani@db.example/news?sslmode=verify-full. The password comes from PGPASSWORD or the password file (~/.pgpass), or is asked for; it is never remembered here.</source>
        <translation>URL PostgreSQL proyek, mis. postgresql://ani@db.example/news?sslmode=verify-full. Kata sandi diambil dari PGPASSWORD atau berkas kata sandi (~/.pgpass), atau ditanyakan; kata sandi tidak pernah diingat di sini.</translation>
    </message>
    <message>
        <source>A server project&apos;s URL starts with postgresql://</source>
        <translation>URL proyek server diawali dengan postgresql://</translation>
    </message>
</context>
<context>
    <name>ServerView</name>
    <message>
        <source>In the background: %1</source>
        <translation>Di latar belakang: %1</translation>
    </message>
    <message>
        <source>The server refused an edit</source>
        <translation>Server menolak sebuah suntingan</translation>
    </message>
    <message>
        <source>%1

The edit is kept on this computer and will not be sent again.</source>
        <translation>%1

Suntingan disimpan di komputer ini dan tidak akan dikirim lagi.</translation>
    </message>
    <message numerus="yes">
        <source>%n document(s) were also changed on another computer. Both versions are kept: File &gt; Resolve conflicts… shows them and you choose.</source>
        <translation>
            <numerusform>%n dokumen juga diubah di komputer lain. Kedua versi disimpan: Berkas &gt; Selesaikan konflik… menampilkannya dan Anda yang memilih.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Pintasan papan ketik</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Perintah</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tombol</translation>
    </message>
    <message>
        <source>Click a key and press the new one to rebind a command.</source>
        <translation>Klik sebuah tombol, lalu tekan tombol baru untuk mengganti pintasan perintah.</translation>
    </message>
    <message>
        <source>%1 is used by %2 and %3</source>
        <translation>%1 dipakai oleh %2 dan %3</translation>
    </message>
</context>
<context>
    <name>SpanKeys</name>
    <message>
        <source>The selection holds no word to label.</source>
        <translation>Pilihan tidak memuat kata yang dapat diberi label.</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Could not count: %1</source>
        <translation>Tidak dapat menghitung: %1</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Diperbarui %1</translation>
    </message>
    <message>
        <source>counted in %1 s</source>
        <translation>dihitung dalam %1 dtk</translation>
    </message>
    <message>
        <source>Counting the annotators&apos; files…</source>
        <translation>Menghitung berkas para anotator…</translation>
    </message>
    <message>
        <source>Not counted yet</source>
        <translation>Belum dihitung</translation>
    </message>
</context>
<context>
    <name>SuggestionPane</name>
    <message>
        <source>Finding suggestions…</source>
        <translation>Mencari saran…</translation>
    </message>
    <message numerus="yes">
        <source>%n suggestion(s) left</source>
        <translation>
            <numerusform>%n saran tersisa</numerusform>
        </translation>
    </message>
    <message>
        <source>No model trained yet: Review ▸ Train suggestion model.</source>
        <translation>Belum ada model yang dilatih: Tinjau ▸ Latih model saran.</translation>
    </message>
    <message>
        <source>Model: F1 %1 (precision %2, recall %3) on %4 held-out documents</source>
        <translation>Model: F1 %1 (presisi %2, recall %3) pada %4 dokumen uji yang disisihkan</translation>
    </message>
    <message>
        <source>Trained on %1 documents (%2), %3.</source>
        <translation>Dilatih pada %1 dokumen (%2), %3.</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Presisi</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>Recall</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Held out</source>
        <translation>Disisihkan</translation>
    </message>
</context>
<context>
    <name>SuggestionsController</name>
    <message>
        <source>Suggestions from the rules</source>
        <translation>Saran dari aturan</translation>
    </message>
    <message>
        <source>Suggestions from the project&apos;s model</source>
        <translation>Saran dari model proyek</translation>
    </message>
    <message>
        <source>Suggestions from the rules and the model</source>
        <translation>Saran dari aturan dan model</translation>
    </message>
    <message>
        <source>No suggestions</source>
        <translation>Tanpa saran</translation>
    </message>
    <message>
        <source>word list</source>
        <translation>daftar kata</translation>
    </message>
    <message>
        <source>abbreviation in the text</source>
        <translation>singkatan dalam teks</translation>
    </message>
    <message>
        <source>date rule</source>
        <translation>aturan tanggal</translation>
    </message>
    <message>
        <source>title or cue before a name</source>
        <translation>gelar atau penanda sebelum nama</translation>
    </message>
    <message>
        <source>the words around a name</source>
        <translation>kata-kata di sekitar nama</translation>
    </message>
    <message>
        <source>head word</source>
        <translation>kata inti</translation>
    </message>
    <message>
        <source>the team&apos;s rules</source>
        <translation>aturan tim</translation>
    </message>
    <message>
        <source>the project&apos;s model</source>
        <translation>model proyek</translation>
    </message>
    <message>
        <source>Suggestions: %1</source>
        <translation>Saran: %1</translation>
    </message>
    <message>
        <source>Suggestions are still being found.</source>
        <translation>Saran masih dicari.</translation>
    </message>
    <message>
        <source>No suggestions left on this document.</source>
        <translation>Tidak ada saran tersisa di dokumen ini.</translation>
    </message>
    <message>
        <source>Accept “%1” as %2</source>
        <translation>Terima “%1” sebagai %2</translation>
    </message>
    <message>
        <source>Reject “%1” as %2</source>
        <translation>Tolak “%1” sebagai %2</translation>
    </message>
    <message numerus="yes">
        <source>Accept %n suggestion(s)</source>
        <translation>
            <numerusform>Terima %n saran</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Accepted %n suggestion(s).</source>
        <translation>
            <numerusform>%n saran diterima.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n left alone: it overlaps a span already there.</source>
        <translation>
            <numerusform>%n dibiarkan: tumpang-tindih dengan span yang sudah ada.</numerusform>
        </translation>
    </message>
    <message>
        <source>Training needs spaCy, an optional extra: pip install &apos;annotator[spacy]&apos;</source>
        <translation>Pelatihan memerlukan spaCy, tambahan opsional: pip install &apos;annotator[spacy]&apos;</translation>
    </message>
    <message>
        <source>Training the suggestion model…</source>
        <translation>Melatih model saran…</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>Pelatihan gagal: %1</translation>
    </message>
    <message>
        <source>Training cancelled; the previous model is kept.</source>
        <translation>Pelatihan dibatalkan; model sebelumnya tetap dipakai.</translation>
    </message>
    <message>
        <source>Model F1 %1 on %2 held-out documents</source>
        <translation>F1 model %1 pada %2 dokumen uji yang disisihkan</translation>
    </message>
    <message>
        <source>Suggestion: %1 “%2” (%3, score %4). %5 accepts, %6 rejects.</source>
        <translation>Saran: %1 “%2” (%3, skor %4). %5 menerima, %6 menolak.</translation>
    </message>
    <message>
        <source>Finding suggestions…</source>
        <translation>Mencari saran…</translation>
    </message>
    <message numerus="yes">
        <source>%n suggestion(s) left</source>
        <translation>
            <numerusform>%n saran tersisa</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TeamView</name>
    <message>
        <source>The plan is written and recorded in the assign history.</source>
        <translation>Rencana sudah ditulis dan dicatat di riwayat penugasan.</translation>
    </message>
</context>
<context>
    <name>TrainingRun</name>
    <message>
        <source>Train suggestion model</source>
        <translation>Latih model saran</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Memulai…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Membatalkan…</translation>
    </message>
</context>
<context>
    <name>WindowController</name>
    <message>
        <source>Open project</source>
        <translation>Buka proyek</translation>
    </message>
    <message>
        <source>About annotator</source>
        <translation>Tentang annotator</translation>
    </message>
    <message>
        <source>annotator %1

Named-entity annotation of Indonesian news.
Annotator: %2
Project: %3</source>
        <translation>annotator %1

Anotasi entitas bernama untuk berita berbahasa Indonesia.
Anotator: %2
Proyek: %3</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Tidak tersimpan: %1</translation>
    </message>
    <message>
        <source>The edit was not saved</source>
        <translation>Suntingan tidak tersimpan</translation>
    </message>
    <message>
        <source>Your saved annotation of %1 is not valid as saved: %2.

Shown: the %3 span(s) of it that can be read. It stays saved as it is until you change this document; your next change saves what is shown, without the rest.</source>
        <translation>Anotasi tersimpan Anda untuk %1 tidak sah sebagaimana tersimpan: %2.

Ditampilkan: %3 rentang darinya yang dapat dibaca. Anotasi itu tetap tersimpan apa adanya sampai Anda mengubah dokumen ini; perubahan Anda berikutnya menyimpan yang ditampilkan, tanpa sisanya.</translation>
    </message>
    <message>
        <source>%1: saved annotation not valid as saved</source>
        <translation>%1: anotasi tersimpan tidak sah sebagaimana tersimpan</translation>
    </message>
    <message>
        <source>Saved annotation not valid</source>
        <translation>Anotasi tersimpan tidak sah</translation>
    </message>
</context>
<context>
    <name>actions</name>
    <message>
        <source>&amp;Open project…</source>
        <translation>&amp;Buka proyek…</translation>
    </message>
    <message>
        <source>Open &amp;server project…</source>
        <translation>Buka proyek &amp;server…</translation>
    </message>
    <message>
        <source>Open a project on a PostgreSQL server (a postgresql:// URL)</source>
        <translation>Buka proyek di server PostgreSQL (URL postgresql://)</translation>
    </message>
    <message>
        <source>Resolve &amp;conflicts…</source>
        <translation>Selesaikan &amp;konflik…</translation>
    </message>
    <message>
        <source>Documents you changed on two computers: see both versions and choose</source>
        <translation>Dokumen yang Anda ubah di dua komputer: lihat kedua versi lalu pilih</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Simpan</translation>
    </message>
    <message>
        <source>Write every journaled edit into the annotation file</source>
        <translation>Tulis setiap suntingan yang sudah dijurnal ke berkas anotasi</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Ekspor…</translation>
    </message>
    <message>
        <source>Export the done annotations as training data</source>
        <translation>Ekspor anotasi yang selesai sebagai data latih</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Urungkan</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Ulangi</translation>
    </message>
    <message>
        <source>Label &amp;all occurrences</source>
        <translation>Label &amp;semua kemunculan</translation>
    </message>
    <message>
        <source>Give every unlabelled occurrence of the selected span&apos;s text the same label</source>
        <translation>Beri label yang sama pada setiap kemunculan teks rentang terpilih yang belum berlabel</translation>
    </message>
    <message>
        <source>Label all</source>
        <translation>Label semua</translation>
    </message>
    <message>
        <source>&amp;Delete span</source>
        <translation>&amp;Hapus rentang</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Select &amp;next span</source>
        <translation>Pilih rentang &amp;berikutnya</translation>
    </message>
    <message>
        <source>Select &amp;previous span</source>
        <translation>Pilih rentang &amp;sebelumnya</translation>
    </message>
    <message>
        <source>C&amp;lear selection</source>
        <translation>&amp;Batalkan pilihan</translation>
    </message>
    <message>
        <source>E&amp;xact spans (no snapping)</source>
        <translation>Rentang &amp;persis (tanpa penyesuaian token)</translation>
    </message>
    <message>
        <source>Keep selections as selected instead of widening them to whole tokens</source>
        <translation>Pertahankan pilihan apa adanya, tanpa melebarkannya ke token utuh</translation>
    </message>
    <message>
        <source>Exact spans</source>
        <translation>Rentang persis</translation>
    </message>
    <message>
        <source>&amp;Done, next unfinished</source>
        <translation>&amp;Selesai, lanjut ke yang belum selesai</translation>
    </message>
    <message>
        <source>✓ Done, next</source>
        <translation>✓ Selesai, lanjut</translation>
    </message>
    <message>
        <source>&amp;Skip, next unfinished</source>
        <translation>&amp;Lewati, lanjut ke yang belum selesai</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Lewati</translation>
    </message>
    <message>
        <source>&amp;Next document</source>
        <translation>Dokumen &amp;berikutnya</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Berikutnya ▶</translation>
    </message>
    <message>
        <source>&amp;Previous document</source>
        <translation>Dokumen &amp;sebelumnya</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Sebelumnya</translation>
    </message>
    <message>
        <source>&amp;Find document…</source>
        <translation>&amp;Cari dokumen…</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>&amp;Perbesar</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>Per&amp;kecil</translation>
    </message>
    <message>
        <source>&amp;Actual size</source>
        <translation>Ukuran &amp;asli</translation>
    </message>
    <message>
        <source>&amp;System theme</source>
        <translation>Tema &amp;sistem</translation>
    </message>
    <message>
        <source>&amp;Light theme</source>
        <translation>Tema &amp;terang</translation>
    </message>
    <message>
        <source>&amp;Dark theme</source>
        <translation>Tema &amp;gelap</translation>
    </message>
    <message>
        <source>&amp;Agreement dashboard</source>
        <translation>Dasbor &amp;kesepakatan</translation>
    </message>
    <message>
        <source>Annotators against &amp;gold</source>
        <translation>Anotator terhadap &amp;gold</translation>
    </message>
    <message>
        <source>A&amp;djudicate</source>
        <translation>A&amp;judikasi</translation>
    </message>
    <message>
        <source>Compare every annotator&apos;s spans and build the gold set</source>
        <translation>Bandingkan span setiap anotator dan susun set gold</translation>
    </message>
    <message>
        <source>&amp;Progress</source>
        <translation>&amp;Kemajuan</translation>
    </message>
    <message>
        <source>Each annotator&apos;s assigned, done and skipped documents</source>
        <translation>Dokumen yang ditugaskan, selesai, dan dilewati per anotator</translation>
    </message>
    <message>
        <source>A&amp;ssign documents…</source>
        <translation>T&amp;ugaskan dokumen…</translation>
    </message>
    <message>
        <source>Give documents to annotators, with overlap for agreement</source>
        <translation>Bagikan dokumen kepada anotator, dengan tumpang-tindih untuk kesepakatan</translation>
    </message>
    <message>
        <source>&amp;Reload annotators&apos; files</source>
        <translation>&amp;Muat ulang berkas anotator</translation>
    </message>
    <message>
        <source>A&amp;ccept suggestion</source>
        <translation>&amp;Terima saran</translation>
    </message>
    <message>
        <source>Accept the suggestion under the caret, else the next one</source>
        <translation>Terima saran di posisi kursor, atau saran berikutnya</translation>
    </message>
    <message>
        <source>Re&amp;ject suggestion</source>
        <translation>T&amp;olak saran</translation>
    </message>
    <message>
        <source>Reject the suggestion under the caret, else the next one; it stays gone</source>
        <translation>Tolak saran di posisi kursor, atau saran berikutnya; saran itu tidak akan muncul lagi</translation>
    </message>
    <message>
        <source>Accept all su&amp;ggestions</source>
        <translation>Terima semua s&amp;aran</translation>
    </message>
    <message>
        <source>Accept all</source>
        <translation>Terima semua</translation>
    </message>
    <message>
        <source>Nex&amp;t suggestion</source>
        <translation>Saran &amp;berikutnya</translation>
    </message>
    <message>
        <source>Pre&amp;vious suggestion</source>
        <translation>Saran se&amp;belumnya</translation>
    </message>
    <message>
        <source>Show &amp;suggestions</source>
        <translation>Tampilkan &amp;saran</translation>
    </message>
    <message>
        <source>&amp;Rules</source>
        <translation>&amp;Aturan</translation>
    </message>
    <message>
        <source>The project&apos;s &amp;model</source>
        <translation>&amp;Model proyek</translation>
    </message>
    <message>
        <source>Rules &amp;and model</source>
        <translation>Aturan &amp;dan model</translation>
    </message>
    <message>
        <source>&amp;Nothing</source>
        <translation>&amp;Tidak ada</translation>
    </message>
    <message>
        <source>&amp;Train suggestion model…</source>
        <translation>&amp;Latih model saran…</translation>
    </message>
    <message>
        <source>Train the project&apos;s model on the done annotations, in the background</source>
        <translation>Latih model proyek dengan anotasi yang selesai, di latar belakang</translation>
    </message>
    <message>
        <source>Train model</source>
        <translation>Latih model</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Pintasan papan ketik</translation>
    </message>
    <message>
        <source>&amp;General guidelines</source>
        <translation>&amp;Pedoman umum</translation>
    </message>
    <message>
        <source>&amp;About annotator</source>
        <translation>&amp;Tentang annotator</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Your annotator name (a-z, 0-9, _ . -):</source>
        <translation>Nama anotator Anda (a-z, 0-9, _ . -):</translation>
    </message>
    <message>
        <source>Who is annotating?</source>
        <translation>Siapa yang menganotasi?</translation>
    </message>
    <message>
        <source>“gold” is reserved for adjudicated annotations</source>
        <translation>“gold” dicadangkan untuk anotasi hasil adjudikasi</translation>
    </message>
    <message>
        <source>Not a valid name: %1
Your annotator name:</source>
        <translation>Nama tidak sah: %1
Nama anotator Anda:</translation>
    </message>
    <message>
        <source>This project cannot be written here (%1: %2). This window is read-only: nothing you do here is saved; edits saved earlier are safe.</source>
        <translation>Proyek ini tidak dapat ditulis di sini (%1: %2). Jendela ini hanya-baca: apa pun yang Anda lakukan di sini tidak disimpan; suntingan yang tersimpan sebelumnya aman.</translation>
    </message>
    <message>
        <source>The server was restored from a backup: edits sent again: %1.</source>
        <translation>Server dipulihkan dari cadangan: suntingan yang dikirim ulang: %1.</translation>
    </message>
    <message>
        <source>%1 is already open in another window (%2). This window is read-only: nothing you do here is saved.</source>
        <translation>%1 sudah dibuka di jendela lain (%2). Jendela ini hanya-baca: apa pun yang Anda lakukan di sini tidak disimpan.</translation>
    </message>
    <message>
        <source>Lines that could not be read are left as they are (%1); the first: %2</source>
        <translation>Baris yang tidak dapat dibaca dibiarkan apa adanya (%1); yang pertama: %2</translation>
    </message>
    <message>
        <source>on a server project you annotate as your login, %1, not %2</source>
        <translation>di proyek server Anda menganotasi sebagai login Anda, %1, bukan %2</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>Tidak dapat membuka proyek</translation>
    </message>
</context>
<context>
    <name>menus</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Sunting</translation>
    </message>
    <message>
        <source>&amp;Document</source>
        <translation>&amp;Dokumen</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Tampilan</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>&amp;Tinjau</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Bantuan</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Buka proyek &amp;terakhir</translation>
    </message>
    <message>
        <source>&amp;Label selection as</source>
        <translation>&amp;Label pilihan sebagai</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Tema</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Bahasa</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>&amp;Panel</translation>
    </message>
    <message>
        <source>Suggest &amp;from</source>
        <translation>Saran &amp;dari</translation>
    </message>
</context>
<context>
    <name>review</name>
    <message>
        <source>no documents submitted by both</source>
        <translation>tidak ada dokumen yang diserahkan keduanya</translation>
    </message>
    <message>
        <source>no spans on either side</source>
        <translation>tidak ada rentang di kedua pihak</translation>
    </message>
    <message>
        <source>fewer than two annotators</source>
        <translation>kurang dari dua anotator</translation>
    </message>
    <message>
        <source>no pair has a score (no shared documents or no spans)</source>
        <translation>tidak ada pasangan yang memiliki skor (tidak ada dokumen bersama atau tidak ada rentang)</translation>
    </message>
    <message>
        <source>no pair has a Cohen&apos;s kappa</source>
        <translation>tidak ada pasangan yang memiliki kappa Cohen</translation>
    </message>
    <message>
        <source>every token is O</source>
        <translation>setiap token berlabel O</translation>
    </message>
    <message>
        <source>every token has the same label</source>
        <translation>setiap token memiliki label yang sama</translation>
    </message>
    <message>
        <source>no tokens to compare</source>
        <translation>tidak ada token untuk dibandingkan</translation>
    </message>
    <message>
        <source>no tokens rated by every annotator</source>
        <translation>tidak ada token yang dinilai oleh semua anotator</translation>
    </message>
    <message>
        <source>no token has values from two annotators</source>
        <translation>tidak ada token yang memiliki nilai dari dua anotator</translation>
    </message>
    <message>
        <source>no document was submitted by every annotator</source>
        <translation>tidak ada dokumen yang diserahkan oleh semua anotator</translation>
    </message>
    <message>
        <source>no document was submitted by two annotators</source>
        <translation>tidak ada dokumen yang diserahkan oleh dua anotator</translation>
    </message>
    <message>
        <source>no spans with this label on either side</source>
        <translation>tidak ada rentang dengan label ini di kedua pihak</translation>
    </message>
    <message>
        <source>no spans on the annotator&apos;s side</source>
        <translation>tidak ada rentang di pihak anotator</translation>
    </message>
    <message>
        <source>no spans on gold&apos;s side</source>
        <translation>tidak ada rentang di pihak gold</translation>
    </message>
    <message>
        <source>strict</source>
        <translation>ketat</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>persis</translation>
    </message>
    <message>
        <source>type</source>
        <translation>jenis</translation>
    </message>
    <message>
        <source>partial</source>
        <translation>parsial</translation>
    </message>
    <message>
        <source>95% interval: bootstrap over %1 documents</source>
        <translation>Interval 95%: bootstrap atas %1 dokumen</translation>
    </message>
    <message>
        <source>too few documents</source>
        <translation>dokumen terlalu sedikit</translation>
    </message>
    <message>
        <source>%1 documents: too few for a 95% interval (at least %2)</source>
        <translation>%1 dokumen: terlalu sedikit untuk interval 95% (minimal %2)</translation>
    </message>
    <message>
        <source>no interval</source>
        <translation>tanpa interval</translation>
    </message>
    <message>
        <source>A lead&apos;s view: it shows other annotators&apos; work. Annotation in this project is blind; start the window with --lead to review.</source>
        <translation>Tampilan untuk ketua tim: memperlihatkan pekerjaan anotator lain. Anotasi di proyek ini buta; buka jendela dengan --lead untuk meninjau.</translation>
    </message>
</context>
<context>
    <name>server</name>
    <message>
        <source>Connecting to %1…</source>
        <translation>Menghubungkan ke %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Open server project</source>
        <translation>Buka proyek server</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>%1

Password for %2 (kept only while the app runs; to be asked no more, put it in the password file ~/.pgpass):</source>
        <translation>%1

Kata sandi untuk %2 (hanya disimpan selama aplikasi berjalan; agar tidak ditanya lagi, taruh di berkas kata sandi ~/.pgpass):</translation>
    </message>
    <message>
        <source>That is not the passphrase of this key.</source>
        <translation>Itu bukan frasa sandi kunci ini.</translation>
    </message>
    <message>
        <source>The key of this desktop&apos;s certificate is locked with a passphrase.</source>
        <translation>Kunci sertifikat desktop ini dikunci dengan frasa sandi.</translation>
    </message>
    <message>
        <source>%1

Passphrase of %2 (kept only while the app runs):</source>
        <translation>%1

Frasa sandi untuk %2 (hanya disimpan selama aplikasi berjalan):</translation>
    </message>
    <message>
        <source>Certificate key</source>
        <translation>Kunci sertifikat</translation>
    </message>
    <message>
        <source>not a postgresql:// URL: %1</source>
        <translation>bukan URL postgresql://: %1</translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <source>To do</source>
        <translation>Belum dikerjakan</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>Sedang dikerjakan</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Dilewati</translation>
    </message>
    <message>
        <source>My queue (to do, in progress)</source>
        <translation>Antrean saya (belum, sedang dikerjakan)</translation>
    </message>
</context>
<context>
    <name>sync</name>
    <message>
        <source>read-only</source>
        <translation>hanya-baca</translation>
    </message>
    <message>
        <source>saving…</source>
        <translation>menyimpan…</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>luring</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>tersimpan</translation>
    </message>
    <message>
        <source>synced</source>
        <translation>tersinkron</translation>
    </message>
</context>
</TS>

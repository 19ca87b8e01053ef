<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>Controller</name>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Tidak dapat membuka %1: %2</translation>
    </message>
    <message>
        <source>This project has no documents yet.</source>
        <translation>Proyek ini belum memiliki dokumen.</translation>
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
        <source>The selection holds no word to label.</source>
        <translation>Pilihan tidak memuat kata yang dapat diberi label.</translation>
    </message>
    <message>
        <source>Select some text (or a span) first.</source>
        <translation>Pilih teks (atau rentang) terlebih dahulu.</translation>
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
</context>
<context>
    <name>DocumentsPane</name>
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
    <name>WorkSession</name>
    <message>
        <source>Label “%1” as %2</source>
        <translation>Label “%1” sebagai %2</translation>
    </message>
    <message>
        <source>Relabel “%1” as %2</source>
        <translation>Ganti label “%1” menjadi %2</translation>
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
    <name>actions</name>
    <message>
        <source>&amp;Open project…</source>
        <translation>&amp;Buka proyek…</translation>
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
        <source>&amp;Reload annotators&apos; files</source>
        <translation>&amp;Muat ulang berkas anotator</translation>
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
        <source>%1 is already open in another window (%2). This window is read-only: nothing you do here is saved.</source>
        <translation>%1 sudah dibuka di jendela lain (%2). Jendela ini hanya-baca: apa pun yang Anda lakukan di sini tidak disimpan.</translation>
    </message>
    <message>
        <source>Lines that could not be read are left as they are (%1); the first: %2</source>
        <translation>Baris yang tidak dapat dibaca dibiarkan apa adanya (%1); yang pertama: %2</translation>
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
</context>
</TS>

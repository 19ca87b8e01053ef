"""A document switch: the highlighter stays attached and colours the new text as Qt sets it.

The spans of the next document are indexed before ``setPlainText`` (its paragraphs found in
the text, as Qt makes them); after the switch every paragraph carries exactly the new
document's formats, none of the old one's.
"""

from __future__ import annotations

from pathlib import Path

from _helpers_window import drag_select, key, make_project, stored, window_on
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

from annotator.core.model import Label, Span, make_span
from annotator.core.offsets import Utf16Map
from annotator.ui.widgets.highlighter import SpanHighlighter, block_starts
from annotator.ui.widgets.text_view import display_text

ALT = Qt.KeyboardModifier.AltModifier
PIECES = [
    "a",
    "Jakarta ",
    "\n",
    "\r",
    "\r\n",
    "\u2028",
    "\u2029",
    "\ufdd0",
    "\ufdd1",
    "🇮🇩",
    "e\u0301",
    "📌",
    "\u00a0",
]


def qt_starts(document: QTextDocument) -> list[int]:
    starts = []
    block = document.begin()
    while block.isValid():
        starts.append(block.position())
        block = block.next()
    return [*starts, document.characterCount()]


@settings(max_examples=150, deadline=None)
@given(st.booleans(), st.lists(st.sampled_from(PIECES), max_size=30))
def test_the_paragraphs_found_in_a_text_are_those_qt_makes(
    qapp: QApplication, bom: bool, pieces: list[str]
) -> None:
    text = ("\ufeff" if bom else "") + "".join(pieces)
    view = QPlainTextEdit()
    shown = display_text(text)
    view.setPlainText(shown)
    assert block_starts(shown, Utf16Map(text)) == qt_starts(view.document())


LABELS = [
    Label(name="PERSON", key="1", color="#4e79a7"),
    Label(name="CITY", key="2", color="#59a14f"),
]


def test_a_text_qt_splits_otherwise_is_indexed_again_from_the_document(
    qapp: QApplication,
) -> None:
    view = QPlainTextEdit()
    view.setPlainText("awal")
    light = SpanHighlighter(view)
    light.set_labels(LABELS, view.palette().base().color(), 0.3)
    light.attach(view.document(), Utf16Map("awal"), ())
    text = "Wali Kota Bogor\nhadir di 🇮🇩 Jakarta\nSelasa"
    spans = (
        make_span(text, 10, 15, "CITY"),
        make_span(text, text.index("Jakarta"), len(text) - 7, "CITY"),
    )
    # told of a text with one paragraph fewer than the one set
    light.prepare(text.replace("\n", " ", 1), Utf16Map(text), spans)
    view.setPlainText(text)
    light.check()
    assert light._block_starts == qt_starts(view.document())
    fresh_view = QPlainTextEdit()
    fresh_view.setPlainText(text)
    fresh = SpanHighlighter(fresh_view)
    fresh.attach(fresh_view.document(), Utf16Map(text), spans)
    assert light._blocks == fresh._blocks
    assert [
        (r.start, r.length) for r in view.document().findBlockByNumber(1).layout().formats()
    ] == [(e[0], e[1]) for e in fresh._blocks[1]]


FIRST = "Berita satu.\nDari Jakarta ke Bogor.\nSelesai hari ini."
SECOND = "Kabar 🇮🇩 kedua dari Medan.\nTanpa nama.\nLalu Surabaya dan Makassar."


def formats_by_block(win: object) -> dict[int, list[tuple[int, int]]]:
    """``{block: [(start16, length16)]}`` of the formats in each paragraph's layout."""
    document = win.text.document()  # type: ignore[attr-defined]
    found: dict[int, list[tuple[int, int]]] = {}
    block = document.begin()
    while block.isValid():
        ranges = [(r.start, r.length) for r in block.layout().formats()]
        if ranges:
            found[block.blockNumber()] = ranges
        block = block.next()
    return found


def expected(text: str, spans: tuple[Span, ...]) -> dict[int, list[tuple[int, int]]]:
    umap = Utf16Map(text)
    starts = block_starts(text, umap)
    out: dict[int, list[tuple[int, int]]] = {}
    for span in spans:
        s16, e16 = umap.to_utf16(span.start), umap.to_utf16(span.end)
        number = max(i for i, pos in enumerate(starts[:-1]) if pos <= s16)
        out.setdefault(number, []).append((s16 - starts[number], e16 - s16))
    return out


def label(qtbot: QtBot, win: object, text: str, word: str, digit: str) -> None:
    start = text.index(word)
    before = len(win.work.spans)  # type: ignore[attr-defined]
    drag_select(qtbot, win, start, start + len(word))  # type: ignore[arg-type]
    key(qtbot, win, digit)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: len(win.work.spans) == before + 1)  # type: ignore[attr-defined]


def test_each_switch_shows_the_new_documents_formats_and_none_of_the_old(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, [("a", FIRST), ("b", SECOND)])
    with window_on(qtbot, root) as win:
        highlighter = win.text.highlighter
        label(qtbot, win, FIRST, "Jakarta", "3")
        label(qtbot, win, FIRST, "Bogor", "3")
        label(qtbot, win, FIRST, "Selesai", "4")
        first_spans = win.work.spans
        qtbot.waitUntil(lambda: formats_by_block(win) == expected(FIRST, first_spans))

        key(qtbot, win, Qt.Key.Key_Right, ALT)
        qtbot.waitUntil(lambda: win.work.doc_id == "b")
        assert highlighter.document() is win.text.document()  # attached throughout
        assert formats_by_block(win) == {}  # b has no spans yet: nothing of a's is left
        label(qtbot, win, SECOND, "Medan", "3")
        label(qtbot, win, SECOND, "Makassar", "3")
        second_spans = win.work.spans
        assert formats_by_block(win) == expected(SECOND, second_spans)

        key(qtbot, win, Qt.Key.Key_Left, ALT)
        qtbot.waitUntil(lambda: win.work.doc_id == "a")
        assert win.work.spans == first_spans
        assert formats_by_block(win) == expected(FIRST, first_spans)
        key(qtbot, win, Qt.Key.Key_Right, ALT)
        qtbot.waitUntil(lambda: win.work.doc_id == "b")
        assert formats_by_block(win) == expected(SECOND, second_spans)


def test_a_switch_after_edits_paints_the_next_document_before_compacting(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, [("a", FIRST), ("b", SECOND)])
    with window_on(qtbot, root) as win:
        label(qtbot, win, FIRST, "Jakarta", "3")
        store = win.work.store
        qtbot.waitUntil(lambda: store.save_state.label == "journaled")  # fsynced, not compacted
        qtbot.waitUntil(lambda: not win.text._after)  # what followed the key's paint has run
        seen: list[str] = []
        win.text.painted.connect(lambda: seen.append(f"paint {win.work.doc_id}"))
        original = store.save

        def save() -> None:
            seen.append("compact")
            original()

        store.save = save  # type: ignore[method-assign]
        key(qtbot, win, Qt.Key.Key_Right, ALT)
        assert win.work.doc_id == "b"
        assert seen == []  # neither before the paint
        qtbot.waitUntil(lambda: "compact" in seen)
        assert seen.index("paint b") < seen.index("compact")
        assert not store.dirty
        saved = (root / "annotations" / "ani.jsonl").read_text("utf-8")
        assert '"label":"CITY"' in saved.replace(" ", "")


def test_keys_pressed_right_after_a_switch_apply_to_the_new_document(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, [("a", FIRST), ("b", SECOND)])
    ctrl = Qt.KeyboardModifier.ControlModifier
    with window_on(qtbot, root) as win:
        label(qtbot, win, FIRST, "Jakarta", "3")
        first = win.work.spans
        # the switch and a label key at once: no event handled in between, nothing painted
        key(qtbot, win, Qt.Key.Key_Right, ALT)
        key(qtbot, win, Qt.Key.Key_Right, ctrl | Qt.KeyboardModifier.ShiftModifier)
        key(qtbot, win, Qt.Key.Key_1)
        assert win.work.doc_id == "b"
        assert [(s.text, s.label) for s in win.work.spans] == [("Kabar", "PERSON")]
        qtbot.waitUntil(lambda: win.span_model.rowCount() == 1)
        assert formats_by_block(win) == expected(SECOND, win.work.spans)
        assert stored(root, "ani", "a").spans == first  # type: ignore[union-attr]
        assert [s.text for s in stored(root, "ani", "b").spans] == ["Kabar"]  # type: ignore[union-attr]


THIRD = "Berita ketiga.\nDari Bandung."


def test_the_neighbours_are_read_ahead_after_a_switch_and_shown_as_they_are_stored(
    qtbot: QtBot, tmp_path: Path
) -> None:
    root = tmp_path / "p"
    make_project(root, [("a", FIRST), ("b", SECOND), ("c", THIRD)])
    with window_on(qtbot, root) as win:
        work = win.work
        label(qtbot, win, FIRST, "Jakarta", "3")
        labelled = work.spans
        key(qtbot, win, Qt.Key.Key_Right, ALT)
        qtbot.waitUntil(lambda: set(work.editor._ahead) == {"a", "c"})  # after b's paint
        reads: list[str] = []
        get, annotation = work.project.documents.get, work.store.annotation
        work.project.documents.get = lambda d: reads.append(d) or get(d)  # type: ignore[method-assign,assignment]
        work.store.annotation = lambda d: reads.append(d) or annotation(d)  # type: ignore[method-assign,assignment]
        key(qtbot, win, Qt.Key.Key_Left, ALT)
        assert work.doc_id == "a"
        assert reads == []  # shown as read ahead
        assert work.spans == labelled
        assert formats_by_block(win) == expected(FIRST, labelled)
        qtbot.waitUntil(lambda: set(work.editor._ahead) == {"b"})
        key(qtbot, win, Qt.Key.Key_Right, ALT)
        qtbot.waitUntil(lambda: set(work.editor._ahead) == {"a", "c"})
        # undo the label on a from b: a opens without it, not as it was read ahead
        key(qtbot, win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert work.doc_id == "a"
        assert work.spans == ()
        assert formats_by_block(win) == {}


def test_nothing_is_read_ahead_once_the_window_has_closed(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("a", FIRST), ("b", SECOND), ("c", THIRD)])
    with window_on(qtbot, root) as win:
        work = win.work
        key(qtbot, win, Qt.Key.Key_Right, ALT)  # closed before its paint and what follows
    assert work.editor._ahead == {}
    work.read_ahead(["a", "c"])  # a job left from the last paint: the store stays closed
    assert work.editor._ahead == {}

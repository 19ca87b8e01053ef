"""Span colours: a QSyntaxHighlighter reading a per-block index of the document's spans.

Measured on a 200 KB article with 5,000 spans (docs/qt.md section 5): drawing all of them costs
about 21 ms and adding one about 5 ms when only the blocks an edit touches are re-highlighted,
and the text document itself is never modified (no undo records, no change signals). So an
edit updates the index of the touched blocks and calls ``rehighlightBlock`` on them only; the
whole text is re-highlighted only when a document opens or the theme changes. Inside
``held()`` each touched block is re-highlighted once, on leaving: a label key's edit and the
selection of the span it made change the same block.

Qt repaints the whole viewport after ``rehighlightBlock``: the block's new formats are recorded
as a change of the block's length, and ``markContentsDirty`` adds the same length again, so
``QPlainTextDocumentLayout`` sees a change reaching into the next block and updates everything.
``BlockLayout`` (the text view's document layout) takes a change it is told holds only formats,
covering exactly one block, as that block's: the block is laid out again and only its rectangle
is repainted (a label key then repaints one paragraph, not the screen).

Positions in the index are UTF-16 units within a block, what ``setFormat`` expects; they are
converted from code points once, through the document's ``Utf16Map``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

from annotator.core.contrast import contrast
from annotator.core.model import Label, Span
from annotator.core.offsets import Utf16Map
from annotator.core.span_ops import changed_run, find_span

BlockSpan = tuple[int, int, str, bool]  # start in block (UTF-16), length, label, selected
FEW_BLOCKS = 8  # re-highlighted blocks repainted one by one (see _rehighlight)
# what setPlainText makes a paragraph break (a "\r\n" too, as one: display_text leaves none);
# U+2028 stays inside its paragraph (docs/qt.md section 4)
_BREAK = re.compile("[\n\r\u2029\ufdd0\ufdd1]")


def block_starts(text: str, umap: Utf16Map) -> list[int]:
    """Where each paragraph of ``text`` starts once ``setPlainText`` has it (UTF-16), then one
    past the last paragraph's separator (the document's ``characterCount``); ``umap`` is the
    text's map (``display_text`` keeps every position)."""
    to16 = umap.to_utf16
    starts = [0]
    starts.extend(to16(m.end()) for m in _BREAK.finditer(text))
    starts.append(to16(len(text)) + 1)
    return starts


def tint(color: QColor, base: QColor, alpha: float) -> QColor:
    """``color`` laid over ``base`` at ``alpha``: a background that keeps text readable."""
    return QColor(
        round(base.red() + (color.red() - base.red()) * alpha),
        round(base.green() + (color.green() - base.green()) * alpha),
        round(base.blue() + (color.blue() - base.blue()) * alpha),
    )


def readable_on(color: QColor) -> QColor:
    """Black or white, whichever reads better on ``color``."""
    dark, light = "#111111", "#ffffff"
    name = color.name()
    return QColor(dark if contrast(dark, name) >= contrast(light, name) else light)


def _starts_of(document: QTextDocument) -> list[int]:
    """Where each block of ``document`` starts (UTF-16), then its ``characterCount``."""
    starts: list[int] = []
    block = document.begin()
    while block.isValid():
        starts.append(block.position())
        block = block.next()
    starts.append(document.characterCount())  # one past the last block's separator
    return starts


class BlockLayout(QPlainTextDocumentLayout):
    """The plain text layout, told when a change holds new formats only (see the module)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.formats_only = False  # set while the highlighter re-highlights single blocks

    def documentChanged(self, start: int, removed: int, added: int) -> None:
        if self.formats_only and removed == added:
            block = self.document().findBlock(start)
            if block.position() == start and block.length() == added:
                # the block's formats, not its text: one character of it is enough for the
                # layout to lay the block out again and repaint just its rectangle
                super().documentChanged(start, 1, 0)
                return
        super().documentChanged(start, removed, added)


class SpanHighlighter(QSyntaxHighlighter):
    """Colours spans by label; the selected span is drawn solid."""

    def __init__(self, owner: QObject) -> None:
        # Owned by the view, and detached until attach(): a QPlainTextEdit owner is not
        # adopted as a document (Qt does that for QTextEdit only).
        super().__init__(owner)
        self.umap = Utf16Map("")
        self.spans: tuple[Span, ...] = ()
        self._starts: list[int] = []
        self._ends: list[int] = []
        self.selected: Span | None = None
        self._blocks: dict[int, list[BlockSpan]] = {}
        self._formats: dict[str, QTextCharFormat] = {}
        self._selected_formats: dict[str, QTextCharFormat] = {}
        self._doc: QTextDocument | None = None
        self._block_starts: list[int] = [0, 1]
        self._held = 0
        self._pending: set[int] = set()  # blocks to re-highlight when the hold ends

    # -- look ----------------------------------------------------------------------------

    def set_labels(self, labels: Sequence[Label], base: QColor, alpha: float) -> None:
        """Formats for each label over the text background ``base``."""
        self._formats.clear()
        self._selected_formats.clear()
        for label in labels:
            color = QColor(label.color)
            fmt = QTextCharFormat()
            fmt.setBackground(tint(color, base, alpha))
            self._formats[label.name] = fmt
            sel = QTextCharFormat()
            sel.setBackground(color)
            sel.setForeground(readable_on(color))
            self._selected_formats[label.name] = sel

    # -- spans ---------------------------------------------------------------------------

    def attach(self, document: QTextDocument, umap: Utf16Map, spans: tuple[Span, ...]) -> None:
        """Index ``spans`` of the text just set in ``document`` and highlight it (one pass,
        which ``setDocument`` leaves to the event loop)."""
        self._doc = document
        self._take(umap, spans, _starts_of(document))
        self.setDocument(document)

    def prepare(self, text: str, umap: Utf16Map, spans: tuple[Span, ...]) -> None:
        """Index ``spans`` of ``text`` before it replaces the text of the attached document:
        Qt then colours each new paragraph as ``setPlainText`` lays it out (one pass, as the
        old paragraphs go with their formats). Call ``check`` after the text is set."""
        self._take(umap, spans, block_starts(text, umap))

    def check(self) -> None:
        """After ``setPlainText`` of the text given to ``prepare``: should Qt have made other
        paragraphs than those expected, index again from the document and highlight again."""
        doc = self._doc
        if doc is None:
            return
        starts = self._block_starts
        if doc.blockCount() == len(starts) - 1 and doc.characterCount() == starts[-1]:
            return
        self._take(self.umap, self.spans, _starts_of(doc))
        self.rehighlight()

    def _take(self, umap: Utf16Map, spans: tuple[Span, ...], starts: list[int]) -> None:
        self.umap = umap
        self.selected = None
        self._pending.clear()  # blocks of the text replaced
        self._set(spans)
        # where each block starts (UTF-16): spans are placed by bisection, not Qt calls
        self._block_starts = starts
        self._blocks = self._index(spans)

    def _index(self, spans: tuple[Span, ...]) -> dict[int, list[BlockSpan]]:
        """The per-block index of ``spans`` (none selected). A span inside one block, nearly
        every one, is placed by one bisection without a generator (5,000 spans in ~3 ms)."""
        starts = self._block_starts
        last = len(starts) - 1
        to16 = self.umap.to_utf16
        blocks: dict[int, list[BlockSpan]] = {}
        for span in spans:
            start16, end16 = to16(span.start), to16(span.end)
            number = bisect_right(starts, start16) - 1
            if number < last and end16 < starts[number + 1]:  # within the block's text
                pos = starts[number]
                entry = (start16 - pos, end16 - start16, span.label, False)
                found = blocks.get(number)
                if found is None:
                    blocks[number] = [entry]
                else:
                    found.append(entry)
                continue
            for n, e in self._place(span):
                blocks.setdefault(n, []).append(e)
        return blocks

    def update(self, before: tuple[Span, ...], after: tuple[Span, ...]) -> None:
        """Re-index and re-highlight only the blocks whose spans changed (``before`` is
        what the caller last gave; the change is taken from the spans shown)."""
        old = self.spans
        head, tail = changed_run(old, after)
        gone, new = old[head : len(old) - tail], after[head : len(after) - tail]
        # the bisection lists change in the same run: spliced, not made again (5,000 spans)
        self.spans = after
        self._starts[head : len(old) - tail] = [s.start for s in new]
        self._ends[head : len(old) - tail] = [s.end for s in new]
        if self.selected is not None and find_span(after, self.selected, self._starts) < 0:
            self.selected = None
        self._refresh(self._numbers_of([*gone, *new]))

    def select(self, span: Span | None) -> None:
        """Draw ``span`` as the selected one (None: no span selected)."""
        old = self.selected
        known = span is not None and find_span(self.spans, span, self._starts) >= 0
        self.selected = span if known else None
        touched = [s for s in (old, self.selected) if s is not None]
        self._refresh(self._numbers_of(touched))

    @contextmanager
    def held(self) -> Iterator[None]:
        """Re-highlight the blocks changed inside once, on leaving (the index is up to date
        all along)."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self._pending:
                pending, self._pending = sorted(self._pending), set()
                self._rehighlight(pending)

    def block_spans(self, block_number: int) -> list[BlockSpan]:
        """The spans drawn in one block: ``(start16, length16, label, selected)``."""
        return self._blocks.get(block_number, [])

    def span_at(self, pos: int) -> Span | None:
        """The span covering code point ``pos``, if any."""
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and self.spans[i].end > pos:
            return self.spans[i]
        return None

    def contains(self, span: Span) -> bool:
        """True when ``span`` is one of the spans shown."""
        return find_span(self.spans, span, self._starts) >= 0

    def position_of(self, span: Span) -> int:
        """The index of ``span`` among the spans shown, -1 if absent."""
        return find_span(self.spans, span, self._starts)

    def span_index(self, pos: int) -> int:
        """How many spans start before code point ``pos`` (for Tab / Shift+Tab)."""
        return bisect_left(self._starts, pos)

    # -- QSyntaxHighlighter ----------------------------------------------------------------

    def highlightBlock(self, text: str) -> None:
        for start, length, label, selected in self._blocks.get(
            self.currentBlock().blockNumber(), ()
        ):
            fmt = (self._selected_formats if selected else self._formats).get(label)
            if fmt is not None:
                self.setFormat(start, length, fmt)

    # -- index ---------------------------------------------------------------------------

    def _set(self, spans: tuple[Span, ...]) -> None:
        self.spans = spans
        self._starts = [s.start for s in spans]
        self._ends = [s.end for s in spans]

    def _numbers_of(self, spans: Iterable[Span]) -> list[int]:
        """The numbers of the blocks the spans lie in."""
        found: set[int] = set()
        starts = self._block_starts
        for span in spans:
            start16, end16 = self.umap.to_utf16(span.start), self.umap.to_utf16(span.end)
            number = bisect_right(starts, start16) - 1
            while number < len(starts) - 1 and starts[number] < max(end16, start16 + 1):
                found.add(number)
                number += 1
        return sorted(found)

    def _place(self, span: Span) -> Iterable[tuple[int, BlockSpan]]:
        """``(block number, entry)`` for each block that ``span`` covers part of."""
        starts = self._block_starts
        start16, end16 = self.umap.to_utf16(span.start), self.umap.to_utf16(span.end)
        number = bisect_right(starts, start16) - 1
        selected = self.selected is not None and (span is self.selected or span == self.selected)
        while number < len(starts) - 1 and starts[number] < end16:
            pos, text_end = starts[number], starts[number + 1] - 1  # the separator excluded
            s, e = max(start16, pos), min(end16, text_end)
            yield number, (s - pos, max(0, e - s), span.label, selected)
            number += 1

    def _block_entries(self, number: int, spans: Sequence[Span]) -> list[BlockSpan]:
        """The entries of block ``number`` for ``spans`` (those that may lie in it). A span
        inside the block, nearly every one, is placed without a generator, as in ``_index``."""
        starts = self._block_starts
        pos, following = starts[number], starts[number + 1]
        to16 = self.umap.to_utf16
        chosen = self.selected
        entries: list[BlockSpan] = []
        for span in spans:
            start16, end16 = to16(span.start), to16(span.end)
            if start16 >= pos and end16 < following:  # within the block's text
                selected = chosen is not None and (span is chosen or span == chosen)
                entries.append((start16 - pos, end16 - start16, span.label, selected))
            else:
                entries.extend(e for n, e in self._place(span) if n == number)
        return entries

    def _refresh(self, numbers: list[int]) -> None:
        """Rebuild the index of the blocks ``numbers`` from the spans; re-highlight just them."""
        starts = self._block_starts
        for number in numbers:
            lo = self.umap.to_code_point(starts[number])
            hi = self.umap.to_code_point(starts[number + 1] - 1)
            first = bisect_right(self._ends, lo)  # spans ending after the block starts
            last = bisect_left(self._starts, max(hi, lo + 1))  # spans starting before it ends
            entries = self._block_entries(number, self.spans[first:last])
            if entries:
                self._blocks[number] = entries
            else:
                self._blocks.pop(number, None)
        if self._held:
            self._pending.update(numbers)
        else:
            self._rehighlight(numbers)

    def _rehighlight(self, numbers: list[int]) -> None:
        doc = self._doc
        if self.document() is None or doc is None:
            return
        found = doc.documentLayout()
        # a few blocks (a key's edit) are laid out again at once and repainted alone; many
        # (a label-all, an undo of one) take Qt's path, which lays out a block off screen
        # only once it is shown
        few = len(numbers) <= FEW_BLOCKS
        layout = found if isinstance(found, BlockLayout) and few else None
        if layout is not None:
            layout.formats_only = True
        try:
            for number in numbers:
                self.rehighlightBlock(doc.findBlockByNumber(number))
        finally:
            if layout is not None:
                layout.formats_only = False

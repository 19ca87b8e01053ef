"""CoNLL (IOB2, IOB1 or BILOU/IOBES tags), rebuilt into text with exact offsets.

One token per line, the token first and the tag last (extra columns, as in CoNLL-2003, are
ignored); a blank line ends a sentence; ``-DOCSTART-`` starts a new document (a file without
one is one document). The text is rebuilt as the tokens joined by one space, and the
sentences by one ``\\n``: the layout this tool's own CoNLL export reads back into, and the one
spaCy's ``conll_ner2docs`` uses. Tags are read as ``conlleval`` reads them: ``B``/``S``/``U``
begin an entity, ``I``/``E``/``L`` continue one of the same label or else begin one, ``E``/``L``
end it, and ``O`` or a sentence break ends it. A file with no tag column gives documents only.
CoNLL has no document ids, so the id is the hash of the rebuilt text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from annotator.core.errors import RecordError
from annotator.core.importers.reading import iter_raw_lines, too_long
from annotator.core.importers.records import Item, Source, guard, make_record
from annotator.core.importers.spans import RawSpan, Unit

NAME = "conll"
DESCRIPTION = "CoNLL token-per-line files, IOB2 or BILOU tags, -DOCSTART- between documents"
SUFFIXES = (".conll", ".conll03", ".conllu", ".iob", ".iob2", ".bio", ".bilou", ".bioes")
TAG_RE = re.compile(r"([BIESLU])-(\S+)")
DOCSTART = "-DOCSTART-"


@dataclass
class _Doc:
    """A document being read: its sentences of tokens, its spans, and its first problem."""

    line: int = 0
    sentences: list[list[str]] = field(default_factory=list)
    spans: list[RawSpan] = field(default_factory=list)
    tagged: int | None = None  # line of the first tagged token
    untagged: int | None = None  # line of the first token without a tag
    error: RecordError | None = None
    length: int = 0  # characters of text so far
    open: tuple[str, int, int, str] | None = None  # label, start, line, first token
    end: int = 0

    def token(self, token: str, tag: str | None, line: int, display: str) -> None:
        if not self.sentences or self.sentences[-1] is _BREAK:
            if self.sentences and self.sentences[-1] is _BREAK:
                self.sentences.pop()
            if self.sentences:
                self.length += 1  # the "\n" between sentences
            self.sentences.append([])
            start = self.length
        else:
            self.length += 1  # the space between tokens
            start = self.length
        self.sentences[-1].append(token)
        self.length += len(token)
        if tag is None:
            self.untagged = self.untagged or line
            return
        self.tagged = self.tagged or line
        self._tag(tag, start, line, token, display)

    def _tag(self, tag: str, start: int, line: int, token: str, display: str) -> None:
        if tag == "O":
            self.close()
            return
        m = TAG_RE.fullmatch(tag)
        if m is None:
            if self.error is None:
                self.error = RecordError(
                    display, line, f"tag {tag!r} is not O, B-X, I-X, E-X, S-X, L-X or U-X"
                )
            return
        prefix, label = m.groups()
        if prefix in "IEL" and self.open is not None and self.open[0] == label:
            self.end = self.length
        else:
            self.close()
            self.open = (label, start, line, token)
            self.end = self.length
        if prefix in "ESLU":
            self.close()

    def close(self) -> None:
        if self.open is not None:
            label, start, line, token = self.open
            where = f"entity {token!r}..." if self.end - start > len(token) else f"entity {token!r}"
            self.spans.append(RawSpan(start, self.end, label, line=line, where=where))
            self.open = None

    def sentence_break(self) -> None:
        self.close()
        if self.sentences and self.sentences[-1] is not _BREAK:
            self.sentences.append(_BREAK)

    @property
    def text(self) -> str:
        return "\n".join(" ".join(s) for s in self.sentences if s is not _BREAK)


_BREAK: list[str] = []


def read(source: Source) -> Iterator[Item]:
    """Yield one record per document, and an error for each document that cannot be used."""
    doc = _Doc()
    seen = False
    with open(source.path, "rb") as f:
        for raw in iter_raw_lines(f):
            if raw.data is None:
                doc.error = doc.error or RecordError(source.display, raw.lineno, too_long(raw.size))
                continue
            try:
                line = raw.data.decode("utf-8")
            except UnicodeDecodeError as exc:
                doc.error = doc.error or RecordError(
                    source.display, raw.lineno, f"not UTF-8 (byte {exc.start} of the line)"
                )
                continue
            if raw.lineno == 1:
                line = line.removeprefix("\ufeff")
            cols = line.split()
            if not cols:
                doc.sentence_break()
                continue
            seen = True
            if cols[0] == DOCSTART:
                yield from _finish(source, doc, raw.end)
                doc = _Doc(line=raw.lineno)
                continue
            if not doc.line:
                doc.line = raw.lineno
            doc.token(cols[0], cols[-1] if len(cols) > 1 else None, raw.lineno, source.display)
        yield from _finish(source, doc, f.tell())
    if not seen:
        yield RecordError(source.display, 1, "the file is empty")


def _finish(source: Source, doc: _Doc, pos: int) -> Iterator[Item]:
    doc.close()
    if doc.error is not None:
        yield doc.error
        return
    if not doc.length:
        return  # nothing between two -DOCSTART- lines
    if doc.tagged and doc.untagged:
        yield RecordError(
            source.display, doc.untagged, "this token has no tag, but others in its document do"
        )
        return
    spans = doc.spans if doc.tagged else None
    yield guard(
        source,
        doc.line,
        make_record,
        source,
        doc.line,
        pos,
        doc.text,
        None,
        {},
        spans,
        Unit.CODE_POINTS,
    )

"""CoNLL (IOB2, IOB1 or BILOU/IOBES tags), rebuilt into text with exact offsets.

One token per line, the token first and the tag last, columns apart by spaces or tabs (extra
columns, as in CoNLL-2003, are ignored; a no-break space is part of a token, never a column
break); a blank line ends a sentence; ``-DOCSTART-`` (any case) starts a new document. A file
without ``-DOCSTART-`` (IndoNLU's NER sets, many others) is cut every ``sentences_per_doc``
sentences (default 1: each sentence a document, as spaCy's ``convert`` does); 0 keeps the
file one document. A note says which was done.
The text is rebuilt as the tokens joined by one space, and the sentences by one ``\\n``: the
layout this tool's own CoNLL export reads back into, and the one spaCy's ``conll_ner2docs``
uses. Tags are read as ``conlleval`` reads them: ``B``/``S``/``U`` begin an entity,
``I``/``E``/``L`` continue one of the same label or else begin one, ``E``/``L`` end it, and
``O`` or a sentence break ends it. A file with no tag column gives documents only. A document
has no id of its own, so its id is the hash of its text: the same article exported by two
annotators is one document, and a sentence repeated in a corpus is one too. UTF-8, or UTF-16
with or without a byte-order mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import RecordError
from annotator.core.importers.reading import iter_raw_lines, open_utf8, too_long
from annotator.core.importers.records import Item, Source, guard, make_record
from annotator.core.importers.spans import Note, RawSpan, Unit

NAME = "conll"
DESCRIPTION = "CoNLL token-per-line files, IOB2 or BILOU tags, -DOCSTART- between documents"
SUFFIXES = (".conll", ".conll03", ".conllu", ".iob", ".iob2", ".bio", ".bilou", ".bioes")
TAG_RE = re.compile(r"([BIESLU])-(\S+)")
DOCSTART = "-DOCSTART-"
SENTENCES_PER_DOC = 1  # a file without -DOCSTART-: each sentence a document, unless told
_COLUMNS = re.compile(r"[ \t]+")
_DOCSTART_LINE = re.compile(rb"(?:^|\n)[ \t]*-docstart-(?:[ \t\r]|$)", re.IGNORECASE | re.MULTILINE)


def columns(line: str) -> list[str]:
    """The columns of a line: apart by spaces and tabs only, so a no-break space stays."""
    line = line.strip(" \t")
    return _COLUMNS.split(line) if line else []


def is_docstart(first: str) -> bool:
    """True for the first column of a ``-DOCSTART-`` line, in any case."""
    return first.upper() == DOCSTART


def has_docstart(path: Path, display: str) -> bool:
    """True when some line of the file is a ``-DOCSTART-`` line (read in blocks)."""
    tail = b""
    with open_utf8(path, display) as f:
        while block := f.read(1 << 20):
            if _DOCSTART_LINE.search(tail + block):
                return True
            tail = block[-32:]
    return False


@dataclass
class _Doc:
    """A document being read: its sentences of tokens, its spans, and its first problem."""

    line: int = 0
    sentence_count: int = 0
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
            self.sentence_count += 1
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
    """Yield one record per document, an error for each document that cannot be used."""
    try:
        yield from _read(source)
    except RecordError as err:  # broken UTF-16: the file ends here
        yield err


def _read(source: Source) -> Iterator[Item]:
    every = source.sentences_per_doc
    every = SENTENCES_PER_DOC if every is None else every
    cut = every > 0 and not has_docstart(source.path, source.display)
    made = 0
    doc = _Doc()
    seen = False
    end = 0  # bytes read, for progress
    with open_utf8(source.path, source.display) as f:
        for raw in iter_raw_lines(f):
            end = raw.end
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
            cols = columns(line)
            if not cols:
                doc.sentence_break()
                if cut and doc.sentence_count >= every:
                    made += bool(doc.length)
                    yield from _finish(source, doc, raw.end)
                    doc = _Doc()
                continue
            seen = True
            if is_docstart(cols[0]):
                yield from _finish(source, doc, raw.end)
                doc = _Doc(line=raw.lineno)
                continue
            if not doc.line:
                doc.line = raw.lineno
            doc.token(cols[0], cols[-1] if len(cols) > 1 else None, raw.lineno, source.display)
        made += bool(doc.length)
        yield from _finish(source, doc, end)
    if not seen:
        yield RecordError(source.display, 1, "the file is empty")
    elif cut:
        group = "1 sentence" if every == 1 else f"{every} sentences"
        yield Note(
            source.display,
            1,
            "cut",
            f"no -DOCSTART- line: cut into {made:,} document{'' if made == 1 else 's'} of "
            f"{group} each; --sentences-per-doc N groups N sentences, 0 keeps the file one "
            "document",
        )


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

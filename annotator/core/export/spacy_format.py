"""The spaCy export: a ``DocBin`` (``.spacy``) built from the project's tokens, streamed.

spaCy is optional (``pip install 'annotator[spacy]'``) and imported only inside these
functions. Each ``Doc`` is made from our tokens, with any whitespace beyond a single space kept
as its own token exactly as spaCy's tokenizer does, so ``doc.text`` is the document's text
character for character, entity offsets are ours, and every entity sits on tokens.

``DocBin.to_bytes`` holds every document's arrays in memory, then copies them twice more; for
a 100,000-article corpus that is several gigabytes. So each document's arrays are appended to
scratch files as it comes, and the file is assembled at the end as the same zlib-compressed
msgpack map ``to_bytes`` produces (the tests check the two are byte-identical once
decompressed). ``create_tokenizer`` gives spaCy pipelines the same tokenizer (registered
as ``annotator.Tokenizer.v1``).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from annotator.core.errors import AnnotatorError
from annotator.core.tokens import tokenize

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from annotator.core.export.formats import DocWriter, FormatContext
    from annotator.core.export.records import ExportDoc

SPACY_MISSING = "the spacy format needs spaCy: pip install 'annotator[spacy]'"
TOKENIZER_NAME = "annotator.Tokenizer.v1"
DOCBIN_ATTRS = ("ENT_IOB", "ENT_TYPE")  # ORTH and SPACY are always stored
COMPRESS_LEVEL = 1  # the file is read the same at any level; 1 is several times faster than 6


def require_spacy() -> None:
    """Raise a one-line AnnotatorError when spaCy cannot be imported."""
    try:
        import spacy  # noqa: F401
    except ImportError:
        raise AnnotatorError(SPACY_MISSING) from None


_REGULAR_GAPS = frozenset(("", " "))  # no gap, or the one space spaCy's ``spaces`` holds


def words_and_spaces(
    text: str, tokens: Sequence[tuple[int, int]]
) -> tuple[list[str], list[bool], list[int]]:
    """spaCy's ``words``/``spaces`` for ``text``, and where whitespace tokens were put.

    A token followed by one space gets ``space=True``; any other whitespace becomes a token of
    its own (as spaCy's tokenizer makes ``"\\n\\n"`` a token), so the Doc's text is ``text``.
    The third list holds, for each whitespace token, the index of our token it precedes
    (``len(tokens)`` at the end): our token ``i`` is Doc token ``i + bisect_right(list, i)``.
    """
    ends = [0, *(e for _, e in tokens)]
    gaps = [text[a:b] for a, (b, _) in zip(ends, tokens, strict=False)]
    gaps.append(text[ends[-1] :])  # every character between two tokens is whitespace
    return _with_whitespace_tokens([text[s:e] for s, e in tokens], gaps)


def doc_words_and_spaces(doc: ExportDoc) -> tuple[list[str], list[bool], list[int]]:
    """``words_and_spaces`` of an exported document, from the lists ``prepare`` made."""
    return _with_whitespace_tokens(list(doc.words), doc.gaps)


def _with_whitespace_tokens(
    words: list[str], gaps: Sequence[str]
) -> tuple[list[str], list[bool], list[int]]:
    """``words`` (changed in place) with each gap that is more than one space put in as a
    token of its own (a leading one, even a single space, too), the spaces, and before which
    of our tokens each such gap went. ``gaps[i]`` is the whitespace before token ``i``, the
    last one the whitespace after the last token."""
    spaces = list(map(bool, gaps[1:]))  # a gap follows the token
    before: set[int] = {0} if gaps[0] else set()
    for gap in set(gaps).difference(_REGULAR_GAPS):  # a few kinds per document ("\n", ...)
        at = gaps.index(gap)
        while True:
            before.add(at)
            try:
                at = gaps.index(gap, at + 1)
            except ValueError:
                break
    where = sorted(before)
    for k in reversed(where):  # a few per document: inserting is cheaper than rebuilding
        gap = gaps[k]
        if k and gap[0] == " ":
            spaces[k - 1] = True
            gap = gap[1:]
        elif k:
            spaces[k - 1] = False
        words.insert(k, gap)
        spaces.insert(k, False)
    return words, spaces, where


def build_doc(vocab: Vocab, doc: ExportDoc) -> Doc:
    """The spaCy ``Doc`` of an exported document: its text, entities and ``user_data["id"]``.

    The writer computes the same arrays without making the ``Doc``; this is the reference.
    """
    from spacy.tokens import Doc, Span

    words, spaces, before = doc_words_and_spaces(doc)
    sdoc = Doc(vocab, words=words, spaces=spaces)
    ents = [
        Span(
            sdoc,
            sp.token_start + bisect_right(before, sp.token_start),
            sp.token_end - 1 + bisect_right(before, sp.token_end - 1) + 1,
            label=sp.label,
        )
        for sp in doc.spans
    ]
    sdoc.set_ents(ents, default="outside")
    sdoc.user_data["id"] = doc.id
    return sdoc


class AnnotatorTokenizer:
    """A spaCy tokenizer giving the project's tokens, so a trained pipeline sees them too."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        words, spaces, _ = words_and_spaces(text, tokenize(text))
        return Doc(self.vocab, words=words, spaces=spaces)

    # A pipeline saves and loads its tokenizer; this one has no state to keep.
    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> AnnotatorTokenizer:
        return self

    def to_disk(self, path: Path, **kwargs: Any) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: Path, **kwargs: Any) -> AnnotatorTokenizer:
        return self


def create_tokenizer() -> Callable[[Language], AnnotatorTokenizer]:
    """The factory spaCy's config calls for ``@tokenizers = "annotator.Tokenizer.v1"``."""

    def make(nlp: Language) -> AnnotatorTokenizer:
        return AnnotatorTokenizer(nlp.vocab)

    return make


def register_tokenizer() -> None:
    """Register ``annotator.Tokenizer.v1`` with spaCy (for ``spacy train --code`` files)."""
    require_spacy()
    from spacy.util import registry

    registry.tokenizers.register(TOKENIZER_NAME, func=create_tokenizer)


# -- msgpack framing for the streamed DocBin ---------------------------------------------------


def _header(n: int, small: int | None, codes: tuple[int, int, int]) -> bytes:
    """A msgpack container header in its shortest form, as the msgpack packer writes it."""
    if small is not None and n < 16:
        return bytes([small | n])
    c8, c16, c32 = codes
    if c8 and n < 2**8:
        return bytes([c8, n])
    if n < 2**16:
        return bytes([c16]) + n.to_bytes(2, "big")
    return bytes([c32]) + n.to_bytes(4, "big")


def _bin_header(n: int) -> bytes:
    return _header(n, None, (0xC4, 0xC5, 0xC6))


def _array_header(n: int) -> bytes:
    return _header(n, 0x90, (0, 0xDC, 0xDD))


def _map_header(n: int) -> bytes:
    return _header(n, 0x80, (0, 0xDE, 0xDF))


class _Part:
    """One field of the DocBin being streamed: raw array bytes, or the packed items of a list."""

    def __init__(self, folder: Path, name: str, is_list: bool) -> None:
        self.name = name
        self.is_list = is_list
        self.path = folder / name
        self.file = open(self.path, "wb")  # noqa: SIM115 - closed in DocBinWriter.close
        self.size = 0  # bytes for raw parts, items for lists

    def add(self, data: bytes, items: int = 0) -> None:
        self.file.write(data)
        self.size += items if self.is_list else len(data)


class DocBinWriter:
    """Streams documents into one ``.spacy`` file without holding the corpus in memory.

    Each document's row of the file is what ``DocBin.add(build_doc(vocab, doc))`` stores: the
    attribute array (``ORTH``, ``ENT_IOB``, ``ENT_TYPE``), the spaces, the strings, flags, cats,
    span groups and user data. It is computed straight from the words and the spans instead
    of through a ``Doc``: making the ``Doc`` and ``add``'s Python loop over its tokens cost
    three times the tokenization itself. The attribute ids and the DocBin version come from
    spaCy, and the tests check, for the sample texts and for random ones, that the result is
    byte for byte what ``DocBin.to_bytes`` writes for the ``Doc``s of ``build_doc``.
    """

    RAW = ("tokens", "spaces", "lengths")
    LISTS = ("cats", "flags", "span_groups", "user_data")

    def __init__(self, f: BinaryIO, ctx: FormatContext) -> None:
        import importlib

        from spacy.strings import StringStore
        from spacy.tokens import Doc, DocBin
        from spacy.vocab import Vocab

        ids = importlib.import_module("spacy.attrs").IDS  # a compiled module without stubs
        template = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
        self._attrs: list[int | str] = [*template.attrs]  # ints, typed as names by spaCy
        self._version: str = template.version
        order = [ids["ORTH"], ids["ENT_IOB"], ids["ENT_TYPE"]]
        if sorted(self._attrs, key=str) != sorted(order, key=str):  # pragma: no cover
            raise AnnotatorError(f"this spaCy stores {self._attrs} in a DocBin; expected {order}")
        # where ORTH, ENT_IOB and ENT_TYPE sit in a token's row, and a row outside entities
        self._where = tuple(self._attrs.index(a) for a in order)
        self._blank = array("Q", [0] * len(order))
        self._blank[self._where[1]] = 2  # ENT_IOB "O"
        msgpack = importlib.import_module("srsly.msgpack")  # spaCy's serialiser, without stubs
        self._pack: Callable[[Any], bytes] = msgpack.Packer(use_bin_type=True).pack
        self._store = StringStore()
        # word -> its token's row outside entities (ORTH its spaCy string id), as bytes; the
        # keys are also the strings stored
        self._rows: dict[str, bytes] = {}
        self._label_ids = {label: self._store.add(label) for label in ctx.labels}
        self._labels_used: set[str] = set()
        self._f = f
        self._folder = Path(tempfile.mkdtemp(prefix="docbin-", dir=ctx.tmp_dir))
        self._parts = {
            name: _Part(self._folder, name, name in self.LISTS) for name in (*self.RAW, *self.LISTS)
        }
        # the per-document records that are the same for every document, packed once
        self._flags = self._pack({"has_unknown_spaces": False})
        self._cats = self._pack({})
        self._span_groups = self._pack(Doc(Vocab(), words=[]).spans.to_bytes())

    def write(self, doc: ExportDoc) -> None:
        words, spaces, before = doc_words_and_spaces(doc)
        n = len(words)
        # the rows of the (tokens x attributes) uint64 array DocBin stores: each token's row
        # outside entities is made once per word, then entities are written over them
        try:
            data = b"".join(map(self._rows.__getitem__, words))
        except KeyError:  # words not seen before: fewer and fewer as the export goes on
            for word in words:
                if word not in self._rows:
                    self._rows[word] = self._row(word)
            data = b"".join(map(self._rows.__getitem__, words))
        if doc.spans:
            rows = array("Q")
            rows.frombytes(data)
            width, (iob, typ) = len(self._blank), self._where[1:]
            label_ids = self._label_ids
            for sp in doc.spans:  # a few tokens each: set one by one
                a = sp.token_start + bisect_right(before, sp.token_start)
                b = sp.token_end + bisect_right(before, sp.token_end - 1)  # whitespace inside: I
                label = label_ids[sp.label]
                rows[a * width + iob] = 3  # B; I is 1 (spaCy's ENT_IOB codes)
                rows[a * width + typ] = label
                for at in range((a + 1) * width, b * width, width):
                    rows[at + iob] = 1
                    rows[at + typ] = label
            self._labels_used.update(sp.label for sp in doc.spans)
            data = rows.tobytes()
        parts, pack = self._parts, self._pack
        parts["tokens"].add(data)
        parts["spaces"].add(bytes(spaces))  # one byte per token, as numpy's bool
        parts["lengths"].add(n.to_bytes(4, sys.byteorder, signed=True))
        parts["cats"].add(self._cats, 1)
        parts["flags"].add(self._flags, 1)
        parts["span_groups"].add(self._span_groups, 1)
        parts["user_data"].add(pack(pack({"id": doc.id})), 1)

    def _row(self, word: str) -> bytes:
        """The row of a token of ``word`` outside entities, its string stored."""
        row = array("Q", self._blank)
        row[self._where[0]] = self._store.add(word)
        return row.tobytes()

    def close(self) -> None:
        pack = self._pack
        comp = zlib.compressobj(COMPRESS_LEVEL)
        write = self._f.write

        def emit(data: bytes) -> None:
            write(comp.compress(data))

        try:
            for part in self._parts.values():
                part.file.close()
            # as DocBin.add: every token's text and its (empty) tag, lemma, norm...; the labels used
            strings = sorted({*self._rows, *self._labels_used, *([""] if self._rows else [])})
            fields: list[tuple[str, Any]] = [
                ("version", self._version),
                ("attrs", self._attrs),
                ("tokens", None),
                ("spaces", None),
                ("lengths", None),
                ("strings", strings),
                ("cats", None),
                ("flags", None),
                ("span_groups", None),
                ("user_data", None),
            ]
            emit(_map_header(len(fields)))
            for name, value in fields:
                emit(pack(name))
                if name == "strings":
                    emit(_array_header(len(strings)))
                    for i in range(0, len(strings), 4096):
                        emit(b"".join(pack(s) for s in strings[i : i + 4096]))
                elif value is not None:
                    emit(pack(value))
                else:
                    part = self._parts[name]
                    emit(_array_header(part.size) if part.is_list else _bin_header(part.size))
                    with open(part.path, "rb") as src:
                        while chunk := src.read(1 << 20):
                            emit(chunk)
            write(comp.flush())
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)


def open_writer(f: BinaryIO, ctx: FormatContext) -> DocWriter:
    """The ``spacy`` exporter's writer factory."""
    require_spacy()
    return DocBinWriter(f, ctx)

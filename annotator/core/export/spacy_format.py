"""The spaCy export: a ``DocBin`` (``.spacy``) built from the project's tokens, streamed.

spaCy is optional (``pip install 'annotator[spacy]'``) and imported only inside these
functions. Each ``Doc`` is made from our tokens, with any whitespace beyond a single space kept
as its own token exactly as spaCy's tokenizer does, so ``doc.text`` is the document's text
character for character, entity offsets are ours, and every entity sits on tokens.

``DocBin.to_bytes`` holds every document's arrays in memory, then copies them twice more; for
a 100,000-article corpus that is several gigabytes. So documents go through spaCy's own
``DocBin.add`` a thousand at a time, each batch's arrays are appended to scratch files, and the
file is assembled at the end as the same zlib-compressed msgpack map ``to_bytes`` produces (the
tests check the two are byte-identical once decompressed). ``create_tokenizer`` gives spaCy
pipelines the same tokenizer (registered as ``annotator.Tokenizer.v1``).
"""

from __future__ import annotations

import shutil
import tempfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from annotator.core.errors import AnnotatorError
from annotator.core.tokens import Token, tokenize

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from annotator.core.export.formats import DocWriter, FormatContext
    from annotator.core.export.records import ExportDoc

SPACY_MISSING = "the spacy format needs spaCy: pip install 'annotator[spacy]'"
TOKENIZER_NAME = "annotator.Tokenizer.v1"
DOCBIN_ATTRS = ("ENT_IOB", "ENT_TYPE")  # ORTH and SPACY are always stored
BATCH = 1000  # documents per DocBin batch
VOCAB_BATCHES = 20  # a fresh Vocab every so many batches bounds its growth
COMPRESS_LEVEL = 1  # the file is read the same at any level; 1 is several times faster than 6


def require_spacy() -> None:
    """Raise a one-line AnnotatorError when spaCy cannot be imported."""
    try:
        import spacy  # noqa: F401
    except ImportError:
        raise AnnotatorError(SPACY_MISSING) from None


def words_and_spaces(text: str, tokens: Sequence[Token]) -> tuple[list[str], list[bool], list[int]]:
    """spaCy's ``words``/``spaces`` for ``text``, and where each of our tokens lands.

    A token followed by one space gets ``space=True``; any other whitespace becomes a token of
    its own (as spaCy's tokenizer makes ``"\\n\\n"`` a token), so ``"".join`` gives ``text``.
    """
    words: list[str] = []
    spaces: list[bool] = []
    where: list[int] = []
    pos = 0
    for start, end in tokens:
        if start > pos:
            _gap(text[pos:start], words, spaces)
        where.append(len(words))
        words.append(text[start:end])
        spaces.append(False)
        pos = end
    if pos < len(text):
        _gap(text[pos:], words, spaces)
    return words, spaces, where


def _gap(gap: str, words: list[str], spaces: list[bool]) -> None:
    if words and gap[0] == " ":
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)


def build_doc(vocab: Vocab, doc: ExportDoc) -> Doc:
    """The spaCy ``Doc`` of an exported document: its text, entities and ``user_data["id"]``."""
    from spacy.tokens import Doc, Span

    words, spaces, where = words_and_spaces(doc.text, doc.tokens)
    sdoc = Doc(vocab, words=words, spaces=spaces)
    ents = [
        Span(sdoc, where[sp.token_start], where[sp.token_end - 1] + 1, label=sp.label)
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
    """One field of the DocBin being streamed: raw bytes, or packed items of a list."""

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
    """Streams documents into one ``.spacy`` file without holding the corpus in memory."""

    RAW = ("tokens", "spaces", "lengths")
    LISTS = ("cats", "flags", "span_groups", "user_data")

    def __init__(self, f: BinaryIO, ctx: FormatContext) -> None:
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        self._DocBin = DocBin
        self._Vocab = Vocab
        self._f = f
        self._folder = Path(tempfile.mkdtemp(prefix="docbin-", dir=ctx.tmp_dir))
        self._parts = {
            name: _Part(self._folder, name, name in self.LISTS) for name in (*self.RAW, *self.LISTS)
        }
        self._bin = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
        self._vocab = Vocab()
        self._batches = 0
        self._strings: set[str] = set()

    def write(self, doc: ExportDoc) -> None:
        self._bin.add(build_doc(self._vocab, doc))
        if len(self._bin) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        import numpy
        import srsly  # type: ignore[import-untyped]  # spaCy's serialiser, untyped

        b, parts = self._bin, self._parts
        if not len(b):
            return
        for tokens, spaces in zip(b.tokens, b.spaces, strict=True):
            parts["tokens"].add(tokens.tobytes("C"))
            parts["spaces"].add(spaces.tobytes("C"))
        lengths = numpy.asarray([len(t) for t in b.tokens], dtype="int32")
        parts["lengths"].add(lengths.tobytes("C"))
        for name in self.LISTS:
            values = getattr(b, name)
            parts[name].add(b"".join(srsly.msgpack_dumps(v) for v in values), len(values))
        self._strings |= b.strings
        self._bin = self._DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
        self._batches += 1
        if self._batches % VOCAB_BATCHES == 0:
            self._vocab = self._Vocab()  # strings are stored by text, so ids do not change

    def close(self) -> None:
        import srsly

        self._flush()
        pack = srsly.msgpack_dumps
        comp = zlib.compressobj(COMPRESS_LEVEL)
        write = self._f.write

        def emit(data: bytes) -> None:
            write(comp.compress(data))

        try:
            for part in self._parts.values():
                part.file.close()
            fields: list[tuple[str, Any]] = [
                ("version", self._bin.version),
                ("attrs", self._bin.attrs),
                ("tokens", None),
                ("spaces", None),
                ("lengths", None),
                ("strings", sorted(self._strings)),
                ("cats", None),
                ("flags", None),
                ("span_groups", None),
                ("user_data", None),
            ]
            emit(_map_header(len(fields)))
            for name, value in fields:
                emit(pack(name))
                if name == "strings":
                    emit(_array_header(len(value)))
                    for i in range(0, len(value), 4096):
                        emit(b"".join(pack(s) for s in value[i : i + 4096]))
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

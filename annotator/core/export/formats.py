"""The exporter registry and the line-based formats (docs/design.md section 7, "Exports").

An exporter turns a stream of ``ExportDoc`` into one file per split. Text formats are one
``encode(doc, ctx) -> str`` function each, wrapped by ``text_format``; adding a format is adding
such a function and one line to ``EXPORTERS``. The spaCy DocBin, which is not line-based, has
its own writer in ``spacy_format``. Both the command line and the window call these through
``annotator.core.export.export_project``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from operator import add, itemgetter
from pathlib import Path
from typing import BinaryIO, Literal, Protocol

from annotator.core.export import spacy_format
from annotator.core.export.cutting import cut_records
from annotator.core.export.records import ExportDoc, Scheme, entity_tags, tag_names


@dataclass
class FormatContext:
    """What a format needs besides the documents: labels, tag scheme, a scratch folder."""

    labels: tuple[str, ...]
    scheme: Scheme = "iob2"
    language: str = "id"
    tmp_dir: Path = field(default_factory=Path)
    tag_names: list[str] = field(init=False)
    tag_ids: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.tag_names = tag_names(self.labels, self.scheme)
        self.tag_ids = {name: i for i, name in enumerate(self.tag_names)}


class DocWriter(Protocol):
    """Writes documents into one open file; ``close`` finishes it (the caller closes the file)."""

    def write(self, doc: ExportDoc) -> None:
        """Add one document."""

    def close(self) -> None:
        """Finish the file."""


OpenWriter = Callable[[BinaryIO, FormatContext], DocWriter]


def _no_requirement() -> None:
    return None


def _no_extras(ctx: FormatContext) -> dict[str, bytes]:
    return {}


@dataclass(frozen=True)
class Exporter:
    """One format: its file suffix, a writer per split file, and files written once."""

    name: str
    suffix: str
    description: str
    open: OpenWriter
    extras: Callable[[FormatContext], dict[str, bytes]] = _no_extras
    require: Callable[[], None] = _no_requirement  # raises AnnotatorError if unusable
    readme: tuple[str, ...] = ()  # how to load the files, for the export's README.md
    records: Literal["documents", "lines", "whole"] = "documents"
    """How ``--max-words`` cuts: records packed from a document's sentences, records within
    each line of the text (CoNLL's blank-line blocks), or not at all (whole documents)."""


class _TextWriter:
    """A ``DocWriter`` for formats where each document becomes a piece of UTF-8 text."""

    def __init__(
        self, f: BinaryIO, ctx: FormatContext, encode: Callable[[ExportDoc, FormatContext], str]
    ) -> None:
        # each document's text is encoded and written whole: a text wrapper would cut it
        # into 8 KB pieces first, at a cost the jsonl export (3 GB) feels
        self._out = f
        self._ctx = ctx
        self._encode = encode

    def write(self, doc: ExportDoc) -> None:
        self._out.write(self._encode(doc, self._ctx).encode("utf-8"))

    def close(self) -> None:
        self._out.flush()


def text_format(encode: Callable[[ExportDoc, FormatContext], str]) -> OpenWriter:
    """Make a writer factory from a function that renders one document as text."""

    def open_writer(f: BinaryIO, ctx: FormatContext) -> DocWriter:
        return _TextWriter(f, ctx, encode)

    return open_writer


# -- jsonl ------------------------------------------------------------------------------------

_TOKEN_START = itemgetter(3)  # ExportSpan.token_start

# The characters JSON escapes that can be a token (the other control characters are
# whitespace, which is never in a token): a quote, a backslash, C0 controls.
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x08\x0e-\x1b]')
_ESCAPED = {c: json.dumps(c)[1:-1] for c in '"\\' + "".join(map(chr, [*range(9), *range(14, 28)]))}
"""Each character ``_NEEDS_ESCAPE`` finds, as it reads inside a JSON string."""
_INT: list[str] = []  # str(i), made once: formatting integers is a third of the cost


def _ints(n: int) -> list[str]:
    if len(_INT) <= n:
        _INT.extend(str(i) for i in range(len(_INT), n + 1))
    return _INT


_STARTS: list[str] = []  # '","start":{s},"end":', made once: a token's middle, s its start
_TAILS: list[str] = []  # ',"id":{i},"ws":false}' at 2i, the same with true at 2i + 1


def _starts(n: int) -> list[str]:
    if len(_STARTS) <= n:
        _STARTS.extend(f'","start":{s},"end":' for s in range(len(_STARTS), n + 1))
    return _STARTS


def _tails(n: int) -> list[str]:
    """A token's tail ``,"id":i,"ws":false}`` at ``[2 * i]`` (``true``: ``[2 * i + 1]``)."""
    if len(_TAILS) < 2 * n:
        for i in range(len(_TAILS) // 2, n):
            _TAILS.extend((f',"id":{i},"ws":false}}', f',"id":{i},"ws":true}}'))
    return _TAILS


def _json_str(value: str) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for a str, without the encoder's dispatch."""
    return encode_basestring(value)


def encode_jsonl(doc: ExportDoc, ctx: FormatContext) -> str:
    """``{"id", "text", "spans", "tokens", "meta"}``: Prodigy's task format, which spaCy reads.

    Span offsets are the exact characters annotated; ``token_start``/``token_end`` are the first
    and last token (inclusive, as in Prodigy), widened ones included. A document cut into
    several records gives one line each, ``id`` ``<document>#1``, ``#2``..., with ``document``
    and ``offset`` (of the record's text in the document's); offsets are the record's own.
    """
    records = doc.records
    meta = json.dumps(doc.meta, ensure_ascii=False, separators=(",", ":")) if doc.meta else "{}"
    doc_id = _json_str(doc.id)
    if len(records) <= 1:
        return _jsonl_record(doc, 0, len(doc.words), doc_id, "", meta)
    stem = doc_id[:-1]  # without its closing quote: "#k" needs no escape
    return "".join(
        [
            _jsonl_record(
                doc,
                t0,
                t1,
                f'{stem}#{k}"',
                f'"document":{doc_id},"offset":{doc.starts[t0]},',
                meta,
            )
            for k, (t0, t1) in enumerate(records, 1)
        ]
    )


def _jsonl_record(doc: ExportDoc, t0: int, t1: int, record_id: str, extra: str, meta: str) -> str:
    """One line: the tokens ``[t0, t1)`` of ``doc`` and the spans on them, offsets made the
    record's own (the whole text when the record is the whole document)."""
    text = doc.text
    whole = t0 == 0 and t1 == len(doc.words)
    if whole:
        words, starts, ends = doc.words, doc.starts, doc.ends
    else:
        words, starts, ends = doc.words[t0:t1], doc.starts[t0:t1], doc.ends[t0:t1]
    m = len(words)
    c0 = 0 if whole or not m else starts[0]
    c1 = len(text) if whole or not m else ends[-1]
    # Every character between two tokens is whitespace, so "ws" is "a gap follows" (within
    # the record: the last token of a record cut from a document has none).
    ws = list(map(bool, doc.gaps[t0 + 1 : t1 + 1]))
    if m and not whole:
        ws[-1] = False
    # Tokens are quoted as they are (this is most of the format's speed); only a token that
    # is a quote, a backslash or a control character needs a JSON escape, and such a token is
    # that one character alone (\w+ never holds one), so those few words are swapped first.
    escaped: list[str] | None = None
    for found in _NEEDS_ESCAPE.finditer(text, c0, c1):
        at = found.start()
        i = bisect_right(ends, at)
        if i < m and starts[i] == at:
            if escaped is None:
                escaped = list(words)
            escaped[i] = _ESCAPED[text[at]]
    if escaped is not None:
        words = escaped
    # Each token is its text and three strings made once: '","start":<s>,"end":' by its
    # start, <e> by its end, ',"id":<i>,"ws":<gap>}' by its index and the gap after it.
    num, mid, tails = _ints(len(text)), _starts(len(text)), _tails(m)
    tail_at = map(add, range(0, 2 * m, 2), ws)
    if c0:  # a record cut further into the text: its offsets start at c0
        items = [
            f'{{"text":"{w}{mid[s - c0]}{num[e - c0]}{tails[k]}'
            for w, s, e, k in zip(words, starts, ends, tail_at, strict=True)
        ]
    else:
        items = [
            f'{{"text":"{w}{mid[s]}{num[e]}{tails[k]}'
            for w, s, e, k in zip(words, starts, ends, tail_at, strict=True)
        ]
    spans = doc.spans
    if not whole:
        first = bisect_left(spans, t0, key=_TOKEN_START)
        spans = spans[first : bisect_left(spans, t1, key=_TOKEN_START)]
    spans_json = ",".join(  # label names are [A-Z][A-Z0-9_]* (model.Label): nothing to escape
        [
            f'{{"start":{sp.start - c0},"end":{sp.end - c0},"label":"{sp.label}",'
            f'"token_start":{sp.token_start - t0},"token_end":{sp.token_end - 1 - t0}}}'
            for sp in spans
        ]
    )
    part = text[c0:c1] if c0 or c1 < len(text) else text
    return (
        f'{{"id":{record_id},{extra}"text":{_json_str(part)},'
        f'"spans":[{spans_json}],"tokens":[{",".join(items)}],"meta":{meta}}}\n'
    )


# -- conll ------------------------------------------------------------------------------------

DOCSTART = "-DOCSTART- -X- O O\n\n"


def encode_conll(doc: ExportDoc, ctx: FormatContext) -> str:
    """CoNLL-2003 layout: ``token tag`` lines, a blank line after each record.

    A record is a line of the text (cut further when it is longer than ``--max-words``). A line
    break inside an entity does not end the record: an entity never straddles two sentences
    (seqeval and ``spacy convert`` would split it in two).
    """
    words = doc.words
    tagged = dict(entity_tags(doc, ctx.scheme))
    records = doc.records or tuple(
        cut_records(doc.text, doc.tokens, doc.spans, 0, lines_apart=True, starts=doc.starts)
    )
    breaks = {stop - 1 for _, stop in records}  # tokens after which a sentence ends
    # Most lines are "word O": runs of them are joined in one go; only entity tokens and
    # sentence ends are written one by one.
    out = [DOCSTART]
    prev = 0
    for i in sorted(tagged.keys() | breaks):
        if i > prev:
            out.append(" O\n".join(words[prev:i]) + " O\n")
        out.append(
            f"{words[i]} {tagged.get(i, 'O')}\n\n"
            if i in breaks
            else f"{words[i]} {tagged.get(i, 'O')}\n"
        )
        prev = i + 1
    return "".join(out)


# -- hf ---------------------------------------------------------------------------------------


def encode_hf(doc: ExportDoc, ctx: FormatContext) -> str:
    """``{"id", "tokens", "ner_tags"}``: the layout of Hugging Face token-classification sets.

    A document cut into several records gives one line each, ids ``<document>#1``, ``#2``...
    """
    words = doc.token_texts()
    text, starts, ends = doc.text, doc.starts, doc.ends
    # a token that needs a JSON escape is that one character alone (see encode_jsonl)
    for m in _NEEDS_ESCAPE.finditer(text):
        i = bisect_right(ends, m.start())
        if i < len(starts) and starts[i] == m.start():
            words[i] = _ESCAPED[words[i]]
    num, ids = _ints(len(ctx.tag_names)), ctx.tag_ids
    tag_strings = ["0"] * len(words)  # "O" is 0; only entity tokens differ
    for i, tag in entity_tags(doc, ctx.scheme):
        tag_strings[i] = num[ids[tag]]
    doc_id = json.dumps(doc.id, ensure_ascii=False)
    records = doc.records
    if len(records) <= 1:
        return _hf_record(doc_id, words, tag_strings)
    stem = doc_id[:-1]  # without its closing quote: "#k" needs no escape
    return "".join(
        [
            _hf_record(f'{stem}#{k}"', words[t0:t1], tag_strings[t0:t1])
            for k, (t0, t1) in enumerate(records, 1)
        ]
    )


def _hf_record(doc_id: str, words: list[str], tags: list[str]) -> str:
    tokens = '["' + '","'.join(words) + '"]' if words else "[]"
    return f'{{"id":{doc_id},"tokens":{tokens},"ner_tags":[{",".join(tags)}]}}\n'


def tag_ids(doc: ExportDoc, ctx: FormatContext) -> list[int]:
    """``tags(doc)`` as ids into ``ctx.tag_names`` (0 is ``O``)."""
    out = [0] * len(doc.words)
    ids = ctx.tag_ids
    for i, tag in entity_tags(doc, ctx.scheme):
        out[i] = ids[tag]
    return out


def hf_labels(ctx: FormatContext) -> dict[str, bytes]:
    """``labels.json``: the tag names in id order, as ``datasets.ClassLabel(names=...)`` takes."""
    return {"labels.json": (json.dumps(ctx.tag_names, indent=2) + "\n").encode("utf-8")}


SEQEVAL_BILOU = (
    "Scoring BILOU tags with seqeval needs `mode='strict', scheme=BILOU` "
    "(`from seqeval.scheme import BILOU`; `classification_report(y_true, y_pred, "
    "mode='strict', scheme=BILOU)`): its default mode does not know `L-` and `U-` (it warns, "
    "and joins an entity to the one after it). IOB2 tags need nothing more."
)

EXPORTERS: dict[str, Exporter] = {
    "jsonl": Exporter(
        "jsonl",
        ".jsonl",
        "text, spans and tokens per line (Prodigy, spaCy)",
        text_format(encode_jsonl),
        readme=(
            "Each line: `id`, `text`, `spans` (character offsets; `token_start`/`token_end` "
            "inclusive), `tokens` (`text`, `start`, `end`, `id`, `ws`), `meta`: Prodigy's format.",
            "A record cut from a longer document has the id `<document>#<n>`, and `document` and "
            "`offset` (where its text starts in the document's); its offsets are its own.",
        ),
    ),
    "conll": Exporter(
        "conll",
        ".conll",
        "token and IOB2/BILOU tag per line (CoNLL-2003)",
        text_format(encode_conll),
        readme=(
            "CoNLL-2003 layout (`token tag`), as `spacy convert` and seqeval read it: "
            "`-DOCSTART-` before each document, a blank line after each sentence.",
            SEQEVAL_BILOU,
        ),
        records="lines",
    ),
    "spacy": Exporter(
        "spacy",
        ".spacy",
        "spaCy DocBin for 'spacy train'",
        spacy_format.open_writer,
        require=spacy_format.require_spacy,
        records="whole",
        readme=(
            "```python",
            "from spacy.tokens import DocBin",
            "docs = DocBin().from_disk('train.spacy').get_docs(nlp.vocab)  # doc.user_data['id']",
            "```",
            "Train with `spacy train config.cfg --paths.train train.spacy --paths.dev dev.spacy`.",
            "To give the pipeline the same tokenizer, set `@tokenizers = "
            '"annotator.Tokenizer.v1"` under `[nlp.tokenizer]` and pass `--code` a file that runs',
            "`from annotator.core.export.spacy_format import register_tokenizer; "
            "register_tokenizer()`.",
        ),
    ),
    "hf": Exporter(
        "hf",
        ".jsonl",
        "tokens and tag ids per line, with labels.json (Hugging Face datasets)",
        text_format(encode_hf),
        extras=hf_labels,
        readme=(
            "```python",
            "import json, datasets",
            "names = json.load(open('labels.json'))",
            "features = datasets.Features({'id': datasets.Value('string'),",
            "    'tokens': datasets.Sequence(datasets.Value('string')),",
            "    'ner_tags': datasets.Sequence(datasets.ClassLabel(names=names))})",
            "ds = datasets.load_dataset('json', features=features,",
            "    data_files={'train': 'train.jsonl', 'dev': 'dev.jsonl', 'test': 'test.jsonl'})",
            "```",
            "A record cut from a longer document has the id `<document>#<n>`.",
            SEQEVAL_BILOU,
        ),
    ),
}
"""Every export format by name. The window lists these; the command line accepts them."""

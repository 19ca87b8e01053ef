"""The exporter registry and the line-based formats (docs/design.md section 7, "Exports").

An exporter turns a stream of ``ExportDoc`` into one file per split. Text formats are one
``encode(doc, ctx) -> str`` function each, wrapped by ``text_format``; adding a format is adding
such a function and one line to ``EXPORTERS``. The spaCy DocBin, which is not line-based, has
its own writer in ``spacy_format``. Both the command line and the window call these through
``annotator.core.export.export_project``.
"""

from __future__ import annotations

import io
import json
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO, Protocol

from annotator.core.export import spacy_format
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


class _TextWriter:
    """A ``DocWriter`` for formats where each document becomes a piece of UTF-8 text."""

    def __init__(
        self, f: BinaryIO, ctx: FormatContext, encode: Callable[[ExportDoc, FormatContext], str]
    ) -> None:
        self._out = io.TextIOWrapper(f, encoding="utf-8", newline="\n", write_through=False)
        self._ctx = ctx
        self._encode = encode

    def write(self, doc: ExportDoc) -> None:
        self._out.write(self._encode(doc, self._ctx))

    def close(self) -> None:
        self._out.flush()
        self._out.detach()


def text_format(encode: Callable[[ExportDoc, FormatContext], str]) -> OpenWriter:
    """Make a writer factory from a function that renders one document as text."""

    def open_writer(f: BinaryIO, ctx: FormatContext) -> DocWriter:
        return _TextWriter(f, ctx, encode)

    return open_writer


# -- jsonl ------------------------------------------------------------------------------------

_END = itemgetter(1)

# The characters JSON escapes that can be a token (the other control characters are
# whitespace, which is never in a token): a quote, a backslash, C0 controls.
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x08\x0e-\x1b]')
_BOOL = ("false", "true")
_INT: list[str] = []  # str(i), made once: formatting integers is a third of the cost


def _ints(n: int) -> list[str]:
    if len(_INT) <= n:
        _INT.extend(str(i) for i in range(len(_INT), n + 1))
    return _INT


def encode_jsonl(doc: ExportDoc, ctx: FormatContext) -> str:
    """``{"id", "text", "spans", "tokens", "meta"}``: Prodigy's task format, which spaCy reads.

    Span offsets are the exact characters annotated; ``token_start``/``token_end`` are the first
    and last token (inclusive, as in Prodigy), widened ones included.
    """
    text = doc.text
    toks = doc.tokens
    # Every character between two tokens is whitespace, so "ws" is "a gap follows".
    nexts = [t[0] for t in toks[1:]]
    if toks:
        nexts.append(len(text) if toks[-1].end < len(text) else toks[-1].end)
    # Tokens are quoted as they are (this is most of the format's speed); only a token that
    # is a quote, a backslash or a control character needs a JSON escape, and such a token is
    # that one character alone (\w+ never holds one), so those few are redone afterwards.
    num = _ints(len(text))
    items = [
        f'{{"text":"{text[s:e]}","start":{num[s]},"end":{num[e]},"id":{num[i]},'
        f'"ws":{_BOOL[ns != e]}}}'
        for i, ((s, e), ns) in enumerate(zip(toks, nexts, strict=True))
    ]
    for m in _NEEDS_ESCAPE.finditer(text):
        i = bisect_right(toks, m.start(), key=_END)
        if i < len(toks) and toks[i].start == m.start():
            s, e = toks[i]
            items[i] = (
                f'{{"text":{json.dumps(text[s:e])},"start":{s},"end":{e},"id":{i},'
                f'"ws":{_BOOL[nexts[i] != e]}}}'
            )
    spans = ",".join(  # label names are [A-Z][A-Z0-9_]* (model.Label): nothing to escape
        [
            f'{{"start":{sp.start},"end":{sp.end},"label":"{sp.label}",'
            f'"token_start":{sp.token_start},"token_end":{sp.token_end - 1}}}'
            for sp in doc.spans
        ]
    )
    dumps = json.dumps
    return (
        f'{{"id":{dumps(doc.id, ensure_ascii=False)},"text":{dumps(text, ensure_ascii=False)},'
        f'"spans":[{spans}],"tokens":[{",".join(items)}],'
        f'"meta":{dumps(doc.meta, ensure_ascii=False, separators=(",", ":"))}}}\n'
    )


# -- conll ------------------------------------------------------------------------------------

DOCSTART = "-DOCSTART- -X- O O\n\n"


def encode_conll(doc: ExportDoc, ctx: FormatContext) -> str:
    """CoNLL-2003 layout: ``token tag`` lines, a blank line after each line of the text.

    A line break inside an entity does not end the sentence: an entity never straddles two
    sentences (seqeval and ``spacy convert`` would split it in two).
    """
    text = doc.text
    toks = doc.tokens
    n = len(toks)
    words = [text[s:e] for s, e in toks]
    tagged = dict(entity_tags(doc, ctx.scheme))
    breaks = {n - 1} if n else set()  # tokens after which a sentence ends
    pos = text.find("\n")
    while pos >= 0:
        i = bisect_right(toks, pos, key=_END)  # the first token after the line break
        if 0 < i < n and tagged.get(i, "O")[0] not in ("I", "L"):
            breaks.add(i - 1)
        pos = text.find("\n", toks[i].start if i < n else len(text))
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
    """``{"id", "tokens", "ner_tags"}``: the layout of Hugging Face token-classification sets."""
    words = doc.token_texts()
    if _NEEDS_ESCAPE.search(doc.text) is None:  # no token needs a JSON escape: join them
        tokens = '["' + '","'.join(words) + '"]' if words else "[]"
    else:
        tokens = json.dumps(words, ensure_ascii=False, separators=(",", ":"))
    num, ids = _ints(len(ctx.tag_names)), ctx.tag_ids
    tag_strings = ["0"] * len(words)  # "O" is 0; only entity tokens differ
    for i, tag in entity_tags(doc, ctx.scheme):
        tag_strings[i] = num[ids[tag]]
    ner_tags = ",".join(tag_strings)
    doc_id = json.dumps(doc.id, ensure_ascii=False)
    return f'{{"id":{doc_id},"tokens":{tokens},"ner_tags":[{ner_tags}]}}\n'


def tag_ids(doc: ExportDoc, ctx: FormatContext) -> list[int]:
    """``tags(doc)`` as ids into ``ctx.tag_names`` (0 is ``O``)."""
    out = [0] * len(doc.tokens)
    ids = ctx.tag_ids
    for i, tag in entity_tags(doc, ctx.scheme):
        out[i] = ids[tag]
    return out


def hf_labels(ctx: FormatContext) -> dict[str, bytes]:
    """``labels.json``: the tag names in id order, as ``datasets.ClassLabel(names=...)`` takes."""
    return {"labels.json": (json.dumps(ctx.tag_names, indent=2) + "\n").encode("utf-8")}


EXPORTERS: dict[str, Exporter] = {
    "jsonl": Exporter(
        "jsonl",
        ".jsonl",
        "text, spans and tokens per line (Prodigy, spaCy)",
        text_format(encode_jsonl),
        readme=(
            "Each line: `id`, `text`, `spans` (character offsets; `token_start`/`token_end` "
            "inclusive), `tokens` (`text`, `start`, `end`, `id`, `ws`), `meta`: Prodigy's format.",
        ),
    ),
    "conll": Exporter(
        "conll",
        ".conll",
        "token and IOB2/BILOU tag per line (CoNLL-2003)",
        text_format(encode_conll),
        readme=("CoNLL-2003 layout (`token tag`), as `spacy convert` and seqeval read it.",),
    ),
    "spacy": Exporter(
        "spacy",
        ".spacy",
        "spaCy DocBin for 'spacy train'",
        spacy_format.open_writer,
        require=spacy_format.require_spacy,
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
        ),
    ),
}
"""Every export format by name. The window lists these; the command line accepts them."""

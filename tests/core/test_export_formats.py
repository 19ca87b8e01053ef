"""Each format read back by its real consumer: spaCy, seqeval, and the Hugging Face schema."""

from __future__ import annotations

import io
import json
import re
import sys
import zlib
from pathlib import Path

import pytest
from _helpers_export import TEXTS, annotate_samples, make_project, spans_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import BILOU, Entities
from spacy.tokens import Doc, DocBin, Span
from spacy.training.converters import conll_ner_to_docs
from spacy.vocab import Vocab

from annotator.core.export import (
    EXPORTERS,
    ExportDoc,
    ExportOptions,
    FormatContext,
    export_project,
    prepare,
    spacy_format,
    tag_names,
    tags,
)
from annotator.core.export.formats import encode_conll, encode_hf, encode_jsonl
from annotator.core.project import Project
from annotator.core.tokens import Token, tokenize

LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = make_project(tmp_path_factory.mktemp("export") / "p")
    annotate_samples(project)
    return project


def export(project: Project, out: Path, fmt: str, **options: object) -> Path:
    export_project(project, ExportOptions(format=fmt, out=out, **options))  # type: ignore[arg-type]
    return out


def expected(doc_id: str) -> list[tuple[int, int, str, str]]:
    text = TEXTS[doc_id]
    return [(s, e, label, text[s:e]) for s, e, label in sorted(spans_of(doc_id))]


def token_entities(doc_id: str) -> set[tuple[str, int, int]]:
    """The sample spans as seqeval's ``(label, first token, last token)``."""
    toks = tokenize(TEXTS[doc_id])
    first = {t.start: i for i, t in enumerate(toks)}
    last = {t.end: i for i, t in enumerate(toks)}
    return {(label, first[s], last[e]) for s, e, label in spans_of(doc_id)}


# -- spaCy ------------------------------------------------------------------------------------


def test_spacy_reads_the_docbin_with_the_exact_text_and_entities(
    project: Project, tmp_path: Path
) -> None:
    out = export(project, tmp_path / "out", "spacy")
    docs = list(DocBin().from_disk(out / "all.spacy").get_docs(Vocab()))
    assert [d.user_data["id"] for d in docs] == list(TEXTS)
    for doc in docs:
        doc_id = doc.user_data["id"]
        assert doc.text == TEXTS[doc_id]
        got = [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
        assert got == expected(doc_id)
        # no token is left "missing": outside entities every token is O
        assert all(t.ent_iob_ in ("B", "I", "O") for t in doc)


def reference_docbin(docs: list[ExportDoc]) -> bytes:
    """What spaCy's own DocBin writes for the Docs of ``build_doc``."""
    reference = DocBin(attrs=spacy_format.DOCBIN_ATTRS, store_user_data=True)
    vocab = Vocab()
    for doc in docs:
        reference.add(spacy_format.build_doc(vocab, doc))
    return zlib.decompress(reference.to_bytes())


def streamed_docbin(docs: list[ExportDoc], tmp: Path) -> bytes:
    buffer = io.BytesIO()
    writer = spacy_format.DocBinWriter(buffer, FormatContext(LABELS, tmp_dir=tmp))
    for doc in docs:
        writer.write(doc)
    writer.close()
    return zlib.decompress(buffer.getvalue())


def test_streamed_docbin_is_what_docbin_to_bytes_writes(project: Project, tmp_path: Path) -> None:
    out = export(project, tmp_path / "out", "spacy")
    docs = [prepare(doc_id, text, {}, spans_of(doc_id)).doc for doc_id, text in TEXTS.items()]
    assert zlib.decompress((out / "all.spacy").read_bytes()) == reference_docbin(docs)
    assert streamed_docbin([], tmp_path) == reference_docbin([])


PIECES = st.sampled_from(["Jakarta", "Kemendagri", "😀", "PERSON", "12", ".", "\u0301", "(", "ASN"])
GAPS = st.sampled_from([" ", "  ", "\n", " \n", "\n\n", "\t", "", "\r\n", "\u3000"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(st.tuples(GAPS, PIECES, GAPS), max_size=10), data=st.data())
def test_streamed_docbin_matches_spacy_on_random_texts(
    parts: list[tuple[str, str, str]], data: st.DataObject, tmp_path: Path
) -> None:
    text = "".join(a + w + b for a, w, b in parts)
    toks = tokenize(text)
    cuts = sorted(data.draw(st.sets(st.integers(0, len(toks)), max_size=6)))
    spans = [
        (toks[i].start, toks[j - 1].end, data.draw(st.sampled_from(LABELS)))
        for i, j in zip(cuts[::2], cuts[1::2], strict=False)
        if i < j
    ]
    doc = prepare("d", text, {}, spans).doc
    assert streamed_docbin([doc, doc], tmp_path) == reference_docbin([doc, doc])
    words, spaces, _ = spacy_format.words_and_spaces(text, toks)
    assert "".join(w + " " * s for w, s in zip(words, spaces, strict=True)) == text
    assert (words, spaces) == naive_words_and_spaces(text, toks)
    assert spacy_format.doc_words_and_spaces(doc) == (words, spaces, _)


def test_spacy_debug_data_finds_no_misaligned_entities(project: Project, tmp_path: Path) -> None:
    import subprocess
    import sys

    out = export(project, tmp_path / "out", "spacy", split=(0.5, 0.5), seed=1)
    assert (out / "train.spacy").exists()
    assert (out / "dev.spacy").exists()
    code = tmp_path / "register.py"
    code.write_text(
        "from annotator.core.export.spacy_format import register_tokenizer\nregister_tokenizer()\n"
    )
    cfg = tmp_path / "config.cfg"
    init = subprocess.run(
        [sys.executable, "-m", "spacy", "init", "config", str(cfg), "-l", "id", "-p", "ner"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert init.returncode == 0, init.stderr
    text = cfg.read_text()
    text, n = re.subn(
        r'(\[nlp\.tokenizer\]\n@tokenizers = )"spacy\.Tokenizer\.v1"',
        r'\1"annotator.Tokenizer.v1"',
        text,
    )
    assert n == 1
    cfg.write_text(text)
    debug = subprocess.run(
        [sys.executable, "-m", "spacy", "debug", "data", str(cfg), "--code", str(code),
         "--paths.train", str(out / "train.spacy"), "--paths.dev", str(out / "dev.spacy")],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    report = debug.stdout
    assert "Named Entity Recognition" in report, report + debug.stderr
    assert "0 missing value(s) (tokens with '-' label)" in report
    assert "misaligned tokens" not in report
    assert "invalid whitespace entity spans" not in report
    assert "No entities crossing sentence boundaries" in report


def test_jsonl_loads_into_a_spacy_doc(project: Project, tmp_path: Path) -> None:
    out = export(project, tmp_path / "out", "jsonl")
    lines = (out / "all.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(TEXTS)
    vocab = Vocab()
    for line in lines:
        record = json.loads(line)
        assert list(record) == ["id", "text", "spans", "tokens", "meta"]
        text = record["text"]
        assert text == TEXTS[record["id"]]
        tokens = record["tokens"]
        assert [(t["start"], t["end"]) for t in tokens] == [tuple(t) for t in tokenize(text)]
        assert all(text[t["start"] : t["end"]] == t["text"] for t in tokens)
        assert [t["id"] for t in tokens] == list(range(len(tokens)))
        doc = Doc(vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])
        spans = record["spans"]
        assert [(s["start"], s["end"], s["label"]) for s in spans] == [
            e[:3] for e in expected(record["id"])
        ]
        for s in spans:
            ent = Span(doc, s["token_start"], s["token_end"] + 1, label=s["label"])
            # a Doc made of words and one-space flags collapses runs of whitespace
            assert ent.text == re.sub(r"\s+", " ", text[s["start"] : s["end"]])
        if not re.search(r"\s\s|\n|\t|^\s", text):  # single-spaced: offsets are spaCy's too
            assert doc.text == text
            ents = [doc.char_span(s["start"], s["end"], label=s["label"]) for s in spans]
            assert [(e.start_char, e.end_char, e.label_) for e in ents] == [
                e[:3] for e in expected(record["id"])
            ]


# -- CoNLL and seqeval ------------------------------------------------------------------------


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, tag), as a CoNLL-2003 reader sees the file."""
    docs: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line:
            if sentence:
                docs[-1].append(sentence)
                sentence = []
            continue
        if line.startswith("-DOCSTART-"):
            assert line == "-DOCSTART- -X- O O"
            docs.append([])
            continue
        token, tag = line.split(" ")
        sentence.append((token, tag))
    assert not sentence  # the file ends with a blank line
    return docs


def test_conll_layout_and_seqeval_reads_iob2_back(project: Project, tmp_path: Path) -> None:
    out = export(project, tmp_path / "out", "conll")
    raw = (out / "all.conll").read_text(encoding="utf-8")
    assert raw.startswith("-DOCSTART- -X- O O\n\n")
    assert "\n\n\n" not in raw.replace("-DOCSTART- -X- O O\n\n", "")
    assert all(
        len(line.split(" ")) == 2 for line in raw.splitlines() if line and "DOCSTART" not in line
    )
    docs = read_conll(out / "all.conll")
    assert len(docs) == len(TEXTS)
    for doc_id, sentences in zip(TEXTS, docs, strict=True):
        flat = [pair for sentence in sentences for pair in sentence]
        assert [tok for tok, _ in flat] == [TEXTS[doc_id][s:e] for s, e in tokenize(TEXTS[doc_id])]
        # seqeval on the sentences as read (it joins them with O): the same entities
        # seqeval reads the sentences as they are, putting an O after each: map back
        ents = get_entities([[tag for _, tag in sentence] for sentence in sentences])
        index: list[int | None] = []
        n = 0
        for sentence in sentences:
            index += [*range(n, n + len(sentence)), None]
            n += len(sentence)
        assert {(label, index[s], index[e]) for label, s, e in ents} == token_entities(doc_id)
    # one sentence per line of text: the CRLF-origin document has three non-empty lines
    assert len(docs[list(TEXTS).index("crlf")]) == 3


def test_conll_bilou_reads_back_in_seqeval_strict_mode(project: Project, tmp_path: Path) -> None:
    out = export(project, tmp_path / "out", "conll", scheme="bilou")
    docs = read_conll(out / "all.conll")
    for doc_id, sentences in zip(TEXTS, docs, strict=True):
        tags = [tag for sentence in sentences for _, tag in sentence]
        ents = Entities([tags], BILOU, suffix=False).entities[0]
        assert {(e.tag, e.start, e.end - 1) for e in ents} == token_entities(doc_id)


def test_spacy_convert_reads_the_conll(project: Project, tmp_path: Path) -> None:
    out = export(project, tmp_path / "out", "conll")
    raw = (out / "all.conll").read_text(encoding="utf-8")
    docs = list(conll_ner_to_docs(raw, n_sents=0, no_print=True))
    assert len(docs) == sum(1 for text in TEXTS.values() if text)  # it skips empty documents
    got = sorted((e.text, e.label_) for d in docs for e in d.ents)
    # the converter rebuilds text from tokens joined by one space
    want = sorted(
        (" ".join(sub[s:e] for s, e in tokenize(sub)), label)
        for d in TEXTS
        for a, b, label in spans_of(d)
        if (sub := TEXTS[d][a:b])
    )
    assert got == want


# -- Hugging Face -----------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["iob2", "bilou"])
def test_hf_schema_and_labels_round_trip(project: Project, tmp_path: Path, scheme: str) -> None:
    # The datasets library (pyarrow, pandas) is not installed: this checks what
    # datasets.load_dataset("json") and ClassLabel(names=labels.json) rely on.
    out = export(project, tmp_path / "out", "hf", scheme=scheme)
    names = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    assert names == tag_names(LABELS, scheme)  # type: ignore[arg-type]
    assert names[0] == "O"
    assert len(set(names)) == len(names)
    for line in (out / "all.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert list(record) == ["id", "tokens", "ner_tags"]
        assert isinstance(record["id"], str)
        text = TEXTS[record["id"]]
        assert record["tokens"] == [text[s:e] for s, e in tokenize(text)]
        assert all(isinstance(t, int) and 0 <= t < len(names) for t in record["ner_tags"])
        assert len(record["ner_tags"]) == len(record["tokens"])
        tags = [names[i] for i in record["ner_tags"]]  # ClassLabel.int2str
        assert [names.index(t) for t in tags] == record["ner_tags"]  # ClassLabel.str2int
        if scheme == "iob2":
            assert {(lab, s, e) for lab, s, e in get_entities(tags)} == token_entities(record["id"])
        else:
            ents = Entities([tags], BILOU, suffix=False).entities[0]
            assert {(e.tag, e.start, e.end - 1) for e in ents} == token_entities(record["id"])


def test_every_format_is_registered_with_a_distinct_suffix_per_kind() -> None:
    assert set(EXPORTERS) == {"jsonl", "conll", "spacy", "hf"}
    assert EXPORTERS["spacy"].suffix == ".spacy"
    assert EXPORTERS["conll"].suffix == ".conll"


def test_every_whitespace_but_one_space_becomes_a_spacy_token() -> None:
    every = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert {c for c in every if re.fullmatch(r"\s", c)} == every  # the tokenizer's \s
    for c in every:
        doc = prepare("d", f"a{c}b", {}, []).doc
        expected = (["a", "b"], [True, False]) if c == " " else (["a", c, "b"], [False] * 3)
        assert spacy_format.doc_words_and_spaces(doc)[:2] == expected, repr(c)
        assert spacy_format.words_and_spaces(doc.text, doc.tokens)[:2] == expected


def naive_words_and_spaces(text: str, toks: list[Token]) -> tuple[list[str], list[bool]]:
    """spaCy's words and spaces token by token: a gap of exactly one space is a space, any
    other gap a token (less the one space that may start it, kept as the space before it)."""
    words: list[str] = []
    spaces: list[bool] = []
    bounds = [0, *(x for t in toks for x in t), len(text)]
    for i in range(len(toks) + 1):
        gap = text[bounds[2 * i] : bounds[2 * i + 1]]
        if words and gap[:1] == " ":
            spaces[-1], gap = True, gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
        if i < len(toks):
            words.append(text[toks[i].start : toks[i].end])
            spaces.append(False)
    return words, spaces


def naive_conll(doc: ExportDoc, scheme: str) -> str:
    """The CoNLL layout written the obvious way, token by token."""
    seq, toks, text = tags(doc, scheme), doc.tokens, doc.text  # type: ignore[arg-type]
    out = ["-DOCSTART- -X- O O\n\n"]
    for i, (s, e) in enumerate(toks):
        out.append(f"{text[s:e]} {seq[i]}\n")
        last = i == len(toks) - 1
        if last or ("\n" in text[e : toks[i + 1][0]] and seq[i + 1][0] not in "IL"):
            out.append("\n")
    return "".join(out)


@settings(max_examples=60, deadline=None)
@given(
    parts=st.lists(st.tuples(GAPS, PIECES, GAPS), max_size=12),
    data=st.data(),
    scheme=st.sampled_from(["iob2", "bilou"]),
)
def test_conll_and_hf_match_the_token_by_token_layout(
    parts: list[tuple[str, str, str]], data: st.DataObject, scheme: str
) -> None:
    text = "".join(a + w + b for a, w, b in parts) + data.draw(st.sampled_from(["", '"', "\\"]))
    toks = tokenize(text)
    cuts = sorted(data.draw(st.sets(st.integers(0, len(toks)), max_size=6)))
    spans = [
        (toks[i].start, toks[j - 1].end, data.draw(st.sampled_from(LABELS)))
        for i, j in zip(cuts[::2], cuts[1::2], strict=False)
        if i < j
    ]  # spans may hold line breaks
    doc = prepare("d", text, {}, spans).doc
    ctx = FormatContext(LABELS, scheme)  # type: ignore[arg-type]
    assert encode_conll(doc, ctx) == naive_conll(doc, scheme)
    hf_line = encode_hf(doc, ctx)
    assert ", " not in hf_line  # compact on every path (no token holds a space)
    record = json.loads(hf_line)
    assert record["tokens"] == [text[s:e] for s, e in toks]
    assert [ctx.tag_names[i] for i in record["ner_tags"]] == tags(doc, scheme)  # type: ignore[arg-type]
    line = json.loads(encode_jsonl(doc, ctx))
    assert [t["text"] for t in line["tokens"]] == record["tokens"]
    assert [t["ws"] for t in line["tokens"]] == [
        e < len(text) and text[e].isspace() for _, e in toks
    ]


def test_the_seqeval_note_of_the_readme_holds() -> None:
    """BILOU needs mode='strict', scheme=BILOU: the default mode joins adjacent entities."""
    import warnings

    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import BILOU, Entities

    from annotator.core.export.formats import EXPORTERS, SEQEVAL_BILOU

    tags = ["B-CITY", "L-CITY", "U-CITY", "O", "U-PERSON"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "L-CITY seems not to be NE tag"
        default = get_entities(tags)
    strict = Entities([tags], BILOU).entities[0]
    assert len(default) == 2  # the two CITY entities read as one
    assert [(e.tag, e.start, e.end) for e in strict] == [
        ("CITY", 0, 2),
        ("CITY", 2, 3),
        ("PERSON", 4, 5),
    ]
    assert "mode='strict', scheme=BILOU" in SEQEVAL_BILOU
    assert SEQEVAL_BILOU in EXPORTERS["conll"].readme
    assert SEQEVAL_BILOU in EXPORTERS["hf"].readme

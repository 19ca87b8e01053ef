"""Spans on tokens: alignment, widening, dropping, and the IOB2/BILOU tags seqeval reads back."""

from __future__ import annotations

import pytest
from _helpers_export import TEXTS, at, spans_of
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import BILOU, IOB2, Entities

from annotator.core.export import FormatContext, Misaligned, prepare, tag_names, tags
from annotator.core.export.formats import tag_ids
from annotator.core.tokens import TokenIndex, tokenize

LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")


def token_spans(doc_id: str) -> set[tuple[int, int, str]]:
    """The sample spans as (first token, last token inclusive, label), seqeval's form."""
    toks = tokenize(TEXTS[doc_id])
    starts = {t.start: i for i, t in enumerate(toks)}
    ends = {t.end: i for i, t in enumerate(toks)}
    return {(starts[s], ends[e], label) for s, e, label in spans_of(doc_id)}


@pytest.mark.parametrize("doc_id", sorted(TEXTS))
def test_aligned_spans_keep_their_offsets(doc_id: str) -> None:
    prepared = prepare(doc_id, TEXTS[doc_id], {}, spans_of(doc_id))
    assert prepared.misaligned == []
    got = [(s.start, s.end, s.label) for s in prepared.doc.spans]
    assert got == sorted(spans_of(doc_id))
    text, toks = TEXTS[doc_id], prepared.doc.tokens
    for span in prepared.doc.spans:
        assert (toks[span.token_start][0], toks[span.token_end - 1][1]) == (
            span.start,
            span.end,
        )
        assert text[span.char_start : span.char_end] == text[span.start : span.end]


@pytest.mark.parametrize("doc_id", sorted(TEXTS))
@pytest.mark.parametrize(("scheme", "seqeval_scheme"), [("iob2", IOB2), ("bilou", BILOU)])
def test_tags_give_back_the_spans_in_seqeval(
    doc_id: str, scheme: str, seqeval_scheme: type
) -> None:
    doc = prepare(doc_id, TEXTS[doc_id], {}, spans_of(doc_id)).doc
    seq = tags(doc, scheme)  # type: ignore[arg-type]
    assert len(seq) == len(tokenize(TEXTS[doc_id]))
    strict = Entities([seq], seqeval_scheme, suffix=False).entities[0]
    assert {(e.start, e.end - 1, e.tag) for e in strict} == token_spans(doc_id)
    if scheme == "iob2":
        assert set(get_entities(seq)) == {(lab, s, e) for s, e, lab in token_spans(doc_id)}


def test_bilou_single_token_is_u_and_last_is_l() -> None:
    text = "Kemendagri di Jakarta Selatan"
    doc = prepare(
        "d", text, {}, [at(text, "Kemendagri", "AGENCY"), at(text, "Jakarta Selatan", "CITY")]
    ).doc
    assert tags(doc, "bilou") == ["U-AGENCY", "O", "B-CITY", "L-CITY"]
    assert tags(doc, "iob2") == ["B-AGENCY", "O", "B-CITY", "I-CITY"]


def test_tag_names_follow_the_project_label_order() -> None:
    assert tag_names(LABELS)[:5] == ["O", "B-PERSON", "I-PERSON", "B-AGENCY", "I-AGENCY"]
    assert len(tag_names(LABELS, "bilou")) == 1 + 4 * len(LABELS)
    assert tag_names(LABELS, "bilou")[1:5] == ["B-PERSON", "I-PERSON", "L-PERSON", "U-PERSON"]


TEXT = "Walikota Jakarta😀 bertemu Kemendagri di Surabaya."
PART = at(TEXT, "Jakar", "CITY")  # ends inside the token "Jakarta"


def test_widen_expands_to_whole_tokens_and_reports_it() -> None:
    prepared = prepare("d", TEXT, {}, [PART, at(TEXT, "Surabaya", "CITY")], Misaligned.WIDEN)
    (bad,) = prepared.misaligned
    assert (bad.doc_id, bad.start, bad.end, bad.text, bad.action) == (
        "d",
        *PART[:2],
        "Jakar",
        "widened",
    )
    assert bad.widened == at(TEXT, "Jakarta", "CITY")[:2]
    first = prepared.doc.spans[0]
    assert (first.start, first.end) == PART[:2]  # the exact characters stay (jsonl)
    assert TEXT[first.char_start : first.char_end] == "Jakarta"  # tokens are widened
    assert len(prepared.doc.spans) == 2


@pytest.mark.parametrize(
    ("mode", "action"), [(Misaligned.DROP, "dropped"), (Misaligned.REFUSE, "refused")]
)
def test_drop_and_refuse_leave_the_span_out_and_list_it(mode: Misaligned, action: str) -> None:
    prepared = prepare("d", TEXT, {}, [PART, at(TEXT, "Surabaya", "CITY")], mode)
    assert [m.action for m in prepared.misaligned] == [action]
    assert [s.label for s in prepared.doc.spans] == ["CITY"]
    assert prepared.doc.spans[0].start == TEXT.index("Surabaya")


def test_two_spans_in_one_token_keep_the_first_when_widened() -> None:
    text = "KotaBandung"
    spans = [(0, 4, "CITY"), (4, 11, "CITY")]
    prepared = prepare("d", text, {}, spans, Misaligned.WIDEN)
    assert [(s.start, s.end) for s in prepared.doc.spans] == [(0, 4)]
    actions = [(m.start, m.action) for m in prepared.misaligned]
    assert actions == [(0, "widened"), (4, "dropped")]
    assert "shares a token" in prepared.misaligned[1].reason


def test_a_span_of_whitespace_covers_no_token() -> None:
    text = "Jakarta  Bandung"
    prepared = prepare("d", text, {}, [(7, 9, "CITY")])
    assert prepared.doc.spans == ()
    assert prepared.misaligned[0].reason == "covers no token"


def test_empty_document() -> None:
    prepared = prepare("d", "", {}, [])
    assert prepared.doc.tokens == []
    assert tags(prepared.doc) == []


WORDS = st.sampled_from(["Jakarta", "Kemendagri", "😀", "di", "12", ".", "Jose\u0301", "(", "ASN"])
SEPS = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", ""])


@st.composite
def texts_with_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    """A text of words and separators, and flat spans over arbitrary character ranges."""
    parts = draw(st.lists(st.tuples(WORDS, SEPS), max_size=12))
    text = "".join(w + s for w, s in parts)
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)))
    spans = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        chunk = text[a:b]
        a2 = a + len(chunk) - len(chunk.lstrip())
        b2 = b - (len(chunk) - len(chunk.rstrip()))
        if a2 < b2:
            spans.append((a2, b2, draw(st.sampled_from(LABELS))))
    return text, spans


@settings(max_examples=150, deadline=None)
@given(texts_with_spans(), st.sampled_from(list(Misaligned)), st.sampled_from(["iob2", "bilou"]))
def test_every_span_is_kept_or_listed_and_tags_are_valid(
    case: tuple[str, list[tuple[int, int, str]]], mode: Misaligned, scheme: str
) -> None:
    text, spans = case
    prepared = prepare("d", text, {}, spans, mode)
    kept = {(s.start, s.end, s.label) for s in prepared.doc.spans}
    listed = {(m.start, m.end, m.label) for m in prepared.misaligned}
    assert kept | listed == set(spans)  # nothing is dropped silently
    dropped = {(m.start, m.end, m.label) for m in prepared.misaligned if m.action != "widened"}
    assert not kept & dropped
    toks = prepared.doc.tokens
    index = TokenIndex(text)  # the window's snapping: widening must agree with it
    for m in prepared.misaligned:
        if m.action == "widened":
            assert m.widened == index.snap(m.start, m.end)
    for span in prepared.doc.spans:  # every exported span sits on tokens
        assert (span.token_start, span.token_end) == index.token_range(span.start, span.end)
        assert toks[span.token_start][0] == span.char_start
        assert toks[span.token_end - 1][1] == span.char_end
        assert span.char_start <= span.start < span.end <= span.char_end
    seq = tags(prepared.doc, scheme)  # type: ignore[arg-type]
    ctx = FormatContext(LABELS, scheme)  # type: ignore[arg-type]
    assert tag_ids(prepared.doc, ctx) == [ctx.tag_ids[t] for t in seq]  # the hf format's ids
    ents = Entities([seq], IOB2 if scheme == "iob2" else BILOU, suffix=False).entities[0]
    assert {(e.start, e.end, e.tag) for e in ents} == {
        (s.token_start, s.token_end, s.label) for s in prepared.doc.spans
    }


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_the_export_tokens_are_the_project_tokenizer_s(text: str) -> None:
    from annotator.core.export.records import token_offsets
    from annotator.core.tokens import tokenize

    assert token_offsets(text) == [tuple(t) for t in tokenize(text)]

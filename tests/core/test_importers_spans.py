"""Offset units, line-ending remapping, labels, whitespace and overlaps of imported spans."""

import pytest
from _import_helpers import u16
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import RecordError
from annotator.core.importers.spans import (
    Bad,
    ImportedSpan,
    RawSpan,
    Unit,
    finish_spans,
    resolve_offsets,
)
from annotator.core.text import Normalised, normalise_text

LABELS = frozenset({"PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"})


# -- line endings ------------------------------------------------------------------------


def test_normalise_drops_bom_and_makes_newlines() -> None:
    assert normalise_text("\ufeffa\r\nb\rc\n") == "a\nb\nc\n"


def test_positions_follow_the_removed_carriage_returns() -> None:
    raw = "\ufeffBanjir\r\nJakarta 😀\r\nSurabaya"
    norm = Normalised(raw)
    start = raw.index("Surabaya")
    assert norm.text[norm.position(start) : norm.position(start + len("Surabaya"))] == "Surabaya"
    start = raw.index("Jakarta")
    assert norm.position(start) == len("Banjir\n")


@settings(max_examples=150)
@given(
    st.lists(
        st.sampled_from(["a", "Jakarta", " ", "\r\n", "\r", "\n", "😀", "e\u0301", "🇮🇩"]),
        max_size=30,
    ),
    st.booleans(),
    st.data(),
)
def test_every_character_keeps_its_place(parts: list[str], bom: bool, data: st.DataObject) -> None:
    raw = ("\ufeff" if bom else "") + "".join(parts)
    norm = Normalised(raw)
    assert norm.text == normalise_text(raw)
    for i, ch in enumerate(raw):
        if ch in "\r\ufeff":
            continue  # dropped (or, alone, turned into \n)
        j = norm.position(i)
        assert norm.text[j] == ch
        assert norm.position(i + 1) == j + 1
    assert norm.position(len(raw)) == len(norm.text)


# -- units -------------------------------------------------------------------------------

TEXT = "😀 Presiden Joko Widodo tiba di Surabaya 🇮🇩 hari ini."


def cp_span(text: str, word: str, label: str) -> tuple[int, int, str]:
    start = text.index(word)
    return start, start + len(word), label


def covered(text: str, spans: list[tuple[int, int, str, str, int | None]]) -> list[str]:
    return [text[s:e] for s, e, *_ in spans]


def test_utf16_offsets_convert_so_an_emoji_never_shifts_an_entity() -> None:
    s, e, _ = cp_span(TEXT, "Surabaya", "CITY")
    raw = [RawSpan(u16(TEXT, s), u16(TEXT, e), "CITY")]
    spans, unit = resolve_offsets(TEXT, raw, Unit.UTF16)
    assert covered(TEXT, spans) == ["Surabaya"]
    assert unit is None


def test_code_point_offsets_stay() -> None:
    s, e, _ = cp_span(TEXT, "Joko Widodo", "PERSON")
    spans, unit = resolve_offsets(TEXT, [RawSpan(s, e, "PERSON")], Unit.CODE_POINTS)
    assert covered(TEXT, spans) == ["Joko Widodo"]
    assert unit is None


def test_the_span_text_decides_the_unit() -> None:
    s, e, _ = cp_span(TEXT, "Surabaya", "CITY")
    old = RawSpan(u16(TEXT, s), u16(TEXT, e), "CITY", "Surabaya")  # an older Label Studio
    spans, unit = resolve_offsets(TEXT, [old], Unit.CODE_POINTS)
    assert covered(TEXT, spans) == ["Surabaya"]
    assert unit is Unit.UTF16


def test_a_text_that_matches_no_unit_is_an_error_naming_the_span() -> None:
    s, e, _ = cp_span(TEXT, "Surabaya", "CITY")
    with pytest.raises(Bad, match=rf"span {s}-{e} says 'Jakarta'"):
        resolve_offsets(TEXT, [RawSpan(s, e, "CITY", "Jakarta")], Unit.CODE_POINTS)


def test_without_text_tokens_decide_when_only_the_other_unit_fits() -> None:
    # a doccano-style file written by a tool that counted code points
    spans_cp = [cp_span(TEXT, "Joko Widodo", "PERSON"), cp_span(TEXT, "hari ini", "DATE")]
    raw = [RawSpan(s, e, label) for s, e, label in spans_cp]
    spans, unit = resolve_offsets(TEXT, raw, Unit.UTF16)
    assert covered(TEXT, spans) == ["Joko Widodo", "hari ini"]
    assert unit is Unit.CODE_POINTS


def test_without_text_the_documented_unit_wins_when_both_fit() -> None:
    text = "😀 ..."  # every "." is a token: 4-5 fits the tokens counted either way
    spans, unit = resolve_offsets(text, [RawSpan(4, 5, "CITY")], Unit.UTF16)
    assert spans[0][:2] == (3, 4)
    assert unit is None
    spans, unit = resolve_offsets(text, [RawSpan(4, 5, "CITY")], Unit.CODE_POINTS)
    assert spans[0][:2] == (4, 5)


def test_utf16_offset_inside_an_emoji_is_an_error() -> None:
    text = "😀Jakarta"
    with pytest.raises(Bad, match="past the end"):
        resolve_offsets(text, [RawSpan(1, 20, "CITY")], Unit.UTF16)
    spans, _ = resolve_offsets(text, [RawSpan(1, 3, "CITY")], Unit.UTF16)
    # 1 splits the emoji under UTF-16, so only code points can be meant
    assert covered(text, spans) == ["Ja"]


@pytest.mark.parametrize(
    ("span", "message"),
    [
        (RawSpan(5, 2, "CITY"), "span 5-2 is reversed"),
        (RawSpan(3, 3, "CITY"), "span 3-3 is empty"),
        (RawSpan(-1, 3, "CITY"), "start is negative"),
        (RawSpan("1", 3, "CITY"), "start must be an integer"),
        (RawSpan(1, 3.5, "CITY"), "end must be an integer"),
        (RawSpan(True, 3, "CITY"), "start must be an integer"),
        (RawSpan(1, 3, 7), "label must be a non-empty string"),
        (RawSpan(1, 3, "CITY", 5), "text must be a string"),
        (RawSpan(0, 999, "CITY"), "ends past the end of the text"),
    ],
)
def test_bad_offsets_are_errors(span: RawSpan, message: str) -> None:
    with pytest.raises(Bad, match=message):
        resolve_offsets("Kota Surabaya", [span], Unit.CODE_POINTS)


# -- labels, whitespace, overlaps --------------------------------------------------------

KOTA = "Wali Kota Surabaya Eri Cahyadi"


def isp(word: str, label: str, text: str = KOTA, pad: int = 0) -> ImportedSpan:
    start = text.index(word) - pad
    end = start + len(word) + 2 * pad
    return ImportedSpan(start, end, label, f"span {start}-{end}", 3)


def test_labels_map_exactly_then_ignoring_case() -> None:
    spans, notes = finish_spans(
        "f", KOTA, [isp("Surabaya", "LOC"), isp("Eri Cahyadi", "Person")], LABELS, {"LOC": "CITY"}
    )
    assert [(s.text, s.label) for s in spans] == [("Surabaya", "CITY"), ("Eri Cahyadi", "PERSON")]
    assert notes == []


def test_an_unknown_label_names_file_line_and_label() -> None:
    with pytest.raises(RecordError) as info:
        finish_spans("in.jsonl", KOTA, [isp("Surabaya", "GPE")], LABELS, {})
    assert str(info.value).startswith("in.jsonl:3: span ")
    assert "unknown label 'GPE'" in str(info.value)
    assert "--map GPE=LABEL" in str(info.value)


def test_a_label_mapped_to_nothing_is_dropped_with_a_note() -> None:
    spans, notes = finish_spans("f", KOTA, [isp("Surabaya", "MISC")], LABELS, {"MISC": None})
    assert spans == []
    assert [n.kind for n in notes] == ["dropped"]


def test_whitespace_around_a_span_is_trimmed_and_noted() -> None:
    spans, notes = finish_spans("f", KOTA, [isp("Surabaya", "CITY", pad=1)], LABELS, {})
    assert [s.text for s in spans] == ["Surabaya"]
    assert [n.kind for n in notes] == ["trimmed"]
    with pytest.raises(RecordError, match="only whitespace"):
        finish_spans("f", "a   b", [ImportedSpan(1, 4, "CITY", "span 1-4", 1)], LABELS, {})


def test_exact_repeats_merge() -> None:
    spans, _ = finish_spans("f", KOTA, [isp("Surabaya", "CITY")] * 2, LABELS, {})
    assert len(spans) == 1


def test_overlaps_are_an_error_by_default() -> None:
    with pytest.raises(RecordError, match=r"overlap.*--overlaps longest"):
        finish_spans("f", KOTA, [isp("Kota Surabaya", "CITY"), isp("Surabaya", "CITY")], LABELS, {})
    with pytest.raises(RecordError, match="overlap"):  # same range, two labels
        finish_spans("f", KOTA, [isp("Surabaya", "CITY"), isp("Surabaya", "AGENCY")], LABELS, {})


def test_overlaps_longest_keeps_the_longest_and_notes_the_rest() -> None:
    spans, notes = finish_spans(
        "f",
        KOTA,
        [isp("Surabaya", "CITY"), isp("Wali Kota Surabaya", "AGENCY"), isp("Eri", "PERSON")],
        LABELS,
        {},
        overlaps="longest",
    )
    assert [(s.text, s.label) for s in spans] == [
        ("Wali Kota Surabaya", "AGENCY"),
        ("Eri", "PERSON"),
    ]
    assert [n.kind for n in notes] == ["overlap"]

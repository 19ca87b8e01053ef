"""Record validators: a bad span cannot exist."""

import pytest
from pydantic import ValidationError

from annotator.core.model import Annotation, Span, make_span
from annotator.core.span_ops import insert_replacing

TEXT = "Kementerian Dalam Negeri (Kemendagri) di Jakarta"
LABELS = frozenset({"PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"})


def record(**spans_and_fields: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "d1", "text": TEXT, "annotator": "ani", "spans": []}
    base.update(spans_and_fields)
    return base


def span(start: int, end: int, label: str = "AGENCY", text: str | None = None) -> dict[str, object]:
    return {
        "start": start,
        "end": end,
        "label": label,
        "text": TEXT[start:end] if text is None else text,
    }


def test_valid_record_sorts_spans_and_fills_hash() -> None:
    kem = len("Kementerian Dalam Negeri (")
    ann = Annotation.model_validate(
        record(
            spans=[span(kem, kem + len("Kemendagri")), span(0, len("Kementerian Dalam Negeri"))]
        ),
        context={"labels": LABELS},
    )
    assert [s.start for s in ann.spans] == [0, kem]
    assert len(ann.text_sha256) == 64


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (span(5, 3, text=""), "greater than start"),
        (span(0, 200, text="x" * 200), "ends past the text"),
        (span(0, 4, text="Kemx"), "does not match"),
        (span(0, 4, label="LOC"), "unknown label"),
        (span(-1, 3, text="abcd"), "greater than or equal to 0"),
    ],
)
def test_bad_spans_are_rejected(bad: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Annotation.model_validate(record(spans=[bad]), context={"labels": LABELS})


def test_overlap_is_rejected() -> None:
    with pytest.raises(ValidationError, match="overlaps"):
        Annotation.model_validate(record(spans=[span(0, 11), span(5, 17)]))


def test_hash_must_match_text() -> None:
    with pytest.raises(ValidationError, match="text_sha256"):
        Annotation.model_validate(record(text_sha256="0" * 64))


def test_bad_annotator_name() -> None:
    with pytest.raises(ValidationError, match="annotator name"):
        Annotation.model_validate(record(annotator="Ani Budi"))


def test_a_new_span_replaces_the_spans_it_overlaps() -> None:
    a = make_span(TEXT, 0, len("Kementerian"), "AGENCY")
    b = make_span(TEXT, len("Kementerian "), len("Kementerian Dalam"), "CITY")
    new = make_span(TEXT, 0, len("Kementerian Dalam Negeri"), "AGENCY")
    assert insert_replacing((a, b), new) == (new,)
    assert isinstance(new, Span)

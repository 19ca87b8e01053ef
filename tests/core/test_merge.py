"""Two versions of one person's annotation merged: every span once, or a clash named."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.merge import Clash, merge_versions
from annotator.core.model import Annotation, Span

TEXT = "Wali Kota Bandung 🙂 Yana Mulyana hadir di Jakarta.\r\nMenteri é"


def ann(*spans: tuple[str, str], status: str = "in_progress", seconds: float = 0.0) -> Annotation:
    made = []
    for word, label in spans:
        start = TEXT.index(word)
        made.append(Span(start=start, end=start + len(word), label=label, text=word))
    return Annotation(
        id="d1", text=TEXT, spans=tuple(made), status=status, annotator="ani", seconds=seconds
    )  # type: ignore[arg-type]


def test_spans_of_both_kept_once_with_the_further_status_and_longer_time() -> None:
    a = ann(("Bandung", "CITY"), ("Jakarta", "CITY"), status="done", seconds=40)
    b = ann(("Yana Mulyana", "PERSON"), ("Jakarta", "CITY"), seconds=90)
    merged = merge_versions(a, b)
    assert isinstance(merged, Annotation)
    assert [(s.text, s.label) for s in merged.spans] == [
        ("Bandung", "CITY"),
        ("Yana Mulyana", "PERSON"),
        ("Jakarta", "CITY"),
    ]
    assert (merged.status, merged.seconds) == ("done", 90)


def test_the_same_words_labelled_differently_clash_and_are_named() -> None:
    found = merge_versions(ann(("Bandung", "CITY")), ann(("Kota Bandung", "AGENCY")))
    assert isinstance(found, Clash)
    assert str(found) == "“Bandung” (CITY, 10-17) and “Kota Bandung” (AGENCY, 5-17) overlap"


def test_an_untouched_side_gives_the_other() -> None:
    a = ann(("Menteri é", "PERSON"))
    assert merge_versions(None, a) is a
    assert merge_versions(a, None) is a
    assert merge_versions(None, None) is None


WORDS = [("Bandung", "CITY"), ("Yana Mulyana", "PERSON"), ("Jakarta", "CITY"), ("é", "DATE")]


@given(st.sets(st.sampled_from(range(4))), st.sets(st.sampled_from(range(4))))
def test_without_clashes_the_merge_is_the_union(one: set[int], other: set[int]) -> None:
    a, b = ann(*(WORDS[i] for i in sorted(one))), ann(*(WORDS[i] for i in sorted(other)))
    merged = merge_versions(a, b)
    assert isinstance(merged, Annotation)
    assert {s.key for s in merged.spans} == {s.key for s in a.spans} | {s.key for s in b.spans}
    assert merge_versions(b, a) is not None

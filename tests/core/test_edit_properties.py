"""Properties of the edit model, on any Unicode text and any edit.

- the state after an edit is always a valid record;
- undoing a change gives back the exact state before it (untouched included), and redoing
  it the state after it; only the time credited is never taken back;
- offsets are code points: a span's text is the text's slice at its offsets, whatever the
  emoji, combining marks or line breaks around it.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.edit import (
    AcceptSuggestions,
    AddSpan,
    AddTime,
    Change,
    Edit,
    EditContext,
    EditError,
    LabelAll,
    RejectSuggestions,
    Relabel,
    RemoveSpan,
    SetSpans,
    SetStatus,
    TakeVersion,
    apply_edit,
)
from annotator.core.model import STATUSES, Annotation
from annotator.core.tokens import Snap, TokenIndex

LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")
PIECES = [
    "Kemendagri",
    "Kemendagri RI",
    " di ",
    "Kota Makassar",
    "😀",
    "🇮🇩",
    "e\u0301",
    "\r\n",
    "\n",
    " ",
    "Selasa (30/08/2022)",
    ". ",
    "日本",
    "\u200b",
    "Wali Kota Bogor",
]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), min_size=1, max_size=10).map(
    "".join
)
CTX_CACHE: dict[str, EditContext] = {}


def context(text: str) -> EditContext:
    return EditContext("d", text, "ani", frozenset(LABELS))


@st.composite
def states(draw: st.DrawFn, text: str) -> Annotation | None:
    """A valid state of the document (None: untouched)."""
    if draw(st.booleans()):
        return None
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = tuple(
        (a, b, draw(st.sampled_from(LABELS)))
        for a, b in zip(cuts[::2], cuts[1::2], strict=False)
        if a < b
    )
    ctx = context(text)
    ann = apply_edit(None, SetSpans("d", spans), ctx).after or ctx.fresh()
    status = draw(st.sampled_from(STATUSES))
    seconds = draw(st.floats(0, 100, allow_nan=False))
    meta = draw(st.sampled_from([{}, {"rejected_suggestions": [[0, 1, "CITY"]]}, {"x": "y"}]))
    return ann.model_copy(update={"status": status, "seconds": round(seconds, 3), "meta": meta})


@st.composite
def edits(draw: st.DrawFn, text: str, state: Annotation | None) -> Edit:
    n = len(text)
    start = draw(st.integers(0, n))
    end = draw(st.integers(start, n + 2))
    label = draw(st.sampled_from(LABELS))
    key = (start, end, label)
    spans = state.spans if state is not None else ()
    existing = draw(st.sampled_from(spans)).key if spans else key
    kind = draw(st.integers(0, 10))
    if kind == 0:
        return AddSpan("d", start, end, label, draw(st.sampled_from(list(Snap))))
    if kind == 1:
        return Relabel("d", existing, label)
    if kind == 2:
        return RemoveSpan("d", existing)
    if kind == 3:
        return LabelAll("d", existing)
    if kind == 4 and end <= n and start < end:
        return AcceptSuggestions("d", (key,))
    if kind == 5:
        return RejectSuggestions("d", (key,))
    if kind == 6 and end <= n and start < end:
        return TakeVersion("d", max(0, start - 1), min(n, end + 1), (key,))
    if kind == 7:
        return SetStatus("d", draw(st.sampled_from(STATUSES)), draw(st.sampled_from([0.0, 2.5])))
    if kind == 8:
        return AddTime("d", draw(st.sampled_from([0.0, 1.25])))
    return AddSpan("d", start, end, label, Snap.EXPAND)


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, Annotation | None, Edit]:
    text = draw(texts)
    state = draw(states(text))
    return text, state, draw(edits(text, state))


def valid(ann: Annotation) -> None:
    again = Annotation.model_validate(ann.model_dump(), context={"labels": frozenset(LABELS)})
    assert again == ann
    for span in ann.spans:
        assert ann.text[span.start : span.end] == span.text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_after_is_valid_and_undo_redo_restore_the_exact_states(
    case: tuple[str, Annotation | None, Edit],
) -> None:
    text, state, edit = case
    ctx = context(text)
    try:
        change = apply_edit(state, edit, ctx)
    except EditError:
        return  # refused: nothing changed (an unknown label, offsets outside the text, ...)
    assert change.before is state
    if change.after is not None:
        valid(change.after)
        assert change.after.annotator == "ani"
    if not change.changed:
        return
    undone = apply_edit(change.after, change.undo(), ctx)
    credited = isinstance(edit, SetStatus | AddTime) and change.after is not None
    if state is None or not credited:
        assert undone.after == state  # the exact earlier state, time stamp included
    else:
        assert undone.after is not None
        assert undone.after.model_copy(update={"seconds": state.seconds}) == state
        assert undone.after.seconds == change.after.seconds  # time spent is not undone
    redone = apply_edit(undone.after, change.redo(), ctx)
    assert redone.after == change.after


@settings(max_examples=300, deadline=None)
@given(cases())
def test_span_edits_follow_the_status_rules(case: tuple[str, Annotation | None, Edit]) -> None:
    text, state, edit = case
    try:
        change = apply_edit(state, edit, context(text))
    except EditError:
        return
    if not change.changed or isinstance(edit, SetStatus | AddTime | RejectSuggestions):
        if isinstance(edit, AddTime):
            assert (change.after is None) == (state is None)  # untouched stays untouched
        return
    assert change.after is not None
    if state is None or state.status == "skipped":
        assert change.after.status == "in_progress"
    else:
        assert change.after.status == state.status


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_a_new_span_covers_exactly_its_code_points(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    snap = data.draw(st.sampled_from(list(Snap)))
    change = apply_edit(None, AddSpan("d", start, end, "CITY", snap), context(text))
    made = change.made
    if made is None:
        assert not text[start:end].strip() or snap is Snap.EXPAND
        return
    assert made.text == text[made.start : made.end]
    assert made.text == made.text.strip()
    if snap is Snap.EXACT:
        assert start <= made.start
        assert made.end <= end
    else:
        index = TokenIndex(text)
        assert index.is_aligned(made.start, made.end)
        assert made.start <= max(start, made.start)
        assert made.end >= min(end, made.end)
    assert change.after is not None
    assert made in change.after.spans


@settings(max_examples=200, deadline=None)
@given(cases(), st.integers(1, 4))
def test_a_chain_of_undos_walks_back_to_the_start(
    case: tuple[str, Annotation | None, Edit], steps: int
) -> None:
    text, state, _ = case
    ctx = context(text)
    done: list[Change] = []
    current = state
    words = [t for t in TokenIndex(text).tokens]
    for i in range(min(steps, len(words))):
        token = words[i]
        change = apply_edit(current, AddSpan("d", token.start, token.end, LABELS[i]), ctx)
        if change.changed:
            done.append(change)
            current = change.after
    for change in reversed(done):
        current = apply_edit(current, change.undo(), ctx).after
    assert current == state

"""Applying an edit to a document's state: the one place an annotation is edited.

``apply_edit(current, edit, context)`` is pure: it returns a ``Change`` (the state before and
after) and writes nothing; a store journals the change. The after state is always a valid
record (``check.revise``). The status rules live here and nowhere else:

- an edit of spans on an untouched document creates it ``in_progress``, and one on a
  ``skipped`` document reopens it (``in_progress``); ``done`` stays done;
- rejecting suggestions changes no status (it creates an ``in_progress`` record when the
  document was untouched, to remember the rejection);
- ``SetStatus`` sets it; ``AddTime`` leaves an untouched document untouched;
- ``Restore`` (undo, redo) brings back the exact earlier spans, status, meta and time stamp,
  or the untouched state itself. Seconds never go down: time spent was spent, so an undo
  keeps what was credited meanwhile (a document restored to untouched has no record, and
  no time).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from annotator.core.edit.change import (
    Change,
    EditError,
    Skipped,
    SkipReason,
    StaleEditError,
    same_state,
)
from annotator.core.edit.check import revise
from annotator.core.edit.label_all import occurrences
from annotator.core.errors import describe
from annotator.core.model import Annotation, Span, Status, make_span
from annotator.core.span_ops import insert_replacing, overlaps_any, replaced
from annotator.core.tokens import Snap, TokenIndex, trim

if TYPE_CHECKING:
    # the intents are imported by the first edit applied, not as the window starts: their
    # frozen dataclasses were 2.4 % of a start (decision 0100)
    from annotator.core.edit.intents import Edit, RejectSuggestions, Restore, SpanKey

REJECTED_KEY = "rejected_suggestions"
"""``meta`` key of the suggestions an annotator rejected: a sorted list of ``[s, e, label]``."""

_start = attrgetter("start")


class EditContext:
    """What an edit needs besides the state: the document's text, whose annotation it is,
    the project's labels, and the text's tokens (built on first use, then kept)."""

    def __init__(
        self,
        doc_id: str,
        text: str,
        annotator: str,
        labels: frozenset[str] | None,
        tokens: TokenIndex | None = None,
    ) -> None:
        self.doc_id = doc_id
        self.text = text
        self.annotator = annotator
        self.labels = labels
        self._tokens = tokens

    @property
    def tokens(self) -> TokenIndex:
        """The text's tokens (for snapping and label-all)."""
        if self._tokens is None:
            self._tokens = TokenIndex(self.text)
        return self._tokens

    def fresh(self) -> Annotation:
        """An empty ``in_progress`` annotation of the document, as a first edit starts it."""
        return Annotation(id=self.doc_id, text=self.text, annotator=self.annotator)

    def check_label(self, label: str) -> None:
        """Raise EditError for a label the project does not have."""
        if self.labels is not None and label not in self.labels:
            raise EditError(f"unknown label {label!r}")


def apply_edit(current: Annotation | None, edit: Edit, context: EditContext) -> Change:
    """The change ``edit`` makes to ``current`` (None: untouched); see the module docstring.

    Raises EditError (one line) for an edit that cannot be made; nothing is changed then.
    """
    from annotator.core.edit.intents import Put, Restore

    if edit.doc_id != context.doc_id:
        raise EditError(f"an edit of {edit.doc_id!r} applied to {context.doc_id!r}")
    if (
        current is not None
        and not isinstance(edit, Put | Restore)  # these replace the whole record
        and current.text is not context.text
        and current.text != context.text
    ):
        raise EditError(
            f"the annotation of {edit.doc_id!r} was made on another text of the document"
        )
    try:
        return _apply(current, edit, context)
    except ValidationError as exc:  # a bad record cannot be made: the edit is refused
        raise EditError(f"{edit.doc_id}: {describe(exc)}") from None
    except ValueError as exc:
        raise EditError(f"{edit.doc_id}: {exc}") from None


def _apply(current: Annotation | None, edit: Edit, ctx: EditContext) -> Change:
    from annotator.core.edit.intents import (
        SPAN_EDITS,
        AddTime,
        Put,
        RejectSuggestions,
        Restore,
        SetStatus,
        TakeVersion,
    )

    if isinstance(edit, Restore):
        return _restore(current, edit)
    if isinstance(edit, SetStatus):
        base = current or ctx.fresh()
        seconds = base.seconds + max(0.0, edit.seconds)
        after = revise(base, ctx.labels, status=edit.status, seconds=seconds)
        if current is not None and same_state(current, after) and seconds == current.seconds:
            return Change(edit.doc_id, current, current, edit)
        return Change(edit.doc_id, current, after, edit)
    if isinstance(edit, AddTime):
        if current is None or edit.seconds <= 0:
            return Change(edit.doc_id, current, current, edit)
        after = revise(current, ctx.labels, seconds=current.seconds + edit.seconds)
        return Change(edit.doc_id, current, after, edit)
    if isinstance(edit, Put):
        return Change(edit.doc_id, current, _put(edit.annotation, ctx), edit)
    if isinstance(edit, RejectSuggestions):
        return _reject(current, edit, ctx)
    assert isinstance(edit, SPAN_EDITS)
    spans = current.spans if current is not None else ()
    new, made, skipped = _span_edit(spans, edit, ctx)
    old_meta = current.meta if current is not None else {}
    meta = old_meta
    if isinstance(edit, TakeVersion):  # gold remembers where the lead took neither
        from annotator.core.adjudication import with_taken  # the lead's only: not at start

        meta = with_taken(old_meta, edit.start, edit.end, not edit.version)
    if new is None and meta == old_meta:
        return Change(edit.doc_id, current, current, edit, made, skipped)
    base = current or ctx.fresh()
    after = revise(
        base,
        ctx.labels,
        spans=new,
        status=status_after_span_edit(base.status),
        meta=meta if meta != base.meta else None,
    )
    return Change(edit.doc_id, current, after, edit, made, skipped)


def status_after_span_edit(status: Status) -> Status:
    """A touched skipped document becomes in progress; done and in progress stay."""
    return "in_progress" if status == "skipped" else status


def _span_edit(
    spans: tuple[Span, ...], edit: Edit, ctx: EditContext
) -> tuple[tuple[Span, ...] | None, Span | None, tuple[Skipped, ...]]:
    """``(new spans or None when unchanged, the span made or acted on, what was skipped)``."""
    from annotator.core.edit.intents import (
        AcceptSuggestions,
        AddSpan,
        LabelAll,
        Relabel,
        RemoveSpan,
        SetSpans,
        TakeVersion,
    )

    text = ctx.text
    if isinstance(edit, AddSpan):
        ctx.check_label(edit.label)
        if edit.snap is Snap.EXACT:  # no tokens needed: only trimmed
            s, e = trim(text, max(0, edit.start), min(len(text), edit.end))
        else:
            s, e = ctx.tokens.snap(edit.start, edit.end, edit.snap)
        if s >= e:
            return None, None, ()
        span = make_span(text, s, e, edit.label)
        if find_key(spans, span.key) >= 0:
            return None, span, ()
        return insert_replacing(spans, span), span, ()
    if isinstance(edit, Relabel):
        ctx.check_label(edit.label)
        i = find_key(spans, edit.span)
        if i < 0 or spans[i].label == edit.label:
            return None, None, ()
        new = make_span(text, spans[i].start, spans[i].end, edit.label)
        return replaced(spans, i, i + 1, (new,)), new, ()
    if isinstance(edit, RemoveSpan):
        i = find_key(spans, edit.span)
        if i < 0:
            return None, None, ()
        return replaced(spans, i, i + 1, ()), None, ()
    if isinstance(edit, LabelAll):
        i = find_key(spans, edit.span)
        if i < 0:
            return None, None, ()
        source = spans[i]
        free, skipped = occurrences(text, source.text, ctx.tokens, spans)
        if not free:
            return None, source, tuple(skipped)
        added = [make_span(text, s, e, source.label) for s, e in free]
        new_spans = tuple(sorted([*spans, *added], key=attrgetter("start", "end", "label")))
        return new_spans, source, tuple(skipped)
    if isinstance(edit, AcceptSuggestions):
        out = list(spans)
        skipped_list: list[Skipped] = []
        made = None
        for s, e, label in sorted(set(edit.spans)):
            ctx.check_label(label)
            if overlaps_any(out, s, e):
                skipped_list.append(Skipped(s, e, SkipReason.OVERLAPS_SPAN))
                continue
            made = make_span(text, s, e, label)
            out.insert(bisect_left(out, s, key=_start), made)
        if len(out) == len(spans):
            return None, None, tuple(skipped_list)
        return tuple(out), made if len(edit.spans) == 1 else None, tuple(skipped_list)
    if isinstance(edit, TakeVersion):
        from annotator.core.adjudication import Candidate, take  # the lead's only: not at start

        for _, _, label in edit.version:
            ctx.check_label(label)
        keys = tuple(s.key for s in spans)
        after_keys = take(keys, Candidate(edit.start, edit.end, ()), edit.version)
        if after_keys == keys:
            return None, None, ()
        return _from_keys(text, spans, after_keys), None, ()
    if isinstance(edit, SetSpans):
        for _, _, label in edit.spans:
            ctx.check_label(label)
        keys = tuple(sorted(set(edit.spans)))
        if keys == tuple(s.key for s in spans):
            return None, None, ()
        return _from_keys(text, spans, keys), None, ()
    raise EditError(f"not a span edit: {type(edit).__name__}")


def _from_keys(text: str, old: Sequence[Span], keys: Iterable[SpanKey]) -> tuple[Span, ...]:
    """Spans for ``keys``, reusing ``old``'s objects where they are the same."""
    by_key = {s.key: s for s in old}
    return tuple(by_key.get(k) or make_span(text, *k) for k in keys)


def find_key(spans: Sequence[Span], key: SpanKey) -> int:
    """The index of the span with ``key`` in sorted, flat ``spans``, or -1."""
    i = bisect_left(spans, key[0], key=_start)
    if i < len(spans) and spans[i].key == key:
        return i
    return -1


def _reject(current: Annotation | None, edit: RejectSuggestions, ctx: EditContext) -> Change:
    known = rejected_keys(current)
    keys = known | set(edit.spans)
    if keys == known:
        return Change(edit.doc_id, current, current, edit)
    base = current or ctx.fresh()
    meta = dict(base.meta)
    meta[REJECTED_KEY] = [list(k) for k in sorted(keys)]
    return Change(edit.doc_id, current, revise(base, ctx.labels, meta=meta), edit)


def rejected_keys(annotation: Annotation | None) -> frozenset[SpanKey]:
    """The suggestions this annotator rejected in this document (malformed items ignored)."""
    if annotation is None:
        return frozenset()
    raw = annotation.meta.get(REJECTED_KEY, [])
    out: set[SpanKey] = set()
    if isinstance(raw, list):
        for item in raw:
            if (
                isinstance(item, list | tuple)
                and len(item) == 3
                and isinstance(item[0], int)
                and isinstance(item[1], int)
                and isinstance(item[2], str)
            ):
                out.add((item[0], item[1], item[2]))
    return frozenset(out)


def _put(annotation: Annotation, ctx: EditContext) -> Annotation:
    data: dict[str, Any] = annotation.model_dump()
    data["annotator"] = ctx.annotator
    if annotation.text != ctx.text:
        raise EditError(f"the annotation of {annotation.id!r} is of another text")
    return Annotation.model_validate(data, context={"labels": ctx.labels})


def _restore(current: Annotation | None, edit: Restore) -> Change:
    if not same_state(current, edit.expected):
        raise StaleEditError(
            f"{edit.doc_id} has changed since; the step cannot be undone or redone"
        )
    target = edit.target
    if target is not None and current is not None and current.seconds > target.seconds:
        target = target.model_copy(update={"seconds": current.seconds})  # time is not undone
    if current is not None and target is not None and current == target:
        return Change(edit.doc_id, current, current, edit)
    return Change(edit.doc_id, current, target, edit)

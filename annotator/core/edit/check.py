"""The state after an edit, checked without re-validating thousands of unchanged spans.

A bad record cannot exist (``model.Annotation`` validates every invariant), but validating a
5,000-span annotation costs about 10 ms, most of a key press. An edit changes one contiguous
run of a valid annotation's spans (the rest are the same objects), so only that run and its
two neighbours can break order, overlap, range, text or label; ``revise`` checks just those,
and when the check fails runs the full validation, which raises. Either way the result is a
valid record.
"""

from __future__ import annotations

from typing import Any

from annotator.core.model import Annotation, Span, Status, now_iso
from annotator.core.span_ops import changed_run


def revise(
    base: Annotation,
    labels: frozenset[str] | None,
    spans: tuple[Span, ...] | None = None,
    status: Status | None = None,
    seconds: float | None = None,
    meta: dict[str, Any] | None = None,
) -> Annotation:
    """``base`` with new spans, status, time or meta, stamped now; raises ValueError if bad."""
    update: dict[str, object] = {"updated_at": now_iso()}
    if status is not None:
        update["status"] = status
    if seconds is not None:
        update["seconds"] = round(seconds, 3)
    if meta is not None:
        update["meta"] = dict(meta)
    if spans is not None:
        if not well_formed(base.text, base.spans, spans, labels):
            data = base.model_dump()
            data.update(update)
            data["spans"] = [s.model_dump() for s in spans]
            return Annotation.model_validate(data, context={"labels": labels})
        update["spans"] = spans
    if seconds is not None and seconds < 0:
        raise ValueError(f"seconds {seconds} must not be negative")
    return base.model_copy(update=update)


def well_formed(
    text: str, old: tuple[Span, ...], new: tuple[Span, ...], labels: frozenset[str] | None
) -> bool:
    """True when ``new`` (``old`` with one run changed) is sorted, flat, in range, holds its
    text and only known labels, judged from the changed run alone."""
    head, tail = changed_run(old, new)
    lo, hi = max(0, head - 1), min(len(new), len(new) - tail + 1)
    prev_end, prev_key = 0, (-1, -1, "")
    if lo > 0:
        prev_end, prev_key = new[lo - 1].end, new[lo - 1].key
    for s in new[lo:hi]:
        if s.start < prev_end or s.key <= prev_key or s.end > len(text):
            return False
        if text[s.start : s.end] != s.text:
            return False
        if labels is not None and s.label not in labels:
            return False
        prev_end, prev_key = s.end, s.key
    return True

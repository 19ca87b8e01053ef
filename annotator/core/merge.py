"""Two versions of one annotator's annotation of a document, merged where they agree to.

The same person changed a document on two desktops (decision 0082); the window shows both and
the person keeps one, or both merged (decision 0085). ``merge_versions(a, b)`` is the merge:
every span of either version, once; the further status (done > skipped > in progress); the
longer time spent. It is refused (``Clash``, naming the spans) when a span of one version
overlaps a different span of the other (the same words labelled differently, or cut
differently): only the person can choose there, and the window says which.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.model import Annotation, Span, now_iso

_RANK = {"in_progress": 0, "skipped": 1, "done": 2}


@dataclass(frozen=True)
class Clash:
    """Why two versions cannot be merged: one span of each, overlapping and different."""

    one: Span
    other: Span

    def __str__(self) -> str:
        a, b = self.one, self.other
        return (
            f"“{a.text}” ({a.label}, {a.start}-{a.end}) and "
            f"“{b.text}” ({b.label}, {b.start}-{b.end}) overlap"
        )


def clashes(a: Annotation, b: Annotation) -> list[Clash]:
    """Pairs of different spans, one of each version, that overlap."""
    theirs = {s.key for s in b.spans}
    found = []
    for span in a.spans:
        if span.key in theirs:
            continue
        for other in b.spans:
            if other.key != span.key and other.overlaps(span.start, span.end):
                found.append(Clash(span, other))
    return found


def merge_versions(a: Annotation | None, b: Annotation | None) -> Annotation | Clash | None:
    """Both versions in one (see the module docstring); None when both are untouched."""
    if a is None or b is None:
        return b if a is None else a
    if a.text_sha256 != b.text_sha256:
        raise ValueError(f"{a.id}: the two versions are of different texts")
    found = clashes(a, b)
    if found:
        return found[0]
    spans = {s.key: s for s in (*a.spans, *b.spans)}
    status = a.status if _RANK[a.status] >= _RANK[b.status] else b.status
    return Annotation(
        id=a.id,
        text=a.text,
        spans=tuple(spans.values()),
        status=status,
        annotator=a.annotator,
        text_sha256=a.text_sha256,
        updated_at=now_iso(),
        seconds=max(a.seconds, b.seconds),
        meta={**b.meta, **a.meta},
    )

"""The edits the kill test makes, written as JSON lists so the test can make them again.

The child process picks an edit from its editor's state, prints it, applies it through the
core ``Editor`` (the window's path) and prints ``ACK`` once it returned; the test replays
the acknowledged ones with the pure ``apply_edit`` to know what must have survived.
"""

from __future__ import annotations

import random
from typing import Any

from annotator.core.edit import (
    AcceptSuggestions,
    AddSpan,
    AddTime,
    Change,
    Edit,
    EditContext,
    LabelAll,
    RejectSuggestions,
    Relabel,
    RemoveSpan,
    SetStatus,
    apply_edit,
)
from annotator.core.model import STATUSES, Annotation
from annotator.core.tokens import Snap

LABELS = ["PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"]
TEXTS = {
    f"d{i}": (
        f"🇮🇩 Berita {i}: Kemendagri RI dan Pemprov DKI Jakarta di Kota Makassar.\n"
        "Café Ré\u0301sumé dibuka Wali Kota Bogor, Selasa (30/08/2022). "
    )
    * 3
    for i in range(6)
}

Op = list[Any]


def edit_of(op: Op) -> Edit:
    """The edit an op names (not ``undo`` or ``save``)."""
    kind, doc = op[0], op[1]
    if kind == "add":
        return AddSpan(doc, op[2], op[3], op[4], Snap(op[5]))
    if kind == "relabel":
        return Relabel(doc, (op[2], op[3], op[4]), op[5])
    if kind == "remove":
        return RemoveSpan(doc, (op[2], op[3], op[4]))
    if kind == "labelall":
        return LabelAll(doc, (op[2], op[3], op[4]))
    if kind == "status":
        return SetStatus(doc, op[2], op[3])
    if kind == "time":
        return AddTime(doc, op[2])
    if kind == "reject":
        return RejectSuggestions(doc, ((op[2], op[3], op[4]),))
    if kind == "accept":
        return AcceptSuggestions(doc, ((op[2], op[3], op[4]),))
    raise ValueError(op)


def choose(rng: random.Random, doc: str, ann: Annotation | None, can_undo: bool) -> Op:
    """A random op on ``doc`` in the state ``ann``."""
    text = TEXTS[doc]
    spans = ann.spans if ann is not None else ()
    kind = rng.choices(
        ["add", "span", "status", "time", "reject", "accept", "undo", "save"],
        [35, 20, 10, 5, 5, 5, 12, 8],
    )[0]
    if kind == "undo" and not can_undo:
        kind = "add"
    if kind == "span" and not spans:
        kind = "add"
    s = rng.randrange(len(text) - 1)
    e = rng.randrange(s + 1, min(len(text), s + 14) + 1)
    label = rng.choice(LABELS)
    if kind == "add":
        return ["add", doc, s, e, label, rng.choice(list(Snap)).value]
    if kind == "span":
        span = rng.choice(spans)
        which = rng.choice(["relabel", "remove", "labelall"])
        op: Op = [which, doc, span.start, span.end, span.label]
        return [*op, rng.choice(LABELS)] if which == "relabel" else op
    if kind == "status":
        return ["status", doc, rng.choice(STATUSES), round(rng.uniform(0, 9), 3)]
    if kind == "time":
        return ["time", doc, round(rng.uniform(0.1, 5), 3)]
    if kind in ("reject", "accept"):
        return [kind, doc, s, e, label]
    return [kind]


def undoable(op: Op) -> bool:
    """Every edit the window puts on its undo stack (time spent is not one)."""
    return op[0] not in ("time", "undo", "save")


def replay(ops: list[Op]) -> dict[str, Annotation | None]:
    """The state of every document after ``ops``, worked out with the pure core."""
    states: dict[str, Annotation | None] = dict.fromkeys(TEXTS)
    stack: list[Change] = []
    labels = frozenset(LABELS)
    for op in ops:
        if op[0] == "save":
            continue
        if op[0] == "undo":
            change = stack.pop()
            edit: Edit = change.undo()
        else:
            edit = edit_of(op)
        doc = edit.doc_id
        done = apply_edit(states[doc], edit, EditContext(doc, TEXTS[doc], "ani", labels))
        states[doc] = done.after
        if undoable(op) and done.changed:
            stack.append(done)
    return states

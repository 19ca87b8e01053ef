"""The kill test's child: edits a project through the core ``Editor``, as the window does."""

import json
import random
import sys

from _kill_ops import LABELS, TEXTS, choose, edit_of, undoable

from annotator.core.edit import Change, Editor
from annotator.core.project import Project

root, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
project = Project.open(root)
session = project.session("ani")
editor = Editor(session, project.documents, frozenset(LABELS))
stack: list[Change] = []
for _ in range(100_000):
    doc = rng.choice(sorted(TEXTS))
    if editor.doc_id != doc:
        editor.open(doc)  # a document switch
    op = choose(rng, doc, editor.annotation, bool(stack))
    print("BEGIN " + json.dumps(op), flush=True)
    if op[0] == "undo":
        editor.undo(stack.pop())
    elif op[0] == "save":
        session.save()  # compactions too can be interrupted
    else:
        change = editor.apply(edit_of(op))
        if undoable(op) and change.changed:
            stack.append(change)
    print("ACK", flush=True)

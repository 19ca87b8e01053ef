"""The kill test's child for the group commit: edits are shown at once and written after.

Each edit is submitted (adopted at once, as the window shows it) and its sequence number
printed; the journal's thread prints ``DURABLE n`` once every edit up to ``n`` is fsynced,
which is when the window says "saved". Compactions are synchronous, as on Save.
"""

import json
import random
import sys
import threading

from _kill_ops import LABELS, TEXTS, choose, edit_of, undoable

from annotator.core.edit import Change, Editor
from annotator.core.project import Project

out = threading.Lock()


def say(line: str) -> None:
    with out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def durable(seq: int, error: str | None) -> None:
    if error is None:
        say(f"DURABLE {seq}")


root, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
project = Project.open(root)
session = project.session("ani")
session.add_durable_listener(durable)
editor = Editor(session, project.documents, frozenset(LABELS))
stack: list[Change] = []
for _ in range(100_000):
    doc = rng.choice(sorted(TEXTS))
    if editor.doc_id != doc:
        editor.open(doc)  # a document switch
    op = choose(rng, doc, editor.annotation, bool(stack))
    say("BEGIN " + json.dumps(op))
    if op[0] == "save":
        session.save()  # waits for the queue, then compacts
        say(f"SAVED {session.save_state.unsaved}")
        continue
    change = editor.prepare(stack.pop().undo() if op[0] == "undo" else edit_of(op))
    seq = editor.submit(change)
    if undoable(op) and change.changed:
        stack.append(change)
    say(f"SUBMITTED {seq}")

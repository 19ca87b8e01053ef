"""A writer SIGKILLed at a random moment loses no acknowledged edit and leaves valid files.

The child edits through the core ``Editor`` exactly as the window does (adds with either
snapping, relabels, deletes, label-all, accept and reject, status with time, time alone,
undo back to untouched, compactions), so the test covers the edits people make.
"""

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from _kill_ops import TEXTS, Op, replay
from _store_helpers import make_project

from annotator.core.edit import rejected_keys
from annotator.core.model import Annotation
from annotator.core.project import Project
from annotator.core.validate import validate_project

CHILD = Path(__file__).with_name("_kill_child.py")


def state(ann: Annotation | None) -> object:
    if ann is None:
        return None
    keys = tuple(s.key for s in ann.spans)
    return keys, ann.status, round(ann.seconds, 3), sorted(rejected_keys(ann))


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_sigkill_loses_no_acknowledged_edit(tmp_path: Path, seed: int) -> None:
    root = tmp_path / "p"
    make_project(root, TEXTS)
    kill_after = random.Random(seed).randrange(5, 120)
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(root), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(CHILD.parent)},
    )
    assert child.stdout is not None
    acked: list[Op] = []
    in_flight: Op | None = None
    killed = False

    for line in child.stdout:
        if line.startswith("BEGIN"):
            in_flight = json.loads(line.removeprefix("BEGIN "))
            if len(acked) >= kill_after and not killed:
                os.kill(child.pid, signal.SIGKILL)  # while the child is somewhere ahead
                killed = True
        elif line.startswith("ACK"):
            assert in_flight is not None
            acked.append(in_flight)
            in_flight = None
    # the loop read on to the end of the pipe: every line the child printed before it died,
    # so `acked` holds every acknowledged edit and `in_flight` the one it was killed in
    child.wait()
    child.stdout.close()
    assert killed
    assert child.returncode == -signal.SIGKILL
    assert {op[0] for op in acked} >= {"add", "undo"}  # the mix really ran

    project = Project.open(root)
    session = project.session("ani")  # replays the journal
    got = {doc: state(session.annotation(doc)) for doc in TEXTS}
    assert session.unapplied == []
    session.close()
    without = {doc: state(ann) for doc, ann in replay(acked).items()}
    with_in_flight = (
        {doc: state(ann) for doc, ann in replay([*acked, in_flight]).items()}
        if in_flight
        else without
    )
    assert got in (without, with_in_flight)
    assert list((root / "annotations").glob(".*.tmp")) == []  # a cut compaction's leftover
    report = validate_project(root)
    assert report.problems == []
    saved = root / "annotations" / "ani.jsonl"
    if saved.exists():
        for line in saved.read_text("utf-8").splitlines():
            assert json.loads(line)["annotator"] == "ani"


@pytest.mark.parametrize("seed", [11, 12, 13, 14, 15])
def test_sigkill_group_commit_keeps_every_edit_reported_durable(tmp_path: Path, seed: int) -> None:
    """Edits shown at once and fsynced after (the window's path): every edit the journal's
    thread reported durable survives, and the state found is the one after a prefix of the
    edits made (an edit shown but not yet reported durable may be lost, nothing else)."""
    root = tmp_path / "p"
    make_project(root, TEXTS)
    kill_after = random.Random(seed).randrange(20, 200)
    child = subprocess.Popen(
        [sys.executable, str(CHILD.with_name("_kill_child_group.py")), str(root), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(CHILD.parent)},
    )
    assert child.stdout is not None
    made: list[Op] = []  # every op begun, in order
    seq_of: list[int] = []  # the sequence number each op's write got (0: nothing written)
    durable = 0  # the highest sequence number reported fsynced
    saved_upto = 0  # ops made before the last completed compaction
    killed = False
    for line in child.stdout:
        word, _, rest = line.rstrip("\n").partition(" ")
        if word == "BEGIN":
            made.append(json.loads(rest))
            seq_of.append(0)
            if len(made) > kill_after and not killed:
                os.kill(child.pid, signal.SIGKILL)
                killed = True
        elif word == "SUBMITTED":
            seq_of[-1] = int(rest)
        elif word == "DURABLE":
            assert int(rest) >= durable  # reported in order
            durable = int(rest)
        elif word == "SAVED":
            assert rest == "0"  # a compaction leaves nothing unsaved
            saved_upto = len(made)
    child.wait()
    child.stdout.close()
    assert killed
    assert child.returncode == -signal.SIGKILL
    assert durable > 0
    assert {op[0] for op in made} >= {"add", "undo"}

    project = Project.open(root)
    session = project.session("ani")  # replays the journal
    got = {doc: state(session.annotation(doc)) for doc in TEXTS}
    assert session.unapplied == []
    session.close()
    # the ops that must have survived: up to the last one reported durable or compacted
    must = max([saved_upto, *(i + 1 for i, s in enumerate(seq_of) if 0 < s <= durable)])
    prefixes = [
        {doc: state(ann) for doc, ann in replay(made[:k]).items()}
        for k in range(must, len(made) + 1)
    ]
    assert got in prefixes
    assert list((root / "annotations").glob(".*.tmp")) == []
    assert validate_project(root).problems == []

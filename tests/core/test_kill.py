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

"""A writer SIGKILLed at a random moment loses no acknowledged edit and leaves valid files."""

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from _store_helpers import make_project

from annotator.core.model import make_span, replace_overlapping
from annotator.core.project import Project
from annotator.core.validate import validate_project

TEXTS = {
    f"d{i}": f"🇮🇩 Berita {i}: Kemendagri dan Pemprov DKI Jakarta di Kota Makassar." * 3
    for i in range(6)
}
LABELS = ["PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"]

CHILD = r"""
import random, sys
from annotator.core.project import Project
root, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
project = Project.open(root)
session = project.session("ani")
ids = project.documents.ids
labels = ["PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"]
for n in range(100000):
    doc = rng.choice(ids)
    text = project.documents.get(doc).text
    s = rng.randrange(len(text) - 1)
    e = rng.randrange(s + 1, min(len(text), s + 12) + 1)
    label = rng.choice(labels)
    print(f"BEGIN {doc} {s} {e} {label}", flush=True)
    session.add_span(doc, s, e, label)
    print("ACK", flush=True)
    if n % 7 == 6:
        session.save()  # compactions too can be interrupted
"""


def expected_states(
    ops: list[tuple[str, int, int, str]],
) -> dict[str, tuple[tuple[int, int, str], ...]]:
    spans: dict[str, tuple] = {}
    for doc, s, e, label in ops:
        spans[doc] = replace_overlapping(spans.get(doc, ()), make_span(TEXTS[doc], s, e, label))
    return {doc: tuple(sp.key for sp in v) for doc, v in spans.items()}


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_sigkill_loses_no_acknowledged_edit(tmp_path: Path, seed: int) -> None:
    root = tmp_path / "p"
    make_project(root, TEXTS)
    kill_after = random.Random(seed).randrange(5, 120)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(root), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    acked: list[tuple[str, int, int, str]] = []
    in_flight: tuple[str, int, int, str] | None = None
    killed = False

    for line in child.stdout:
        if line.startswith("BEGIN"):
            _, doc, s, e, label = line.split()
            in_flight = (doc, int(s), int(e), label)
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

    project = Project.open(root)
    session = project.session("ani")  # replays the journal
    got = {
        doc: tuple(sp.key for sp in a.spans)
        for doc in TEXTS
        if (a := session.annotation(doc)) is not None
    }
    session.close()
    without = expected_states(acked)
    with_in_flight = expected_states([*acked, in_flight]) if in_flight else without
    assert got in (without, with_in_flight)
    assert list((root / "annotations").glob(".*.tmp")) == []  # a cut compaction's leftover
    report = validate_project(root)
    assert report.problems == []
    for line in (root / "annotations" / "ani.jsonl").read_text("utf-8").splitlines():
        assert json.loads(line)["annotator"] == "ani"

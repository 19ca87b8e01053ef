"""``assignments.jsonl``: the format, bad lines, atomic replacement and the lock."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.assign import Assignment
from annotator.core.assignments import (
    TeamSettings,
    iso_time,
    parse_time,
    plan_lock,
    plan_path,
    read_plan,
    read_team,
    team_path,
    write_plan,
    write_team,
)
from annotator.core.errors import AnnotatorError

T = parse_time("2026-05-01T10:00:00Z")


def test_no_file_is_no_plan(tmp_path: Path) -> None:
    assert read_plan(tmp_path) is None


def test_round_trip_in_project_order(tmp_path: Path) -> None:
    entries = {
        "z-not-in-project": Assignment(("ani",), T),
        "d2": Assignment(("budi", "ani"), T + 60),
        "d1": Assignment(("citra",), 0.0),
        "nobody": Assignment((), T),
    }
    write_plan(tmp_path, entries, ["d1", "d2", "d3"])
    lines = plan_path(tmp_path).read_text("utf-8").splitlines()
    assert [json.loads(x) for x in lines] == [
        {"id": "d1", "annotators": ["citra"]},
        {"id": "d2", "annotators": ["budi", "ani"], "assigned_at": "2026-05-01T10:01:00Z"},
        {"id": "z-not-in-project", "annotators": ["ani"], "assigned_at": "2026-05-01T10:00:00Z"},
    ]
    plan = read_plan(tmp_path)
    assert plan is not None
    assert plan.errors == []
    assert plan.entries == {k: v for k, v in entries.items() if v.annotators}
    assert list(plan.entries) == ["d1", "d2", "z-not-in-project"]
    assert plan.annotators_of("d2") == ("budi", "ani")
    assert plan.annotators_of("unknown") == ()
    assert plan.documents_of("ani") == ["d2", "z-not-in-project"]


def test_unicode_ids_survive(tmp_path: Path) -> None:
    ids = ['berita "Jakarta" 📌', "baris\nbaru", "e\u0301", "a\\b"]
    write_plan(tmp_path, {i: Assignment(("ani",), T) for i in ids}, ids)
    plan = read_plan(tmp_path)
    assert plan is not None
    assert list(plan.entries) == ids


def test_times() -> None:
    assert iso_time(T) == "2026-05-01T10:00:00Z"
    assert parse_time("2026-05-01T12:00:00+02:00") == T
    assert parse_time("2026-05-01T10:00:00") == T  # no offset: UTC


def test_bad_lines_are_reported_and_the_plan_is_not_rewritten(tmp_path: Path) -> None:
    good = {"id": "d1", "annotators": ["ani"]}
    bad = [
        "{not json",
        json.dumps({"annotators": ["ani"]}),
        json.dumps({"id": "d2", "annotators": "ani"}),
        json.dumps({"id": "d3", "annotators": ["Ani"]}),
        json.dumps({"id": "d4", "annotators": ["gold"]}),
        json.dumps({"id": "d5", "annotators": ["ani", "ani"]}),
        json.dumps({"id": "d6", "annotators": ["ani"], "assigned_at": "yesterday"}),
        json.dumps(good),
        "[1]",
    ]
    path = plan_path(tmp_path)
    path.write_text("\n".join([json.dumps(good), "", *bad]) + "\n", "utf-8")
    plan = read_plan(tmp_path)
    assert plan is not None
    assert list(plan.entries) == ["d1"]
    reasons = [(e.line, e.reason.split(":")[0]) for e in plan.errors]
    assert reasons == [
        (3, "invalid JSON"),
        (4, "id"),
        (5, "annotators"),
        (6, "annotators"),
        (7, "annotators"),
        (8, "annotators"),
        (9, "assigned_at"),
        (10, "duplicate id 'd1' (first on line 1)"),
        (11, "expected a JSON object, got list"),
    ]
    assert all(str(e).startswith(f"{path}:") for e in plan.errors)
    with pytest.raises(AnnotatorError, match=rf"{path}:3: .*fix it first"):
        plan.check_writable()


def test_a_failed_write_leaves_the_old_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plan(tmp_path, {"d1": Assignment(("ani",), T)}, ["d1"])
    before = plan_path(tmp_path).read_bytes()

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(AnnotatorError, match="No space left on device; the plan is unchanged"):
        write_plan(tmp_path, {"d1": Assignment(("budi",), T)}, ["d1"])
    assert plan_path(tmp_path).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["assignments.jsonl"]


def test_the_lock_times_out_with_one_line(tmp_path: Path) -> None:
    with (
        plan_lock(tmp_path),
        pytest.raises(AnnotatorError, match="is locked"),
        plan_lock(tmp_path, timeout=0.01),
    ):
        pass
    with plan_lock(tmp_path, timeout=0.01):  # released
        pass


def test_team_settings(tmp_path: Path) -> None:
    assert read_team(tmp_path) is None
    write_team(tmp_path, TeamSettings(("ani", "budi"), 0.2, 3, 7))
    assert read_team(tmp_path) == TeamSettings(("ani", "budi"), 0.2, 3, 7)
    team_path(tmp_path).write_text('{"annotators": ["Bad Name"]}', "utf-8")
    assert read_team(tmp_path) is None


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ids=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=8, unique=True),
    teams=st.lists(
        st.lists(st.from_regex(r"[a-z0-9_.-]{1,8}", fullmatch=True), max_size=3, unique=True),
        min_size=8,
        max_size=8,
    ),
    since=st.sampled_from([0.0, T, T + 0.5]),
)
def test_what_is_written_reads_back(
    tmp_path: Path, ids: list[str], teams: list[list[str]], since: float
) -> None:
    teams = [[n for n in team if n != "gold"] for team in teams]
    entries = {d: Assignment(tuple(t), since) for d, t in zip(ids, teams, strict=False)}
    write_plan(tmp_path, entries, ids)
    plan = read_plan(tmp_path)
    assert plan is not None
    assert plan.errors == []
    want = {d: Assignment(a.annotators, float(int(since))) for d, a in entries.items()}
    assert plan.entries == {d: a for d, a in want.items() if a.annotators}
    # the same lines in another layout go through the JSON parser and read the same
    relaid = [
        json.dumps(json.loads(line), indent=None, separators=(", ", ": "))
        for line in plan_path(tmp_path).read_text("utf-8").split("\n")
        if line  # not splitlines: U+0085 in an id is not a line end in JSONL
    ]
    plan_path(tmp_path).write_text("\n".join(relaid) + "\n", "utf-8")
    again = read_plan(tmp_path)
    assert again is not None
    assert again.entries == plan.entries


def test_a_raw_control_character_is_refused(tmp_path: Path) -> None:
    plan_path(tmp_path).write_bytes(b'{"id":"a\tb","annotators":["ani"]}\n')
    plan = read_plan(tmp_path)
    assert plan is not None
    assert plan.entries == {}
    assert "invalid JSON" in plan.errors[0].reason

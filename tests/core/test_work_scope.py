"""What one person sees of a planned project: their documents, their queue, blind or not."""

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.assign import Assignment
from annotator.core.assignments import StoredPlan
from annotator.core.work_scope import WorkScope, people_text

IDS = ["d0", "d1", "d2", "d3", "d4", "d5"]
PLAN = StoredPlan(
    {
        "d0": Assignment(("ani", "budi")),
        "d1": Assignment(("budi",)),
        "d2": Assignment(("ani",)),
        "d4": Assignment(("ani",)),
        "d5": Assignment(("budi",)),
    }
)


def statuses(**given: str) -> dict[str, str]:
    return {d: given.get(d, "todo") for d in IDS}


def test_an_annotator_sees_only_their_documents_and_walks_their_queue() -> None:
    status = statuses(d2="done", d4="in_progress")
    scope = WorkScope(IDS, "ani", PLAN)
    assert scope.blind
    assert not scope.everything
    assert scope.documents() == ["d0", "d2", "d4"]
    assert [d for d in IDS if scope.visible(d)] == ["d0", "d2", "d4"]
    assert scope.queue(status.__getitem__) == ["d0", "d4"]
    assert scope.next_unfinished("d0", status.__getitem__) == "d4"
    assert scope.next_unfinished("d4", status.__getitem__) == "d0"  # wraps round
    assert scope.next_unfinished(None, status.__getitem__) == "d0"
    assert scope.next_unfinished("d3", status.__getitem__) == "d4"  # from outside the queue
    assert scope.counts(status.__getitem__) == {"todo": 1, "done": 1, "in_progress": 1}
    status["d0"] = status["d4"] = "done"
    assert scope.next_unfinished("d4", status.__getitem__) is None


def test_a_lead_and_a_project_without_a_plan_see_everything() -> None:
    status = statuses(d1="done")
    for scope in (WorkScope(IDS, "lead", PLAN, lead=True), WorkScope(IDS, "ani", None)):
        assert scope.everything
        assert not scope.blind
        assert scope.documents() == IDS
        assert scope.next_unfinished("d0", status.__getitem__) == "d2"
        assert sum(scope.counts(status.__getitem__).values()) == len(IDS)


def test_someone_with_nothing_assigned_has_an_empty_queue() -> None:
    scope = WorkScope(IDS, "citra", PLAN)
    assert scope.documents() == []
    assert scope.next_unfinished(None, lambda d: "todo") is None


def test_people_text_marks_each_status() -> None:
    text = people_text([("ani", "done"), ("budi", None), ("citra", "in_progress")])
    assert text == "ani ✓ · budi ○ · citra ✎"
    assert people_text([("dewi", "skipped")]) == "dewi ↷"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["todo", "in_progress", "done", "skipped"]), min_size=1, max_size=30),
    st.lists(st.booleans(), min_size=30, max_size=30),
    st.integers(0, 29),
)
def test_walking_the_queue_visits_exactly_the_unfinished_assigned_documents(
    states: list[str], mine: list[bool], start: int
) -> None:
    ids = [f"d{i}" for i in range(len(states))]
    plan = StoredPlan({d: Assignment(("ani",)) for d, m in zip(ids, mine, strict=False) if m})
    status = dict(zip(ids, states, strict=True))
    scope = WorkScope(ids, "ani", plan)
    unfinished = ("todo", "in_progress")
    expected = [d for d, m in zip(ids, mine, strict=False) if m and status[d] in unfinished]
    current = ids[start % len(ids)]
    seen = [current] if current in expected else []
    while True:  # Ctrl+Enter: the current document is done, the next one opens
        if scope.visible(current):
            status[current] = "done"
        following = scope.next_unfinished(current, status.__getitem__)
        if following is None:
            break
        seen.append(following)
        current = following
    assert sorted(seen, key=ids.index) == expected
    assert len(seen) == len(set(seen))

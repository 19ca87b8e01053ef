"""The folder store's assignment plan: ``assignments.jsonl``, one document per line.

Each line is ``{"id": "<document id>", "annotators": ["ani", "budi"]}`` (team contract in
docs/team.md). Reading reports a bad line as ``path:line: reason`` and loads the good ones.
Writing replaces the whole file atomically (temp file, fsync, rename) under
``.annotator/assignments.lock``, and the lock is held from the read to the write, so two
leads assigning at once never lose one another's plan. A plan with unreadable lines is not
rewritten (that would drop them): the lead fixes them first, as ``validate`` says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from filelock import FileLock, Timeout

from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.jsonl import atomic_write, decode_line, dumps, iter_lines
from annotator.core.model import check_annotator_name
from annotator.core.storage import Assignments, Plan

FILE = "assignments.jsonl"
LOCK_TIMEOUT_S = 30.0  # another lead's write takes milliseconds; this long means a stuck one


def read_plan(path: Path) -> Assignments:
    """The plan in ``path`` (empty when there is none), with its unreadable lines."""
    plan: Plan = {}
    errors: list[RecordError] = []
    try:
        lines = list(iter_lines(path))
    except FileNotFoundError:
        return Assignments({})
    except (IsADirectoryError, NotADirectoryError):
        raise AnnotatorError(f"{path}: is not a file") from None
    first: dict[str, int] = {}
    for lineno, _, raw in lines:
        try:
            record = decode_line(str(path), lineno, raw)
            doc_id, names = record.get("id"), record.get("annotators")
            if not isinstance(doc_id, str) or not doc_id:
                raise RecordError(str(path), lineno, "id: must be a non-empty string")
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise RecordError(str(path), lineno, "annotators: must be a list of names")
            for name in names:
                try:
                    check_annotator_name(name)
                except ValueError as exc:
                    raise RecordError(str(path), lineno, f"annotators: {exc}") from None
            if doc_id in first:
                raise RecordError(
                    str(path), lineno, f"duplicate id {doc_id!r} (first on line {first[doc_id]})"
                )
        except RecordError as err:
            errors.append(err)
            continue
        first[doc_id] = lineno
        plan[doc_id] = tuple(dict.fromkeys(names))
    return Assignments(plan, tuple(errors))


def update_plan(
    path: Path, lock: Path, change: Callable[[Plan], Mapping[str, Sequence[str]]]
) -> Plan:
    """Replace the plan with ``change(current)`` under the lock; returns what was written."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(lock), timeout=LOCK_TIMEOUT_S):
            current = read_plan(path)
            if current.errors:
                raise AnnotatorError(
                    f"{current.errors[0]}; fix the plan's unreadable lines before changing it"
                )
            new = _checked(change(dict(current.plan)))
            atomic_write(path, [_render(new)])
            return new
    except Timeout:
        raise AnnotatorError(f"{lock}: another lead is changing the plan; try again") from None


def _checked(plan: Mapping[str, Sequence[str]]) -> Plan:
    out: Plan = {}
    for doc_id, names in plan.items():
        if not isinstance(doc_id, str) or not doc_id:
            raise AnnotatorError(f"assignments: document id {doc_id!r} is not a non-empty string")
        for name in names:
            try:
                check_annotator_name(name)
            except ValueError as exc:
                raise AnnotatorError(f"assignments of {doc_id!r}: {exc}") from None
        out[doc_id] = tuple(dict.fromkeys(names))
    return out


def _render(plan: Plan) -> bytes:
    lines = (
        dumps({"id": doc_id, "annotators": list(names)}) + "\n" for doc_id, names in plan.items()
    )
    return "".join(lines).encode("utf-8")

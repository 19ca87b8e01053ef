"""The team workflow on a project folder: previewing and applying a plan, and each one's queue.

What the command line and the window call::

    options = assign_options(root, annotators=["ani", "budi"], overlap=0.2)
    outcome = preview(project, options)        # loads and pairs; nothing is written
    outcome = assign(project, options)         # the same, written under the plan's lock
    command_line(root, options)                # the equivalent ``annotator assign`` line
    queue(project, "ani")                      # ani's assigned, unfinished documents, in order
    document_states(project)                   # per document: who is assigned, their status

A project without a plan keeps today's behaviour: everyone's queue is every unfinished
document.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from annotator.core import reads
from annotator.core.assign import Assignment, AssignOptions, Outcome, Touch, plan_assignments
from annotator.core.assignments import (
    StoredPlan,
    TeamSettings,
    iso_time,
    read_plan,
    read_team,
    write_team,
)
from annotator.core.errors import AnnotatorError
from annotator.core.model import Status
from annotator.core.storage import ProjectStore


def _names(values: Sequence[str] | str | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = values.split(",")
    out: list[str] = []
    for value in values:
        for name in value.split(","):
            if name.strip() and name.strip() not in out:
                out.append(name.strip())
    return tuple(out)


def assign_options(
    where: Path | ProjectStore,
    annotators: Sequence[str] | str | None = None,
    overlap: float | None = None,
    per_doc: int | None = None,
    seed: int | None = None,
    add: Sequence[str] | str | None = None,
    remove: Sequence[str] | str | None = None,
    reclaim_after: float | None = None,
) -> AssignOptions:
    """The options of one run: what is given, else the last run's (``team.json``), else the
    defaults. Without ``annotators`` and without a saved team, the plan's annotators are the
    team; with no plan either, ``annotators`` is required. ``where`` is the project (or its
    folder); a server project's last-run choices are kept on this desktop."""
    saved = read_team(_settings_folder(where)) or TeamSettings()
    team = _names(annotators) or saved.annotators
    if not team:
        plan = read_plan(where) if isinstance(where, Path) else where.assignments()
        if plan is not None:
            team = tuple(sorted({n for e in plan.entries.values() for n in e.annotators}))
    if not team and not _names(add):
        raise AnnotatorError("the project has no plan yet: give the team with --annotators a,b,c")
    options = AssignOptions(
        annotators=team,
        overlap=saved.overlap if overlap is None else overlap,
        per_doc=saved.per_doc if per_doc is None else per_doc,
        seed=saved.seed if seed is None else seed,
        add=_names(add),
        remove=_names(remove),
        reclaim_after=reclaim_after,
    )
    options.check()
    return options


def _settings_folder(where: Path | ProjectStore) -> Path:
    """Where ``team.json`` (the last assign's choices) lives: the project folder, or this
    desktop's folder of a server project."""
    if isinstance(where, Path):
        return where
    from annotator.core.open import desktop_folder

    return desktop_folder(where)


def _involved(plan: StoredPlan | None, options: AssignOptions) -> list[str]:
    names = set(options.annotators) | set(options.add) | set(options.remove)
    if plan is not None:
        names |= {n for e in plan.entries.values() for n in e.annotators}
    return sorted(names)


def _plan(
    project: ProjectStore, plan: StoredPlan | None, options: AssignOptions, now: float
) -> Outcome:
    work = reads.work(project, _involved(plan, options))
    entries = plan.entries if plan is not None else {}
    return plan_assignments(project.documents.ids, entries, options, work, now)


def preview(project: ProjectStore, options: AssignOptions, now: float | None = None) -> Outcome:
    """What ``assign`` would do, computed from the plan as it is now; nothing is written."""
    plan = project.assignments()
    if plan is not None:
        plan.check_writable()
    return _plan(project, plan, options, time.time() if now is None else now)


HISTORY = "assign-history.log"  # in .annotator/: one line per assign that changed the plan


def history_path(root: Path) -> Path:
    """``.annotator/assign-history.log``: when, by whom and with which command the plan changed."""
    return Path(root) / ".annotator" / HISTORY


def record(root: Path, line: str, by: str = "", now: float | None = None) -> None:
    """Append ``line`` (the equivalent command) to the history, stamped with the time and
    ``by``. A history that cannot be written is not worth failing the assignment for."""
    stamp = iso_time(time.time() if now is None else now)
    entry = "\t".join((stamp, by or "-", line.replace("\n", " "))) + "\n"
    try:
        path = history_path(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(entry)
    except OSError:
        pass


def history(root: Path) -> list[tuple[str, str, str]]:
    """The recorded runs, oldest first: ``(time, by, command line)``."""
    try:
        text = history_path(root).read_text(encoding="utf-8")
    except OSError:
        return []
    out: list[tuple[str, str, str]] = []
    for line in text.splitlines():
        parts = line.split("\t", 2)
        if len(parts) == 3:
            out.append((parts[0], parts[1], parts[2]))
    return out


def assign(
    project: ProjectStore, options: AssignOptions, now: float | None = None, by: str = ""
) -> Outcome:
    """Plan and write through the store, under the plan's lock: a second lead waits, then
    plans on top of the first. The team and choices are saved as the next run's defaults,
    and the equivalent command line is recorded in the history (``by``: who ran it)."""
    made: list[Outcome] = []

    def change(plan: StoredPlan | None) -> Mapping[str, Assignment]:
        outcome = _plan(project, plan, options, time.time() if now is None else now)
        # saved under the same lock, so the last lead to plan also leaves the defaults
        write_team(
            _settings_folder(project),
            TeamSettings(outcome.team, options.overlap, options.per_doc, options.seed),
        )
        made.append(outcome)
        return outcome.plan

    project.update_assignments(change)
    outcome = made[-1]
    if outcome.changed:
        record(_settings_folder(project), command_line(project.location, options), by, now)
    return outcome


def format_duration(seconds: float) -> str:
    """``604800`` as ``7d``, ``5400`` as ``90m``: the largest unit that divides it."""
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def command_line(root: Path | str, options: AssignOptions) -> str:
    """The ``annotator assign`` line that does what ``options`` do (for the record)."""
    parts = ["annotator", "assign", str(root)]
    if options.annotators:
        parts += ["--annotators", ",".join(options.annotators)]
    parts += ["--overlap", f"{options.overlap:g}", "--per-doc", str(options.per_doc)]
    parts += ["--seed", str(options.seed)]
    for name in options.add:
        parts += ["--add", name]
    for name in options.remove:
        parts += ["--remove", name]
    if options.reclaim_after is not None:
        parts += ["--reclaim-after", format_duration(options.reclaim_after)]
    return shlex.join(parts)


def _unfinished(touch: Touch | None) -> bool:
    return touch is None or touch.status == "in_progress"


def queue(project: ProjectStore, name: str) -> list[str]:
    """``name``'s documents still to do (not started or in progress), in project order.

    With a plan: the documents assigned to them. Without one: every document of the project.
    Done and skipped documents have left the queue.
    """
    mine = reads.activity(project, name)
    plan = project.assignments()
    ids = project.documents.ids
    if plan is None:
        return [d for d in ids if _unfinished(mine.get(d))]
    return [d for d in ids if name in plan.annotators_of(d) and _unfinished(mine.get(d))]


def document_states(
    project: ProjectStore,
    work: Mapping[str, Mapping[str, Touch]] | None = None,
    plan: StoredPlan | Literal[False] | None = False,
) -> dict[str, tuple[tuple[str, Status | None], ...]]:
    """Per document of the project: each assigned annotator and their status (None: not
    started). Without a plan, every annotator with a record of it. ``work`` (every
    annotator's records) and ``plan`` are read unless given (False: not given)."""
    if plan is False:
        plan = project.assignments()
    if work is None:
        work = reads.work(project)
    out: dict[str, tuple[tuple[str, Status | None], ...]] = {}
    for doc in project.documents.ids:
        if plan is not None:
            names: Sequence[str] = plan.annotators_of(doc)
        else:
            names = [n for n in work if doc in work[n]]
        out[doc] = tuple(
            (n, touch.status if (touch := work.get(n, {}).get(doc)) else None) for n in names
        )
    return out

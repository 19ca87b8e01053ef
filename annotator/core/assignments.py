"""The assignment plan on a project folder: ``assignments.jsonl``, read, and written under a lock.

One line per document: ``{"id": "doc-1", "annotators": ["ani", "budi"], "assigned_at":
"2026-05-01T10:00:00Z"}``; ``assigned_at`` is when the line last changed (``--reclaim-after``
measures from it; a line without it is never reclaimed as "never started"). A project without
the file has no plan: everyone may annotate everything, as before plans existed.

The file is replaced atomically (temp file, fsync, rename), so a reader sees the old plan or
the new one, never half. Whoever changes the plan holds ``.annotator/assignments.lock``
(``plan_lock``) while reading the plan, changing it and writing it, so two leads assigning at
once are served one after the other and the second plans on top of the first: neither's
assignments are lost. A plan with a
bad line is never rewritten (the line would be lost); the error names ``path:line``.

``.annotator/team.json`` keeps the team and choices of the last ``assign``, the defaults of the
next one (after ``--remove ani`` a plain ``assign`` no longer gives ani new documents).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from annotator.core.assign import Assignment
from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.jsonl import atomic_write, decode_line, dumps
from annotator.core.model import GOLD, check_annotator_name

ASSIGNMENTS = "assignments.jsonl"
LOCK_TIMEOUT = 60.0  # seconds a second lead waits for the first to finish


@dataclass
class StoredPlan:
    """The plan as read from disk: entries by document id (file order) and bad lines."""

    entries: dict[str, Assignment] = field(default_factory=dict)
    errors: list[RecordError] = field(default_factory=list)

    def annotators_of(self, doc_id: str) -> tuple[str, ...]:
        """Who is assigned ``doc_id`` (empty when nobody is)."""
        entry = self.entries.get(doc_id)
        return entry.annotators if entry else ()

    def documents_of(self, name: str) -> list[str]:
        """The documents assigned to ``name``, in file order."""
        return [d for d, e in self.entries.items() if name in e.annotators]

    def check_writable(self) -> None:
        """Raise if a bad line would be lost by rewriting the file."""
        if self.errors:
            raise AnnotatorError(f"{self.errors[0]} (fix it first: the plan is not rewritten)")


def plan_path(root: Path) -> Path:
    """``assignments.jsonl`` of the project at ``root``."""
    return Path(root) / ASSIGNMENTS


def team_path(root: Path) -> Path:
    """``.annotator/team.json``: the last assign's team and choices."""
    return Path(root) / ".annotator" / "team.json"


def iso_time(seconds: float) -> str:
    """POSIX seconds as ``2026-05-01T10:00:00Z``."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> float:
    """``2026-05-01T10:00:00Z`` (any ISO 8601 with an offset; none means UTC) as POSIX seconds."""
    stamp = datetime.fromisoformat(text)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.timestamp()


def _entry(path: str, lineno: int, raw: bytes, times: dict[str, float]) -> tuple[str, Assignment]:
    record = decode_line(path, lineno, raw)
    doc_id = record.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        raise RecordError(path, lineno, "id: missing or not a string")
    names = record.get("annotators")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise RecordError(path, lineno, "annotators: must be a list of names")
    for name in names:
        try:
            check_annotator_name(name)
        except ValueError as exc:
            raise RecordError(path, lineno, f"annotators: {exc}") from None
        if name == GOLD:
            raise RecordError(path, lineno, "annotators: gold is not an annotator")
    if len(set(names)) != len(names):
        raise RecordError(path, lineno, "annotators: a name repeats")
    stamp = record.get("assigned_at", "")
    since = 0.0
    if stamp:
        if not isinstance(stamp, str):
            raise RecordError(path, lineno, "assigned_at: not a string")
        since = times.get(stamp, -1.0)
        if since < 0:
            try:
                since = times[stamp] = parse_time(stamp)
            except ValueError:
                raise RecordError(
                    path, lineno, f"assigned_at: {stamp!r} is not an ISO 8601 time"
                ) from None
    return doc_id, Assignment(tuple(names), since)


def read_plan(root: Path) -> StoredPlan | None:
    """The project's plan, or None when it has none. Bad lines are collected, not raised."""
    path = plan_path(root)
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed below; a missing file is no plan)
    except FileNotFoundError:
        return None
    plan = StoredPlan()
    where = str(path)
    first: dict[str, int] = {}
    times: dict[str, float] = {}
    with f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip(b"\r\n")
            if not line.strip():
                continue
            try:
                doc_id, entry = _entry(where, lineno, line, times)
                if doc_id in first:
                    raise RecordError(
                        where, lineno, f"duplicate id {doc_id!r} (first on line {first[doc_id]})"
                    )
            except RecordError as err:
                plan.errors.append(err)
                continue
            first[doc_id] = lineno
            plan.entries[doc_id] = entry
    return plan


def plan_lines(entries: Mapping[str, Assignment], order: Iterable[str] = ()) -> Iterator[bytes]:
    """The file's lines: documents in ``order`` first (the project's), then the others sorted."""
    stamps: dict[float, str] = {}
    seen: set[str] = set()

    def line(doc_id: str, entry: Assignment) -> bytes:
        record: dict[str, Any] = {"id": doc_id, "annotators": list(entry.annotators)}
        if entry.since:
            stamp = stamps.get(entry.since)
            if stamp is None:
                stamp = stamps[entry.since] = iso_time(entry.since)
            record["assigned_at"] = stamp
        return (dumps(record) + "\n").encode("utf-8")

    for doc_id in order:
        entry = entries.get(doc_id)
        if entry is not None and entry.annotators and doc_id not in seen:
            seen.add(doc_id)
            yield line(doc_id, entry)
    for doc_id in sorted(set(entries) - seen):
        if entries[doc_id].annotators:
            yield line(doc_id, entries[doc_id])


def write_plan(root: Path, entries: Mapping[str, Assignment], order: Iterable[str] = ()) -> None:
    """Replace the plan atomically (documents without annotators are left out)."""
    try:
        atomic_write(plan_path(root), _batched(plan_lines(entries, order)))
    except OSError as exc:
        raise AnnotatorError(
            f"cannot write {plan_path(root)}: {exc.strerror or exc}; the plan is unchanged"
        ) from None


def _batched(lines: Iterator[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    chunk: list[bytes] = []
    held = 0
    for line in lines:
        chunk.append(line)
        held += len(line)
        if held >= size:
            yield b"".join(chunk)
            chunk, held = [], 0
    if chunk:
        yield b"".join(chunk)


@contextmanager
def plan_lock(root: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the project's assignment lock; AnnotatorError after ``timeout`` seconds."""
    path = Path(root) / ".annotator" / "assignments.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise AnnotatorError(
            f"someone else has been changing the plan for {timeout:g} s ({path} is locked); "
            "try again"
        ) from None
    try:
        yield
    finally:
        lock.release()


@dataclass(frozen=True)
class TeamSettings:
    """The team and choices of the last ``assign``: the next one's defaults."""

    annotators: tuple[str, ...] = ()
    overlap: float = 0.1
    per_doc: int = 2
    seed: int = 0


def read_team(root: Path) -> TeamSettings | None:
    """The saved settings, or None when there are none (or they cannot be read)."""
    try:
        data = json.loads(team_path(root).read_bytes())
        names = tuple(check_annotator_name(n) for n in data["annotators"])
        return TeamSettings(names, float(data["overlap"]), int(data["per_doc"]), int(data["seed"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_team(root: Path, settings: TeamSettings) -> None:
    """Save the settings (atomically)."""
    data = {
        "annotators": list(settings.annotators),
        "overlap": settings.overlap,
        "per_doc": settings.per_doc,
        "seed": settings.seed,
        "saved_at": iso_time(time.time()),
    }
    try:
        atomic_write(team_path(root), [json.dumps(data, indent=2).encode("utf-8")])
    except OSError as exc:
        raise AnnotatorError(
            f"cannot write {team_path(root)}: {exc.strerror or exc}; the next assign will "
            "need --annotators"
        ) from None

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
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from annotator.core.assign import Assignment
from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.jsonl import atomic_write, decode_line
from annotator.core.model import GOLD, check_annotator_name

_string: Callable[[str], str] = json.encoder.encode_basestring  # a str as JSON, non-ASCII kept
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


_LINE = re.compile(
    rb'\{"id":"([^"\\\x00-\x1f]*)","annotators":\[((?:"[a-z0-9_.-]+"(?:,"[a-z0-9_.-]+")*)?)\]'
    rb'(?:,"assigned_at":"([^"\\\x00-\x1f]*)")?\}'
)
_NAME = re.compile(rb'"([a-z0-9_.-]+)"')


class _Reader:
    """Parses plan lines; the few distinct teams and times are checked once each."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.teams: dict[object, tuple[str, ...]] = {}
        self.times: dict[str, float] = {}

    def entry(self, lineno: int, raw: bytes) -> tuple[str, Assignment]:
        """``(id, assignment)`` of one line, or RecordError naming ``path:line``."""
        line = _LINE.fullmatch(raw)
        if line is not None:  # a line as ``plan_lines`` writes it: no JSON parser needed
            doc_id_b, names_b, stamp_b = line.groups()
            try:
                doc_id = doc_id_b.decode("utf-8")
            except UnicodeDecodeError:
                pass  # the slow path says where
            else:
                known = self.teams.get(names_b)
                if known is None:
                    names = tuple(n.decode() for n in _NAME.findall(names_b))
                    known = self.teams[names_b] = self._team(lineno, names)
                team = known
                since = 0.0
                if stamp_b is not None:
                    stamp = stamp_b.decode()
                    since = self.times.get(stamp, -1.0)
                    if since < 0:
                        since = self.times[stamp] = self._time(lineno, stamp)
                if doc_id:
                    return doc_id, Assignment(team, since)
        record = decode_line(self.path, lineno, raw)
        doc_id = record.get("id")
        if not isinstance(doc_id, str) or not doc_id:
            raise RecordError(self.path, lineno, "id: missing or not a string")
        listed = record.get("annotators")
        if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
            raise RecordError(self.path, lineno, "annotators: must be a list of names")
        key = tuple(listed)
        known = self.teams.get(key)
        team = known if known is not None else self._team(lineno, key)
        self.teams[key] = team
        stamp = record.get("assigned_at", "")
        since = 0.0
        if stamp:
            since = self.times.get(stamp, -1.0) if isinstance(stamp, str) else -1.0
            if since < 0:
                since = self.times[stamp] = self._time(lineno, stamp)
        return doc_id, Assignment(team, since)

    def _team(self, lineno: int, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            try:
                check_annotator_name(name)
            except ValueError as exc:
                raise RecordError(self.path, lineno, f"annotators: {exc}") from None
            if name == GOLD:
                raise RecordError(self.path, lineno, "annotators: gold is not an annotator")
        if len(set(names)) != len(names):
            raise RecordError(self.path, lineno, "annotators: a name repeats")
        return names

    def _time(self, lineno: int, stamp: object) -> float:
        if not isinstance(stamp, str):
            raise RecordError(self.path, lineno, "assigned_at: not a string")
        try:
            return parse_time(stamp)
        except ValueError:
            raise RecordError(
                self.path, lineno, f"assigned_at: {stamp!r} is not an ISO 8601 time"
            ) from None


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
    reader = _Reader(where)
    with f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip(b"\r\n")
            if not line.strip():
                continue
            try:
                doc_id, entry = reader.entry(lineno, line)
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
    """The file's lines: documents in ``order`` first (the project's), then the others sorted.

    Written by hand rather than through ``json.dumps`` per line (a third of the time of
    ``assign`` on 100,000 documents): annotator names need no escaping, ids go through the
    encoder ``json`` itself uses.
    """
    suffixes: dict[Assignment, str] = {}  # a few distinct (team, time) pairs

    def suffix(entry: Assignment) -> str:
        names = json.dumps(list(entry.annotators), separators=(",", ":"))
        stamp = f',"assigned_at":"{iso_time(entry.since)}"' if entry.since else ""
        return suffixes.setdefault(entry, f',"annotators":{names}{stamp}}}\n')

    seen: set[str] = set()

    def line(doc_id: str, entry: Assignment) -> bytes:
        end = suffixes.get(entry) or suffix(entry)
        return ('{"id":' + _string(doc_id) + end).encode()

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

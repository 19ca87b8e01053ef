"""A project folder (docs/design.md section 2): its config, documents and annotators' files."""

from __future__ import annotations

import contextlib
import re
import shutil
import tomllib
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, ValidationError

from annotator.core.annotation_file import AnnotationFile
from annotator.core.documents import DocumentStore
from annotator.core.errors import AnnotatorError, describe
from annotator.core.index import stat_key
from annotator.core.jsonl import atomic_write
from annotator.core.model import (
    ANNOTATOR_RE,
    GOLD,
    Annotation,
    Label,
    ProjectConfig,
    Status,
    check_annotator_name,
)
from annotator.core.store import Session

if TYPE_CHECKING:  # the plan's modules import numpy: only the commands that plan load them
    from annotator.core.assign import Assignment
    from annotator.core.assignments import StoredPlan

CONFIG = "annotator.toml"


def render_config(config: ProjectConfig) -> str:
    """``annotator.toml`` text for ``config`` (labels in order, options as a table)."""

    def q(value: str) -> str:
        value = value.replace("\\", "\\\\").replace('"', '\\"')
        # TOML strings hold no control character raw: a name pasted with one stays readable
        return '"' + re.sub("[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", value) + '"'

    out = [f"name = {q(config.name)}", f"language = {q(config.language)}", ""]
    for label in config.labels:
        out += [
            "[[labels]]",
            f"name = {q(label.name)}",
            f"key = {q(label.key)}",
            f"color = {q(label.color)}",
            f"description = {q(label.description)}",
            "",
        ]
    if config.options:
        out.append("[options]")
        for key, value in config.options.items():
            rendered = str(value).lower() if isinstance(value, bool) else repr(value)
            out.append(f"{key} = {q(value) if isinstance(value, str) else rendered}")
        out.append("")
    return "\n".join(out)


def load_config(path: Path) -> ProjectConfig:
    """Read ``annotator.toml``, raising a one-line AnnotatorError on any problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnnotatorError(
            f"{path.parent} is not a project (no {CONFIG}); run 'annotator init'"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AnnotatorError(f"{path}: {exc}") from None
    try:
        return ProjectConfig.model_validate(data)
    except ValidationError as exc:
        raise AnnotatorError(f"{path}: {describe(exc)}") from None


class Project:
    """An open project folder: the folder store's ``storage.ProjectStore``.

    Cheap to open: documents and annotations are indexed lazily.
    """

    def __init__(self, root: Path, quick: bool = False) -> None:
        self.root = Path(root)
        self.quick = quick
        """Indexes are quick ones (``quick_index.quick_index``): the window's, which has the full
        ones built behind the first paint (decision 0046)."""
        self.config = load_config(self.root / CONFIG)
        self.warnings: list[str] = []
        self._documents: DocumentStore | None = None

    # -- layout ----------------------------------------------------------------------

    @property
    def documents_path(self) -> Path:
        """``documents.jsonl``."""
        return self.root / "documents.jsonl"

    @property
    def annotations_dir(self) -> Path:
        """``annotations/``: one JSONL file per annotator."""
        return self.root / "annotations"

    @property
    def state_dir(self) -> Path:
        """``.annotator/``: journals, locks and caches."""
        return self.root / ".annotator"

    @property
    def labels(self) -> tuple[Label, ...]:
        """The project's labels in order."""
        return self.config.labels

    # -- creating --------------------------------------------------------------------

    @classmethod
    def init(cls, root: Path, name: str | None = None) -> Project:
        """Create a project with the default five labels; refuse to overwrite one."""
        root = Path(root)
        if (root / CONFIG).exists():
            raise AnnotatorError(f"{root} is already a project ({CONFIG} exists)")
        root.mkdir(parents=True, exist_ok=True)
        (root / "annotations").mkdir(exist_ok=True)
        (root / "exports").mkdir(exist_ok=True)
        config = ProjectConfig(name=name or root.resolve().name)
        (root / CONFIG).write_text(render_config(config), encoding="utf-8")
        (root / "documents.jsonl").touch()
        return cls(root)

    @classmethod
    def open(cls, root: Path, quick: bool = False) -> Project:
        """Open an existing project folder (``quick``: see ``__init__``)."""
        return cls(Path(root), quick)

    # -- reading ---------------------------------------------------------------------

    @property
    def documents(self) -> DocumentStore:
        """The articles, indexed on first use."""
        if self._documents is None:
            self._documents = DocumentStore(
                self.documents_path, self.index_cache("documents"), quick=self.quick
            )
        return self._documents

    def index_cache(self, name: str) -> Path:
        """Where the full index of ``documents.jsonl`` (``documents``) or of an annotator's
        file (their name) is cached; its quick index's cache is beside it."""
        return self.state_dir / "cache" / f"{name}.idx.json"

    @property
    def location(self) -> str:
        """The project folder."""
        return str(self.root)

    def annotators(self, include_gold: bool = True) -> list[str]:
        """Names of the annotators with a file or a journal (sorted), ``gold`` last if asked.

        A file whose name is not an annotator's (``Ani.jsonl``, ``Bad Name.jsonl``) is not
        one: ``validate`` reports it (``stray_files``). A folder with an annotator's name is
        that annotator's, and reading it fails with one line saying it is not a file.
        """
        found = {
            p.stem
            for p in self._listing(self.annotations_dir, ".jsonl")
            if ANNOTATOR_RE.fullmatch(p.stem)
        }
        for p in self._listing(self.state_dir, ".journal"):
            name = p.name.removesuffix(".journal")
            if ANNOTATOR_RE.fullmatch(name) and p.is_file() and p.stat().st_size:
                found.add(name)
        gold = GOLD in found or (self.state_dir / f"{GOLD}.journal").is_file()
        names = sorted(found - {GOLD})
        if include_gold and gold:
            names.append(GOLD)
        return names

    def stray_files(self) -> list[str]:
        """Entries of ``annotations/`` that are not an annotator's file, each with why."""
        out = []
        for p in self._listing(self.annotations_dir, ".jsonl"):
            if not ANNOTATOR_RE.fullmatch(p.stem):
                out.append(
                    f"{p}: not an annotator's file: the name {p.stem!r} is not 1-64 of "
                    "a-z 0-9 _ . - (annotator names are lower-case); rename it or move it away"
                )
            elif not p.is_file():
                out.append(f"{p}: is a folder, not an annotator's file; move it away")
        return out

    @staticmethod
    def _listing(folder: Path, suffix: str) -> list[Path]:
        try:
            return sorted(p for p in folder.iterdir() if p.name.endswith(suffix))
        except (FileNotFoundError, NotADirectoryError):
            return []

    def annotation_file(self, name: str) -> AnnotationFile:
        """Read-only access to one annotator's saved file."""
        return AnnotationFile(self, check_annotator_name(name))

    def session(self, name: str, read_only: bool = False) -> Session:
        """Open ``name``'s annotations for editing (takes the lock) or read-only."""
        return Session(self, check_annotator_name(name), read_only=read_only)

    def annotation(self, annotator: str, doc_id: str) -> Annotation | None:
        """``annotator``'s latest annotation of ``doc_id``, journal included (None: untouched)."""
        return self.session(annotator, read_only=True).annotation(doc_id)

    # -- assignments ------------------------------------------------------------------

    @property
    def assignments_path(self) -> Path:
        """``assignments.jsonl``: the plan of who annotates which document."""
        return self.root / "assignments.jsonl"

    def assignments(self) -> StoredPlan | None:
        """The assignment plan, or None when there is none (everyone may do everything)."""
        if not self.assignments_path.exists():
            return None  # without importing the planning code: most projects have no plan
        from annotator.core.assignments import read_plan

        return read_plan(self.root)

    def update_assignments(
        self, change: Callable[[StoredPlan | None], Mapping[str, Assignment]]
    ) -> Mapping[str, Assignment]:
        """Write ``change(current plan)`` under the plan's lock, atomically; returns it.

        Refused while the plan has unreadable lines (rewriting would drop them).
        """
        from annotator.core.assignments import plan_lock, read_plan, write_plan

        with plan_lock(self.root):
            current = read_plan(self.root)
            if current is not None:
                current.check_writable()
            new = change(current)
            for doc_id, entry in new.items():
                for name in entry.annotators:
                    try:
                        check_annotator_name(name)
                    except ValueError as exc:
                        raise AnnotatorError(f"assignments of {doc_id!r}: {exc}") from None
            write_plan(self.root, new, self.documents.ids)
            return new

    def close(self) -> None:
        """Nothing is held open between calls on a folder."""

    def stats(self) -> dict[str, Any]:
        """Documents, progress per annotator and spans per label, from the indexes only.

        Totals are cached per file (keyed by size and mtime), so on a warm cache this reads
        a few small files whatever the project's size.
        """
        n_docs, doc_errors = self._document_totals()
        labels = self.config.label_names
        rows = []
        for name in self.annotators():
            totals = self._annotator_totals(name)
            statuses = totals.statuses
            rows.append(
                {
                    "name": name,
                    "done": statuses.get("done", 0),
                    "in_progress": statuses.get("in_progress", 0),
                    "skipped": statuses.get("skipped", 0),
                    "todo": max(0, n_docs - totals.in_project),
                    "seconds": round(totals.seconds, 1),
                    "spans": {label: totals.spans.get(label, 0) for label in labels},
                    "errors": totals.errors,
                }
            )
        return {
            "project": self.config.name,
            "documents": n_docs,
            "document_errors": doc_errors,
            "labels": list(labels),
            "annotators": rows,
        }

    def _cached_totals(self, key: str, stamp: list[int | str]) -> _Totals | None:
        """Totals cached under ``stamp``; None when absent, stale or not of the right types."""
        try:
            raw = (self.state_dir / "cache" / f"{key}.totals.json").read_bytes()
            data = _Totals.model_validate_json(raw)
        except (OSError, ValueError):
            return None
        return data if data.stamp == stamp else None

    def _store_totals(self, key: str, data: _Totals) -> None:
        with contextlib.suppress(OSError):
            atomic_write(
                self.state_dir / "cache" / f"{key}.totals.json", [data.model_dump_json().encode()]
            )

    def _document_totals(self) -> tuple[int, int]:
        stamp: list[int | str] = list(stat_key(self.documents_path))
        cached = self._cached_totals("documents", stamp)
        if cached is None:
            docs = self.documents
            cached = _Totals(stamp=stamp, count=len(docs), errors=len(docs.errors))
            self._store_totals("documents", cached)
        return cached.count, cached.errors

    def _annotator_totals(self, name: str) -> _Totals:
        journal = self.state_dir / f"{name}.journal"
        pending = journal.exists() and journal.stat().st_size > 0
        # the labels decide which lines are valid: totals made under others do not hold
        stamp: list[int | str] = [
            *stat_key(self.annotations_dir / f"{name}.jsonl"),
            *stat_key(self.documents_path),
            "\n".join(sorted(self.config.label_names)),
        ]
        cached = None if pending else self._cached_totals(name, stamp)
        if cached is not None:
            return cached
        session = self.session(name, read_only=True)
        dirty = session.pending()
        index = session.file.index
        statuses: Counter[Status] = Counter()
        spans: dict[str, int] = {}
        seconds = 0.0
        in_project = 0
        docs = self.documents
        for doc_id in session.touched():
            ann = dirty.get(doc_id)
            if ann is not None:  # journaled, not yet compacted (touched() skips untouched)
                status, secs = ann.status, ann.seconds
                counts: dict[str, int] = dict(Counter(s.label for s in ann.spans))
            else:
                summary = index.summary(doc_id)
                status, secs, counts = summary.status, summary.seconds, summary.labels
            in_project += doc_id in docs
            statuses[status] += 1
            seconds += secs
            if status == "done":
                for label, n in counts.items():
                    spans[label] = spans.get(label, 0) + n
        totals = _Totals(
            stamp=stamp,
            statuses=dict(statuses),
            spans=spans,
            seconds=seconds,
            in_project=in_project,
            errors=len(session.file.errors),
        )
        if not pending:
            self._store_totals(name, totals)
        return totals


class _Totals(BaseModel):
    """Counts ``stats`` caches per file, valid while the files match ``stamp``."""

    model_config = ConfigDict(strict=True, extra="forbid", defer_build=True)  # stats only

    stamp: list[int | str]
    count: NonNegativeInt = 0
    errors: NonNegativeInt = 0
    statuses: dict[Status, NonNegativeInt] = Field(default_factory=dict)
    spans: dict[str, NonNegativeInt] = Field(default_factory=dict)
    seconds: float = 0.0
    in_project: NonNegativeInt = 0


def copy_tree_files(src: Path, dst: Path) -> None:
    """Copy the regular files of ``src`` into ``dst`` (used to lay out the demo project)."""
    for path in src.rglob("*"):
        if path.is_file():
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)

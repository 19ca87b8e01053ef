"""A project folder (DESIGN section 2): its config, documents and annotators' files."""

from __future__ import annotations

import shutil
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from annotator.core.documents import DocumentStore
from annotator.core.errors import AnnotatorError, describe
from annotator.core.model import GOLD, Label, ProjectConfig, check_annotator_name
from annotator.core.store import AnnotationFile, Session

CONFIG = "annotator.toml"


def render_config(config: ProjectConfig) -> str:
    """``annotator.toml`` text for ``config`` (labels in order, options as a table)."""

    def q(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

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


@dataclass
class AnnotatorStats:
    """Progress of one annotator."""

    name: str
    statuses: Counter[str] = field(default_factory=Counter)
    spans: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    errors: int = 0


class Project:
    """An open project folder. Cheap to open: documents and annotations are indexed lazily."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
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
    def open(cls, root: Path) -> Project:
        """Open an existing project folder."""
        return cls(Path(root))

    # -- reading ---------------------------------------------------------------------

    @property
    def documents(self) -> DocumentStore:
        """The articles, indexed on first use."""
        if self._documents is None:
            self._documents = DocumentStore(
                self.documents_path, self.state_dir / "cache" / "documents.idx.json"
            )
        return self._documents

    def annotators(self, include_gold: bool = True) -> list[str]:
        """Names of the annotators with a file (sorted), ``gold`` last if asked for."""
        names = sorted(p.stem for p in self.annotations_dir.glob("*.jsonl") if p.stem != GOLD)
        names += sorted(
            p.name.removesuffix(".journal")
            for p in self.state_dir.glob("*.journal")
            if p.stat().st_size
            and p.name.removesuffix(".journal") not in names
            and p.name.removesuffix(".journal") != GOLD
        )
        names.sort()
        if include_gold and (
            (self.annotations_dir / f"{GOLD}.jsonl").exists()
            or (self.state_dir / f"{GOLD}.journal").exists()
        ):
            names.append(GOLD)
        return names

    def annotation_file(self, name: str) -> AnnotationFile:
        """Read-only access to one annotator's saved file."""
        return AnnotationFile(self, check_annotator_name(name))

    def session(self, name: str, read_only: bool = False) -> Session:
        """Open ``name``'s annotations for editing (takes the lock) or read-only."""
        return Session(self, check_annotator_name(name), read_only=read_only)

    def stats(self) -> dict[str, Any]:
        """Documents, progress per annotator and spans per label, from the indexes only."""
        docs = self.documents
        per: list[AnnotatorStats] = []
        for name in self.annotators():
            session = self.session(name, read_only=True)
            st = AnnotatorStats(name, errors=len(session.file.errors))
            ids = set(session.touched())
            for doc_id in ids:
                ann_status = session.status(doc_id) or "todo"
                st.statuses[ann_status] += 1
            for doc_id in ids:
                if doc_id in session._dirty:  # journaled, not yet compacted
                    ann = session._dirty[doc_id]
                    st.seconds += ann.seconds
                    if ann.status == "done":
                        st.spans.update(s.label for s in ann.spans)
                else:
                    status, _, seconds, counts = session.file.index.summary(doc_id)
                    st.seconds += seconds
                    if status == "done":
                        st.spans.update(counts)
            st.statuses["todo"] = max(0, len(docs) - len(ids & set(docs.ids)))
            per.append(st)
        labels = self.config.label_names
        return {
            "project": self.config.name,
            "documents": len(docs),
            "document_errors": len(docs.errors),
            "labels": list(labels),
            "annotators": [
                {
                    "name": st.name,
                    "done": st.statuses["done"],
                    "in_progress": st.statuses["in_progress"],
                    "skipped": st.statuses["skipped"],
                    "todo": st.statuses["todo"],
                    "seconds": round(st.seconds, 1),
                    "spans": {label: st.spans.get(label, 0) for label in labels},
                    "errors": st.errors,
                }
                for st in per
            ],
        }


def copy_tree_files(src: Path, dst: Path) -> None:
    """Copy the regular files of ``src`` into ``dst`` (used to lay out the demo project)."""
    for path in src.rglob("*"):
        if path.is_file():
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)

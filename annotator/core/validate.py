"""Check every file of a project, without using or writing any cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.documents import DOCUMENTS
from annotator.core.index import build_index
from annotator.core.project import Project
from annotator.core.store import annotation_kind


@dataclass
class ValidationReport:
    """What ``validate`` found: ``path:line: reason`` lines."""

    files: int = 0
    records: int = 0
    problems: list[str] = field(default_factory=list)


def validate_project(root: Path) -> ValidationReport:
    """Read the config, the documents and every annotator's file; report each bad line."""
    report = ValidationReport()
    project = Project.open(root)  # raises a one-line error for a bad annotator.toml
    report.files += 1
    docs = build_index(project.documents_path, DOCUMENTS, None)
    report.files += 1
    report.records += len(docs)
    report.problems += [str(e) for e in docs.errors]
    kind = annotation_kind(frozenset(project.config.label_names))
    for path in sorted(project.annotations_dir.glob("*.jsonl")):
        index = build_index(path, kind, None)
        report.files += 1
        report.records += len(index)
        report.problems += [str(e) for e in index.errors]
        for doc_id, entry in index.items():
            doc = docs.entry(doc_id)
            if doc is None:
                report.problems.append(
                    f"{path}:{entry.line}: document {doc_id!r} is not in documents.jsonl"
                )
            elif doc.summary.sha256 != entry.summary.sha256:
                report.problems.append(
                    f"{path}:{entry.line}: the text of {doc_id!r} differs from documents.jsonl"
                )
    for journal in sorted(project.state_dir.glob("*.journal")):
        if journal.stat().st_size:
            report.problems.append(
                f"{journal}: unsaved edits of {journal.stem!r} (open the project as "
                f"{journal.stem!r} to save them)"
            )
    return report

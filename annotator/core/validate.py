"""Check every file of a project, without using or writing any cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.documents import _summarise as summarise_document
from annotator.core.index import build_index
from annotator.core.project import Project
from annotator.core.store import summarise_annotation


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
    docs = build_index(project.documents_path, summarise_document, None)
    report.files += 1
    report.records += len(docs.entries)
    report.problems += [str(e) for e in docs.errors]
    labels = frozenset(project.config.label_names)
    for path in sorted(project.annotations_dir.glob("*.jsonl")):
        index = build_index(path, summarise_annotation(labels), None)
        report.files += 1
        report.records += len(index.entries)
        report.problems += [str(e) for e in index.errors]
        for doc_id, (lineno, _, _, summary) in index.entries.items():
            if doc_id not in docs.entries:
                report.problems.append(
                    f"{path}:{lineno}: document {doc_id!r} is not in documents.jsonl"
                )
            elif docs.entries[doc_id][3][1] != summary[1]:
                report.problems.append(
                    f"{path}:{lineno}: the text of {doc_id!r} differs from documents.jsonl"
                )
    for journal in sorted(project.state_dir.glob("*.journal")):
        if journal.stat().st_size:
            report.problems.append(
                f"{journal}: unsaved edits of {journal.stem!r} (open the project as "
                f"{journal.stem!r} to save them)"
            )
    return report

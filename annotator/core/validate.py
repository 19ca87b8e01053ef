"""Check every file of a project, without using or writing any cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.annotation_file import annotation_kind
from annotator.core.documents import DOCUMENTS
from annotator.core.errors import AnnotatorError, BadRecordError
from annotator.core.index import build_index
from annotator.core.model import ANNOTATOR_RE
from annotator.core.project import Project
from annotator.core.storage import ProjectStore


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
    report.problems += project.stray_files()
    for path in sorted(project.annotations_dir.glob("*.jsonl")):
        if not ANNOTATOR_RE.fullmatch(path.stem):
            continue  # a stray file, reported above
        try:
            index = build_index(path, kind, None)
        except AnnotatorError as exc:  # a folder where the file should be
            report.problems.append(str(exc))
            continue
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
        name = journal.stem
        if not ANNOTATOR_RE.fullmatch(name) or not journal.is_file():
            continue
        if journal.stat().st_size:
            report.problems.append(
                f"{journal}: unsaved edits of {name!r} (open the project as {name!r} to save them)"
            )
        session = project.session(name, read_only=True)
        report.problems += [f"{u}{_decide(root, name)}" for u in session.unapplied]
        for held, state in session.held():
            reason = held.reason if state is None else "it would apply now"
            report.problems.append(
                f"{held.path}:{held.line}: journal entry of {held.doc_id!r} set aside, not "
                f"applied: {reason}{_decide(root, name)}"
            )
    return report


def _decide(root: Path, name: str) -> str:
    return (
        f"; it is kept until you decide: 'annotator journal {root} --annotator {name} --retry' "
        "applies what fits now, '--discard' drops it"
    )


def validate_store(store: ProjectStore) -> ValidationReport:
    """The same check on a store that is not a folder: its documents that could not be read,
    and every annotator's records against the documents (a record of a document the project
    does not hold, or made on another text). A store refuses malformed records on write, so
    what remains to find is what changed under them."""
    if isinstance(store, Project):
        return validate_project(store.root)
    report = ValidationReport()
    docs = store.documents
    report.files += 1
    report.records += len(docs)
    report.problems += [str(e) for e in docs.errors]
    report.problems += list(store.warnings)
    for name in store.annotators(include_gold=True):
        session = store.session(name, read_only=True)
        report.files += 1
        for doc_id in session.touched():
            report.records += 1
            try:
                ann = session.annotation(doc_id)
            except BadRecordError as err:  # a row another client wrote (decision 0115)
                report.problems.append(str(err))
                continue
            where = f"{store.location}: annotation of {doc_id!r} by {name}"
            if doc_id not in docs:
                report.problems.append(f"{where}: the project holds no such document")
            elif ann is not None and ann.text_sha256 != docs.sha(doc_id):
                report.problems.append(f"{where}: made on another text of the document")
    return report

"""``export_project``: resolve the source, plan the splits, stream every format's files.

Two passes. The first reads the source's done annotations and keeps only the resolved spans
(integers), which is what the stratified split needs. The second reads each exported document's
text once, tokenizes it once, and hands it to the format's writer for its split. Files are
written into a scratch folder inside the output folder and moved into place only when all of
them are complete, ``meta.json`` last; a failed, refused or cancelled export leaves the folder
as it was. An output folder holds one export: files that the previous export (as listed in its
``meta.json``) wrote and this one does not are removed, so the folder always matches its
``meta.json``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import io
import json
import os
import shlex
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

from annotator.core.documents import DocumentStore
from annotator.core.errors import AnnotatorError
from annotator.core.export.cutting import cut_records
from annotator.core.export.formats import EXPORTERS, DocWriter, Exporter, FormatContext
from annotator.core.export.records import (
    SCHEMES,
    Misaligned,
    MisalignedSpan,
    Scheme,
    prepare,
    read_record,
)
from annotator.core.export.sources import (
    MERGED,
    PROGRESS_EVERY,
    ExportCancelled,
    Progress,
    Resolved,
    resolve,
)
from annotator.core.export.splits import plan_splits
from annotator.core.export.summary import ExportSummary, FileInfo, SplitStats
from annotator.core.jsonl import file_mode, fsync_dir
from annotator.core.model import now_iso
from annotator.core.storage import DocumentSource, ProjectStore

DEFAULT_SOURCE = MERGED
DEFAULT_MAX_WORDS = 256  # a BERT-sized window holds 512 subwords: about 256 Indonesian words
META = "meta.json"
README = "README.md"


@dataclass(frozen=True)
class ExportOptions:
    """The choices of one export (the command line's flags; the window's dialog fields)."""

    format: str
    source: str = DEFAULT_SOURCE
    out: Path = Path("exports")
    split: tuple[float, ...] | None = None  # fractions of train, dev[, test]; None: all.*
    seed: int = 0
    scheme: Scheme = "iob2"
    misaligned: Misaligned = Misaligned.WIDEN
    max_words: int = DEFAULT_MAX_WORDS  # tokens per record (jsonl, conll, hf); 0: no cut
    command: str = ""  # recorded in meta.json; built from these options when empty


class MisalignedError(AnnotatorError):
    """``--misaligned refuse`` met spans that are not on token boundaries; nothing was written."""

    def __init__(self, spans: list[MisalignedSpan]) -> None:
        self.spans = spans
        super().__init__(
            f"export refused: {len(spans)} span{'s' if len(spans) != 1 else ''} not on token "
            f"boundaries (first: {spans[0].where()}); "
            "nothing was written; fix them or use --misaligned widen or drop"
        )


def canonical_command(project: Path | str, options: ExportOptions) -> str:
    """The command that reproduces an export, every choice spelled out."""
    args = [
        "annotator", "export", str(project),
        "--format", options.format,
        "--source", options.source,
        "--out", str(options.out),
        "--scheme", options.scheme,
        "--misaligned", str(options.misaligned),
    ]  # fmt: skip
    exporter = EXPORTERS.get(options.format)
    if exporter is not None and exporter.records != "whole":
        args += ["--max-words", str(options.max_words)]
    if options.split:
        args += ["--split", ",".join(f"{f * 100:g}" for f in options.split)]
    args += ["--seed", str(options.seed)]
    return shlex.join(args)


class _StoreTextReader:
    """Reads exported documents' texts through any store's document source."""

    def __init__(self, docs: DocumentSource) -> None:
        self.docs = docs

    def read(self, doc_id: str) -> tuple[str, dict[str, Any]]:
        doc = self.docs.get(doc_id)
        return doc.text, dict(doc.meta)

    def close(self) -> None:
        """Nothing is held open."""


def _text_reader(docs: DocumentSource) -> _TextReader | _StoreTextReader:
    return _TextReader(docs) if isinstance(docs, DocumentStore) else _StoreTextReader(docs)


class _TextReader:
    """Reads exported documents' texts in file order through one open handle."""

    def __init__(self, docs: DocumentStore) -> None:
        self.path = str(docs.path)
        self.index = docs.index
        self.file = open(docs.path, "rb")  # noqa: SIM115 - closed by export_project

    def read(self, doc_id: str) -> tuple[str, dict[str, Any]]:
        entry = self.index.entry(doc_id)
        if entry is None:
            raise AnnotatorError(f"{self.path}: {doc_id!r} changed during the export; run it again")
        self.file.seek(entry.offset)
        record = read_record(self.path, entry.line, self.file.read(entry.length))
        text, meta = record.get("text"), record.get("meta") or {}
        if (
            record.get("id") != doc_id
            or not isinstance(text, str)
            or len(text) != entry.summary.length
        ):
            raise AnnotatorError(
                f"{self.path}:{entry.line}: changed during the export; run it again"
            )
        return text, meta if isinstance(meta, dict) else {}

    def close(self) -> None:
        self.file.close()


class _HashedFile(io.BufferedWriter):
    """A split's file that keeps the SHA-256 of what is written to it (``meta.json`` lists
    it), so the file need not be read back to hash it: a jsonl export writes gigabytes."""

    def __init__(self, path: Path) -> None:
        super().__init__(io.FileIO(path, "wb"), buffer_size=1 << 20)
        self.sha256 = hashlib.sha256()

    def write(self, data: ReadableBuffer, /) -> int:
        self.sha256.update(data)
        return super().write(data)


def export_project(
    project: ProjectStore, options: ExportOptions, progress: Progress | None = None
) -> ExportSummary:
    """Export ``project`` as ``options`` say; returns the summary (also in ``meta.json``).

    ``progress(phase, done, total)`` is called every few hundred documents with phase
    ``"reading"`` then ``"writing"``; returning False cancels (nothing is written). Raises
    AnnotatorError (one line) for anything the user can fix.
    """
    started = time.perf_counter()
    exporter = EXPORTERS.get(options.format)
    if exporter is None:
        raise AnnotatorError(f"unknown format {options.format!r} (have: {', '.join(EXPORTERS)})")
    if options.scheme not in SCHEMES:
        raise AnnotatorError(f"unknown scheme {options.scheme!r} (have: {', '.join(SCHEMES)})")
    if options.max_words < 0:
        raise AnnotatorError(f"--max-words must be 0 or more, got {options.max_words}")
    exporter.require()
    mode = Misaligned(options.misaligned)
    labels = project.config.label_names
    resolved = resolve(project, options.source, progress)
    if not resolved.spans:
        raise AnnotatorError(
            f"nothing to export: no document has a done annotation from {options.source!r}"
        )
    plan = plan_splits(resolved.label_sets(), options.split, options.seed, labels)
    summary = ExportSummary(
        project=project.config.name,
        project_path=project.location,
        format=exporter.name,
        source=options.source,
        scheme=options.scheme,
        misaligned_mode=str(mode),
        seed=options.seed,
        fractions=options.split,
        out=str(options.out),
        labels=labels,
        command=options.command or canonical_command(project.location, options),
        created_at=now_iso(),
        splits={name: SplitStats() for name in plan.names},
        origins=resolved.origins,
        moved=plan.moved,
        stale=resolved.stale,
        not_done=resolved.not_done,
        orphans=resolved.orphans,
        no_majority=resolved.no_majority,
        warnings=resolved.warnings + [str(e) for e in project.documents.errors],
        ids={name: [] for name in plan.names},
        loading=exporter.readme,
        max_words=options.max_words if exporter.records != "whole" else 0,
        record_unit=exporter.records,
    )
    if exporter.name == "spacy":
        summary.versions["spacy"] = importlib.metadata.version("spacy")
    out = Path(options.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out))
    except OSError as exc:
        raise AnnotatorError(f"cannot write the export to {out}: {exc.strerror or exc}") from None
    try:
        ctx = FormatContext(labels, options.scheme, project.config.language, staging)
        names = {split: f"{split}{exporter.suffix}" for split in plan.names}
        digests = _write_splits(project, resolved, plan.of, mode, exporter, ctx, names,
                                staging, summary, progress)  # fmt: skip
        for name, data in exporter.extras(ctx).items():
            (staging / name).write_bytes(data)
            names[name] = name
            digests[name] = hashlib.sha256(data).hexdigest()
        for split, name in names.items():
            docs = summary.splits[split].documents if split in summary.splits else None
            path = staging / name
            summary.files.append(FileInfo(name, path.stat().st_size, digests[split], docs))
        summary.seconds = time.perf_counter() - started
        _publish(out, staging, summary)
    except OSError as exc:  # a full disk, a folder gone: the previous export is still whole
        raise AnnotatorError(
            f"could not write the export to {out}: {exc.strerror or exc}"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def _write_splits(
    project: ProjectStore,
    resolved: Resolved,
    split_of: dict[str, str],
    mode: Misaligned,
    exporter: Exporter,
    ctx: FormatContext,
    names: dict[str, str],
    staging: Path,
    summary: ExportSummary,
    progress: Progress | None,
) -> dict[str, str]:
    """Pass two: every exported document, tokenized once, into its split's writer. Returns
    each split's file's SHA-256."""
    files: dict[str, _HashedFile] = {}
    writers: dict[str, DocWriter] = {}
    reader = _text_reader(project.documents)
    refused: list[MisalignedSpan] = []
    try:
        for split, name in names.items():
            files[split] = _HashedFile(staging / name)  # closed below
            writers[split] = exporter.open(files[split], ctx)
        total = len(resolved.spans)
        for n, doc_id in enumerate(resolved.spans):
            if (
                progress is not None
                and n % PROGRESS_EVERY == 0
                and progress("writing", n, total) is False
            ):
                raise ExportCancelled
            text, meta = reader.read(doc_id)
            split = split_of[doc_id]
            prepared = prepare(
                doc_id, text, meta, resolved.triples(doc_id), mode,
                split=split, origin=resolved.origin[doc_id],
            )  # fmt: skip
            if prepared.misaligned:
                summary.misaligned += prepared.misaligned
                if mode is Misaligned.REFUSE:
                    refused += prepared.misaligned
            doc = prepared.doc
            if exporter.records != "whole":
                records = cut_records(
                    doc.text, doc.tokens, doc.spans, summary.max_words,
                    lines_apart=exporter.records == "lines", starts=doc.starts,
                )  # fmt: skip
                doc = doc.with_records(tuple(records))
            if not refused:
                writers[split].write(doc)
            summary.splits[split].add(doc, summary.max_words)
            summary.ids[split].append(doc_id)
        if refused:
            raise MisalignedError(refused)
        for writer in writers.values():
            writer.close()
        for f in files.values():
            f.flush()
            os.fsync(f.fileno())
        if progress is not None and progress("writing", total, total) is False:
            raise ExportCancelled
        return {split: f.sha256.hexdigest() for split, f in files.items()}
    finally:
        reader.close()
        for f in files.values():
            f.close()


def _previous_files(out: Path) -> list[str]:
    """Files the export already in ``out`` wrote, as its ``meta.json`` lists them."""
    try:
        meta = json.loads((out / META).read_text(encoding="utf-8"))
        names = [f["name"] for f in meta["files"]] if meta.get("tool") == "annotator" else []
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
    return [
        n for n in names if isinstance(n, str) and n == Path(n).name and n not in (META, README)
    ]


def _keep_mode(new: Path, old: Path) -> None:
    """Give ``new`` the mode of the file it is about to replace (the umask's, if none)."""
    with contextlib.suppress(OSError):
        os.chmod(new, file_mode(old))


def _publish(out: Path, staging: Path, summary: ExportSummary) -> None:
    """Move the finished files into ``out``, drop the previous export's leftovers, meta last."""
    previous = _previous_files(out)
    new = {f.name for f in summary.files}
    summary.replaced = [n for n in previous if n not in new and (out / n).exists()]
    for info in summary.files:
        _keep_mode(staging / info.name, out / info.name)
        os.replace(staging / info.name, out / info.name)
    for name in summary.replaced:
        with contextlib.suppress(OSError):
            (out / name).unlink()
    # written like the data files, each keeping the mode of the file it replaces, so a
    # folder shared with a training job stays readable to it
    (staging / README).write_text(summary.readme(), encoding="utf-8")
    _keep_mode(staging / README, out / README)
    os.replace(staging / README, out / README)
    meta = json.dumps(summary.to_json(), ensure_ascii=False, indent=1) + "\n"
    with open(staging / META, "w", encoding="utf-8") as f:
        f.write(meta)
        f.flush()
        os.fsync(f.fileno())
    _keep_mode(staging / META, out / META)
    os.replace(staging / META, out / META)
    fsync_dir(out)

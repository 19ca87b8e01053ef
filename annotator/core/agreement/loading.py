"""Collect each annotator's submitted (``done``) annotations from a project into a ``Corpus``.

Reads the latest state: the saved ``annotations/<name>.jsonl`` plus edits still in the
annotator's journal (replayed by a read-only ``Session``, which takes no lock). Only ``done``
counts; skipped, in-progress and untouched documents are missing, never "no entities".

A fast path reads the JSONL lines with ``json.loads`` and checks the span invariants itself,
instead of building a pydantic record per line: agreement reads every line of every annotator,
and validating 30,000 records with pydantic alone would take longer than the whole report.
Every annotator's line of a document repeats the document's text, most of each line's bytes;
``parse_record`` reads a text once for all the annotators (see there).
It is also more forgiving than the store, as docs/agreement.md asks: one bad span (out of range,
empty, unknown label, offsets that are not integers, a key missing) is dropped with a data
warning ``path:line: ...`` and the rest of the annotation still counts; spans of one annotation
may overlap (an imported file may hold such). A span is read by its offsets and label, as a
server's row is (decision 0117): the copy of the characters it covers is checked by
``validate``, and a record whose copy differs is left out of exports, on either store. A line
that cannot be read at all (nested too deeply, too) is reported the same way and skipped; of
two lines with the same id the first counts, as in the store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

from pydantic_core import from_json

from annotator.core.agreement.corpus import Corpus, SpanColumns, Submission, gc_paused
from annotator.core.agreement.spans import span_triples
from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.jsonl import decode_line
from annotator.core.model import GOLD, STATUSES, check_annotator_name
from annotator.core.project import Project
from annotator.core.storage import ProjectStore

Progress = Callable[[int, int], None]  # (bytes read so far, bytes to read)
_START, _END, _LABEL, _TEXT = (itemgetter(k) for k in ("start", "end", "label", "text"))
_HEAD = re.compile(rb'\{"id":"(?:[^"\\]|\\.)*","text":"')
_TEXT_END = b'","spans":['


def choose_annotators(project: ProjectStore, annotators: Sequence[str] | None) -> list[str]:
    """The raters to compare: the given names (checked) or every annotator but gold."""
    known = project.annotators(include_gold=False)
    if annotators is None:
        return known
    names: list[str] = []
    for name in annotators:
        try:
            check_annotator_name(name)
        except ValueError as exc:
            raise AnnotatorError(str(exc)) from None
        if name == GOLD:
            raise AnnotatorError(
                "gold is not a rater: its agreement with each annotator is shown as accuracy"
            )
        if name not in known:
            have = ", ".join(known) or "none yet"
            raise AnnotatorError(f"no annotations by {name!r} in this project (annotators: {have})")
        if name not in names:
            names.append(name)
    return names


def load_corpus(
    project: ProjectStore,
    annotators: Sequence[str] | None = None,
    include_gold: bool = True,
    progress: Progress | None = None,
) -> Corpus:
    """Every chosen annotator's submitted annotations (and gold's, if asked and present)."""
    names = choose_annotators(project, annotators)
    if include_gold and GOLD in project.annotators(include_gold=True):
        names.append(GOLD)
    if not isinstance(project, Project):
        return _load_from_store(project, names)
    paths = [project.annotations_dir / f"{name}.jsonl" for name in names]
    sizes = [p.stat().st_size if p.exists() else 0 for p in paths]
    total = sum(sizes)
    done = 0
    warnings: list[str] = []
    submissions: dict[str, dict[str, Submission]] = {}
    texts: dict[bytes, str] = {}  # every annotator's line of a document holds its text
    with gc_paused():
        for name, path, size in zip(names, paths, sizes, strict=True):
            start = done

            def report(read: int, start: int = start) -> None:
                if progress is not None:
                    progress(start + read, total)

            submissions[name] = read_submissions(path, warnings, report, texts)
            done += size
            _overlay_journal(project, name, submissions[name], warnings)
    return _corpus(project, submissions, warnings)


def _corpus(
    project: ProjectStore, submissions: dict[str, dict[str, Submission]], warnings: list[str]
) -> Corpus:
    docs = project.documents
    seen = set().union(*submissions.values()) if submissions else set()
    titles = {doc_id: docs.title(doc_id) for doc_id in seen if doc_id in docs}
    return Corpus(
        labels=project.config.label_names,
        submissions=submissions,
        total_documents=len(seen | set(docs.ids)),
        titles=titles,
        warnings=warnings,
    )


def _load_from_store(project: ProjectStore, names: list[str]) -> Corpus:
    """The same corpus from any store, through its done annotations; a record it cannot read
    at all (a server row the desktop cannot decode) left out with a warning naming it, as a
    folder's unreadable line is (decision 0117)."""
    from annotator.core.reads import done_spans

    warnings = list(project.warnings)
    submissions: dict[str, dict[str, Submission]] = {}
    with gc_paused():
        for name in names:
            records: dict[str, Submission] = {}
            for doc_id, text, spans in done_spans(project, name, warnings):
                records[doc_id] = Submission(text, spans, f"{project.location} ({name}, {doc_id})")
            submissions[name] = records
    return _corpus(project, submissions, warnings)


def read_submissions(
    path: Path,
    warnings: list[str],
    progress: Callable[[int], None] | None = None,
    texts: dict[bytes, str] | None = None,
) -> dict[str, Submission]:
    """The ``done`` records of one annotator's JSONL file, by document id.

    ``texts``: the texts already read (see ``parse_record``), shared with other files.
    """
    texts = {} if texts is None else texts
    out: dict[str, Submission] = {}
    first: dict[str, int] = {}
    where = str(path)
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed below; a missing file is no annotations)
    except FileNotFoundError:
        return out
    except IsADirectoryError:
        raise AnnotatorError(f"{path}: is not a file") from None
    with f:
        read = 0
        for lineno, raw in enumerate(f, 1):
            read += len(raw)
            if progress is not None and not lineno % 1000:
                progress(read)
            try:
                record = parse_record(raw, texts)
            except (ValueError, RecursionError):  # nested too deeply: one line, as validate
                if raw.strip():
                    warnings.append(_unreadable(where, lineno, raw))
                continue
            if type(record) is dict:
                doc_id = record.get("id")
                status = record.get("status", "in_progress")
                text = record.get("text")
                spans = record.get("spans", [])
                if (
                    type(doc_id) is str
                    and doc_id
                    and doc_id not in first
                    and status == "done"
                    and type(text) is str
                    and type(spans) is list
                ):
                    first[doc_id] = lineno
                    try:  # the common case, every span well formed: no Python loop at all
                        starts = list(map(_START, spans))
                        ends = list(map(_END, spans))
                        shown = list(map(text.__getitem__, map(slice, starts, ends)))
                        if shown == list(map(_TEXT, spans)):
                            columns = SpanColumns(starts, ends, list(map(_LABEL, spans)))
                            out[doc_id] = Submission(text, columns, f"{where}:{lineno}")
                            continue
                    except (KeyError, TypeError):
                        pass
                    del first[doc_id]
            try:
                submission = _careful(record, where, lineno, first, warnings)
            except RecordError as err:
                warnings.append(f"{err} (line skipped)")
                continue
            if submission is not None:
                out[submission[0]] = submission[1]
        if progress is not None:
            progress(read)
    return out


def parse_record(raw: bytes, texts: dict[bytes, str]) -> Any:
    """``json.loads(raw)`` (raises ValueError as it does), fast for the store's lines.

    A line the store wrote starts ``{"id":"<id>","text":"<text>","spans":[``. The text ends
    at the first ``","spans":[`` after ``"text":"``: the quote before ``spans`` is not escaped
    (a comma precedes it), so inside the text it would have ended the string. What lies
    between must then be a JSON string's inside, which reading it checks (an earlier
    unescaped quote makes it fail). Identical bytes are the same text, so ``texts`` (bytes
    to text) reads each text once for every annotator, and the line without its text field
    is parsed with pydantic-core's JSON reader. A line in any other shape, or one that would
    hold a second ``text`` key, is parsed whole with ``json.loads``; so is one pydantic-core
    refuses (lone surrogates, which ``json`` accepts), so the result is ``json.loads``'s.
    """
    head = _HEAD.match(raw)
    if head is not None:
        start = head.end()
        end = raw.find(_TEXT_END, start)
        if end >= 0:
            body = raw[start:end]
            text = texts.get(body)
            if text is None:
                text = _json_string(body)
                if text is not None:
                    texts[body] = text
            if text is not None:
                rest = raw[: start - 8] + raw[end + 2 :]  # {"id":"<id>","spans":[...
                try:
                    record = from_json(rest)
                except ValueError:
                    record = None
                if type(record) is dict and "text" not in record:
                    record["text"] = text
                    return record
    return json.loads(raw)  # bytes: a BOM on line 1 is understood


def _json_string(body: bytes) -> str | None:
    """The text of a JSON string's inside ``body``, as ``json.loads`` reads it, else None."""
    try:
        # as json.loads decodes bytes (utf-8, surrogatepass); a str: no encoding guessed
        value = json.loads('"' + body.decode("utf-8", "surrogatepass") + '"')
    except ValueError:  # UnicodeDecodeError too
        return None
    return value if type(value) is str else None


def _unreadable(where: str, lineno: int, raw: bytes) -> str:
    try:
        decode_line(where, lineno, raw.rstrip(b"\r\n"))
    except RecordError as err:
        return f"{err} (line skipped)"
    return f"{where}:{lineno}: unreadable (line skipped)"


def _careful(
    record: Any, where: str, lineno: int, first: dict[str, int], warnings: list[str]
) -> tuple[str, Submission] | None:
    """The slow path of one record: say exactly what is wrong with it."""
    if not isinstance(record, dict):
        raise RecordError(where, lineno, f"expected a JSON object, got {type(record).__name__}")
    doc_id = record.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        raise RecordError(where, lineno, "id: missing or not a string")
    if doc_id in first:
        raise RecordError(where, lineno, f"duplicate id {doc_id!r} (first on line {first[doc_id]})")
    first[doc_id] = lineno
    status = record.get("status", "in_progress")
    if status not in STATUSES:
        raise RecordError(where, lineno, f"status: {status!r} is not one of {', '.join(STATUSES)}")
    if status != "done":
        return None
    text = record.get("text")
    if not isinstance(text, str):
        raise RecordError(where, lineno, "text: missing or not a string")
    raw = record.get("spans", [])
    if not isinstance(raw, list):
        raise RecordError(where, lineno, "spans: not a list")
    # each span as the JSON holds it, as a server's row is read: range, type, label and
    # missing-key problems are reported by the core, the same warning on either store; the
    # copy of the covered characters is the record's business, named by validate (0117)
    kept = span_triples(raw)
    return doc_id, Submission(text, kept, f"{where}:{lineno}")


def _overlay_journal(
    project: Project, name: str, records: dict[str, Submission], warnings: list[str]
) -> None:
    """Apply edits that are journaled but not yet folded into the JSONL file."""
    journal = project.state_dir / f"{name}.journal"
    try:
        if not journal.stat().st_size:
            return
    except FileNotFoundError:
        return
    before = len(project.warnings)
    session = project.session(name, read_only=True)
    for doc_id, ann in session.pending().items():  # None: taken back to untouched
        if ann is not None and ann.status == "done":
            spans = tuple((s.start, s.end, s.label) for s in ann.spans)
            records[doc_id] = Submission(ann.text, spans, f"{journal} ({doc_id})")
        else:
            records.pop(doc_id, None)
    warnings.extend(project.warnings[before:])

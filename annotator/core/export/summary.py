"""What an export did, for people (summary lines, README.md) and machines (meta.json)."""

from __future__ import annotations

import platform
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from annotator import __version__
from annotator.core.export.records import ExportDoc, MisalignedSpan
from annotator.core.printable import code_fence, counted, escape_controls, markdown_text, one_line

LIST_LIMIT = 20  # misaligned spans shown in the summary lines; meta.json has them all


@dataclass
class SplitStats:
    """Documents, records, tokens and spans per label of one split."""

    documents: int = 0
    tokens: int = 0
    spans: Counter[str] = field(default_factory=Counter)
    records: int = 0
    over_limit: int = 0  # records longer than max_words (an entity longer than that alone)

    def add(self, doc: ExportDoc, max_words: int = 0) -> None:
        """Count one exported document and the records it was written as."""
        self.documents += 1
        self.tokens += len(doc.words)
        self.spans.update([sp.label for sp in doc.spans])
        self.records += len(doc.records) or 1
        if max_words:
            self.over_limit += sum(1 for a, b in doc.records if b - a > max_words)


@dataclass
class FileInfo:
    """One file written by the export."""

    name: str
    bytes: int
    sha256: str
    documents: int | None = None


@dataclass
class ExportSummary:
    """Everything an export decided and wrote; ``meta.json`` is ``to_json()``."""

    project: str
    project_path: str
    format: str
    source: str
    scheme: str
    misaligned_mode: str
    seed: int | None
    fractions: tuple[float, ...] | None
    out: str
    labels: tuple[str, ...]
    command: str = ""
    created_at: str = ""
    seconds: float = 0.0
    versions: dict[str, str] = field(default_factory=dict)
    files: list[FileInfo] = field(default_factory=list)
    splits: dict[str, SplitStats] = field(default_factory=dict)
    origins: Counter[str] = field(default_factory=Counter)
    misaligned: list[MisalignedSpan] = field(default_factory=list)
    moved: list[tuple[str, str, str]] = field(default_factory=list)
    stale: list[tuple[str, str]] = field(default_factory=list)
    not_done: int = 0
    orphans: int = 0
    no_majority: int = 0
    warnings: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    ids: dict[str, list[str]] = field(default_factory=dict)
    loading: tuple[str, ...] = ()  # the format's how-to-load lines for README.md
    max_words: int = 0  # tokens per record; 0: not cut
    record_unit: str = "documents"  # Exporter.records: documents, lines or whole

    @property
    def documents(self) -> int:
        """Documents exported, over all splits."""
        return sum(s.documents for s in self.splits.values())

    def origin_text(self) -> str:
        """Where the documents' spans came from: ``3 documents: 1 from gold, 2 from ...``."""
        total = counted(self.documents, "document")
        if set(self.origins) <= {self.source}:
            return total
        names = {"single": "a single annotator", "majority": "a majority of the annotators"}
        parts = ", ".join(f"{n:,} from {names.get(k, k)}" for k, n in self.origins.most_common())
        return f"{total}: {parts}"

    @property
    def records(self) -> int:
        """Records written, over all splits (documents, or the pieces they were cut into)."""
        return sum(s.records for s in self.splits.values())

    @property
    def over_limit(self) -> int:
        """Records longer than ``max_words``: an entity longer than that on its own."""
        return sum(s.over_limit for s in self.splits.values())

    def records_text(self) -> str:
        """How the documents were cut into records, in one sentence."""
        if self.record_unit == "whole":
            return "one record per document (the format keeps documents whole)"
        count = (
            counted(self.records, "sentence") + " (blank-line blocks)"
            if self.record_unit == "lines"
            else counted(self.records, "record")
        )
        if not self.max_words:
            how = "each line of the text" if self.record_unit == "lines" else "whole documents"
            return f"{count}: {how} (--max-words 0)"
        where = "each line of the text, and within a line " if self.record_unit == "lines" else ""
        over = (
            f"; {counted(self.over_limit, 'record')} longer, holding an entity longer than that"
            if self.over_limit
            else ""
        )
        return (
            f"{count} of at most {self.max_words:,} words: {where}cut at "
            f"sentence ends, a longer sentence between entities, never inside one{over}"
        )

    def table(self) -> list[str]:
        """Documents, tokens and spans per label per split, as aligned text rows."""
        head = ["split", "documents", "tokens", *self.labels]
        rows = [
            [
                name,
                f"{s.documents:,}",
                f"{s.tokens:,}",
                *(f"{s.spans[lab]:,}" for lab in self.labels),
            ]
            for name, s in self.splits.items()
        ]
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
        return [
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
            for r in [head, *rows]
        ]

    def lines(self, limit: int = LIST_LIMIT) -> list[str]:
        """The summary shown at the end of an export (command line and window)."""
        out = [
            f"exported {counted(self.documents, 'document')} of {self.project!r} as {self.format}"
            + (f" ({self.scheme})" if self.format in ("conll", "hf") else "")
            + f" to {self.out}",
            f"source {self.source}: {self.origin_text()}",
            f"records: {self.records_text()}",
            *self.table(),
        ]
        if self.moved:
            moves = "; ".join(
                f"{one_line(d)} from {f} (only {lab} outside train)" for d, f, lab in self.moved
            )
            out.append(f"moved into train so every label is learnt: {moves}")
        empty = [name for name, s in self.splits.items() if not s.documents]
        if empty:
            out.append(f"warning: {', '.join(empty)} has no documents")
        missing = [
            lab for lab in self.labels if not any(s.spans[lab] for s in self.splits.values())
        ]
        if missing:
            out.append(f"labels with no span: {', '.join(missing)}")
        if self.misaligned:
            counts = Counter(m.action for m in self.misaligned)
            what = ", ".join(f"{n} {a}" for a, n in counts.items())
            out.append(f"{counted(len(self.misaligned), 'span')} not on token boundaries ({what}):")
            out += [f"  {m.describe()}" for m in self.misaligned[:limit]]
            if len(self.misaligned) > limit:
                out.append(
                    f"  ... and {len(self.misaligned) - limit} more, all listed in meta.json"
                )
        if self.not_done:
            out.append(
                f"{counted(self.not_done, 'project document')} without a done annotation left out"
            )
        if self.no_majority:
            out.append(
                f"{counted(self.no_majority, 'span')} without a majority of the annotators left out"
            )
        if self.stale:
            listed = ", ".join(f"{one_line(d)} ({a})" for d, a in self.stale[:limit])
            more = f" and {len(self.stale) - limit} more" if len(self.stale) > limit else ""
            out.append(f"left out, annotated on a text that has changed since: {listed}{more}")
        if self.orphans:
            out.append(
                f"{counted(self.orphans, 'done annotation')} of documents not in the project"
            )
        if self.warnings:
            out.append(
                f"{counted(len(self.warnings), 'unreadable line')} skipped"
                " (see 'annotator validate'):"
            )
            out += [f"  {one_line(w)}" for w in self.warnings[:limit]]
        if self.replaced:
            out.append(f"replaced the previous export's {', '.join(self.replaced)}")
        out.append("files: " + ", ".join([*(f.name for f in self.files), "README.md", "meta.json"]))
        return out

    def to_json(self) -> dict[str, Any]:
        """The contents of ``meta.json``: enough to trace a training run back to its data."""
        return {
            "tool": "annotator",
            "version": __version__,
            "versions": {"python": platform.python_version(), **self.versions},
            "created_at": self.created_at,
            "command": self.command,
            "project": {"name": self.project, "path": self.project_path},
            "format": self.format,
            "scheme": self.scheme,
            "source": self.source,
            "origins": dict(self.origins),
            "labels": list(self.labels),
            "misaligned": {
                "mode": self.misaligned_mode,
                "spans": [m.to_json() for m in self.misaligned],
            },
            "seed": self.seed,
            "split": list(self.fractions) if self.fractions else None,
            "records": {
                "max_words": self.max_words,
                "unit": self.record_unit,
                "how": self.records_text(),
                "count": self.records,
                "over_limit": self.over_limit,
            },
            "counts": {
                name: {
                    "documents": s.documents,
                    "records": s.records,
                    "tokens": s.tokens,
                    "spans": {lab: s.spans[lab] for lab in self.labels},
                }
                for name, s in self.splits.items()
            },
            "moved_for_stratification": [
                {"id": d, "from": f, "label": lab} for d, f, lab in self.moved
            ],
            "left_out": {
                "not_done": self.not_done,
                "no_majority_spans": self.no_majority,
                "stale": [{"id": d, "annotator": a} for d, a in self.stale],
                "not_in_project": self.orphans,
                "unreadable_lines": self.warnings,
            },
            "files": [
                {"name": f.name, "bytes": f.bytes, "sha256": f.sha256, "documents": f.documents}
                for f in self.files
            ],
            "seconds": round(self.seconds, 3),
            "documents": self.ids,
        }

    def readme(self) -> str:
        """``README.md`` of the export folder: what it is, how it was made, how to load it."""
        split = (
            "none (one file, `all`)"
            if not self.fractions
            else ", ".join(f"{n} {f:.0%}" for n, f in zip(self.splits, self.fractions, strict=True))
            + f", seed {self.seed}"
        )
        command = escape_controls(self.command)
        fence = code_fence(command)
        lines = [
            f"# Export of {markdown_text(self.project)}",
            "",
            f"Made by annotator {__version__} on {self.created_at} in {self.seconds:.1f} s with:",
            "",
            fence,
            command,
            fence,
            "",
            f"- format: {self.format}"
            + (f" ({self.scheme})" if self.format in ("conll", "hf") else ""),
            f"- source: {self.source}: {self.origin_text()}",
            f"- split: {split}",
            f"- records: {self.records_text()}",
            f"- spans not on token boundaries: {len(self.misaligned)} ({self.misaligned_mode});"
            " each is listed in `meta.json`",
            "",
            "```",
            *self.table(),
            "```",
            "",
            "Files: " + ", ".join(f"`{f.name}`" for f in self.files) + ". "
            "`meta.json` records all of the above, each file's SHA-256, and the document ids of "
            "each split.",
            "",
            *self.loading,
        ]
        return "\n".join(lines) + "\n"

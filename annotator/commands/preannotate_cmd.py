"""``annotator preannotate PROJECT [--as NAME] [--source rules|model|both]``: batch suggestions.

Writes a suggestion for every document into ``suggestions/<set>.jsonl`` (never into
``annotations/``: a suggestion counts nowhere until an annotator accepts it) and prints how
many there are per label. ``--as NAME`` writes the set annotator NAME sees; without it, the
set ``default`` everyone else sees. The window shows a stored suggestion while the document's
text is unchanged and computes live ones for the rest.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator

from annotator.commands.output import warn
from annotator.core.errors import AnnotatorError
from annotator.core.open import WithFolder, display_location, opened, with_folder
from annotator.core.printable import counted
from annotator.core.suggest import DEFAULT_SET, MODES, Suggester, Suggestion, write_set
from annotator.core.suggest.engine import configured_mode


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``preannotate``."""
    parser.add_argument("project", help="project folder or postgresql:// URL")
    parser.add_argument(
        "--as",
        dest="name",
        metavar="NAME",
        default=DEFAULT_SET,
        help=f"write the set annotator NAME sees (default: {DEFAULT_SET!r}, for everyone "
        "without a set of their own)",
    )
    parser.add_argument(
        "--source",
        choices=[m for m in MODES if m != "none"],
        help="rules, the trained model, or both (default: [options] suggestions in "
        "annotator.toml, else rules)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable summary")


def run(args: argparse.Namespace) -> int:
    """Suggest for every document, write the set atomically, print the counts."""
    with opened(args.project) as store:
        return _preannotate(args, with_folder(store))


def _preannotate(args: argparse.Namespace, project: WithFolder) -> int:
    source = args.source or configured_mode(project)
    if source == "none":
        source = "rules"  # the project switched live suggestions off; a batch run still asks
    suggester = Suggester(project, source)
    info = suggester.model_info()
    if source in ("model", "both"):
        if info is None:
            location = display_location(args.project)
            raise AnnotatorError(
                f"no model trained yet in {location}: run 'annotator train {location}' first, "
                "or use --source rules"
            )
        suggester.model()  # load once, before the progress bar starts
    docs = project.documents
    counts: Counter[str] = Counter()

    def records() -> Iterator[tuple[str, str, list[Suggestion]]]:
        for doc_id in _progress(docs.ids):
            found = suggester.live(docs.get(doc_id).text)
            counts.update(s.label for s in found)
            yield doc_id, docs.sha(doc_id), found

    try:
        path = write_set(project, args.name, records(), source)
    except OSError as exc:  # a read-only folder, a full disk: the previous set is intact
        where = exc.filename or project.root / "suggestions"
        raise AnnotatorError(
            f"{where}: cannot write the suggestions ({exc.strerror or exc}); the previous "
            "suggestions, if any, are unchanged"
        ) from None
    labels = project.config.label_names
    per_label = {label: counts.get(label, 0) for label in labels}
    total = sum(counts.values())
    if args.json:
        summary = {
            "set": args.name,
            "path": str(path),
            "source": source,
            "documents": len(docs),
            "suggestions": total,
            "per_label": per_label,
            "model_f1": info.f1 if info and source != "rules" else None,
        }
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    where = path.relative_to(project.root)
    print(
        f"wrote {counted(total, 'suggestion')} for {counted(len(docs), 'document')} to {where} "
        f"(source: {source})"
    )
    width = max(len(label) for label in labels)
    for label in labels:
        print(f"  {label.ljust(width)}  {per_label[label]:>7}")
    if info is not None and source != "rules":
        print(info.describe())
    for error in project.documents.errors[:5]:
        warn(f"skipped: {error}")
    return 0


def _progress(ids: list[str]) -> Iterator[str]:
    """The ids, with a progress bar on a terminal."""
    if not sys.stderr.isatty():
        yield from ids
        return
    from tqdm import tqdm

    yield from tqdm(ids, unit="doc", desc="suggesting", leave=False)

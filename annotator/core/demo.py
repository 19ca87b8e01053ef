"""The demo project: created on first run in the user's data folder from the packaged seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

from annotator.core.documents import DocumentStore
from annotator.core.model import Document, first_line
from annotator.core.paths import seeds_dir, user_data_dir
from annotator.core.project import CONFIG, Project
from annotator.core.text import normalise_text


def demo_project(root: Path | None = None) -> Project:
    """Open the demo project, creating it from the seeds if it does not exist yet.

    Never writes into the checkout: the seeds are copied to ``root`` (default: the user's
    data folder).
    """
    root = Path(root) if root is not None else user_data_dir() / "demo"
    if (root / CONFIG).exists():
        return Project.open(root)
    seeds = seeds_dir()
    root.mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(exist_ok=True)
    (root / "exports").mkdir(exist_ok=True)
    docs = []
    for txt in sorted(seeds.glob("*.txt")):
        text = normalise_text(txt.read_text(encoding="utf-8"))
        docs.append(Document(id=txt.stem, text=text, meta={"title": first_line(text)}))
    for ann in sorted((seeds / "annotations").glob("*.jsonl")):
        shutil.copyfile(ann, root / "annotations" / ann.name)
    # the config last: a half-made demo folder is re-made on the next run
    store = DocumentStore(root / "documents.jsonl", cache=None)
    if not len(store):
        store.append(docs)
    shutil.copyfile(seeds / CONFIG, root / CONFIG)
    return Project.open(root)

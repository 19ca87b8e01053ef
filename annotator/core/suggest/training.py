"""Training the model suggester on the project's done annotations, on the CPU.

``train(project, progress, should_stop)`` reads the project's ``done`` annotations the way the
export does (``merged`` by default: gold where it exists, else the spans a strict majority of
the annotators agree on, else the only annotator's spans; or ``gold`` or one annotator), holds
out the share of documents asked for (the ones whose id hashes lowest, so the same documents
stay held out as the project grows), trains ``spacy.blank(language)`` + ``ner`` from scratch
(no weights from any hub, nothing downloaded), keeps the epoch with the best held-out F1 and
stops early when it no longer improves. The model and ``meta.json`` (held-out precision,
recall and F1 per label, trained at, documents) are written to ``.annotator/models/ner/`` by
a folder swap, so a cancelled or failed run leaves the previous model in place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError
from annotator.core.model import MERGED, now_iso
from annotator.core.suggest.evaluate import Scores
from annotator.core.suggest.model import (
    TOKENIZER,
    ModelInfo,
    ModelSuggester,
    TrainingDoc,
    chunk_bounds,
    evaluate,
    make_doc,
    model_dir,
    require_spacy,
)

if TYPE_CHECKING:
    from annotator.core.open import WithFolder

MIN_DOCUMENTS = 5
DEFAULT_HELD_OUT = 0.2
TRAIN_CHUNK_CHARS = 400  # training examples end at the first line break after this many
BATCH = 4
DROPOUT = 0.1
MIN_UPDATES = 1200  # a blank model finds its first entities after a few hundred updates
MIN_EPOCHS = 10
MAX_EPOCHS = 60

Progress = Callable[[float, str], None]
"""``progress(fraction 0..1, message)``, called from the training thread."""
StopCheck = Callable[[], bool]
"""``should_stop() -> True`` cancels training; the previous model is kept."""


@dataclass(frozen=True)
class EpochStats:
    """One pass over the training documents."""

    epoch: int
    loss: float
    f1: float | None
    seconds: float


@dataclass
class TrainResult:
    """What ``train`` did: the new model's info, or ``cancelled`` with nothing replaced."""

    info: ModelInfo | None
    cancelled: bool = False
    history: list[EpochStats] = field(default_factory=list)
    best_epoch: int | None = None
    skipped_spans: int = 0  # spans off token boundaries, which a token model cannot learn


# -- data -----------------------------------------------------------------------------------


def training_documents(
    project: WithFolder,
    source: str = MERGED,
    max_docs: int | None = None,
    should_stop: StopCheck | None = None,
) -> list[TrainingDoc]:
    """The documents with a resolved ``done`` annotation, in project order."""

    # the export's sources are imported when a model is trained, not when the window starts
    from annotator.core.export.sources import resolve

    def progress(_phase: str, _done: int, _total: int) -> bool:
        return not (should_stop is not None and should_stop())

    resolved = resolve(project, source, progress)
    docs = project.documents
    out = []
    for doc_id in docs.ids:
        if doc_id not in resolved.spans:
            continue
        out.append(TrainingDoc(doc_id, docs.get(doc_id).text, tuple(resolved.triples(doc_id))))
        if max_docs is not None and len(out) >= max_docs:
            break
    return out


def held_out_split(
    docs: Sequence[TrainingDoc], fraction: float = DEFAULT_HELD_OUT, seed: int = 0
) -> tuple[list[TrainingDoc], list[TrainingDoc]]:
    """``(train, held out)``: ``round(fraction * n)`` documents held out, at least one.

    The held-out ones are those whose id hashes lowest, so a document keeps its side as the
    project grows (unless a new document hashes lower while the count stays the same), F1
    stays comparable from one run to the next, and the share asked for is the share held out
    (0.3 of 14 documents is 4, not whatever a per-document coin gives). One document at
    least is left to train on.
    """

    def unit(doc: TrainingDoc) -> bytes:
        return hashlib.sha256(f"{seed}:{doc.id}".encode()).digest()

    if not docs:
        return [], []
    count = min(max(1, round(fraction * len(docs))), max(1, len(docs) - 1))
    held = {d.id for d in sorted(docs, key=unit)[:count]}
    return [d for d in docs if d.id not in held], [d for d in docs if d.id in held]


def _examples(nlp: Any, docs: Sequence[TrainingDoc]) -> tuple[list[Any], int]:
    from spacy.tokens import Span
    from spacy.training import Example

    examples, skipped = [], 0
    for doc in docs:
        for a, b in chunk_bounds(doc.text, doc.spans, TRAIN_CHUNK_CHARS):
            predicted, where, index = make_doc(nlp.vocab, doc.text[a:b])
            reference, _, _ = make_doc(nlp.vocab, doc.text[a:b])
            ents = []
            for s, e, label in doc.spans:
                if s < a or e > b:
                    continue
                if not index.is_aligned(s - a, e - a):
                    skipped += 1
                    continue
                first, last = index.token_range(s - a, e - a)
                ents.append(Span(reference, where[first], where[last - 1] + 1, label=label))
            reference.set_ents(ents, default="outside")
            examples.append(Example(predicted, reference))
    return examples, skipped


# -- training -------------------------------------------------------------------------------


@dataclass
class Fitted:
    """A pipeline fitted on some documents, with its held-out scores."""

    model: ModelSuggester
    scores: Scores
    history: list[EpochStats]
    best_epoch: int | None
    skipped_spans: int
    cancelled: bool = False


def plan_epochs(examples: int, batch: int = BATCH) -> int:
    """Passes enough for about ``MIN_UPDATES`` updates, within ``[MIN_EPOCHS, MAX_EPOCHS]``.

    A blank model needs a few hundred updates before it finds its first entity: 14 articles
    give some 80 paragraphs, 20 updates a pass, so 10 passes were far too few.
    """
    per_epoch = max(1, math.ceil(examples / batch))
    return max(MIN_EPOCHS, min(MAX_EPOCHS, math.ceil(MIN_UPDATES / per_epoch)))


def fit(
    train_docs: Sequence[TrainingDoc],
    held_docs: Sequence[TrainingDoc],
    labels: Sequence[str],
    *,
    language: str = "id",
    epochs: int | None = None,
    patience: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    should_stop: StopCheck | None = None,
) -> Fitted:
    """Train a blank pipeline on ``train_docs``; keep the epoch best on ``held_docs``.

    Small-data settings: paragraphs as examples (``TRAIN_CHUNK_CHARS``), small batches,
    ``epochs`` by default from ``plan_epochs``, and no early stop before a third of the
    epochs have run or while the model has found nothing on the held-out documents; after
    that it stops when held-out F1 has not improved for ``patience`` epochs (default a fifth
    of the epochs, at least 3).
    """
    spacy = require_spacy()

    spacy.util.fix_random_seed(seed)
    config = {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}}
    try:
        nlp = spacy.blank(language, config=config)
    except ImportError:
        nlp = spacy.blank("xx", config=config)  # a language spaCy does not know
    ner = nlp.add_pipe("ner")
    for label in labels:
        ner.add_label(label)
    examples, skipped = _examples(nlp, train_docs)
    optimizer = nlp.initialize(lambda: examples)
    total = epochs if epochs is not None else plan_epochs(len(examples))
    wait = patience if patience is not None else max(3, total // 5)
    model = ModelSuggester(nlp)
    rng = random.Random(seed)
    history: list[EpochStats] = []
    best: tuple[float, int, bytes] | None = None
    stale = 0
    report = progress or (lambda _f, _m: None)
    for epoch in range(1, total + 1):
        t0 = time.perf_counter()
        rng.shuffle(examples)
        batches = list(spacy.util.minibatch(examples, size=BATCH))
        losses: dict[str, float] = {}
        for b, batch in enumerate(batches):
            if should_stop is not None and should_stop():
                return Fitted(model, Scores(), history, None, skipped, cancelled=True)
            nlp.update(batch, drop=DROPOUT, sgd=optimizer, losses=losses)
            report(
                ((epoch - 1) + (b + 1) / len(batches)) / total,
                f"epoch {epoch}/{total}: loss {losses.get('ner', 0.0):.1f}",
            )
        f1 = evaluate(model, held_docs).f1
        loss = float(losses.get("ner", 0.0))
        history.append(EpochStats(epoch, loss, f1, time.perf_counter() - t0))
        shown = "n/a" if f1 is None else f"{f1:.3f}"
        report(epoch / total, f"epoch {epoch}/{total}: held-out F1 {shown}")
        value = -1.0 if f1 is None else f1
        if best is None or value > best[0]:
            best, stale = (value, epoch, nlp.to_bytes()), 0
            continue
        stale += 1
        learning = best[0] <= 0.0 or epoch < total // 3  # too early to give up
        if stale >= wait and not learning:
            report(1.0, f"stopped after epoch {epoch}: no better for {wait} epochs")
            break
    assert best is not None
    nlp.from_bytes(best[2])
    return Fitted(model, evaluate(model, held_docs), history, best[1], skipped)


def train(
    project: WithFolder,
    progress: Progress | None = None,
    should_stop: StopCheck | None = None,
    *,
    epochs: int | None = None,
    max_docs: int | None = None,
    source: str = MERGED,
    held_out: float = DEFAULT_HELD_OUT,
    seed: int = 0,
) -> TrainResult:
    """Train the project's model and make it current; see the module docstring.

    Safe to run in a background thread: it reads through read-only sessions and writes only
    ``.annotator/models/``. Raises AnnotatorError when there is too little to learn from.
    """
    from annotator.core.export.sources import ExportCancelled

    require_spacy()
    started = time.perf_counter()
    report = progress or (lambda _f, _m: None)
    report(0.0, "reading annotations")
    if source == MERGED and not project.annotators(include_gold=True):
        raise AnnotatorError(
            f"{project.root}: no annotations yet; training learns from documents marked done "
            f"(Ctrl+Enter in the window): mark at least {MIN_DOCUMENTS} done, then train again"
        )
    try:
        docs = training_documents(project, source, max_docs, should_stop)
    except ExportCancelled:
        return TrainResult(None, cancelled=True)
    if len(docs) < MIN_DOCUMENTS:
        raise AnnotatorError(
            f"training needs at least {MIN_DOCUMENTS} done documents ({source}); the project "
            f"has {len(docs)}: mark more documents done (Ctrl+Enter in the window), then "
            "train again"
        )
    if not any(d.spans for d in docs):
        raise AnnotatorError("the done documents hold no spans: nothing to learn")
    train_docs, held_docs = held_out_split(docs, held_out, seed)
    labels = project.config.label_names
    fitted = fit(
        train_docs,
        held_docs,
        labels,
        language=project.config.language,
        epochs=epochs,
        seed=seed,
        progress=lambda f, m: report(0.02 + 0.96 * f, m),
        should_stop=should_stop,
    )
    if fitted.cancelled:
        return TrainResult(None, True, fitted.history, None, fitted.skipped_spans)
    _check_learned(project, fitted, len(train_docs), len(held_docs))
    meta = {
        "trained_at": now_iso(),
        "source": source,
        "labels": list(labels),
        "language": project.config.language,
        "epochs": fitted.best_epoch,
        "epochs_run": len(fitted.history),
        "seconds": round(time.perf_counter() - started, 1),
        "documents": {"train": len(train_docs), "held_out": len(held_docs)},
        "held_out_ids": [d.id for d in held_docs],
        "held_out": fitted.scores.to_json(labels),
        "skipped_spans": fitted.skipped_spans,
        "history": [
            {"epoch": h.epoch, "loss": round(h.loss, 3), "f1": h.f1, "seconds": round(h.seconds, 2)}
            for h in fitted.history
        ],
    }
    report(0.99, "saving the model")
    folder = _publish(model_dir(project), fitted.model.nlp, meta)
    info = ModelInfo.read(folder)
    report(1.0, info.describe() if info else "saved")
    return TrainResult(info, False, fitted.history, fitted.best_epoch, fitted.skipped_spans)


def _check_learned(project: WithFolder, fitted: Fitted, trained: int, held: int) -> None:
    """A model that found none of the held-out entities is not made current: say what to do."""
    scores = fitted.scores
    if scores.reference == 0 or scores.tp > 0:
        return
    kept = (
        "the previous model is kept"
        if ModelInfo.read(model_dir(project)) is not None
        else "no model was saved"
    )
    raise AnnotatorError(
        f"the model found none of the {scores.reference} entities of the {held} held-out "
        f"documents after {len(fitted.history)} epochs on {trained} documents: it needs more "
        f"done documents (a first model usually learns something from 15-30), so {kept}"
    )


def _publish(target: Path, nlp: Any, meta: dict[str, Any]) -> Path:
    """Write the model beside ``target`` and swap it in; the old one goes only afterwards."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{os.getpid()}.new"
    old = target.parent / f".{target.name}.{os.getpid()}.old"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        nlp.to_disk(tmp / "spacy")
        (tmp / "meta.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not target.exists():
            with contextlib.suppress(OSError):
                os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return target

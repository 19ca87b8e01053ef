"""The model suggester: a spaCy NER model trained on the team's own labels, on the CPU.

``train(project, progress, should_stop)`` reads the project's ``done`` annotations the way the
export does (``merged`` by default: gold where it exists, else the spans a strict majority of
the annotators agree on, else the only annotator's spans; or ``gold`` or one annotator), holds
out a fixed share of documents (chosen by a hash of the id, so the same documents stay held
out as the project grows), trains ``spacy.blank(language)`` + ``ner`` from scratch (no
weights from any hub, nothing downloaded), keeps the epoch with the best held-out F1 and
stops early when it no longer improves. The model and ``meta.json`` (held-out precision,
recall and F1 per label, trained at, documents) are written to ``.annotator/models/ner/`` by
a folder swap, so a cancelled or failed run leaves the previous model in place.

Documents are given to spaCy as the project's own tokens (``words_and_spaces``), so every
predicted entity lies on token boundaries, and long articles are cut at line breaks into
chunks, which makes training batches smaller and better mixed. spaCy is an optional extra
imported only inside these functions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError
from annotator.core.export.sources import MERGED, ExportCancelled, resolve
from annotator.core.model import now_iso
from annotator.core.suggest import record as rec
from annotator.core.suggest.evaluate import Scores, Triple, score
from annotator.core.suggest.record import Suggestion
from annotator.core.tokens import TokenIndex

if TYPE_CHECKING:
    from annotator.core.project import Project

SPACY_MISSING = "model suggestions need spaCy: pip install 'annotator[spacy]'"
MIN_DOCUMENTS = 5
CHUNK_CHARS = 2000  # a chunk ends at the first line break after this many characters
DEFAULT_EPOCHS = 10
DEFAULT_HELD_OUT = 0.2

Progress = Callable[[float, str], None]
"""``progress(fraction 0..1, message)``, called from the training thread."""
StopCheck = Callable[[], bool]
"""``should_stop() -> True`` cancels training; the previous model is kept."""


TOKENIZER = "annotator.suggest.Tokenizer.v1"


def require_spacy() -> Any:
    """The ``spacy`` module (with our tokenizer registered), or a one-line AnnotatorError."""
    try:
        import spacy as module
    except ImportError:
        raise AnnotatorError(SPACY_MISSING) from None
    spacy: Any = module
    if TOKENIZER not in spacy.registry.tokenizers:
        spacy.registry.tokenizers(TOKENIZER, func=_tokenizer_factory)
    return spacy


class _Tokenizer:
    """spaCy's tokenizer slot filled with the project's tokenizer.

    The pipeline never needs spaCy's Indonesian tokenizer (documents arrive as our tokens),
    and building its 30,000 exceptions costs seconds on every training run and every load.
    """

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Any:
        from spacy.tokens import Doc

        words, spaces, _ = words_and_spaces(text, TokenIndex(text))
        return Doc(self.vocab, words=words, spaces=spaces)

    # saved and loaded with the pipeline; there is no state to keep
    def to_bytes(self, **_: Any) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_: Any) -> _Tokenizer:
        return self

    def to_disk(self, path: Path, **_: Any) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, _path: Path, **_: Any) -> _Tokenizer:
        return self


def _tokenizer_factory() -> Callable[[Any], _Tokenizer]:
    def make(nlp: Any) -> _Tokenizer:
        return _Tokenizer(nlp.vocab)

    return make


def model_dir(project: Project) -> Path:
    """``.annotator/models/ner/``: the current model of the project."""
    return project.state_dir / "models" / "ner"


@dataclass(frozen=True)
class TrainingDoc:
    """A document's text and the spans the model learns from."""

    id: str
    text: str
    spans: tuple[Triple, ...]


@dataclass(frozen=True)
class ModelInfo:
    """What ``meta.json`` says about a trained model (read without importing spaCy)."""

    path: Path
    f1: float | None
    precision: float | None
    recall: float | None
    per_label: dict[str, dict[str, Any]]
    trained_at: str
    documents: int
    held_out: int
    epochs: int
    source: str
    labels: tuple[str, ...]
    seconds: float

    @classmethod
    def read(cls, folder: Path) -> ModelInfo | None:
        """The info of the model in ``folder``, or None if there is none (or it is broken)."""
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            held = meta["held_out"]
            return cls(
                path=folder,
                f1=held["f1"],
                precision=held["precision"],
                recall=held["recall"],
                per_label=dict(held["per_label"]),
                trained_at=str(meta["trained_at"]),
                documents=int(meta["documents"]["train"]),
                held_out=int(meta["documents"]["held_out"]),
                epochs=int(meta["epochs"]),
                source=str(meta["source"]),
                labels=tuple(meta["labels"]),
                seconds=float(meta["seconds"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def label_precision(self, label: str) -> float:
        """Held-out precision of ``label``: the score given to the model's suggestions."""
        value = self.per_label.get(label, {}).get("precision")
        return float(value) if isinstance(value, int | float) else 0.5

    def describe(self) -> str:
        """One line for the window's status bar and the command line."""
        f1 = "n/a" if self.f1 is None else f"{self.f1:.2f}"
        return (
            f"model F1 {f1} on {self.held_out} held-out documents "
            f"(trained on {self.documents}, {self.trained_at})"
        )


def model_info(project: Project) -> ModelInfo | None:
    """The current model's info, or None when none has been trained."""
    return ModelInfo.read(model_dir(project))


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
    project: Project,
    source: str = MERGED,
    max_docs: int | None = None,
    should_stop: StopCheck | None = None,
) -> list[TrainingDoc]:
    """The documents with a resolved ``done`` annotation, in project order."""

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
    """``(train, held out)``: a document is held out when its id hashes below ``fraction``.

    So a document never changes sides as the project grows, and F1 stays comparable from
    one training run to the next. At least one document is held out.
    """

    def unit(doc: TrainingDoc) -> float:
        digest = hashlib.sha256(f"{seed}:{doc.id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    held = {d.id for d in docs if unit(d) < fraction}
    if not held and docs:
        held = {min(docs, key=unit).id}
    return [d for d in docs if d.id not in held], [d for d in docs if d.id in held]


def chunk_bounds(
    text: str, spans: Sequence[Triple] = (), limit: int = CHUNK_CHARS
) -> list[tuple[int, int]]:
    """Pieces ``[a, b)`` of ``text`` cut at line breaks (never inside a span), ~``limit`` long."""
    inside: set[int] = set()
    for s, e, _ in spans:
        inside.update(i for i in range(s, e) if text[i] == "\n")
    out = []
    start = 0
    pos = text.find("\n")
    while pos != -1:
        if pos - start >= limit and pos not in inside:
            out.append((start, pos))
            start = pos + 1
        pos = text.find("\n", pos + 1)
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def words_and_spaces(text: str, index: TokenIndex) -> tuple[list[str], list[bool], list[int]]:
    """spaCy's ``words``/``spaces`` for our tokens, and the Doc position of each token.

    One space after a token is its ``space``; any other whitespace becomes a token of its
    own (as spaCy makes ``"\\n"`` a token), so the Doc's text is exactly ``text``.
    """
    words: list[str] = []
    spaces: list[bool] = []
    where: list[int] = []
    pos = 0
    for start, end in [*index.tokens, (len(text), len(text))]:
        gap = text[pos:start]
        if gap and words and gap[0] == " ":
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
        if end > start:
            where.append(len(words))
            words.append(text[start:end])
            spaces.append(False)
        pos = end
    return words, spaces, where


def _doc(vocab: Any, text: str) -> tuple[Any, list[int], TokenIndex]:
    from spacy.tokens import Doc

    index = TokenIndex(text)
    words, spaces, where = words_and_spaces(text, index)
    return Doc(vocab, words=words, spaces=spaces), where, index


def _examples(nlp: Any, docs: Sequence[TrainingDoc]) -> tuple[list[Any], int]:
    from spacy.tokens import Span
    from spacy.training import Example

    examples, skipped = [], 0
    for doc in docs:
        for a, b in chunk_bounds(doc.text, doc.spans):
            predicted, where, index = _doc(nlp.vocab, doc.text[a:b])
            reference, _, _ = _doc(nlp.vocab, doc.text[a:b])
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


# -- the model ------------------------------------------------------------------------------


class ModelSuggester:
    """A trained pipeline that suggests spans for a text."""

    def __init__(self, nlp: Any, info: ModelInfo | None = None) -> None:
        self.nlp = nlp
        self.info = info

    @classmethod
    def load(cls, folder: Path) -> ModelSuggester:
        """Load the model saved in ``folder`` (offline: a folder on disk, nothing else)."""
        spacy = require_spacy()
        try:
            nlp = spacy.load(folder / "spacy")
        except (OSError, ValueError) as exc:
            raise AnnotatorError(f"{folder}: the model cannot be loaded ({exc})") from None
        return cls(nlp, ModelInfo.read(folder))

    def spans(self, text: str) -> list[Triple]:
        """``(start, end, label)`` of every entity the model finds in ``text``."""
        bounds = chunk_bounds(text)
        docs = [_doc(self.nlp.vocab, text[a:b])[0] for a, b in bounds]
        out: list[Triple] = []
        for (a, _), doc in zip(bounds, self.nlp.pipe(docs), strict=True):
            for ent in doc.ents:
                s, e = a + ent.start_char, a + ent.end_char
                piece = text[s:e]
                if piece.strip() != piece or "\n" in piece:
                    continue  # an entity on a whitespace token is no name
                out.append((s, e, ent.label_))
        return out

    def suggest(self, text: str) -> list[Suggestion]:
        """The model's suggestions, scored by the label's held-out precision."""
        info = self.info
        return [
            Suggestion(
                start=s,
                end=e,
                label=label,
                source=rec.MODEL,
                score=info.label_precision(label) if info else 0.5,
            )
            for s, e, label in self.spans(text)
        ]


def load_model(project: Project) -> ModelSuggester | None:
    """The project's current model, or None when none has been trained."""
    folder = model_dir(project)
    if not (folder / "spacy").is_dir():
        return None
    return ModelSuggester.load(folder)


def evaluate(model: ModelSuggester, docs: Sequence[TrainingDoc]) -> Scores:
    """Exact-match scores of the model on ``docs``."""
    return score((d.spans, model.spans(d.text)) for d in docs)


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


def fit(
    train_docs: Sequence[TrainingDoc],
    held_docs: Sequence[TrainingDoc],
    labels: Sequence[str],
    *,
    language: str = "id",
    epochs: int = DEFAULT_EPOCHS,
    patience: int = 3,
    seed: int = 0,
    progress: Progress | None = None,
    should_stop: StopCheck | None = None,
) -> Fitted:
    """Train a blank pipeline on ``train_docs``; keep the epoch best on ``held_docs``."""
    spacy = require_spacy()
    from thinc.api import compounding

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
    model = ModelSuggester(nlp)
    rng = random.Random(seed)
    history: list[EpochStats] = []
    best: tuple[float, int, bytes] | None = None
    stale = 0
    report = progress or (lambda _f, _m: None)
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        rng.shuffle(examples)
        batches = list(spacy.util.minibatch(examples, size=compounding(4.0, 32.0, 1.001)))
        losses: dict[str, float] = {}
        for b, batch in enumerate(batches):
            if should_stop is not None and should_stop():
                return Fitted(model, Scores(), history, None, skipped, cancelled=True)
            nlp.update(batch, drop=0.1, sgd=optimizer, losses=losses)
            report(
                ((epoch - 1) + (b + 1) / len(batches)) / epochs,
                f"epoch {epoch}/{epochs}: loss {losses.get('ner', 0.0):.1f}",
            )
        f1 = evaluate(model, held_docs).f1
        loss = float(losses.get("ner", 0.0))
        history.append(EpochStats(epoch, loss, f1, time.perf_counter() - t0))
        shown = "n/a" if f1 is None else f"{f1:.3f}"
        report(epoch / epochs, f"epoch {epoch}/{epochs}: held-out F1 {shown}")
        value = -1.0 if f1 is None else f1
        if best is None or value > best[0]:
            best, stale = (value, epoch, nlp.to_bytes()), 0
        else:
            stale += 1
            if stale >= patience:
                report(1.0, f"stopped after epoch {epoch}: no better for {patience} epochs")
                break
    assert best is not None
    nlp.from_bytes(best[2])
    return Fitted(model, evaluate(model, held_docs), history, best[1], skipped)


def train(
    project: Project,
    progress: Progress | None = None,
    should_stop: StopCheck | None = None,
    *,
    epochs: int = DEFAULT_EPOCHS,
    max_docs: int | None = None,
    source: str = MERGED,
    held_out: float = DEFAULT_HELD_OUT,
    seed: int = 0,
) -> TrainResult:
    """Train the project's model and make it current; see the module docstring.

    Safe to run in a background thread: it reads through read-only sessions and writes only
    ``.annotator/models/``. Raises AnnotatorError when there is too little to learn from.
    """
    require_spacy()
    started = time.perf_counter()
    report = progress or (lambda _f, _m: None)
    report(0.0, "reading annotations")
    try:
        docs = training_documents(project, source, max_docs, should_stop)
    except ExportCancelled:
        return TrainResult(None, cancelled=True)
    if len(docs) < MIN_DOCUMENTS:
        raise AnnotatorError(
            f"training needs at least {MIN_DOCUMENTS} done documents ({source}); "
            f"the project has {len(docs)}"
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

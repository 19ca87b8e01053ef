"""The model suggester: a spaCy NER model trained on the team's own labels, and what it suggests.

``ModelSuggester`` wraps a trained pipeline (loaded from ``.annotator/models/ner/`` by
``load_model``); ``ModelInfo`` reads the held-out figures of ``meta.json`` without importing
spaCy. Training is in ``training``.

Documents are given to spaCy as the project's own tokens (``words_and_spaces``), so every
predicted entity lies on token boundaries, and long articles are cut at line breaks into
chunks (``chunk_bounds``). spaCy is an optional extra imported only inside these functions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError
from annotator.core.suggest import record as rec
from annotator.core.suggest.evaluate import Scores, Triple, score
from annotator.core.suggest.record import Suggestion
from annotator.core.tokens import TokenIndex

if TYPE_CHECKING:
    from annotator.core.open import WithFolder

SPACY_MISSING = "model suggestions need spaCy: pip install 'annotator[spacy]'"
CHUNK_CHARS = 2000  # a chunk ends at the first line break after this many characters
# A label the model may add to the rules' suggestions: at least the rules' own precision on
# the tuning articles (0.9 and more for every label), over enough suggestions to tell
TRUST_PRECISION = 0.9
TRUST_PREDICTED = 10

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


def model_dir(project: WithFolder) -> Path:
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

    def trusted_labels(self) -> frozenset[str]:
        """Labels whose held-out precision is at least ``TRUST_PRECISION`` over at least
        ``TRUST_PREDICTED`` suggestions: the ones the model may add to the rules' ("both")."""
        out = set()
        for label, row in self.per_label.items():
            precision = row.get("precision")
            made = row.get("predicted", row.get("support", 0))
            if (
                isinstance(precision, int | float)
                and precision >= TRUST_PRECISION
                and isinstance(made, int)
                and made >= TRUST_PREDICTED
            ):
                out.add(label)
        return frozenset(out)

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


def model_info(project: WithFolder) -> ModelInfo | None:
    """The current model's info, or None when none has been trained."""
    return ModelInfo.read(model_dir(project))


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


def make_doc(vocab: Any, text: str) -> tuple[Any, list[int], TokenIndex]:
    from spacy.tokens import Doc

    index = TokenIndex(text)
    words, spaces, where = words_and_spaces(text, index)
    return Doc(vocab, words=words, spaces=spaces), where, index


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
        docs = [make_doc(self.nlp.vocab, text[a:b])[0] for a, b in bounds]
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


def load_model(project: WithFolder) -> ModelSuggester | None:
    """The project's current model, or None when none has been trained."""
    folder = model_dir(project)
    if not (folder / "spacy").is_dir():
        return None
    return ModelSuggester.load(folder)


def evaluate(model: ModelSuggester, docs: Sequence[TrainingDoc]) -> Scores:
    """Exact-match scores of the model on ``docs``."""
    return score((d.spans, model.spans(d.text)) for d in docs)

"""What the window and the command line call: suggestions for a document, by the team's choice.

``[options] suggestions`` in ``annotator.toml`` chooses the source: ``"rules"`` (the default),
``"model"`` (the project's trained model only), ``"both"`` (the rules' suggestions, and the
model's where no rule suggests anything, for the labels on which the model has earned trust:
held-out precision of at least 0.9 over ten suggestions or more; see ``combine``), or
``"none"``. Measured on the held-out evaluation set, a model trained on up to 50 documents
lowers the rules' F1 when it may override them or add suggestions of labels it is unsure of
(``bench/bench_suggest.py``, decision 0057).

A stored set written by ``annotator preannotate`` wins over live suggestions for the documents
it holds (while their text is unchanged); everything else is computed when asked.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from typing import TYPE_CHECKING

from annotator.core.index import stat_key
from annotator.core.model import Annotation
from annotator.core.suggest.model import ModelInfo, ModelSuggester, load_model, model_dir
from annotator.core.suggest.modes import DEFAULT_MODE as DEFAULT_MODE
from annotator.core.suggest.modes import MODES as MODES
from annotator.core.suggest.modes import OPTION as OPTION
from annotator.core.suggest.modes import check_mode as check_mode
from annotator.core.suggest.modes import configured_mode as configured_mode
from annotator.core.suggest.project_rules import FILE_NAME, load_project_rules
from annotator.core.suggest.record import Suggestion, aligned, resolve, visible_for
from annotator.core.suggest.rules import RuleSuggester
from annotator.core.suggest.store import DEFAULT_SET, SuggestionFile, suggestions_dir

if TYPE_CHECKING:
    from annotator.core.open import WithFolder


def combine(
    rules: list[Suggestion], model: list[Suggestion], trusted: Collection[str] | None = None
) -> list[Suggestion]:
    """One flat list: every rule suggestion, then the model's in the gaps between them.

    A model suggestion is kept only where it overlaps no rule suggestion, and only for the
    ``trusted`` labels (all when None; see ``ModelInfo.trusted_labels``).
    """
    kept = list(rules)
    for sug in sorted(model, key=lambda s: (-s.score, s.start)):
        if trusted is not None and sug.label not in trusted:
            continue
        if not _hits(kept, sug):
            kept.append(sug)
    return sorted(kept, key=lambda s: (s.start, s.end))


def _hits(spans: list[Suggestion], s: Suggestion) -> bool:
    return any(o.overlaps(s.start, s.end) for o in spans)


class Suggester:
    """Suggestions for one project, cached and reloaded when their inputs change on disk.

    Thread-safe for one worker: the window may preload the model and compute suggestions in
    a background thread (one at a time: a spaCy pipeline is not meant to run concurrently).
    """

    def __init__(self, project: WithFolder, mode: str | None = None) -> None:
        self.project = project
        self._mode = check_mode(mode) if mode is not None else None
        self._lock = threading.RLock()
        self._rules: RuleSuggester | None = None
        self._rules_key: tuple[int, int, int] | None = None
        self._model: ModelSuggester | None = None
        self._model_key: tuple[int, int, int] | None = None
        self._sets: dict[str, tuple[tuple[int, int, int], SuggestionFile]] = {}

    @property
    def mode(self) -> str:
        """``rules``, ``model``, ``both`` or ``none``."""
        return self._mode if self._mode is not None else configured_mode(self.project)

    @property
    def rules_path(self) -> str:
        """Where the team's own terms and patterns are read from."""
        return str(self.project.root / FILE_NAME)

    def rules(self) -> RuleSuggester:
        """The rule suggester (rebuilt when ``suggestions.toml`` changes)."""
        path = self.project.root / FILE_NAME
        key = stat_key(path)
        with self._lock:
            if self._rules is None or key != self._rules_key:
                labels = frozenset(self.project.config.label_names)
                self._rules = RuleSuggester(labels, load_project_rules(path, labels))
                self._rules_key = key
            return self._rules

    def model_info(self) -> ModelInfo | None:
        """The current model's held-out F1 and more, without loading spaCy."""
        return ModelInfo.read(model_dir(self.project))

    def model(self) -> ModelSuggester | None:
        """The current model (loaded once, reloaded after a new training run), or None."""
        key = stat_key(model_dir(self.project) / "meta.json")
        with self._lock:
            if key != self._model_key:
                self._model = load_model(self.project) if key != (0, 0, 0) else None
                self._model_key = key
            return self._model

    def stored_set(self, annotator: str | None) -> SuggestionFile | None:
        """The set ``annotator`` sees (see ``store.set_for``), re-read only when it changes."""
        names = ([annotator] if annotator else []) + [DEFAULT_SET]
        with self._lock:
            for name in names:
                path = suggestions_dir(self.project) / f"{name}.jsonl"
                key = stat_key(path)
                if key == (0, 0, 0):
                    continue
                cached = self._sets.get(name)
                if cached is None or cached[0] != key:
                    cached = (key, SuggestionFile(self.project, name))
                    self._sets[name] = cached
                return cached[1]
            return None

    def live(self, text: str, mode: str | None = None) -> list[Suggestion]:
        """Suggestions computed now for ``text`` (flat, token-aligned)."""
        mode = check_mode(mode) if mode is not None else self.mode
        rules = self.rules().suggest(text) if mode in ("rules", "both") else []
        model: list[Suggestion] = []
        trusted: frozenset[str] | None = None
        if mode in ("model", "both"):
            found = self.model()
            model = found.suggest(text) if found is not None else []
            if found is not None and found.info is not None:
                trusted = found.info.trusted_labels()
        if mode == "model":
            return aligned(text, model)
        return aligned(text, combine(rules, model, trusted) if model else rules)

    def for_document(
        self, doc_id: str, annotation: Annotation | None = None, annotator: str | None = None
    ) -> list[Suggestion]:
        """What to show on ``doc_id``: stored or live, minus accepted and rejected ones."""
        doc = self.project.documents.get(doc_id)
        stored = None
        if self.mode != "none":
            found = self.stored_set(annotator)
            if found is not None:
                stored = found.get(doc_id, self.project.documents.sha(doc_id))
        if stored is not None:  # a file may have been edited by hand: keep it flat and aligned
            suggestions = aligned(doc.text, resolve(stored))
        else:
            suggestions = self.live(doc.text)
        return visible_for(suggestions, annotation)

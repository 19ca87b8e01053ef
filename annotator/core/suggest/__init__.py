"""Suggestions: pre-annotation from Indonesian rules and from a model trained on the team's labels.

The window and the command line use these names::

    suggester = Suggester(project)                    # mode from [options] suggestions
    shown = suggester.for_document(doc_id, session.annotation(doc_id), annotator)
    session.apply(AcceptSuggestions(doc_id, (shown[0].key,)))   # accept (one undo step)
    session.apply(RejectSuggestions(doc_id, (shown[1].key,)))   # reject, remembered
    suggester.model_info()                            # F1 of the current model, or None
    train(project, progress, should_stop)             # in a background thread

Suggestions are never annotations: see ``store`` for where they live and ``record`` for how
they are filtered (never over an accepted span, always on token boundaries).
"""

from annotator.core.suggest.engine import MODES, Suggester, combine, configured_mode
from annotator.core.suggest.model import ModelInfo, ModelSuggester, load_model, model_info
from annotator.core.suggest.record import (
    Suggestion,
    aligned,
    rejected_keys,
    visible,
    visible_for,
)
from annotator.core.suggest.rules import RuleSuggester
from annotator.core.suggest.store import DEFAULT_SET, SuggestionFile, set_for, write_set
from annotator.core.suggest.training import TrainResult, train

__all__ = [
    "DEFAULT_SET",
    "MODES",
    "ModelInfo",
    "ModelSuggester",
    "RuleSuggester",
    "Suggester",
    "Suggestion",
    "SuggestionFile",
    "TrainResult",
    "aligned",
    "combine",
    "configured_mode",
    "load_model",
    "model_info",
    "rejected_keys",
    "set_for",
    "train",
    "visible",
    "visible_for",
    "write_set",
]

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

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.core.suggest.engine import Suggester, combine
    from annotator.core.suggest.model import ModelInfo, ModelSuggester, load_model, model_info
    from annotator.core.suggest.modes import MODES, configured_mode
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

# each name's module, imported when the name is first used: the window starts without the
# rules, the model code and training (decision 0091)
_WHERE = {
    "Suggester": "engine",
    "combine": "engine",
    "ModelInfo": "model",
    "ModelSuggester": "model",
    "load_model": "model",
    "model_info": "model",
    "MODES": "modes",
    "configured_mode": "modes",
    "Suggestion": "record",
    "aligned": "record",
    "rejected_keys": "record",
    "visible": "record",
    "visible_for": "record",
    "RuleSuggester": "rules",
    "DEFAULT_SET": "store",
    "SuggestionFile": "store",
    "set_for": "store",
    "write_set": "store",
    "TrainResult": "training",
    "train": "training",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    globals()[name] = value
    return value


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

"""The edit model: every change to an annotation is an intent applied here, in the core.

    change = apply_edit(current, AddSpan("d1", 57, 64, "CITY"), context)   # pure
    store.commit([change])                  # journaled (fsynced) before it returns
    store.apply(change.undo())              # undo: the exact earlier state, untouched included

``intents`` lists the edits, ``apply`` applies them (with the status rules), ``check`` keeps
every after state valid, ``label_all`` finds occurrences, and ``editor.Editor`` is the path
the window, the adjudicator and the kill test edit an open document through.
"""

from typing import TYPE_CHECKING, Any

from annotator.core.edit.apply import (
    REJECTED_KEY,
    EditContext,
    apply_edit,
    find_key,
    rejected_keys,
    status_after_span_edit,
)
from annotator.core.edit.change import (
    Change,
    EditError,
    Skipped,
    SkipReason,
    StaleEditError,
    same_state,
)
from annotator.core.edit.editor import Editor, label_key_edit

if TYPE_CHECKING:
    from annotator.core.edit.intents import (
        AcceptSuggestions,
        AddSpan,
        AddTime,
        Edit,
        LabelAll,
        Put,
        RejectSuggestions,
        Relabel,
        RemoveSpan,
        Restore,
        SetSpans,
        SetStatus,
        SpanKey,
        TakeVersion,
    )

# the intents (frozen dataclasses, 2.4 % of a start) are imported when one is first named
# here, not as the window starts (decision 0100)
_INTENTS = frozenset(
    {
        "AcceptSuggestions",
        "AddSpan",
        "AddTime",
        "Edit",
        "LabelAll",
        "Put",
        "RejectSuggestions",
        "Relabel",
        "RemoveSpan",
        "Restore",
        "SetSpans",
        "SetStatus",
        "SpanKey",
        "TakeVersion",
    }
)


def __getattr__(name: str) -> Any:
    if name in _INTENTS:
        from annotator.core.edit import intents

        value = getattr(intents, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "REJECTED_KEY",
    "AcceptSuggestions",
    "AddSpan",
    "AddTime",
    "Change",
    "Edit",
    "EditContext",
    "EditError",
    "Editor",
    "LabelAll",
    "Put",
    "RejectSuggestions",
    "Relabel",
    "RemoveSpan",
    "Restore",
    "SetSpans",
    "SetStatus",
    "SkipReason",
    "Skipped",
    "SpanKey",
    "StaleEditError",
    "TakeVersion",
    "apply_edit",
    "find_key",
    "label_key_edit",
    "rejected_keys",
    "same_state",
    "status_after_span_edit",
]

"""Suggestions in the window: outlines over the text, their pane, the worker and training."""

# The suggestions' actions (declared in ``window.actions``): the window binds them as it is
# built and hands them to ``suggestions_controller``, built after the first paint (0091).
SUGGESTION_ACTIONS = (
    "suggest.accept",
    "suggest.reject",
    "suggest.accept_all",
    "suggest.next",
    "suggest.previous",
    "view.suggestions",
    "suggest.from.rules",
    "suggest.from.model",
    "suggest.from.both",
    "suggest.from.none",
    "suggest.train",
)

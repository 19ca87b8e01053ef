"""Suggestions in the window: outlines over the text, their pane, the worker and training."""

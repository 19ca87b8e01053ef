"""Annotating: one annotator's work on the open document and its panes.

Documents, labels, spans and the guideline; the edits, their undo command and the time clock.
"""

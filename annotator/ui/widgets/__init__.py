"""Widgets and item models with no feature of their own: the article text view, lists, icons."""

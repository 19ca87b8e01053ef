"""annotator: named-entity annotation of Indonesian news, native and offline."""

__version__ = "0.1.0"

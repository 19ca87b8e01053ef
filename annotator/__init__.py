"""annotator: named-entity annotation of Indonesian news, native and offline."""

import os

__version__ = "0.1.0"

# pydantic looks for plugins by reading the metadata of every installed distribution the
# first time a model is built (30-60 ms of every start); the app uses none
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
# and it imports importlib.metadata to look, even then: answered here instead (decision 0091)
from annotator import _code_cache, _no_plugins

_no_plugins.install()
# what Python compiles from text at run time (pydantic's dataclasses and forward references,
# regular expressions) comes compiled from the last start, whichever part of the package is
# imported first: the command line imports pydantic before the window (decision 0105)
_code_cache.install()

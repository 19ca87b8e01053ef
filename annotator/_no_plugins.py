"""pydantic's plugin loader, answered without a search while every plugin is disabled.

pydantic imports ``pydantic.plugin._loader`` the first time it builds a model, and that module
imports ``importlib.metadata`` (and email, zipfile and csv behind it) at its top, even when
``PYDANTIC_DISABLE_PLUGINS`` says that no plugin may run: some 10-15 ms of every start of the
window, before its first paint (decision 0091). While every plugin is disabled (the app's
default, set in ``annotator/__init__.py``), this module stands in for that loader: its
``get_plugins`` gives what pydantic's gives then, no plugin. Any other name asked of it loads
pydantic's own loader, which takes this module's place.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from typing import Any

LOADER = "pydantic.plugin._loader"
ALL_DISABLED = ("__all__", "1", "true")  # the values pydantic reads as "no plugin at all"


def get_plugins() -> tuple[()]:
    """The plugins pydantic is to use: none, every one being disabled."""
    return ()


def __getattr__(name: str) -> Any:
    """A name pydantic's loader has and this module has not: from pydantic's own loader."""
    if name.startswith("__"):  # what the import system asks of any module (``__path__``)
        raise AttributeError(name)
    import pydantic.plugin

    spec = importlib.machinery.PathFinder.find_spec(LOADER, list(pydantic.plugin.__path__))
    if spec is None or spec.loader is None:
        raise AttributeError(name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[LOADER] = module
    spec.loader.exec_module(module)
    return getattr(module, name)


def install() -> None:
    """Stand in for pydantic's loader if every plugin is disabled and it is not loaded yet."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in ALL_DISABLED:
        sys.modules.setdefault(LOADER, sys.modules[__name__])

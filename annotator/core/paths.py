"""Where the packaged resources and seeds are, and where the demo project lives."""

from __future__ import annotations

from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent.parent


def _find(name: str) -> Path:
    # An installed wheel carries the top-level folders as annotator/_data/ (the build
    # backend's force-include, docs/decisions/0005-packaging.md); a checkout, editable
    # installs included, has them beside the package.
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the packaged folder {name!r} is missing from this installation")


def resources_dir() -> Path:
    """``resources/``: guidelines, gazetteers, translations, icons."""
    return _find("resources")


def seeds_dir() -> Path:
    """``seeds/``: the sample article, its config and the demo annotators' annotations."""
    return _find("seeds")


def user_data_dir() -> Path:
    """The user's data folder for annotator (the demo project is created there)."""
    return platformdirs.user_data_path("annotator", appauthor=False)

"""The sources of suggestions a project may choose (``[options] suggestions``).

Kept apart from ``engine`` so the window can show and set the choice without importing the
rules and the model code, which it needs only once the first document is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.core.open import WithFolder

OPTION = "suggestions"
MODES = ("rules", "model", "both", "none")
DEFAULT_MODE = "rules"


def check_mode(value: object, where: str = "[options] suggestions") -> str:
    """``value`` if it names a source of suggestions, else a one-line AnnotatorError."""
    if value not in MODES:
        raise AnnotatorError(f"{where} must be one of {', '.join(MODES)} (got {value!r})")
    return str(value)


def configured_mode(project: WithFolder) -> str:
    """The source chosen in ``annotator.toml`` (``rules`` when not set)."""
    return check_mode(
        project.config.options.get(OPTION, DEFAULT_MODE),
        f"{project.root / 'annotator.toml'}: [options] suggestions",
    )

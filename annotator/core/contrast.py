"""Colour contrast as WCAG 2.2 measures it, and label colours made to reach it.

A project's label colours are chosen once, for a light page; on a dark page some of them
(the blue of PERSON) all but vanish as a thin line. The window therefore draws every line in
a label's colour (the underline of a span, the dashed outline of a suggestion, the ring of a
swatch) in that colour's *ink* for the background it is drawn on: the colour itself when it
stands out enough, else the colour mixed towards white (on a dark background) or black (on a
light one) just until it does. The fill of a span keeps the label's own tint.

Thresholds (WCAG 2.2): ``TEXT`` 4.5:1 for text (1.4.3), ``GRAPHIC`` 3:1 for the parts of a
graphic needed to understand it (1.4.11). A dashed one-pixel outline is thinner than WCAG's
graphics, so the window asks text contrast of it.
"""

from __future__ import annotations

TEXT = 4.5
GRAPHIC = 3.0

RGB = tuple[int, int, int]


def rgb(colour: str) -> RGB:
    """``#rrggbb`` as three 0-255 integers."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def hex_of(colour: RGB) -> str:
    """Three 0-255 integers as ``#rrggbb``."""
    return "#{:02x}{:02x}{:02x}".format(*colour)


def luminance(colour: str) -> float:
    """Relative luminance (0 black .. 1 white), WCAG 2.2's definition."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The contrast ratio of two colours, 1 (the same) .. 21 (black on white)."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0..1) of the way to ``other``; ``mix(label, base,
    1 - alpha)`` is the label laid over ``base`` at ``alpha``."""
    a, b = rgb(colour), rgb(other)
    return hex_of(
        (
            round(a[0] + (b[0] - a[0]) * amount),
            round(a[1] + (b[1] - a[1]) * amount),
            round(a[2] + (b[2] - a[2]) * amount),
        )
    )


def tint(colour: str, base: str, alpha: float) -> str:
    """``colour`` laid over ``base`` at ``alpha`` (a span's fill)."""
    return mix(base, colour, alpha)


def ink(colour: str, background: str, minimum: float = GRAPHIC) -> str:
    """``colour`` itself when it has ``minimum`` contrast on ``background``, else the least
    mix of it towards white (dark background) or black (light one) that has."""
    if contrast(colour, background) >= minimum:
        return colour
    target = "#ffffff" if luminance(background) < 0.18 else "#000000"
    lo, hi = 0.0, 1.0  # the contrast grows with the amount: bisect for the least enough
    for _ in range(12):
        middle = (lo + hi) / 2
        if contrast(mix(colour, target, middle), background) >= minimum:
            hi = middle
        else:
            lo = middle
    return mix(colour, target, hi)


def outline_colour(colour: str, base: str) -> str:
    """A suggestion's dashed outline (thin, on the text's background): text contrast."""
    return ink(colour, base, TEXT)


def underline_colour(colour: str, base: str, alpha: float) -> str:
    """A span's underline, drawn on the span's own fill: graphics contrast."""
    return ink(colour, tint(colour, base, alpha), GRAPHIC)


def swatch_ring(colour: str, background: str, on_highlight: str | None = None) -> str:
    """The ring round a label's swatch on ``background``: on a selected row (pass the
    palette's highlighted text as ``on_highlight``) that colour when it stands out, else
    the label's ink."""
    if on_highlight is not None and contrast(on_highlight, background) >= GRAPHIC:
        return on_highlight
    return ink(colour, background, GRAPHIC)

"""The stall setting of push and import (``ANNOTATOR_SEND_STALL``, decision 0118): any number
of seconds above 0 is taken as written, anything else refused in one line, none the default."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.transfer import SEND_STALL, STALL_SETTING, send_stall


@given(st.floats(min_value=0, exclude_min=True, allow_infinity=False), st.sampled_from(["", " "]))
def test_seconds_above_zero_are_taken_as_written(seconds: float, pad: str) -> None:
    assert send_stall({STALL_SETTING: f"{pad}{seconds!r}{pad}"}) == seconds


@given(
    st.one_of(
        st.floats(max_value=0).map(repr),
        st.sampled_from(["inf", "-inf", "nan", "Infinity"]),
        st.text().filter(lambda t: t.strip() and not _number(t)),
    )
)
def test_anything_else_is_refused_in_one_line(raw: str) -> None:
    with pytest.raises(AnnotatorError) as info:
        send_stall({STALL_SETTING: raw})
    message = str(info.value)
    assert message.startswith(f"{STALL_SETTING}=")
    assert "\n" not in message


@pytest.mark.parametrize("environ", [{}, {STALL_SETTING: ""}, {STALL_SETTING: " \t"}])
def test_nothing_set_is_the_default(environ: dict[str, str]) -> None:
    assert send_stall(environ) == SEND_STALL == 30.0


def _number(text: str) -> bool:
    try:
        return math.isfinite(float(text)) and float(text) > 0
    except ValueError:
        return False

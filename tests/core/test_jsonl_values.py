"""JSON that parses but cannot be stored: refused with a reason, never passed on."""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import RecordError
from annotator.core.jsonl import UnstorableAt, decode_line, dumps, raw_decode


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (r'{"text": "a \ud800"}', "field 'text' holds a lone surrogate"),
        (r'{"a": {"b": [1, "\udfff"]}}', "field 'a.b[1]' holds a lone surrogate"),
        (r'{"\ud800": 1}', "a key of the record holds a lone surrogate"),
        ('{"n": %s}' % ("9" * 5000), "an integer has more than 4300 digits"),
        ('{"n": 1e400}', "the number 1e400 is too large to store"),
        ('{"n": -2E+999}', "the number -2E+999 is too large to store"),
        ('{"n": NaN}', "NaN is not a JSON number"),
        ('{"n": -Infinity}', "-Infinity is not a JSON number"),
    ],
)
def test_unstorable_values_are_one_line(line: str, reason: str) -> None:
    with pytest.raises(RecordError) as info:
        decode_line("f.jsonl", 7, line.encode())
    assert str(info.value) == f"f.jsonl:7: {reason}" or str(info.value).startswith(
        f"f.jsonl:7: {reason}"
    )


@pytest.mark.parametrize(
    "line",
    [
        r'{"text": "\ud83d\ude00"}',  # a pair is one character
        r'{"text": "\\ud800"}',  # an escaped backslash, then letters
        '{"n": 1e308, "m": 1e-400, "k": %s}' % ("9" * 4300),
    ],
)
def test_storable_values_pass(line: str) -> None:
    value = decode_line("f.jsonl", 1, line.encode())
    dumps(value).encode("utf-8")


def test_a_stream_goes_on_after_an_unstorable_value() -> None:
    text = '[{"a": 1e400}, {"b": "\\udc00"}, {"c": %s}, {"d": 1}]' % ("1" * 5000)
    found, i = [], 1
    while True:
        while text[i] in " ,":
            i += 1
        if text[i] == "]":
            break
        try:
            value, i = raw_decode(text, i)
            found.append(value)
        except UnstorableAt as exc:
            found.append(str(exc))
            i = exc.end
    assert found[0] == "the number 1e400 is too large to store"
    assert "lone surrogate" in found[1]
    assert "4300 digits" in found[2]
    assert found[3] == {"d": 1}


# Cs: surrogates, which the default alphabet leaves out
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(categories=["Cs", "Ll", "Lu", "Nd", "Zs", "Cc"])),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=8,
)


@given(json_values)
def test_whatever_decode_line_returns_can_be_written_back(value: object) -> None:
    line = json.dumps({"v": value}, ensure_ascii=True)  # escapes surrogates, writes NaN
    try:
        decoded = decode_line("f.jsonl", 1, line.encode("ascii"))
    except RecordError:
        return
    text = json.dumps(decoded, ensure_ascii=False, allow_nan=False)
    text.encode("utf-8")
    assert not any(isinstance(v, float) and not math.isfinite(v) for v in _leaves(decoded))


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _leaves(v)]
    if isinstance(value, list):
        return [x for v in value for x in _leaves(v)]
    return [value]

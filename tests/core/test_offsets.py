"""The code point <-> UTF-16 conversion used at the Qt boundary."""

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import Utf16Map


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def test_flag_before_city_shifts_qt_positions_only() -> None:
    text = "🇮🇩 Jakarta"
    m = Utf16Map(text)
    start = len("🇮🇩 ")
    assert start == 3
    assert m.to_utf16(start) == 5  # each regional indicator is two UTF-16 units
    assert m.to_code_point(5) == start
    assert m.length16 == utf16_len(text)


def test_ascii_and_bmp_text_is_identity() -> None:
    text = "Kemendagri menyampaikan sambutan, café naïve"
    m = Utf16Map(text)
    assert [m.to_utf16(i) for i in range(len(text) + 1)] == list(range(len(text) + 1))


def test_position_inside_surrogate_pair_rounds_down() -> None:
    text = "a😀b"
    m = Utf16Map(text)
    assert m.to_utf16(1) == 1
    assert m.to_utf16(2) == 3
    assert m.to_code_point(2) == 1  # between the two halves of the emoji


@given(st.text(alphabet=st.sampled_from(list("ab \n😀🇮🇩é\u0301\r日")), max_size=60))
def test_round_trip_and_prefix_lengths(text: str) -> None:
    m = Utf16Map(text)
    for i in range(len(text) + 1):
        pos16 = m.to_utf16(i)
        assert pos16 == utf16_len(text[:i])
        assert m.to_code_point(pos16) == i

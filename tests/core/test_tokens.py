"""The one tokenizer and selection snapping (docs/design.md section 5)."""

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.tokens import Snap, TokenIndex, tokenize, trim


def words(text: str) -> list[str]:
    return [text[t.start : t.end] for t in tokenize(text)]


def test_tokens_follow_the_regex() -> None:
    assert words("Bandung,") == ["Bandung", ","]
    assert words("negara-negara") == ["negara", "-", "negara"]
    assert words("Selasa (30/08/2022)") == ["Selasa", "(", "30", "/", "08", "/", "2022", ")"]


def test_snap_widens_to_whole_tokens_and_trims() -> None:
    text = "Laporan Fikar W.Eda/Jakarta"
    idx = TokenIndex(text)
    start = len("Laporan Fi")
    end = len("Laporan Fikar W")
    assert idx.snap(start, end) == (len("Laporan "), len("Laporan Fikar W"))
    assert idx.snap(len("Laporan"), len("Laporan Fik")) == (len("Laporan "), len("Laporan Fikar"))
    assert idx.snap(start, end, Snap.EXACT) == (start, end)


def test_snap_of_whitespace_only_is_empty() -> None:
    text = "a   b"
    s, e = TokenIndex(text).snap(1, 4)
    assert s == e


def test_is_aligned() -> None:
    text = "DKI Jakarta, Kota Makassar"
    idx = TokenIndex(text)
    assert idx.is_aligned(0, len("DKI Jakarta"))
    assert not idx.is_aligned(1, len("DKI Jakarta"))
    assert not idx.is_aligned(0, len("DKI Jak"))


@given(st.text(alphabet=st.sampled_from(list("ab .,\n😀é\u0301-")), max_size=40), st.data())
def test_snapped_spans_are_aligned_and_trimmed(text: str, data: st.DataObject) -> None:
    idx = TokenIndex(text)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    s, e = idx.snap(a, b)
    if s < e:
        assert idx.is_aligned(s, e)
        assert trim(text, s, e) == (s, e)
        assert s <= max(a, trim(text, a, b)[0])

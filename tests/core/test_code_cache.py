"""The tables of what Python compiles at run time, kept between starts (decision 0105).

What is run must be what Python would have made: the same code objects, no ``__future__``
flag of the table's own module, the same programs for regular expressions; a table that
cannot be read is an empty one.
"""

from __future__ import annotations

import atexit
import builtins
import collections
import dataclasses
import importlib
import os
import re
import time
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator import _code_cache
from annotator._code_cache import CodeCache


def make_point() -> type:
    """A frozen dataclass with a default, a factory and ordering: some ten generated methods."""

    @dataclasses.dataclass(frozen=True, order=True)
    class Point:
        x: int
        y: int = 0
        tags: list[str] = dataclasses.field(default_factory=list, compare=False)

    return Point


COMPILER = importlib.import_module("re._compiler")
PYTHONS_OWN = COMPILER.compile  # re's compiler as Python has it (no table installed here)
if getattr(PYTHONS_OWN, "__self__", None) is not None:  # a window test installed a table
    PYTHONS_OWN = PYTHONS_OWN.__self__.re_compile


def use(monkeypatch: pytest.MonkeyPatch, cache: CodeCache) -> None:
    monkeypatch.setattr(dataclasses, "exec", cache.exec, raising=False)
    monkeypatch.setattr(typing, "compile", cache.compile, raising=False)
    monkeypatch.setattr(collections, "eval", cache.eval, raising=False)
    monkeypatch.setattr(COMPILER, "compile", cache.pattern)
    re.purge()  # re's own cache of compiled expressions would answer before the table


def check_point(point_class: type) -> None:
    p = point_class(1, 2)
    assert p == point_class(1, 2, ["x"])  # tags do not compare
    assert p < point_class(1, 3)
    assert hash(p) == hash(point_class(1, 2))
    assert repr(p).endswith(".Point(x=1, y=2, tags=[])")
    assert point_class(5).y == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 3


def test_a_second_table_runs_the_first_ones_code_and_compiles_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache" / "code.marshal"
    first = CodeCache(path)
    use(monkeypatch, first)
    check_point(make_point())
    Pair = collections.namedtuple("Pair", "left right")
    assert Pair(1, right=2) == (1, 2)
    assert typing.get_type_hints(make_point().__init__)["y"] is int  # "int" compiled
    ref = typing.ForwardRef("dict[str, list[int]]")
    assert ref._evaluate(globals(), None, frozenset()) == dict[str, list[int]]
    assert first.added >= 10
    first.save()
    assert path.exists()

    second = CodeCache(path)
    assert len(second.codes) == len(first.codes)
    for (source, filename, mode), code in second.codes.items():
        assert code == builtins.compile(source, filename, mode, 0, True)
    use(monkeypatch, second)
    check_point(make_point())
    Pair = collections.namedtuple("Pair", "left right")
    assert Pair(3, 4).right == 4
    assert second.added == 0  # every method came from the table
    assert len(second.used) >= 10
    path.write_bytes(path.read_bytes() + b"")  # as it was, with a time of its own
    written = path.stat().st_mtime_ns
    second.save()  # nothing new: nothing written
    assert path.stat().st_mtime_ns == written


def test_no_future_flag_of_the_tables_module_reaches_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # this module and the table's have ``from __future__ import annotations``; dataclasses
    # has not: an annotation naming nothing must fail when the method is made, as without it
    cache = CodeCache(tmp_path / "code.marshal")
    with pytest.raises(NameError):
        cache.exec("def f(x: no_such_name): pass", {}, {})
    namespace: dict[str, object] = {}
    cache.exec("def f(x: int) -> str: pass", {}, namespace)
    assert getattr(namespace["f"], "__annotations__", None) == {"x": int, "return": str}


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"garbage\x00\x01",
        b"annotator code another-python 0\n" + b"\xe3",
        _code_cache.TAG + b"\n" + b"\xe3\x00",  # cut short
        _code_cache.TAG + b"\n" + b"N",  # not a table
    ],
)
def test_a_table_that_cannot_be_read_is_an_empty_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    path = tmp_path / "code.marshal"
    path.write_bytes(content)
    cache = CodeCache(path)
    assert cache.codes == {}
    use(monkeypatch, cache)
    check_point(make_point())
    cache.save()
    assert CodeCache(path).codes.keys() == cache.codes.keys()  # replaced by a good one
    assert CodeCache(path).codes


def test_a_table_that_cannot_be_written_is_not_written_and_nothing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_only_fs: Callable[[Path], None]
) -> None:
    path = tmp_path / "cache" / "code.marshal"
    cache = CodeCache(path)
    use(monkeypatch, cache)
    check_point(make_point())
    read_only_fs(tmp_path)
    cache.save()
    assert not path.exists()
    assert cache.added > 0  # kept, for a later save


EXPRESSIONS: list[tuple[str | bytes, int]] = [
    (r"[a-z0-9_.-]{1,64}", 0),
    (r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})$", re.M),
    (r"(?i)kota\s+(\w+)|kabupaten (?:[A-Z]\w*)", 0),
    (r"(?<=Dr\s)[A-Z][a-zé]+(?:\s[A-Z][a-z]+)*", 0),
    (
        r"""
        \b (?P<word> [^\W\d_]+ )   # a word
        (?: \s* \( (?P=word) \) )?  # repeated in brackets
    """,
        re.X | re.U,
    ),
    (r"\r\n|\r|\n", 0),
    (r"[\U0001F1E6-\U0001F1FF]{2}|\u0301", 0),
    (rb"^\s*\{\s*\"id\"\s*:", re.S),
    (r"(a|b)*?c(?!d)", re.A | re.I),
]
TEXTS = ["Dr Budi Santoso 🇮🇩 hadir di Kota Makassar pada 30/08/2022.\r\nBerita kedua.", "é"]


def same(mine: re.Pattern[Any], own: re.Pattern[Any]) -> None:
    assert mine == own  # the expression, its flags and its program
    assert (mine.flags, mine.groups, mine.groupindex) == (own.flags, own.groups, own.groupindex)


def test_a_regular_expression_through_the_table_is_res_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "code.marshal"
    first = CodeCache(path)
    use(monkeypatch, first)
    for expression, flags in EXPRESSIONS:
        same(re.compile(expression, flags), PYTHONS_OWN(expression, flags))
    assert first.added == len(EXPRESSIONS)
    first.save()
    second = CodeCache(path)
    use(monkeypatch, second)
    for expression, flags in EXPRESSIONS:
        mine = re.compile(expression, flags)
        same(mine, PYTHONS_OWN(expression, flags))
        for text in TEXTS:
            subject: Any = text.encode() if isinstance(expression, bytes) else text
            found = [m.groupdict() or m.group(0) for m in mine.finditer(subject)]
            own = PYTHONS_OWN(expression, flags)
            assert found == [m.groupdict() or m.group(0) for m in own.finditer(subject)]
    assert second.added == 0  # every program came from the table
    with pytest.raises(re.error):  # a bad expression is still refused, as re refuses it
        re.compile("(unclosed")


@given(
    st.text(min_size=1, max_size=20),
    st.sampled_from([0, re.I, re.M, re.S, re.I | re.M, re.A]),
    st.booleans(),
)
def test_any_escaped_text_compiles_to_res_own_program(text: str, flags: int, group: bool) -> None:
    expression = re.escape(text)
    if group:
        expression = f"(?P<g>{expression})+"
    cache = CodeCache(Path("/nonexistent/never-read"))
    same(cache.pattern(expression, flags), PYTHONS_OWN(expression, flags))


@pytest.fixture
def installed(tmp_path: Path) -> Iterator[CodeCache]:
    """A table installed as the window installs it, taken out again afterwards."""
    places = [(dataclasses, "exec"), (typing, "compile"), (collections, "eval")]
    places.append((COMPILER, "compile"))
    before = [vars(module).get(name) for module, name in places]
    was = _code_cache.installed
    for module, name in places[:3]:  # as Python has them, whatever this process installed
        vars(module).pop(name, None)
    COMPILER.compile = PYTHONS_OWN
    cache = _code_cache.install(tmp_path / "code.marshal")
    try:
        yield cache
    finally:
        atexit.unregister(cache.save)
        _code_cache.installed = was
        for (module, name), function in zip(places, before, strict=True):
            if function is None:
                vars(module).pop(name, None)
            else:
                setattr(module, name, function)
        re.purge()


def test_while_paused_python_compiles_as_its_own(installed: CodeCache) -> None:
    re.purge()
    check_point(make_point())
    re.compile("paused? (no)")
    added = installed.added
    assert added >= 10
    with installed.paused():
        re.purge()
        assert "exec" not in vars(dataclasses)
        assert COMPILER.compile is PYTHONS_OWN
        check_point(make_point())
        re.compile("paused? (yes)")
        assert installed.added == added  # nothing went through the table
    assert COMPILER.compile == installed.pattern
    re.compile("paused? (no more)")
    assert installed.added == added + 1


def test_beyond_its_limit_a_table_keeps_what_the_process_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "code.marshal"
    old = CodeCache(path)
    for i in range(30):  # sources no start asks for any more (an older library's)
        old.compile(f"x + {i}", "<string>", "eval")
    old.save()
    monkeypatch.setattr(_code_cache, "LIMIT", 20)
    now = CodeCache(path)
    assert len(now.codes) == 30
    assert eval(now.compile("x + 3", "<string>", "eval"), {"x": 1}) == 4  # used again
    now.compile("x * 2", "<string>", "eval")  # new
    now.save()
    assert set(CodeCache(path).codes) == {
        ("x + 3", "<string>", "eval"),
        ("x * 2", "<string>", "eval"),
    }


@pytest.fixture
def re_not_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Python whose ``re`` compiler the tests do not compare with (listed before
    ``installed``, so the table is installed on it)."""
    monkeypatch.setattr(_code_cache, "RE_PROGRAMS", False)


def test_on_a_python_whose_compiler_is_not_compared_re_compiles_as_its_own(
    re_not_compared: None, installed: CodeCache
) -> None:
    # re's compiler is private: outside the Pythons the tests above compare with, the table
    # keeps code alone and leaves re's compiler as Python has it
    assert COMPILER.compile is PYTHONS_OWN
    assert vars(dataclasses)["exec"] == installed.exec  # the code table is in place
    re.purge()
    re.compile("kota (?P<name>\\w+)")
    assert installed.programs == {}


def test_a_save_removes_what_saves_killed_while_writing_left_and_nothing_newer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "code.marshal"
    killed = [tmp_path / ".code-abc123", tmp_path / ".code-def456"]
    killed[0].write_bytes(b"")  # killed between making the file and writing it
    killed[1].write_bytes(_code_cache.TAG + b"\npart of a tab")  # killed while writing
    writing = tmp_path / ".code-now789"  # another process saving right now
    writing.write_bytes(b"")
    other = tmp_path / "notes.txt"
    other.write_bytes(b"")
    old = time.time() - _code_cache.LEFTOVER_AGE - 60
    for leftover in [*killed, other]:
        os.utime(leftover, (old, old))
    cache = CodeCache(path)
    use(monkeypatch, cache)
    check_point(make_point())
    cache.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".code-now789",
        "code.marshal",
        "notes.txt",
    ]
    assert CodeCache(path).codes

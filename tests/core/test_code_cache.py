"""The table of code Python compiles from text at run time, kept between starts (decision 0105).

What is run must be what ``compile`` would have made: the same code objects, no ``__future__``
flag of the table's own module, and a table that cannot be read is an empty one.
"""

from __future__ import annotations

import builtins
import collections
import dataclasses
import typing
from collections.abc import Callable
from pathlib import Path

import pytest

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


def use(monkeypatch: pytest.MonkeyPatch, cache: CodeCache) -> None:
    monkeypatch.setattr(dataclasses, "exec", cache.exec, raising=False)
    monkeypatch.setattr(typing, "compile", cache.compile, raising=False)
    monkeypatch.setattr(collections, "eval", cache.eval, raising=False)


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

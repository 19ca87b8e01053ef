"""Code that Python compiles from source at run time, kept compiled between starts.

Python keeps a module's bytecode (``.pyc``), but not what some modules compile from text
every time they run: ``dataclasses`` makes each method of a dataclass by compiling its source
with ``exec`` (pydantic's and ``annotated_types``' some 200 methods), ``typing`` compiles
each forward reference (``pydantic_core``'s schema types name some 600), ``namedtuple``
its ``__new__``, and ``re`` parses every regular expression into its matching program in
Python (tomllib's, platformdirs', the core's). Before the window's first paint that was some
11 % of a start's instructions (decision 0105).

``install`` gives those modules a ``compile``, an ``exec`` and an ``eval`` that look the source
up in a table read from one file, and compile (exactly as they did: the same filename, mode
and no inherited ``__future__`` flags) only what the table lacks; ``re`` gets a compiler that
keeps each expression's program, as its own compiler makes it. The tables are written back
at exit when something was added, atomically; an unreadable file or one written by another
Python is an empty table. A code object is what ``compile`` returns for its source and a
program what ``re`` makes of its expression, so what runs is what ran before; only the
compiling is skipped.
"""

from __future__ import annotations

import atexit
import builtins
import importlib
import marshal
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType
from typing import Any

# the Python that wrote a table: code objects are read back only by the same one
TAG = f"annotator code {sys.implementation.cache_tag} {sys.hexversion:x}".encode()
# entries kept: a start of the window uses some 500; beyond this (sources of an older
# pydantic, say) only what the process used is written
LIMIT = 2_000
installed: CodeCache | None = None  # the table in use, once installed
# ``re``'s compiler is private: its programs are kept only on the Pythons whose compiler the
# tests compare with (3.11-3.13); on any other, ``re`` compiles as its own, every start
RE_PROGRAMS = (3, 11) <= sys.version_info[:2] <= (3, 13)

CodeKey = tuple[str, str, str]  # source, filename, mode
PatternKey = tuple[str | bytes, int]  # expression, flags
# what ``_sre.compile`` is given: flags, program, groups, group index, index of groups
Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


class CodeCache:
    """Tables ``(source, filename, mode) -> code`` and ``(expression, flags) -> program``,
    read from ``path`` and kept there."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.codes: dict[CodeKey, CodeType] = {}
        self.programs: dict[PatternKey, Program] = {}
        self.used: set[CodeKey | PatternKey] = set()
        self.added = 0
        self.given: list[tuple[Any, str, Any]] = []  # (module, name, what it had before)
        self.compiler, self.parser = _re("_compiler"), _re("_parser")
        self.re_compile: Callable[..., Any] = self.compiler.compile  # for what it skips
        try:
            data = path.read_bytes()
            tag, _, body = data.partition(b"\n")
            if tag == TAG:
                codes, programs = marshal.loads(body)
                if isinstance(codes, dict) and isinstance(programs, dict):
                    self.codes, self.programs = codes, programs
        except (OSError, ValueError, EOFError, TypeError):
            self.codes, self.programs = {}, {}

    def compile(  # the signature of builtins.compile, as the modules call it
        self,
        source: Any,
        filename: Any,
        mode: str,
        flags: int = 0,
        dont_inherit: bool = False,
        optimize: int = -1,
        **kwargs: Any,
    ) -> Any:
        """``compile``, from the table when ``source`` is text compiled plainly."""
        if type(source) is not str or type(filename) is not str or flags or optimize != -1:
            return builtins.compile(source, filename, mode, flags, dont_inherit, optimize, **kwargs)
        if kwargs:  # _feature_version: not what the callers pass
            return builtins.compile(source, filename, mode, flags, dont_inherit, **kwargs)
        key = (source, filename, mode)
        code = self.codes.get(key)
        if code is None:
            # the callers (dataclasses, typing, collections) have no __future__ flag to inherit
            code = builtins.compile(source, filename, mode, 0, True)
            self.codes[key] = code
            self.added += 1
        self.used.add(key)
        return code

    def exec(self, source: Any, globals: Any = None, locals: Any = None, /, **kwargs: Any) -> None:
        """``exec``, its source text compiled through the table."""
        if type(source) is str:
            source = self.compile(source, "<string>", "exec")
        builtins.exec(source, globals, locals, **kwargs)

    def eval(self, source: Any, globals: Any = None, locals: Any = None, /) -> Any:
        """``eval``, its source text compiled through the table."""
        if type(source) is str:
            source = self.compile(source, "<string>", "eval")
        return builtins.eval(source, globals, locals)

    def pattern(self, expression: Any, flags: Any = 0) -> Any:
        """``re``'s compiler (``re._compiler.compile``): the expression's program from the
        table, else made as ``re`` makes it (Python 3.11-3.13) and kept."""
        compiler = self.compiler
        if type(expression) not in (str, bytes) or flags & compiler.SRE_FLAG_DEBUG:
            return self.re_compile(expression, flags)
        key = (expression, int(flags))
        program = self.programs.get(key)
        if program is None:
            parsed = self.parser.parse(expression, flags)
            names = dict(parsed.state.groupdict)
            index: list[str | None] = [None] * parsed.state.groups
            for name, i in names.items():
                index[i] = name
            code = [int(op) for op in compiler._code(parsed, flags)]  # op codes are int-like
            groups = parsed.state.groups - 1
            program = (int(flags | parsed.state.flags), code, groups, names, tuple(index))
            self.programs[key] = program
            self.added += 1
        self.used.add(key)
        return compiler._sre.compile(expression, *program)

    def save(self) -> None:
        """Write the tables if this process added to them (atomically; quietly not if it
        cannot)."""
        if not self.added:
            return
        import tempfile

        codes, programs = self.codes, self.programs
        if len(codes) + len(programs) > LIMIT:
            codes = {key: code for key, code in codes.items() if key in self.used}
            programs = {key: p for key, p in programs.items() if key in self.used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=".code-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(TAG + b"\n" + marshal.dumps((codes, programs)))
                os.replace(name, self.path)
            except BaseException:
                os.unlink(name)
                raise
        except OSError:
            return
        self.added = 0
        _remove_leftovers(self.path.parent)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The modules compile as Python's own while this lasts."""
        mine = [(module, name, getattr(module, name)) for module, name, _ in self.given]
        for module, name, before in self.given:
            _give(module, name, before)
        try:
            yield
        finally:
            for module, name, function in mine:
                _give(module, name, function)


LEFTOVER_AGE = 600.0
"""Seconds after which a temporary file of a save is a leftover: a save takes milliseconds, so
a file this old belongs to a process killed while it wrote (at exit, where kills come)."""


def _remove_leftovers(folder: Path) -> None:
    """Remove the temporary files of saves that never finished (quietly, as saving is)."""
    import time

    old = time.time() - LEFTOVER_AGE
    try:
        for entry in os.scandir(folder):
            if entry.name.startswith(".code-") and entry.stat().st_mtime < old:
                os.unlink(entry.path)
    except OSError:
        return


@contextmanager
def paused() -> Iterator[None]:
    """The installed table paused while this lasts (nothing, if none is)."""
    if installed is None:
        yield
        return
    with installed.paused():
        yield


def _re(name: str) -> Any:
    """A module of ``re``'s own (``_compiler``, ``_parser``): not in the type stubs."""
    return importlib.import_module(f"re.{name}")


def _give(module: Any, name: str, function: Any) -> None:
    if function is None:  # the module had none of its own: the builtin again
        if name in vars(module):
            delattr(module, name)
    else:
        setattr(module, name, function)


def default_path() -> Path:
    """The tables' file: in the user's cache folder, one per Python."""
    import platformdirs

    folder = platformdirs.user_cache_path("annotator", appauthor=False)
    return folder / f"code-{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal"


def install(path: Path | None = None) -> CodeCache:
    """Give ``dataclasses``, ``typing`` and ``collections`` (``namedtuple``) the table's
    ``exec``, ``compile`` and ``eval``, and ``re`` its compiler; write them at exit. Done
    before they compile anything worth keeping (before pydantic is imported)."""
    import collections
    import dataclasses
    import typing

    global installed
    cache = CodeCache(path or default_path())
    # a module's globals come before the builtins when its functions look a name up
    given: list[tuple[Any, str, Any]] = [(dataclasses, "exec", cache.exec)]
    given += [(typing, "compile", cache.compile), (collections, "eval", cache.eval)]
    if RE_PROGRAMS:
        given.append((_re("_compiler"), "compile", cache.pattern))
    for module, name, function in given:
        cache.given.append((module, name, vars(module).get(name)))
        _give(module, name, function)
    atexit.register(cache.save)
    installed = cache
    return cache

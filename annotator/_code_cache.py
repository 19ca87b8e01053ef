"""Code that Python compiles from source at run time, kept compiled between starts.

Python keeps a module's bytecode (``.pyc``), but not the code some modules compile from text
every time they run: ``dataclasses`` makes each method of a dataclass by compiling its source
with ``exec`` (pydantic's and ``annotated_types``' some 200 methods), ``typing`` compiles
each forward reference (``pydantic_core``'s schema types name some 600) and ``namedtuple``
its ``__new__``. Before the window's
first paint that compiling was some 8 % of a start's instructions (decision 0105).

``install`` gives those two modules a ``compile`` and an ``exec`` that look the source up in a
table read from one file, and compile (exactly as they did: the same filename, mode and no
inherited ``__future__`` flags) only what it lacks. The table is written back at exit when
something was added, atomically; an unreadable file or one written by another Python is an
empty table. A code object is what ``compile`` returns for that source, so what runs is what
ran before; only the compiling is skipped.
"""

from __future__ import annotations

import atexit
import builtins
import marshal
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType
from typing import Any

# the Python that wrote a table: code objects are read back only by the same one
TAG = f"annotator code {sys.implementation.cache_tag} {sys.hexversion:x}".encode()
LIMIT = 20_000  # entries kept; beyond it only what this process used is written
installed: CodeCache | None = None  # the table in use, once installed


class CodeCache:
    """A table ``(source, filename, mode) -> code``, read from ``path`` and kept there."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.codes: dict[tuple[str, str, str], CodeType] = {}
        self.used: set[tuple[str, str, str]] = set()
        self.added = 0
        try:
            data = path.read_bytes()
            tag, _, body = data.partition(b"\n")
            if tag == TAG:
                table = marshal.loads(body)
                if isinstance(table, dict):
                    self.codes = table
        except (OSError, ValueError, EOFError, TypeError):
            self.codes = {}

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
            # the callers (dataclasses, typing) have no __future__ flags to inherit
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

    def save(self) -> None:
        """Write the table if this process added to it (atomically; quietly not if it cannot)."""
        if not self.added:
            return
        codes = self.codes
        if len(codes) > LIMIT:
            codes = {key: code for key, code in codes.items() if key in self.used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=".code-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(TAG + b"\n" + marshal.dumps(codes))
                os.replace(name, self.path)
            except BaseException:
                os.unlink(name)
                raise
        except OSError:
            return
        self.added = 0


def default_path() -> Path:
    """The table's file: in the user's cache folder, one per Python."""
    import platformdirs

    folder = platformdirs.user_cache_path("annotator", appauthor=False)
    return folder / f"code-{sys.implementation.cache_tag}.marshal"


def install(path: Path | None = None) -> CodeCache:
    """Give ``dataclasses``, ``typing`` and ``collections`` (``namedtuple``) the table's
    ``exec``, ``compile`` and ``eval``; write it at exit. Done before they compile anything
    worth keeping (before pydantic is imported)."""
    import collections
    import dataclasses
    import typing

    global installed
    cache = CodeCache(path or default_path())
    # a module's globals come before the builtins when its functions look a name up
    given = ((dataclasses, "exec", cache.exec), (typing, "compile", cache.compile))
    for module, name, function in (*given, (collections, "eval", cache.eval)):
        setattr(module, name, function)
    atexit.register(cache.save)
    installed = cache
    return cache

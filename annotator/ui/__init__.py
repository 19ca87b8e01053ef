"""The window, the only place PySide6 lives; its folders follow the features.

- ``app``: starting the window (application, annotator's name, project, lock);
- ``window/``: the main window and what every feature shares (actions, settings, theme,
  language, the keyboard cheat-sheet);
- ``widgets/``: widgets and item models with no feature of their own (the article text view);
- ``annotating/``: one annotator's work on a document and its panes;
- ``review/``: the agreement dashboard, annotators against gold, adjudication;
- ``suggestions/``: suggestions over the text, accepted or rejected from the keyboard;
- ``export/``: File > Export.

Importing this package imports what a window starts with: the core modules, PySide6, then
``app`` and the window's modules. PySide6, when it is first imported, puts an import hook of
its own in place of Python's: it is there for ``from __feature__ import snake_case`` (or
``true_property``), and it reads the source of every module named in an import statement
after it to see whether that module names PySide6 (some 2 % of a start). The window never
uses ``__feature__`` (a test keeps it so), so when this package is the first to import
PySide6 the import function that was in place before is put back (decision 0100).

The tables of what Python compiles at run time (``annotator._code_cache``, put in place by
the package itself) are paused while PySide6 is imported: its own import is the floor's work,
left as in any program (decision 0105).

They are imported with Python's cyclic garbage collector paused: the some 60,000 objects
they make (modules, classes, functions, pydantic's and Qt's types) live as long as the
process, and collecting among them as they were made, a hundred times, cost some 2 % of a
start (decision 0096). Once made they are moved out of the collector's way (``gc.freeze``),
so no later collection walks them either.
"""

import builtins
import gc

from annotator import _code_cache

_collecting = gc.isenabled()
gc.disable()
try:
    import annotator.core.demo
    import annotator.core.edit
    import annotator.core.project
    import annotator.core.store
    import annotator.core.work_scope

    _import = builtins.__import__
    try:  # PySide6's own import compiles as it does in any program (the floor's work)
        with _code_cache.paused():
            import PySide6.QtCore  # noqa: F401 (puts its hook in place, if first imported here)
    finally:
        builtins.__import__ = _import
    import annotator.ui.app  # noqa: F401
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

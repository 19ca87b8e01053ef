"""The window, the only place PySide6 lives; its folders follow the features.

- ``app``: starting the window (application, annotator's name, project, lock);
- ``window/``: the main window and what every feature shares (actions, settings, theme,
  language, the keyboard cheat-sheet);
- ``widgets/``: widgets and item models with no feature of their own (the article text view);
- ``annotating/``: one annotator's work on a document and its panes;
- ``review/``: the agreement dashboard, annotators against gold, adjudication;
- ``suggestions/``: suggestions over the text, accepted or rejected from the keyboard;
- ``export/``: File > Export.

Importing this package imports what a window starts with: the core modules first, before any
Qt module (PySide6 reads the source of every module imported after it, to look for
``__feature__`` use: some 20-40 ms over the core and pydantic at every start), then ``app``
and the window's modules. They are imported with Python's cyclic garbage collector paused:
the some 60,000 objects they make (modules, classes, functions, pydantic's and Qt's types) live
as long as the process, and collecting among them as they were made, a hundred times, cost
some 2 % of a start (decision 0096). Once made they are moved out of the collector's way
(``gc.freeze``), so no later collection walks them either.
"""

import gc

_collecting = gc.isenabled()
gc.disable()
try:
    import annotator.core.demo
    import annotator.core.edit
    import annotator.core.project
    import annotator.core.store
    import annotator.core.work_scope
    import annotator.ui.app  # noqa: F401
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

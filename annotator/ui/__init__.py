"""The window, the only place PySide6 lives; its folders follow the features.

- ``app``: starting the window (application, annotator's name, project, lock);
- ``window/``: the main window and what every feature shares (actions, settings, theme,
  language, the keyboard cheat-sheet);
- ``widgets/``: widgets and item models with no feature of their own (the article text view);
- ``annotating/``: one annotator's work on a document and its panes;
- ``review/``: the agreement dashboard, annotators against gold, adjudication;
- ``suggestions/``: suggestions over the text, accepted or rejected from the keyboard;
- ``export/``: File > Export.

Importing this package imports the core modules the window starts with, before any Qt module:
PySide6 reads the source of every module imported after it (to look for ``__feature__``
use), some 20-40 ms over the core and pydantic at every start.
"""

import annotator.core.demo
import annotator.core.edit
import annotator.core.project
import annotator.core.store
import annotator.core.work_scope  # noqa: F401

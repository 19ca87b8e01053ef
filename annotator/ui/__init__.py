"""The window, the only place PySide6 lives; its folders follow the features.

- ``app``: starting the window (application, annotator's name, project, lock);
- ``window/``: the main window and what every feature shares (actions, settings, theme,
  language, the keyboard cheat-sheet);
- ``widgets/``: widgets and item models with no feature of their own (the article text view);
- ``annotating/``: one annotator's work on a document and its panes;
- ``review/``: the agreement dashboard, annotators against gold, adjudication;
- ``suggestions/``: suggestions over the text, accepted or rejected from the keyboard;
- ``export/``: File > Export.
"""

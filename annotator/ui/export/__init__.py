"""File > Export: the dialog and the worker thread that runs the export."""

"""Shared test set-up: Qt runs offscreen (pytest-qt has no ini option for the platform)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import tempfile

# Keep tests away from the user's real data and settings (the demo project, QSettings).
_HOME = tempfile.mkdtemp(prefix="annotator-tests-")
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = os.path.join(_HOME, _var.lower())

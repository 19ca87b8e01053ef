"""The core must import and work with PySide6 absent (STYLE: napari's Qt-free layers)."""

import subprocess
import sys

CODE = """
import sys
sys.modules["PySide6"] = None  # any import of it now raises ImportError
import pkgutil, importlib, annotator.core as core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "annotator.core.")]
for name in names:
    importlib.import_module(name)
assert not any(m.startswith(("PySide6.", "shiboken6")) for m in sys.modules), "Qt was loaded"
import annotator.cli
print(len(names))
"""


def test_core_imports_without_pyside6() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 10  # every core module was imported

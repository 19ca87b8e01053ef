"""Packaging hook: ship the top-level resources/ and seeds/ inside the wheel as annotator/_data.

Everything else is in pyproject.toml. Editable installs find the folders in the checkout
(annotator.core.paths looks in both places).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithData(build_py):
    """Copy resources/ and seeds/ into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for name in ("resources", "seeds"):
            source = HERE / name
            if source.is_dir():
                target = Path(self.build_lib) / "annotator" / "_data" / name
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(source, target)


setup(cmdclass={"build_py": BuildWithData})

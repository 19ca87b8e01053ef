"""The cache models a start does not read are built when first used, and still validate then.

The index caches' models and the stats totals are pydantic models with ``defer_build``
(decision 0096): importing the core builds none of their validators; the first read of such a
cache builds it, and a cache whose values have the wrong types is still refused.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from _store_helpers import make_project

from annotator.core.project import Project

TEXTS = {"d1": "Berita 🇮🇩 dari Kota Makassar.\r\nParagraf dua.", "d2": "Kementerian Dalam Negeri."}

BUILT = """
import json
from annotator.core import index, project
import annotator.ui  # what a start imports before its window
models = {"totals": project._Totals, "cached": index._CachedFile, "lines": index._LinesFile}
print(json.dumps({name: bool(m.__pydantic_complete__) for name, m in models.items()}))
"""


def test_importing_the_core_builds_no_validator_of_the_deferred_models() -> None:
    run = subprocess.run(
        [sys.executable, "-c", BUILT], capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(run.stdout) == {"totals": False, "cached": False, "lines": False}


def test_stats_totals_are_validated_when_first_read(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TEXTS)
    first = project.stats()
    assert first["documents"] == 2
    totals = project.state_dir / "cache" / "documents.totals.json"
    data = json.loads(totals.read_bytes())
    assert data["count"] == 2
    # a cache whose count is not a non-negative int is refused, and counted again
    for wrong in ("2", -1, 2.5):
        totals.write_text(json.dumps({**data, "count": wrong}), encoding="utf-8")
        assert Project.open(project.root).stats()["documents"] == 2, wrong
    # one that is valid but says otherwise is believed (it is the cache, keyed by the file)
    totals.write_text(json.dumps({**data, "count": 7}), encoding="utf-8")
    assert Project.open(project.root).stats()["documents"] == 7


def test_a_quick_index_cache_is_validated_when_first_read(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", TEXTS)
    assert Project.open(project.root, quick=True).documents.ids == ["d1", "d2"]
    lines = project.state_dir / "cache" / "documents.lines.json"
    data = json.loads(lines.read_bytes())
    lines.write_text(json.dumps({**data, "offset": ["0", "x"]}), encoding="utf-8")
    reopened = Project.open(project.root, quick=True).documents
    assert reopened.ids == ["d1", "d2"]
    assert reopened.get("d2").text == TEXTS["d2"]

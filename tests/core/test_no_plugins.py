"""pydantic's plugin loader is answered without importing importlib.metadata (decision 0091).

Each case runs in a new interpreter: the test process has long imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

CODE = """
import json, sys
import annotator.core.model as model
doc = model.Document.model_validate_json('{"id": "a", "text": "Kota Makassar 🇮🇩"}')
try:
    model.Span.model_validate({"start": 0, "end": 0, "label": "CITY", "text": ""})
    refused = False
except ValueError:
    refused = True
loader = sys.modules["pydantic.plugin._loader"]
print(json.dumps({
    "text": doc.text,
    "refused": refused,
    "metadata_imported": "importlib.metadata" in sys.modules,
    "loader": loader.__name__,
    "plugins": list(loader.get_plugins()),
}))
"""


def run(code: str, **env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**clean, **env},
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    found: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def test_models_are_built_and_validate_without_the_plugin_search() -> None:
    seen = run(CODE)
    assert seen["text"] == "Kota Makassar 🇮🇩"
    assert seen["refused"] is True  # the validators run as ever
    assert seen["metadata_imported"] is False
    assert seen["loader"] == "annotator._no_plugins"
    assert seen["plugins"] == []


@pytest.mark.parametrize("value", ["", "some_plugin"])
def test_plugins_allowed_use_pydantics_own_loader(value: str) -> None:
    seen = run(CODE, PYDANTIC_DISABLE_PLUGINS=value)
    assert seen["refused"] is True
    assert seen["metadata_imported"] is True
    assert seen["loader"] == "pydantic.plugin._loader"


def test_any_other_name_comes_from_pydantics_loader_which_takes_over() -> None:
    code = """
import json, sys
import annotator
from pydantic.plugin import _schema_validator  # imports the loader the way pydantic does
stand_in = sys.modules["pydantic.plugin._loader"]
group = stand_in.PYDANTIC_ENTRY_POINT_GROUP
print(json.dumps({"group": group, "stand_in": stand_in.__name__,
                  "now": sys.modules["pydantic.plugin._loader"].__name__}))
"""
    seen = run(code)
    assert seen == {
        "group": "pydantic",
        "stand_in": "annotator._no_plugins",
        "now": "pydantic.plugin._loader",
    }

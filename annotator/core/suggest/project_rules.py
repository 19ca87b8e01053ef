"""The team's own terms and patterns: ``suggestions.toml`` next to ``annotator.toml``.

A team lead teaches the rules without code::

    [terms]                       # names, matched as written, in CAPITALS or Capitalised
    PROGRAM = ["JakLingko", "JakPreneur", "Kartu Prakerja"]
    AGENCY = ["Pemprov DKI Jakarta"]

    [patterns]                    # Python regular expressions, widened to whole tokens;
    PROGRAM = ['Jak[A-Z]\\w+']     # with a capture group only group 1 is suggested

    [ignore]
    terms = ["Indonesia"]         # never suggest exactly this text, whatever the source

    [rules]
    off = ["person"]              # switch off built-in families: gazetteer, abbreviation,
                                  # date, dateline, person, head

The team's terms and patterns win over every built-in rule where they overlap.
Mistakes are reported as ``suggestions.toml:LINE: reason``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import RecordError

FILE_NAME = "suggestions.toml"
FAMILIES = ("gazetteer", "abbreviation", "date", "dateline", "person", "head")
TEMPLATE = """# Suggestions: the team's own terms and patterns (see the README, "Suggestions").
[terms]
# PROGRAM = ["JakLingko", "Kartu Prakerja"]

[patterns]
# PROGRAM = ['Jak[A-Z]\\w+']

[ignore]
terms = []

[rules]
off = []
"""


@dataclass(frozen=True)
class ProjectRules:
    """The parsed ``suggestions.toml`` (empty when the file does not exist)."""

    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    patterns: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()
    off: frozenset[str] = frozenset()


def _line_of(raw: str, needle: str) -> int:
    """The first line of ``raw`` holding ``needle`` (1 if none: the error is still named)."""
    for lineno, line in enumerate(raw.splitlines(), 1):
        if needle and needle in line:
            return lineno
    return 1


def _strings(path: str, raw: str, table: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(path, _line_of(raw, key), f"[{table}] {key} must be a list of strings")
    return [v for v in value if v.strip()]


def load_project_rules(path: Path, labels: frozenset[str]) -> ProjectRules:
    """Read ``path``; raise RecordError (``path:line: reason``) on any mistake."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ProjectRules()
    except UnicodeDecodeError as exc:
        raise RecordError(str(path), 1, f"not UTF-8 (byte {exc.start})") from None
    spath = str(path)
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise RecordError(spath, int(m.group(1)) if m else 1, reason) from None
    unknown_tables = set(data) - {"terms", "patterns", "ignore", "rules"}
    if unknown_tables:
        name = sorted(unknown_tables)[0]
        raise RecordError(
            spath, _line_of(raw, name), f"unknown table [{name}] (terms, patterns, ignore, rules)"
        )
    terms: dict[str, tuple[str, ...]] = {}
    patterns: dict[str, tuple[re.Pattern[str], ...]] = {}
    for table in ("terms", "patterns"):
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise RecordError(spath, _line_of(raw, table), f"{table} must be a table")
        for label, value in section.items():
            if label not in labels:
                raise RecordError(
                    spath,
                    _line_of(raw, label),
                    f"[{table}] unknown label {label!r} (labels: {', '.join(sorted(labels))})",
                )
            items = _strings(spath, raw, table, label, value)
            if table == "terms":
                terms[label] = tuple(items)
                continue
            compiled = []
            for item in items:
                try:
                    compiled.append(re.compile(item))
                except re.error as exc:
                    raise RecordError(
                        spath, _line_of(raw, item), f"[patterns] {label}: bad pattern: {exc}"
                    ) from None
            patterns[label] = tuple(compiled)
    ignore_table = data.get("ignore", {})
    rules_table = data.get("rules", {})
    ignore = _strings(spath, raw, "ignore", "terms", ignore_table.get("terms", []))
    off = _strings(spath, raw, "rules", "off", rules_table.get("off", []))
    bad = sorted(set(off) - set(FAMILIES))
    if bad:
        raise RecordError(
            spath,
            _line_of(raw, "off"),
            f"[rules] off: unknown family {bad[0]!r} (families: {', '.join(FAMILIES)})",
        )
    return ProjectRules(terms, patterns, frozenset(ignore), frozenset(off))

"""Text from input files made safe to print: control characters shown as escapes.

Ids, titles, names and paths come from files other people wrote. Printed raw, an escape
sequence in a document id (``\\x1b]0;...``, ``\\x1b[2J``) would drive the reader's terminal:
retitle it, clear it, hide text; a right-to-left override would reorder what is shown. Every
such character is shown as its ``\\uXXXX`` escape instead, which is also valid inside a JSON
string, so JSON output stays JSON. Line feeds and tabs are kept: they are the output's own.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, C1 controls, the line and paragraph separators, and
# the bidirectional marks, embeddings, overrides and isolates.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control character but ``\\n`` and ``\\t`` written as ``\\uXXXX``."""
    return _CONTROLS.sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` for a place inside a line (an id, a title): line feeds and tabs escaped too."""
    return escape_controls(text).replace("\n", "\\u000a").replace("\t", "\\u0009")


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown inline text: nothing in it is markup, HTML or a new line.

    Control characters are escaped as above, line breaks become spaces, every ASCII punctuation
    mark Markdown gives a meaning is backslash-escaped, and ``& < > "`` become HTML entities
    (so no renderer sees a tag).
    """
    text = " ".join(escape_controls(text).split("\n"))
    text = "".join(_HTML.get(c, c) for c in text)
    return _MARKDOWN.sub(r"\\\1", text)


def code_fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in ``text`` (at least three)."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    return "`" * max(3, longest + 1)


def counted(count: int, noun: str) -> str:
    """``1 span``, ``2,000 spans``: a count and its noun, the noun plural unless one (every
    noun the commands count takes an ``s``)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"

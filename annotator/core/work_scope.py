"""What one person sees of a planned project in the window, and the order they work in.

The window asks this, never the plan directly::

    scope = WorkScope(project.documents.ids, "ani", project.assignments(), lead=False)
    scope.visible("doc-7")                 # is it in ani's list?
    scope.next_unfinished("doc-7", status)  # Ctrl+Enter: the next document of ani's queue
    scope.counts(status)                   # the progress bar: over ani's documents only
    scope.blind                            # others' spans are hidden from ani everywhere

Roles (decision 0073): an **annotator** of a project with a plan sees the documents assigned
to them, their queue is those not done nor skipped, in project order, and nothing of anyone
else's spans (blind annotation). A **lead** sees every document and everyone's work. A
project without a plan is as it always was: everyone sees and may take every document, and
nothing is hidden.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the window imports this at start-up: no planning code (numpy) for it
    from annotator.core.assignments import StoredPlan
    from annotator.core.model import Status

UNFINISHED = ("todo", "in_progress")

# how a lead's document list marks each assigned annotator's status
MARKS: Mapping[str | None, str] = {
    None: "○",  # not started
    "in_progress": "✎",
    "done": "✓",
    "skipped": "↷",
}


class WorkScope:
    """See the module docstring."""

    def __init__(
        self, ids: Sequence[str], name: str, plan: StoredPlan | None, lead: bool = False
    ) -> None:
        self.name = name
        self.lead = lead
        self.ids = ids
        self.planned = plan is not None
        self.mine: frozenset[str] | None = None  # None: every document
        if plan is not None and not lead:
            self.mine = frozenset(plan.documents_of(name))

    @property
    def blind(self) -> bool:
        """True when others' annotations must not be shown: an annotator of a planned project."""
        return self.mine is not None

    @property
    def everything(self) -> bool:
        """True when every document is listed (a lead, or no plan)."""
        return self.mine is None

    def visible(self, doc_id: str) -> bool:
        """Whether ``doc_id`` is in this person's document list."""
        return self.mine is None or doc_id in self.mine

    def documents(self) -> list[str]:
        """The documents listed, in project order."""
        mine = self.mine
        return list(self.ids) if mine is None else [d for d in self.ids if d in mine]

    def queue(self, status_of: Callable[[str], str]) -> list[str]:
        """The documents still to do (not done, not skipped), in project order."""
        return [d for d in self.documents() if status_of(d) in UNFINISHED]

    def next_unfinished(
        self, after: str | None, status_of: Callable[[str], str], position: int | None = None
    ) -> str | None:
        """The first listed document after ``after`` (project order, wrapping round) that is
        still to do; None when the queue is empty. ``position`` is ``after``'s index in the
        project's ids when the caller knows it (saves a search)."""
        ids = self.ids
        if after is None:
            start = 0
        elif position is not None:
            start = position + 1
        else:
            try:
                start = list(ids).index(after) + 1
            except ValueError:
                start = 0
        mine = self.mine
        for doc_id in (*ids[start:], *ids[:start]):
            if doc_id == after or (mine is not None and doc_id not in mine):
                continue
            if status_of(doc_id) in UNFINISHED:
                return doc_id
        return None

    def counts(self, status_of: Callable[[str], str]) -> Counter[str]:
        """Statuses of the listed documents (``todo`` for untouched ones)."""
        return Counter(status_of(d) for d in self.documents())


def people_text(states: Sequence[tuple[str, Status | None]]) -> str:
    """One document's annotators and their status, for a lead: ``ani ✓ · budi ○``."""
    return " · ".join(f"{name} {MARKS.get(status, '?')}" for name, status in states)

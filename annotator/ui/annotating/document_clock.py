"""Time spent on a document: counted while it is open and the window active, minus idle time.

Pure Python (the caller passes monotonic times), so it is tested without Qt. A person who walks
away with the window still active should not be credited with an hour: time after
``idle_limit`` seconds without any key press or mouse action does not count, as in annotation
tools that report effort per item (Prodigy's and Label Studio's lead times).
"""

from __future__ import annotations

IDLE_LIMIT = 300.0


class DocumentClock:
    """Accumulates active, non-idle seconds between ``start`` and ``take``."""

    def __init__(self, idle_limit: float = IDLE_LIMIT) -> None:
        self.idle_limit = idle_limit
        self._total = 0.0
        self._since: float | None = None  # start of the running period, None when paused
        self._last_input = 0.0

    @property
    def running(self) -> bool:
        """True while time is being counted."""
        return self._since is not None

    def resume(self, now: float) -> None:
        """The document is visible in the active window from ``now`` on."""
        if self._since is None:
            self._since = now
            self._last_input = now

    def pause(self, now: float) -> None:
        """The window lost focus (or the document is being left) at ``now``."""
        if self._since is not None:
            self._total += self._credited(now)
            self._since = None

    def activity(self, now: float) -> None:
        """A key press or mouse action at ``now``: idle time before it is dropped."""
        if self._since is None:
            return
        if now - self._last_input > self.idle_limit:
            # the idle stretch ended: bank what counted and restart from this input
            self._total += self._credited(now)
            self._since = now
        self._last_input = now

    def elapsed(self, now: float) -> float:
        """Seconds counted so far (the clock keeps running)."""
        return self._total + (self._credited(now) if self._since is not None else 0.0)

    def take(self, now: float) -> float:
        """Seconds counted so far; the clock restarts from zero (running if it was)."""
        total = self.elapsed(now)
        self._total = 0.0
        if self._since is not None:
            self._since = now
            self._last_input = now
        return total

    def _credited(self, now: float) -> float:
        assert self._since is not None
        end = min(now, self._last_input + self.idle_limit)
        return max(0.0, end - self._since)

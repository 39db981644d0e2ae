"""Per-ticket quantities repeat with the ticket shape period, so their sums over any id range are closed-form
(the summary of a 1M-ticket account costs nothing)."""

from __future__ import annotations

PERIOD = 251  # ticket i has the shape of residue i % PERIOD


class Periodic:
    """Closed-form sums of a per-residue quantity over an id range."""

    def __init__(self, values: list[int]):
        self.values = values
        self.prefix = [0]
        for value in values:
            self.prefix.append(self.prefix[-1] + value)

    def total(self, low: int, high: int) -> int:
        """Sum over ids low..high inclusive."""
        if high < low:
            return 0
        return self._upto(high) - self._upto(low - 1)

    def _upto(self, n: int) -> int:
        if n < 0:
            return 0
        full, rest = divmod(n + 1, PERIOD)
        return full * self.prefix[PERIOD] + self.prefix[rest]

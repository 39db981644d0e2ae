"""The sandbox clock: real epoch seconds, plus how long Zendesk's minute lasts under --time-scale."""

from __future__ import annotations

import time


class SandboxClock:
    def __init__(self, time_scale: float = 1.0, offset: float = 0.0):
        self.time_scale = time_scale
        self.minute = 60.0 / time_scale  # real seconds in one Zendesk minute
        self.offset = offset  # tests may shift "now" forward

    def now(self) -> float:
        return time.time() + self.offset

    def zendesk_seconds(self, seconds: float) -> float:
        """Real seconds that a span of `seconds` Zendesk-seconds lasts."""
        return seconds / self.time_scale

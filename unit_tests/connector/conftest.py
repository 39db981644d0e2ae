"""Fixtures for the connector's unit tests.

`clock` (autouse) replaces real waiting with a fake clock: `time.sleep` advances it instantly, and the rate
budget, the CDK's call-rate policies and the backoff library all read it. Tests therefore never wait, and can
still check how long the connector *would* have waited.
"""

from __future__ import annotations

import datetime as real_datetime
import threading
import time
import types
from typing import List, Tuple

import pytest
import requests_mock as requests_mock_lib

from .support import without_counts, without_custom_objects


class FakeClock:
    START = real_datetime.datetime(2026, 6, 1, 12, 0, 0)

    def __init__(self) -> None:
        self.offset = 0.0
        self.sleeps: List[Tuple[str, float]] = []
        self._lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append((threading.current_thread().name, float(seconds)))
            self.offset += max(float(seconds), 0.0)
        _real_sleep(0)  # let other threads run, as a real sleep would

    def now(self) -> real_datetime.datetime:
        # Time never stands still: each reading is a microsecond after the previous one, as on a real clock.
        with self._lock:
            self.offset += 1e-6
            return self.START + real_datetime.timedelta(seconds=self.offset)

    def total_slept(self, minimum: float = 0.0) -> float:
        return sum(seconds for _, seconds in self.sleeps if seconds >= minimum)


_real_sleep = time.sleep


def _datetime_module(clock: FakeClock) -> types.SimpleNamespace:
    class ClockDatetime(real_datetime.datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: D401 - mirrors datetime.now
            value = clock.now()
            return value.replace(tzinfo=real_datetime.timezone.utc).astimezone(tz) if tz else value

    return types.SimpleNamespace(
        datetime=ClockDatetime, timedelta=real_datetime.timedelta, timezone=real_datetime.timezone
    )


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> FakeClock:
    import backoff._sync
    from airbyte_cdk.sources.streams import call_rate

    from source_zendesk_support.http import rate_budget

    fake = FakeClock()
    module = _datetime_module(fake)
    monkeypatch.setattr(time, "sleep", fake.sleep)
    for target in (call_rate, rate_budget, backoff._sync):
        monkeypatch.setattr(target, "datetime", module)
    return fake


@pytest.fixture
def api():
    """A requests-mock Mocker that refuses anything not registered (so nothing leaves the machine)."""
    with requests_mock_lib.Mocker(case_sensitive=True) as mocker:
        without_counts(mocker)
        without_custom_objects(mocker)
        yield mocker

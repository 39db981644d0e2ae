"""The dbt project's time zone seeds, from the standard time-zone database (Python's zoneinfo): every IANA zone's
standard UTC offset, and each daylight-saving period per year with its start and end in UTC.

fivetran/zendesk reads these as `time_zone` and `daylight_time` (analytics/models/layout). Zendesk serves neither
through its API. Usage: python scripts/time_zone_seed.py [SEED_DIR]
"""

from __future__ import annotations

import csv
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

SEED_DIR = Path(__file__).resolve().parent.parent / "analytics" / "seeds"
YEARS = range(1990, 2041)  # wider than any ticket history the package looks at
REFERENCE_YEAR = 2026
UTC = timezone.utc


def in_daylight(zone: ZoneInfo, moment: datetime) -> bool:
    return bool(moment.astimezone(zone).dst())


def standard_offset(zone: ZoneInfo) -> str:
    """[+-]HH:MM, the offset outside daylight saving (Fivetran's `standard_offset`)."""
    for month in (1, 7):
        local = datetime(REFERENCE_YEAR, month, 1, 12, tzinfo=UTC).astimezone(zone)
        if not local.dst():
            break
    minutes = int((local.utcoffset() - (local.dst() or timedelta(0))).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _switch(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first minute in (low, high] whose daylight state differs from low's (there is exactly one switch)."""
    state = in_daylight(zone, low)
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if in_daylight(zone, middle) == state:
            low = middle
        else:
            high = middle
    return high.replace(second=0, microsecond=0)


def daylight_periods(zone: ZoneInfo) -> list[tuple[int, datetime, datetime, int]]:
    """(year the period starts, start UTC, end UTC, offset in hours) for every daylight period in YEARS."""
    step = timedelta(days=7)
    moment, end = datetime(YEARS.start, 1, 1, tzinfo=UTC), datetime(YEARS.stop, 1, 1, tzinfo=UTC)
    periods, started = [], None
    state = in_daylight(zone, moment)
    if state:
        started = moment
    while moment < end:
        following = min(moment + step, end)
        if in_daylight(zone, following) != state:
            switch = _switch(zone, moment, following)
            state = not state
            if state:
                started = switch
            elif started is not None:
                hours = round(
                    ((started + timedelta(hours=1)).astimezone(zone).dst() or timedelta(0)).total_seconds() / 3600
                )
                periods.append((started.year, started, switch, hours))
                started = None
        moment = following
    return periods


def write_seeds(seed_dir: Path = SEED_DIR) -> None:
    seed_dir.mkdir(parents=True, exist_ok=True)
    names = sorted(name for name in available_timezones() if "/" in name or name == "UTC")
    with open(seed_dir / "time_zone_offsets.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["iana_name", "standard_offset"])
        for name in names:
            writer.writerow([name, standard_offset(ZoneInfo(name))])
    with open(seed_dir / "daylight_time_periods.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["iana_name", "year", "daylight_start_utc", "daylight_end_utc", "daylight_offset"])
        for name in names:
            for year, start, stop, hours in daylight_periods(ZoneInfo(name)):
                writer.writerow(
                    [name, year, start.strftime("%Y-%m-%d %H:%M:%S"), stop.strftime("%Y-%m-%d %H:%M:%S"), hours]
                )


if __name__ == "__main__":
    write_seeds(Path(sys.argv[1]) if len(sys.argv) > 1 else SEED_DIR)

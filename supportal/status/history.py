"""Daily history of a component's status, from its change log. Pure: no ORM.

A day's colour is the worst status the component was in at any moment of that day; its
uptime is the share of the day's elapsed time not spent in a partial or major outage
(degraded performance and maintenance count as up). Days are calendar days in the status
page's time zone, so a day across a DST switch has 23 or 25 hours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SEVERITY = {
    "operational": 0,
    "under_maintenance": 1,
    "degraded_performance": 2,
    "partial_outage": 3,
    "major_outage": 4,
}
DOWN = frozenset({"partial_outage", "major_outage"})


@dataclass(frozen=True)
class Day:
    date: date
    worst: str
    down_seconds: int
    uptime_percent: float | None  # None for a day that has not started or had no data
    statuses: tuple[str, ...]  # every status seen that day, worst first


def worst_of(statuses: Iterable[str]) -> str:
    return max(statuses, key=lambda s: SEVERITY.get(s, 0), default="operational")


def daily_history(
    *,
    changes: list[tuple[datetime, str]],
    initial: str,
    end: date,
    days: int,
    tz: ZoneInfo,
    now: datetime,
    since: datetime | None = None,
) -> list[Day]:
    """``days`` days ending with ``end`` (oldest first).

    ``changes`` are (when, new status) sorted by time; ``initial`` is the status before the
    first change. Time before ``since`` (when the component was created) and after ``now``
    is not counted."""
    start_day = end - timedelta(days=days - 1)
    result = []
    idx = 0
    current = initial
    for offset in range(days):
        day = start_day + timedelta(days=offset)
        # In UTC: subtracting two datetimes of one zone ignores a DST switch between them.
        lo = datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)
        hi = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
        if since is not None:
            lo = max(lo, since)
        hi = min(hi, now)
        # Apply the changes that happened before this day starts.
        while idx < len(changes) and changes[idx][0] <= lo:
            current = changes[idx][1]
            idx += 1
        if hi <= lo:
            result.append(Day(day, "operational", 0, None, ()))
            continue
        seen = [current]
        down = 0.0
        cursor, state = lo, current
        j = idx
        while j < len(changes) and changes[j][0] < hi:
            at, new = changes[j]
            if state in DOWN:
                down += (at - cursor).total_seconds()
            cursor, state = at, new
            seen.append(new)
            j += 1
        if state in DOWN:
            down += (hi - cursor).total_seconds()
        total = (hi - lo).total_seconds()
        uptime = round(100 * (total - down) / total, 2)
        ordered = tuple(sorted(set(seen), key=lambda s: -SEVERITY.get(s, 0)))
        result.append(Day(day, worst_of(seen), round(down), uptime, ordered))
    return result


def uptime_over(days: list[Day]) -> float | None:
    """Average uptime over the days that count (weighted equally)."""
    counted = [d.uptime_percent for d in days if d.uptime_percent is not None]
    if not counted:
        return None
    return round(sum(counted) / len(counted), 2)

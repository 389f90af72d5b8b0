"""Weeks, months and quarters on the vendor's wall clock. Pure: no ORM, no settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from supportal.core.dates import format_date


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_midnight(day: date, tz_name: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(tz_name))


@dataclass(frozen=True)
class Weeks:
    """The last ``count`` weeks (Monday to Monday) up to the one that holds ``now``."""

    mondays: tuple[date, ...]
    tz_name: str

    @classmethod
    def ending_at(cls, now: datetime, count: int, tz_name: str) -> Weeks:
        this_monday = monday_of(now.astimezone(ZoneInfo(tz_name)).date())
        first = this_monday - timedelta(weeks=max(count, 1) - 1)
        return cls(tuple(first + timedelta(weeks=i) for i in range(max(count, 1))), tz_name)

    @property
    def start(self) -> datetime:
        return local_midnight(self.mondays[0], self.tz_name)

    @property
    def end(self) -> datetime:
        return local_midnight(self.mondays[-1] + timedelta(weeks=1), self.tz_name)

    def boundaries(self) -> list[datetime]:
        """The end of each week (the next Monday at midnight), in order."""
        return [local_midnight(m + timedelta(weeks=1), self.tz_name) for m in self.mondays]

    @staticmethod
    def label(monday: date) -> str:
        return format_date(monday, "day")


def quarter_bounds(now: datetime, tz_name: str) -> tuple[datetime, datetime, str]:
    """[start, end) of the quarter holding ``now`` and its name, e.g. ``2025-Q3``."""
    local = now.astimezone(ZoneInfo(tz_name)).date()
    number = (local.month - 1) // 3 + 1
    first = date(local.year, 3 * (number - 1) + 1, 1)
    following = date(local.year + 1, 1, 1) if number == 4 else date(local.year, first.month + 3, 1)
    return (
        local_midnight(first, tz_name),
        local_midnight(following, tz_name),
        f"{local.year}-Q{number}",
    )


def month_bounds(now: datetime, tz_name: str) -> tuple[date, date]:
    """First day of the month holding ``now`` and first day of the next (local dates)."""
    local = now.astimezone(ZoneInfo(tz_name)).date()
    first = local.replace(day=1)
    following = (
        date(first.year + 1, 1, 1) if first.month == 12 else first.replace(month=first.month + 1)
    )
    return first, following

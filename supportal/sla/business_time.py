"""Business-time arithmetic over working calendars. Pure: no ORM, no settings.

A calendar is a time zone, weekly working hours in local time, and closed dates. Several
calendars together form a coverage: the clock runs whenever any of them is open. All
instants in and out are timezone-aware; local wall-clock hours follow DST changes."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# How far ahead to look for working time before giving up (a calendar with no hours).
HORIZON = timedelta(days=3 * 366)

Interval = tuple[datetime, datetime]


class NoBusinessHours(ValueError):
    """The calendar has no working time within the horizon (e.g. hours "to be decided")."""


@dataclass(frozen=True)
class BusinessCalendar:
    """One region: ``hours[weekday]`` is a list of (opens, closes) local times, Monday = 0."""

    tz: ZoneInfo
    hours: Mapping[int, tuple[tuple[time, time], ...]]
    closed: frozenset[date] = field(default_factory=frozenset)
    name: str = ""

    @property
    def has_hours(self) -> bool:
        return any(opens < closes for spans in self.hours.values() for opens, closes in spans)

    def day_intervals(self, day: date) -> list[Interval]:
        """The UTC intervals this calendar is open on a local date."""
        if day in self.closed:
            return []
        out = []
        for opens, closes in self.hours.get(day.weekday(), ()):
            if opens >= closes:
                continue
            start = datetime.combine(day, opens, tzinfo=self.tz).astimezone(UTC)
            end = datetime.combine(day, closes, tzinfo=self.tz).astimezone(UTC)
            if start < end:
                out.append((start, end))
        out.sort()
        return out

    def intervals(self, start: datetime) -> Iterator[Interval]:
        """Open intervals in time order that end after ``start`` (clipped to it)."""
        start = _aware(start).astimezone(UTC)
        day = start.astimezone(self.tz).date() - timedelta(days=1)
        last_day = day + HORIZON
        while day <= last_day:
            for opens, closes in self.day_intervals(day):
                if closes <= start:
                    continue
                yield (max(opens, start), closes)
            day += timedelta(days=1)


@dataclass(frozen=True)
class Coverage:
    """The union of several calendars: open whenever any member is open."""

    calendars: tuple[BusinessCalendar, ...]

    @property
    def has_hours(self) -> bool:
        return any(c.has_hours for c in self.calendars)

    def intervals(self, start: datetime) -> Iterator[Interval]:
        merged = heapq.merge(*(c.intervals(start) for c in self.calendars if c.has_hours))
        current: Interval | None = None
        for opens, closes in merged:
            if current is None:
                current = (opens, closes)
            elif opens <= current[1]:
                current = (current[0], max(current[1], closes))
            else:
                yield current
                current = (opens, closes)
        if current is not None:
            yield current


Calendar = BusinessCalendar | Coverage


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("business-time arithmetic needs timezone-aware datetimes")
    return moment


def add_business_time(start: datetime, duration: timedelta, calendar: Calendar) -> datetime:
    """The instant when ``duration`` of working time has passed after ``start``.

    A zero duration returns ``start``. A positive one always lands inside working hours
    (or exactly at a closing time). Raises NoBusinessHours for a calendar without hours."""
    start = _aware(start)
    if duration < timedelta(0):
        raise ValueError("duration must not be negative")
    if duration == timedelta(0):
        return start
    if not calendar.has_hours:
        raise NoBusinessHours("the calendar has no working hours")
    remaining = duration
    for opens, closes in calendar.intervals(start):
        span = closes - opens
        if remaining <= span:
            return (opens + remaining).astimezone(start.tzinfo)
        remaining -= span
    raise NoBusinessHours("no working time within the horizon")


def business_time_between(start: datetime, end: datetime, calendar: Calendar) -> timedelta:
    """Working time from ``start`` to ``end`` (zero when ``end`` is not after ``start``)."""
    start, end = _aware(start), _aware(end)
    total = timedelta(0)
    if end <= start or not calendar.has_hours:
        return total
    for opens, closes in calendar.intervals(start):
        if opens >= end:
            break
        total += min(closes, end) - opens
    return total


def is_open(moment: datetime, calendar: Calendar) -> bool:
    moment = _aware(moment).astimezone(UTC)
    for opens, closes in calendar.intervals(moment):
        return opens <= moment < closes
    return False


def next_opening(moment: datetime, calendar: Calendar) -> datetime | None:
    """When working time next runs (``moment`` itself when open now)."""
    for opens, _closes in calendar.intervals(_aware(moment)):
        return opens.astimezone(moment.tzinfo)
    return None


def weekday_hours(
    opens: time, closes: time, days: Iterable[int] = range(5)
) -> dict[int, tuple[tuple[time, time], ...]]:
    return {day: ((opens, closes),) for day in days}

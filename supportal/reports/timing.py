"""Response and resolution times in business hours. Pure: no ORM, no settings.

The first-response time is the working time of the ticket's calendar between receipt and
the first public staff reply: a ticket received on Friday at 16:00 in Chicago and answered
on Tuesday at 10:00, Monday being a holiday, waited two business hours. The resolution
time runs from receipt to resolution the same way. (Whether the SLA target was met is the
SLA clock's verdict, which also leaves out time spent waiting for the customer.)"""

from __future__ import annotations

from datetime import datetime

from supportal.sla.business_time import Calendar, business_time_between


def business_seconds(
    start: datetime | None, end: datetime | None, calendar: Calendar
) -> int | None:
    """Whole seconds of working time from ``start`` to ``end``; None while ``end`` is unknown."""
    if start is None or end is None:
        return None
    return int(business_time_between(start, end, calendar).total_seconds())


def format_duration(seconds: int | None) -> str:
    """``2h 05m`` / ``45m`` / empty for an unknown duration."""
    if seconds is None:
        return ""
    minutes = int(seconds) // 60
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def hours(seconds: int | float | None) -> float | None:
    """Seconds as hours with two decimals (the unit of the exports' duration columns)."""
    if seconds is None:
        return None
    return round(seconds / 3600, 2)

"""Business-hours durations, without a database."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from supportal.reports import timing
from supportal.sla.business_time import BusinessCalendar, weekday_hours

from .conftest import chicago

LABOR_DAY = chicago(2025, 9, 1).date()
USA = BusinessCalendar(
    tz=ZoneInfo("America/Chicago"),
    hours=weekday_hours(time(9), time(17)),
    closed=frozenset({LABOR_DAY}),
)


def test_response_across_a_weekend_and_a_holiday_counts_only_working_hours():
    """Friday 16:00 to Tuesday 10:00, Monday a holiday: one hour Friday, one Tuesday."""
    seconds = timing.business_seconds(chicago(2025, 8, 29, 16), chicago(2025, 9, 2, 10), USA)
    assert seconds == 2 * 3600


def test_ticket_filed_on_saturday_starts_counting_on_monday():
    seconds = timing.business_seconds(chicago(2025, 9, 6, 11), chicago(2025, 9, 8, 9, 45), USA)
    assert seconds == 45 * 60


def test_unknown_end_has_no_duration():
    assert timing.business_seconds(chicago(2025, 9, 2, 9), None, USA) is None


def test_durations_read_as_hours_and_minutes():
    assert timing.format_duration(2 * 3600 + 5 * 60) == "2h 05m"
    assert timing.format_duration(45 * 60 + 59) == "45m"
    assert timing.format_duration(None) == ""
    assert timing.hours(int(timedelta(hours=1, minutes=30).total_seconds())) == 1.5

"""Business-time arithmetic: hand-checked cases (DST, Thanksgiving, Christmas) and properties."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supportal.sla.business_time import (
    BusinessCalendar,
    Coverage,
    NoBusinessHours,
    add_business_time,
    business_time_between,
    is_open,
    next_opening,
    weekday_hours,
)

CHICAGO = ZoneInfo("America/Chicago")
MADRID = ZoneInfo("Europe/Madrid")
YEARS = range(2025, 2029)
NINE_TO_FIVE = weekday_hours(time(9), time(17))

USA = BusinessCalendar(
    tz=CHICAGO, hours=NINE_TO_FIVE, closed=frozenset(holidays.US(years=YEARS)), name="USA"
)
SPAIN = BusinessCalendar(
    tz=MADRID,
    hours=NINE_TO_FIVE,
    closed=frozenset(holidays.ES(subdiv="VC", years=YEARS)),
    name="Spain",
)
INDIA = BusinessCalendar(tz=ZoneInfo("Asia/Kolkata"), hours={}, name="India")
BOTH = Coverage((USA, SPAIN))
FOUR_HOURS = timedelta(hours=4)


def chicago(*args):
    return datetime(*args, tzinfo=CHICAGO)


def madrid(*args):
    return datetime(*args, tzinfo=MADRID)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_inside_hours_same_day():
    assert add_business_time(chicago(2026, 11, 24, 10), FOUR_HOURS, USA) == chicago(
        2026, 11, 24, 14
    )


def test_thanksgiving_is_skipped():
    # Wednesday 15:00: two hours left that day, Thursday is Thanksgiving, Friday 9-11.
    due = add_business_time(chicago(2026, 11, 25, 15), FOUR_HOURS, USA)
    assert due == chicago(2026, 11, 27, 11)


def test_christmas_and_weekend_are_skipped():
    # Thursday Dec 24 16:00: one hour; Friday is Christmas Day; the weekend; Monday 9-12.
    due = add_business_time(chicago(2026, 12, 24, 16), FOUR_HOURS, USA)
    assert due == chicago(2026, 12, 28, 12)


def test_start_outside_hours_waits_for_opening():
    assert add_business_time(chicago(2026, 11, 23, 6), FOUR_HOURS, USA) == chicago(2026, 11, 23, 13)
    assert add_business_time(chicago(2026, 11, 21, 12), FOUR_HOURS, USA) == chicago(
        2026, 11, 23, 13
    )


def test_us_dst_week():
    # Clocks go forward Sunday March 8 2026: Friday is UTC-6, Monday UTC-5.
    due = add_business_time(chicago(2026, 3, 6, 15), FOUR_HOURS, USA)
    assert due == chicago(2026, 3, 9, 11)
    assert due.astimezone(UTC) == utc(2026, 3, 9, 16)
    # Back to standard time Sunday November 1 2026.
    due = add_business_time(chicago(2026, 10, 30, 16), FOUR_HOURS, USA)
    assert due.astimezone(UTC) == utc(2026, 11, 2, 18)


def test_spain_dst_week():
    # Europe changes on Sunday March 29 2026.
    due = add_business_time(madrid(2026, 3, 27, 16), FOUR_HOURS, SPAIN)
    assert due == madrid(2026, 3, 30, 12)
    assert due.astimezone(UTC) == utc(2026, 3, 30, 10)


def test_spain_valencian_holiday():
    # March 19 (San José) is a Valencian holiday in 2026; Thursday.
    assert date_in(SPAIN, 2026, 3, 19)
    due = add_business_time(madrid(2026, 3, 18, 15), FOUR_HOURS, SPAIN)
    assert due == madrid(2026, 3, 20, 11)


def date_in(calendar, y, m, d):
    from datetime import date

    return date(y, m, d) in calendar.closed


def test_union_runs_while_either_office_is_open():
    # January: Spain 08-16 UTC, USA 15-23 UTC, so the union is 08-23 UTC.
    assert add_business_time(utc(2026, 1, 12, 7), FOUR_HOURS, BOTH) == utc(2026, 1, 12, 12)
    assert add_business_time(utc(2026, 1, 12, 14), FOUR_HOURS, BOTH) == utc(2026, 1, 12, 18)
    assert add_business_time(utc(2026, 1, 12, 22), FOUR_HOURS, BOTH) == utc(2026, 1, 13, 11)


def test_union_in_the_week_only_america_changed_clocks():
    # March 9-13 2026: USA already on CDT (14-22 UTC), Spain still CET (08-16 UTC).
    assert business_time_between(utc(2026, 3, 10, 0), utc(2026, 3, 11, 0), BOTH) == timedelta(
        hours=14
    )


def test_union_when_one_office_has_a_holiday():
    # Thanksgiving: only Spain is open (08-16 UTC in November).
    got = business_time_between(utc(2026, 11, 26, 0), utc(2026, 11, 27, 0), BOTH)
    assert got == timedelta(hours=8)


def test_region_without_hours_raises():
    with pytest.raises(NoBusinessHours):
        add_business_time(utc(2026, 1, 1), FOUR_HOURS, INDIA)
    assert business_time_between(utc(2026, 1, 1), utc(2026, 2, 1), INDIA) == timedelta(0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_business_time(datetime(2026, 1, 5, 10), FOUR_HOURS, USA)


def test_is_open_and_next_opening():
    assert is_open(chicago(2026, 11, 24, 9), USA)
    assert not is_open(chicago(2026, 11, 24, 17), USA)
    assert not is_open(chicago(2026, 11, 26, 12), USA)  # Thanksgiving
    assert next_opening(chicago(2026, 11, 25, 18), USA) == chicago(2026, 11, 27, 9)


starts = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
durations = st.integers(min_value=0, max_value=60 * 60).map(lambda m: timedelta(minutes=m))
calendars = st.sampled_from([USA, SPAIN, BOTH])


@settings(max_examples=200, deadline=None)
@given(start=starts, duration=durations, calendar=calendars)
def test_adding_then_measuring_gives_back_the_duration(start, duration, calendar):
    end = add_business_time(start, duration, calendar)
    assert business_time_between(start, end, calendar) == duration


@settings(max_examples=200, deadline=None)
@given(start=starts, a=durations, b=durations, calendar=calendars)
def test_adding_is_monotonic(start, a, b, calendar):
    low, high = sorted([a, b])
    assert add_business_time(start, low, calendar) <= add_business_time(start, high, calendar)


@settings(max_examples=200, deadline=None)
@given(start=starts, duration=durations, calendar=calendars)
def test_never_lands_outside_working_hours(start, duration, calendar):
    if duration == timedelta(0):
        return
    end = add_business_time(start, duration, calendar)
    assert is_open(end - timedelta(microseconds=1), calendar)


@settings(max_examples=100, deadline=None)
@given(a=starts, b=starts, calendar=calendars)
def test_measuring_is_additive(a, b, calendar):
    low, high = sorted([a, b])
    middle = low + (high - low) / 2
    assert business_time_between(low, high, calendar) == business_time_between(
        low, middle, calendar
    ) + business_time_between(middle, high, calendar)

"""Daily history arithmetic: worst status per day, uptime from outage time, DST, clipping."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from supportal.status.history import daily_history, uptime_over, worst_of

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def history(
    changes, *, initial="operational", days=3, end=date(2026, 6, 10), tz=UTC, now=NOW, since=None
):
    return daily_history(
        changes=changes, initial=initial, end=end, days=days, tz=tz, now=now, since=since
    )


def test_quiet_days_are_fully_up():
    days = history([])
    assert [d.date for d in days] == [date(2026, 6, 8), date(2026, 6, 9), date(2026, 6, 10)]
    assert [(d.worst, d.uptime_percent, d.down_seconds) for d in days[:2]] == [
        ("operational", 100.0, 0),
        ("operational", 100.0, 0),
    ]


def test_two_hour_major_outage_costs_a_twelfth_of_the_day():
    start = datetime(2026, 6, 9, 10, 0, tzinfo=UTC)
    days = history([(start, "major_outage"), (start + timedelta(hours=2), "operational")])
    assert days[1].worst == "major_outage"
    assert days[1].down_seconds == 7200
    assert days[1].uptime_percent == round(100 * 22 / 24, 2)  # 91.67
    assert days[0].uptime_percent == days[2].uptime_percent == 100.0


def test_outage_across_midnight_is_split_between_the_days():
    start = datetime(2026, 6, 8, 23, 0, tzinfo=UTC)
    days = history([(start, "partial_outage"), (start + timedelta(hours=3), "operational")])
    assert (days[0].down_seconds, days[1].down_seconds) == (3600, 7200)
    assert days[0].worst == days[1].worst == "partial_outage"


def test_degraded_and_maintenance_colour_the_day_but_count_as_up():
    day = datetime(2026, 6, 9, 0, 0, tzinfo=UTC)
    days = history(
        [
            (day + timedelta(hours=1), "degraded_performance"),
            (day + timedelta(hours=2), "under_maintenance"),
            (day + timedelta(hours=3), "operational"),
        ]
    )
    assert days[1].worst == "degraded_performance"
    assert days[1].uptime_percent == 100.0
    assert days[1].statuses == ("degraded_performance", "under_maintenance", "operational")


def test_status_before_the_window_carries_in():
    days = history([], initial="major_outage")
    assert all(d.worst == "major_outage" for d in days)
    assert days[0].uptime_percent == 0.0


def test_today_counts_only_the_hours_so_far():
    start = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)
    days = history([(start, "major_outage"), (start + timedelta(hours=3), "operational")])
    assert days[2].uptime_percent == 75.0  # 3 of the 12 hours elapsed today


def test_days_before_the_component_existed_have_no_data():
    since = datetime(2026, 6, 9, 12, 0, tzinfo=UTC)
    days = history([], since=since)
    assert days[0].uptime_percent is None
    assert days[1].uptime_percent == 100.0
    assert uptime_over(days) == 100.0


def test_days_follow_the_status_page_time_zone_across_dst():
    madrid = ZoneInfo("Europe/Madrid")  # 29 March 2026: clocks go forward, a 23-hour day
    start = datetime(2026, 3, 29, 10, 0, tzinfo=madrid)
    days = history(
        [(start, "major_outage"), (start + timedelta(hours=1), "operational")],
        end=date(2026, 3, 29),
        days=1,
        tz=madrid,
        now=datetime(2026, 4, 1, tzinfo=UTC),
    )
    assert days[0].uptime_percent == round(100 * 22 / 23, 2)


def test_uptime_over_days_averages_the_counted_days():
    start = datetime(2026, 6, 9, 0, 0, tzinfo=UTC)
    days = history(
        [(start, "major_outage"), (start + timedelta(hours=12), "operational")],
        now=datetime(2026, 6, 11, tzinfo=UTC),
    )
    assert uptime_over(days) == round((100 + 50 + 100) / 3, 2)


def test_worst_of_orders_by_severity():
    assert worst_of(["operational", "partial_outage", "degraded_performance"]) == "partial_outage"
    assert worst_of([]) == "operational"

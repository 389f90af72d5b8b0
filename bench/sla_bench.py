"""SLA arithmetic speed: due-time computations per second, one region and the union.

Pure: no database. Starts are spread over a whole year so weekends, holidays and DST
changes are all crossed. Prints medians over several repetitions."""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
from smoke import size

from supportal.sla.business_time import (
    BusinessCalendar,
    Coverage,
    add_business_time,
    business_time_between,
    weekday_hours,
)

YEAR = 2026
COMPUTATIONS = size(20_000, 200)
REPEATS = size(5, 1)
TARGET = timedelta(hours=4)


def calendars() -> dict[str, BusinessCalendar | Coverage]:
    years = range(YEAR - 1, YEAR + 2)
    nine_to_five = weekday_hours(
        datetime.min.time().replace(hour=9), datetime.min.time().replace(hour=17)
    )
    usa = BusinessCalendar(
        ZoneInfo("America/Chicago"), nine_to_five, frozenset(holidays.US(years=years))
    )
    spain = BusinessCalendar(
        ZoneInfo("Europe/Madrid"), nine_to_five, frozenset(holidays.ES(subdiv="VC", years=years))
    )
    return {"one region (USA)": usa, "union (USA + Spain)": Coverage((usa, spain))}


def starts(count: int) -> list[datetime]:
    rng = random.Random(42)
    begin = datetime(YEAR, 1, 1, tzinfo=UTC)
    seconds = 365 * 24 * 3600
    return [begin + timedelta(seconds=rng.randrange(seconds)) for _ in range(count)]


def per_second(fn, items) -> float:
    rates = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        for item in items:
            fn(item)
        rates.append(len(items) / (time.perf_counter() - began))
    return statistics.median(rates)


def run() -> dict[str, float]:
    moments = starts(COMPUTATIONS)
    results: dict[str, float] = {}
    for name, calendar in calendars().items():
        results[f"due time, {name} /s"] = per_second(
            lambda s, c=calendar: add_business_time(s, TARGET, c), moments
        )
        results[f"business time between, {name} /s"] = per_second(
            lambda s, c=calendar: business_time_between(s, s + timedelta(days=3), c), moments
        )
    return results


if __name__ == "__main__":
    for label, value in run().items():
        print(f"{label:<48} {value:>12,.0f}")

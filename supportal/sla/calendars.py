"""Build business calendars from the database: working hours, public holidays, closures."""

from __future__ import annotations

import time as clock
from datetime import date, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone

from supportal.accounts.models import Organization, SupportRegion

from .business_time import BusinessCalendar, Coverage
from .models import Closure, SlaPolicy, WorkingHours

# Holidays are loaded for this many years around today (the SLA horizon is days, not years).
YEARS_AROUND = 2


@lru_cache(maxsize=64)
def public_holidays(country: str, subdivision: str, years: tuple[int, ...]) -> dict[date, str]:
    if not country:
        return {}
    return dict(holidays.country_holidays(country, subdiv=subdivision or None, years=years))


def _years() -> tuple[int, ...]:
    this_year = timezone.now().year
    return tuple(range(this_year - 1, this_year + YEARS_AROUND + 1))


def holidays_for_region(region: SupportRegion) -> dict[date, str]:
    """Every closed date of a region with its name: public holidays plus vendor closures.
    Cached like the calendars (every filing on a holiday names it); do not change it."""
    held = _holiday_names.get(region.pk)
    if held is not None and held[0] > clock.monotonic():
        return held[1]
    names = dict(public_holidays(region.holiday_country, region.holiday_subdivision, _years()))
    for closure in Closure.objects.filter(region=region):
        names[closure.date] = closure.name
    _holiday_names[region.pk] = (clock.monotonic() + CACHE_SECONDS, names)
    return names


# Built calendars are reused for a short while: a queue page asks for the same region many
# times. Edits to hours or closures apply within this many seconds.
CACHE_SECONDS = 30
_cache: dict[int, tuple[float, BusinessCalendar]] = {}
_holiday_names: dict[int, tuple[float, dict[date, str]]] = {}
_policies: list[tuple[float, list[SlaPolicy]]] = []


def forget_calendars() -> None:
    """Drop the cached calendars, holiday names and SLA policies (after an edit to any)."""
    _cache.clear()
    _holiday_names.clear()
    _policies.clear()


def sla_policies() -> list[SlaPolicy]:
    """Every SLA policy row (a handful), cached like the calendars: each filing asks."""
    if _policies and _policies[0][0] > clock.monotonic():
        return _policies[0][1]
    rows = list(SlaPolicy.objects.all())
    _policies[:] = [(clock.monotonic() + CACHE_SECONDS, rows)]
    return rows


def calendar_for_region(region: SupportRegion) -> BusinessCalendar:
    cached = _cache.get(region.pk)
    if cached is not None and cached[0] > clock.monotonic():
        return cached[1]
    calendar = _build_calendar(region)
    _cache[region.pk] = (clock.monotonic() + CACHE_SECONDS, calendar)
    return calendar


def _build_calendar(region: SupportRegion) -> BusinessCalendar:
    hours: dict[int, list[tuple[time, time]]] = {}
    for row in WorkingHours.objects.filter(region=region):
        hours.setdefault(row.weekday, []).append((row.opens, row.closes))
    return BusinessCalendar(
        tz=ZoneInfo(region.timezone),
        hours={day: tuple(sorted(spans)) for day, spans in hours.items()},
        closed=frozenset(holidays_for_region(region)),
        name=region.name,
    )


def team_coverage() -> Coverage:
    """The whole team: the clock runs whenever any region with hours is open."""
    calendars = tuple(calendar_for_region(r) for r in SupportRegion.objects.all())
    return Coverage(tuple(c for c in calendars if c.has_hours))


def calendar_for_organization(organization: Organization) -> BusinessCalendar | Coverage:
    """An organization's clocks run on its home region, unless coverage follows the sun.

    A home region without working hours yet takes no tickets: the team's coverage serves it."""
    if settings.SUPPORTAL_SLA_COVERAGE == "follow_the_sun" or organization.support_region is None:
        return team_coverage()
    calendar = calendar_for_region(organization.support_region)
    if not calendar.has_hours:
        return team_coverage()
    return calendar

"""Reads for SLA pages and reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from supportal.accounts.models import Organization, SupportRegion
from supportal.tickets.models import AuditEvent

from .calendars import calendar_for_region, holidays_for_region
from .models import Weekday
from .services import ZONE_NAMES


@dataclass(frozen=True)
class UrgentUse:
    organization: Organization
    urgent_filed: int
    downgraded: int
    paged: int

    @property
    def downgrade_rate(self) -> float:
        return self.downgraded / self.urgent_filed if self.urgent_filed else 0.0


def urgent_use_by_organization() -> list[UrgentUse]:
    """Per organization: tickets filed urgent, how many staff downgraded, how many paged.

    A ticket counts as filed urgent when it is urgent now or was downgraded since."""
    downgraded = Q(tickets__audit_events__action=AuditEvent.Action.URGENCY_DOWNGRADED)
    rows = Organization.objects.annotate(
        urgent_filed=Count("tickets", filter=Q(tickets__urgent=True) | downgraded, distinct=True),
        downgraded=Count("tickets", filter=downgraded, distinct=True),
        paged=Count("tickets__page", distinct=True),
    ).order_by("-urgent_filed", "name")
    return [
        UrgentUse(org, org.urgent_filed, org.downgraded, org.paged)
        for org in rows
        if org.urgent_filed
    ]


@dataclass(frozen=True)
class PublishedHours:
    """One region's support hours as the contact page states them."""

    region: SupportRegion
    zone: str
    lines: tuple[str, ...]  # e.g. "Monday to Friday, 09:00 to 17:00"; empty: to be announced
    holidays: tuple[tuple[date, str], ...]  # upcoming closed days

    @property
    def announced(self) -> bool:
        return bool(self.lines)


def _span_text(spans: tuple[tuple[time, time], ...]) -> str:
    return ", ".join(
        _("%(opens)s to %(closes)s") % {"opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"}
        for opens, closes in spans
    )


def _day_groups(hours: Mapping[int, tuple[tuple[time, time], ...]]) -> list[str]:
    """Consecutive weekdays with the same hours become one line."""
    lines: list[str] = []
    days = sorted(hours)
    start = 0
    while start < len(days):
        end = start
        while (
            end + 1 < len(days)
            and days[end + 1] == days[end] + 1
            and hours[days[end + 1]] == hours[days[start]]
        ):
            end += 1
        first, last = Weekday(days[start]).label, Weekday(days[end]).label
        label = (
            str(first)
            if start == end
            else _("%(first)s to %(last)s") % {"first": first, "last": last}
        )
        lines.append(f"{label}, {_span_text(hours[days[start]])}")
        start = end + 1
    return lines


def published_hours(*, today: date, holiday_days: int) -> list[PublishedHours]:
    """Every region with its working hours and the closed days of the next
    ``holiday_days`` days. A region without hours yet is listed as to be announced (the
    policy's "India: TBD"), without holidays."""
    rows = []
    horizon = today + timedelta(days=holiday_days)
    for region in SupportRegion.objects.order_by("name"):
        calendar = calendar_for_region(region)
        zone = str(ZONE_NAMES.get(region.timezone, region.timezone))
        if not calendar.has_hours:
            rows.append(PublishedHours(region, zone, (), ()))
            continue
        upcoming = tuple(
            sorted(
                (day, name)
                for day, name in holidays_for_region(region).items()
                if today <= day <= horizon
            )
        )
        rows.append(PublishedHours(region, zone, tuple(_day_groups(calendar.hours)), upcoming))
    return rows

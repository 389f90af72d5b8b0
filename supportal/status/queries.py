"""Reads for the public status page, its JSON summary, its feed and the portal banner."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_noop

from supportal.core.links import absolute_url
from supportal.core.refcache import Reference

from .history import Day, daily_history, uptime_over, worst_of
from .models import Component, Incident, IncidentUpdate, StatusChange

IMPACT_RANK = {"none": 0, "maintenance": 1, "minor": 2, "major": 3, "critical": 4}
COMPONENT_INDICATOR = {
    "operational": "none",
    "under_maintenance": "maintenance",
    "degraded_performance": "minor",
    "partial_outage": "major",
    "major_outage": "critical",
}
DESCRIPTIONS = {
    "none": gettext_noop("All Systems Operational"),
    "maintenance": gettext_noop("Service Under Maintenance"),
    "minor": gettext_noop("Minor Service Outage"),
    "major": gettext_noop("Partial System Outage"),
    "critical": gettext_noop("Major System Outage"),
}


def status_timezone() -> ZoneInfo:
    return ZoneInfo(settings.SUPPORTAL_STATUS_TIMEZONE)


def overall_indicator(component_statuses: list[str], open_impacts: list[str]) -> str:
    """The page's indicator: the worst of what the components show and what open
    incidents declare (as in the status-page summary format)."""
    candidates = [COMPONENT_INDICATOR[worst_of(component_statuses)], *open_impacts]
    return max(candidates, key=lambda i: IMPACT_RANK.get(i, 0))


def _with_updates(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    return qs.prefetch_related(
        Prefetch("updates", queryset=IncidentUpdate.objects.order_by("-created_at", "-id")),
        "affected__component",
    )


def open_incidents() -> QuerySet[Incident]:
    return _with_updates(
        Incident.objects.filter(kind=Incident.Kind.INCIDENT, resolved_at=None).order_by(
            "-created_at", "-id"
        )
    )


def upcoming_maintenance() -> QuerySet[Incident]:
    return _with_updates(
        Incident.objects.filter(kind=Incident.Kind.MAINTENANCE, resolved_at=None).order_by(
            "scheduled_for", "id"
        )
    )


def past_incidents(*, days: int) -> QuerySet[Incident]:
    since = timezone.now() - timedelta(days=days)
    return _with_updates(
        Incident.objects.filter(resolved_at__gte=since).order_by("-resolved_at", "-id")
    )


def has_open_incident() -> bool:
    return Incident.objects.filter(kind=Incident.Kind.INCIDENT, resolved_at=None).exists()


def _open_incidents() -> tuple[Incident, ...]:
    return tuple(
        Incident.objects.filter(kind=Incident.Kind.INCIDENT, resolved_at=None).order_by(
            "-created_at", "-id"
        )[:3]
    )


# Every page shows the banner: kept per process for a few seconds (core.refcache).
_banner: Reference[tuple[Incident, ...]] = Reference(
    "incident banner", _open_incidents, changed_by=[Incident]
)


def banner_incidents() -> tuple[Incident, ...]:
    """What the portal header shows: open incidents, newest first (a handful at most)."""
    return _banner.get()


@dataclass
class ComponentHistory:
    component: Component
    days: list[Day]
    uptime: float | None


def component_histories(*, now: datetime | None = None) -> list[ComponentHistory]:
    """Each component with its daily history over the last N days (two queries)."""
    now = now or timezone.now()
    tz = status_timezone()
    n = settings.SUPPORTAL_STATUS_HISTORY_DAYS
    end = now.astimezone(tz).date()
    start = datetime.combine(end - timedelta(days=n - 1), datetime.min.time(), tzinfo=tz)
    before = StatusChange.objects.filter(component=OuterRef("pk"), at__lt=start).order_by(
        "-at", "-id"
    )
    components = list(Component.objects.annotate(initial=Subquery(before.values("status")[:1])))
    changes: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    window = StatusChange.objects.filter(at__gte=start, at__lte=now).order_by("at", "id")
    for component_id, at, status in window.values_list("component_id", "at", "status"):
        changes[component_id].append((at, status))
    result = []
    for component in components:
        days = daily_history(
            changes=changes[component.pk],
            initial=component.initial or "operational",
            end=end,
            days=n,
            tz=tz,
            now=now,
            since=component.created_at,
        )
        result.append(ComponentHistory(component, days, uptime_over(days)))
    return result


# --- The JSON summary (the widely used status-page v2 summary format) -------------------


def _ts(value: datetime | None) -> str | None:
    return value.astimezone(status_timezone()).isoformat() if value else None


def _component_json(c: Component, page_id: str) -> dict[str, Any]:
    return {
        "id": c.slug,
        "name": c.name,
        "status": c.status,
        "created_at": _ts(c.created_at),
        "updated_at": _ts(c.updated_at),
        "position": c.position,
        "description": c.description or None,
        "showcase": True,
        "start_date": c.created_at.astimezone(status_timezone()).date().isoformat(),
        "group_id": None,
        "page_id": page_id,
        "group": False,
        "only_show_if_degraded": False,
    }


def _incident_json(i: Incident, page_id: str) -> dict[str, Any]:
    updates = [
        {
            "id": str(u.pk),
            "status": u.status,
            "body": u.body,
            "incident_id": str(i.pk),
            "created_at": _ts(u.created_at),
            "updated_at": _ts(u.created_at),
            "display_at": _ts(u.created_at),
            "affected_components": u.affected_components,
            "deliver_notifications": True,
        }
        for u in i.updates.all()
    ]
    data = {
        "id": str(i.pk),
        "name": i.name,
        "status": i.status,
        "created_at": _ts(i.created_at),
        "updated_at": _ts(i.updated_at),
        "monitoring_at": _ts(i.monitoring_at),
        "resolved_at": _ts(i.resolved_at),
        "impact": i.impact,
        "shortlink": absolute_url(i.get_absolute_url()),
        "started_at": _ts(i.started_at or i.created_at),
        "page_id": page_id,
        "incident_updates": updates,
        "components": [_component_json(a.component, page_id) for a in i.affected.all()],
    }
    if i.kind == Incident.Kind.MAINTENANCE:
        data["scheduled_for"] = _ts(i.scheduled_for)
        data["scheduled_until"] = _ts(i.scheduled_until)
    return data


def summary() -> dict[str, Any]:
    page_id = settings.SUPPORTAL_STATUS_PAGE_ID
    components = list(Component.objects.all())
    incidents = list(open_incidents())
    maintenance = list(upcoming_maintenance())
    stamps = [c.updated_at for c in components] + [i.updated_at for i in incidents + maintenance]
    indicator = overall_indicator(
        [c.status for c in components],
        [i.impact for i in incidents]
        + [i.impact for i in maintenance if i.status != Incident.Status.SCHEDULED],
    )
    return {
        "page": {
            "id": page_id,
            "name": settings.SUPPORTAL_STATUS_PAGE_NAME,
            "url": absolute_url("/status/"),
            "time_zone": settings.SUPPORTAL_STATUS_TIMEZONE,
            "updated_at": _ts(max(stamps, default=None)),
        },
        "components": [_component_json(c, page_id) for c in components],
        "incidents": [_incident_json(i, page_id) for i in incidents],
        "scheduled_maintenances": [_incident_json(i, page_id) for i in maintenance],
        "status": {"indicator": indicator, "description": DESCRIPTIONS[indicator]},
    }


def feed_incidents_queryset() -> QuerySet[Incident]:
    return _with_updates(Incident.objects.order_by("-updated_at", "-id"))


def feed_incidents() -> list[Incident]:
    return list(feed_incidents_queryset()[:50])

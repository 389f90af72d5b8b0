"""The status page's write path: component status, incidents, maintenance, subscribers.

A component's status is the worst that its open incidents and running maintenance give
it (operational when none); every change is appended to ``StatusChange`` for history."""

from __future__ import annotations

from datetime import datetime

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, RuleViolation
from supportal.core.languages import speaking_to
from supportal.core.subscriptions import SubscriptionRequest

from . import tasks
from .history import worst_of
from .models import (
    AffectedComponent,
    Component,
    ComponentStatus,
    Incident,
    IncidentUpdate,
    StatusChange,
)
from .subscriptions import SUBSCRIPTIONS


def _set_component_status(component: Component, status: str, at: datetime) -> bool:
    if component.status == status:
        return False
    component.status = status
    component.updated_at = at
    component.save(update_fields=["status", "updated_at"])
    StatusChange.objects.create(component=component, status=status, at=at)
    return True


def recompute_components(*, component_ids: list[int], at: datetime | None = None) -> None:
    """Give each component the worst status of the open incidents that affect it."""
    at = at or timezone.now()
    for component in Component.objects.select_for_update().filter(pk__in=component_ids):
        statuses = AffectedComponent.objects.filter(
            component=component, incident__resolved_at=None
        ).exclude(incident__status=Incident.Status.SCHEDULED)
        status = worst_of(statuses.values_list("status", flat=True))
        _set_component_status(component, status, at)


@transaction.atomic
def set_component_status(*, component: Component, status: str, at: datetime | None = None) -> bool:
    """A manual status for a component with no incident (e.g. seeding history)."""
    if status not in ComponentStatus.values:
        raise InvalidInput({"status": _("Unknown component status.")})
    return _set_component_status(component, status, at or timezone.now())


def _affected_list(incident: Incident, before: dict[int, str]) -> list[dict[str, str]]:
    rows = []
    for component in Component.objects.filter(pk__in=before):
        if before[component.pk] != component.status:
            rows.append(
                {
                    "code": component.slug,
                    "name": component.name,
                    "old_status": before[component.pk],
                    "new_status": component.status,
                }
            )
    return rows


def _apply(
    *,
    incident: Incident,
    status: str,
    body: str,
    author: User | None,
    component_statuses: dict[Component, str],
    at: datetime,
) -> IncidentUpdate:
    for component, component_status in component_statuses.items():
        if component_status not in ComponentStatus.values:
            raise InvalidInput(
                {"components": _("Unknown status for %(name)s.") % {"name": component.name}}
            )
        AffectedComponent.objects.update_or_create(
            incident=incident, component=component, defaults={"status": component_status}
        )
    incident.status = status
    incident.updated_at = at
    if status in (Incident.Status.INVESTIGATING, Incident.Status.IN_PROGRESS):
        incident.started_at = incident.started_at or at
    if status == Incident.Status.MONITORING:
        incident.monitoring_at = incident.monitoring_at or at
    if status in Incident.CLOSED_STATUSES:
        incident.resolved_at = at
    incident.save()
    ids = list(incident.affected.values_list("component_id", flat=True))
    before = dict(Component.objects.filter(pk__in=ids).values_list("pk", "status"))
    recompute_components(component_ids=ids, at=at)
    update = IncidentUpdate.objects.create(
        incident=incident,
        status=status,
        body=body,
        author=author,
        created_at=at,
        affected_components=_affected_list(incident, before),
    )
    transaction.on_commit(lambda: tasks.notify_subscribers_task(update.pk))
    return update


def _check_text(name: str, body: str) -> None:
    errors = {}
    if not name.strip():
        errors["name"] = "Name the incident."
    if not body.strip():
        errors["body"] = "Say what customers see."
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def open_incident(
    *,
    name: str,
    body: str,
    author: User | None,
    component_statuses: dict[Component, str],
    impact: str = Incident.Impact.MINOR,
    at: datetime | None = None,
) -> IncidentUpdate:
    """Declare an incident: it starts investigating and sets the affected components."""
    _check_text(name, body)
    at = at or timezone.now()
    incident = Incident.objects.create(
        name=name.strip(), status=Incident.Status.INVESTIGATING, impact=impact, created_at=at
    )
    update = _apply(
        incident=incident,
        status=Incident.Status.INVESTIGATING,
        body=body,
        author=author,
        component_statuses=component_statuses,
        at=at,
    )
    return update


@transaction.atomic
def post_update(
    *,
    incident: Incident,
    status: str,
    body: str,
    author: User | None,
    component_statuses: dict[Component, str] | None = None,
    at: datetime | None = None,
) -> IncidentUpdate:
    """Add to an incident's timeline. Resolving (or completing) puts its components back."""
    allowed = (
        Incident.INCIDENT_STATUSES
        if incident.kind == Incident.Kind.INCIDENT
        else Incident.MAINTENANCE_STATUSES
    )
    if status not in allowed:
        raise InvalidInput({"status": _("Not a status for this kind of event.")})
    if not body.strip():
        raise InvalidInput({"body": _("Say what changed.")})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_open:
        raise RuleViolation("incident_closed", _("This incident is already over."))
    update = _apply(
        incident=incident,
        status=status,
        body=body,
        author=author,
        component_statuses=component_statuses or {},
        at=at or timezone.now(),
    )
    return update


@transaction.atomic
def schedule_maintenance(
    *,
    name: str,
    body: str,
    author: User | None,
    components: list[Component],
    starts_at: datetime,
    ends_at: datetime,
) -> IncidentUpdate:
    """Announce maintenance; the maintenance job starts and completes it on time."""
    _check_text(name, body)
    if ends_at <= starts_at:
        raise InvalidInput({"ends_at": _("The end must come after the start.")})
    now = timezone.now()
    incident = Incident.objects.create(
        kind=Incident.Kind.MAINTENANCE,
        name=name.strip(),
        status=Incident.Status.SCHEDULED,
        impact=Incident.Impact.MAINTENANCE,
        scheduled_for=starts_at,
        scheduled_until=ends_at,
        created_at=now,
    )
    update = _apply(
        incident=incident,
        status=Incident.Status.SCHEDULED,
        body=body,
        author=author,
        component_statuses={c: ComponentStatus.MAINTENANCE for c in components},
        at=now,
    )
    return update


def advance_maintenance(*, now: datetime | None = None) -> list[int]:
    """Start maintenance whose window opened, complete maintenance whose window closed.
    Each step is claimed with a conditional UPDATE on the status, so it runs once."""
    now = now or timezone.now()
    touched = []
    maintenance = Incident.objects.filter(kind=Incident.Kind.MAINTENANCE)
    to_start = maintenance.filter(status=Incident.Status.SCHEDULED, scheduled_for__lte=now)
    for pk in list(to_start.values_list("pk", flat=True)):
        with transaction.atomic():
            if Incident.objects.filter(pk=pk, status=Incident.Status.SCHEDULED).update(
                status=Incident.Status.IN_PROGRESS, started_at=now
            ):
                _apply(
                    incident=Incident.objects.get(pk=pk),
                    status=Incident.Status.IN_PROGRESS,
                    body="Scheduled maintenance is in progress.",
                    author=None,
                    component_statuses={},
                    at=now,
                )
                touched.append(pk)
    running = (Incident.Status.IN_PROGRESS, Incident.Status.VERIFYING)
    to_end = maintenance.filter(status__in=running, scheduled_until__lte=now)
    for pk in list(to_end.values_list("pk", flat=True)):
        with transaction.atomic():
            if Incident.objects.filter(pk=pk, status__in=running).update(
                status=Incident.Status.COMPLETED, resolved_at=now
            ):
                _apply(
                    incident=Incident.objects.get(pk=pk),
                    status=Incident.Status.COMPLETED,
                    body="Scheduled maintenance is complete.",
                    author=None,
                    component_statuses={},
                    at=now,
                )
                touched.append(pk)
    return touched


# --- Subscribers ------------------------------------------------------------------------


def request_subscription(*, email: str, client_ip: str | None) -> None:
    """Mail the double opt-in link (core.subscriptions): from a job after commit, unless
    the throttle holds it back. The caller answers the same either way."""
    SUBSCRIPTIONS.request(
        email=email,
        client_ip=client_ip,
        send=lambda wanted: tasks.send_subscription_confirmation_task(
            wanted.email, wanted.language
        ),
    )


def send_subscription_confirmation(*, email: str, language: str = "") -> None:
    """In the language of the page the subscription was asked on."""
    link = SUBSCRIPTIONS.confirm_link(SubscriptionRequest(email=email, language=language))
    with speaking_to(None, language=language):
        asked = _(
            "Someone, hopefully you, asked for Supportal incident notifications at %(email)s."
        ) % {"email": email}
        EmailMessage(
            subject=_("Confirm status notifications"),
            body=(
                f"{asked}\n\n{_('Confirm here:')}\n{link}\n\n"
                f"{_('If you did not ask, ignore this message.')}"
            ),
            to=[email],
        ).send()

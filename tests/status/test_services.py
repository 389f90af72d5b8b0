"""Incidents drive component statuses; maintenance runs on time; history is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from supportal.core.errors import InvalidInput, RuleViolation
from supportal.status import services
from supportal.status.models import Component, Incident, StatusChange
from supportal.status.tasks import advance_maintenance_task

pytestmark = pytest.mark.django_db


def status_of(slug: str) -> str:
    return Component.objects.get(slug=slug).status


def test_incident_sets_components_and_resolving_restores_them(demo, components):
    update = services.open_incident(
        name="Checkout errors",
        body="Investigating.",
        author=demo.agent,
        component_statuses={components["pressero"]: "partial_outage"},
    )
    assert status_of("pressero") == "partial_outage"
    assert update.affected_components == [
        {
            "code": "pressero",
            "name": "Pressero",
            "old_status": "operational",
            "new_status": "partial_outage",
        }
    ]
    incident = update.incident
    services.post_update(
        incident=incident,
        status="identified",
        body="Found it.",
        author=demo.agent,
        component_statuses={components["pressero"]: "degraded_performance"},
    )
    assert status_of("pressero") == "degraded_performance"
    services.post_update(incident=incident, status="resolved", body="Fixed.", author=demo.agent)
    incident.refresh_from_db()
    assert status_of("pressero") == "operational"
    assert incident.resolved_at is not None and not incident.is_open
    changes = StatusChange.objects.filter(component=components["pressero"])
    assert list(changes.values_list("status", flat=True)) == [
        "partial_outage",
        "degraded_performance",
        "operational",
    ]


def test_overlapping_incidents_leave_the_worst_status(demo, components):
    api = components["api"]
    one = services.open_incident(
        name="Slow API",
        body="x",
        author=demo.agent,
        component_statuses={api: "degraded_performance"},
    ).incident
    two = services.open_incident(
        name="API down", body="x", author=demo.agent, component_statuses={api: "major_outage"}
    ).incident
    assert status_of("api") == "major_outage"
    services.post_update(incident=two, status="resolved", body="Up.", author=demo.agent)
    assert status_of("api") == "degraded_performance"
    services.post_update(incident=one, status="resolved", body="Fast.", author=demo.agent)
    assert status_of("api") == "operational"


def test_a_closed_incident_takes_no_more_updates(demo, components):
    incident = services.open_incident(
        name="x", body="x", author=demo.agent, component_statuses={}
    ).incident
    services.post_update(incident=incident, status="resolved", body="Done.", author=demo.agent)
    with pytest.raises(RuleViolation):
        services.post_update(incident=incident, status="monitoring", body="?", author=demo.agent)


def test_incident_needs_a_name_a_body_and_known_statuses(demo, components):
    with pytest.raises(InvalidInput) as exc:
        services.open_incident(name=" ", body="", author=demo.agent, component_statuses={})
    assert set(exc.value.errors) == {"name", "body"}
    with pytest.raises(InvalidInput):
        services.open_incident(
            name="x", body="x", author=demo.agent, component_statuses={components["api"]: "on_fire"}
        )
    assert not Incident.objects.exists()


def test_maintenance_starts_and_completes_on_schedule(demo, components):
    now = timezone.now()
    update = services.schedule_maintenance(
        name="DB upgrade",
        body="Read-only.",
        author=demo.agent,
        components=[components["pjm"], components["tflow"]],
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
    )
    maintenance = update.incident
    assert status_of("pjm") == "operational"  # announced, not started
    assert services.advance_maintenance(now=now + timedelta(minutes=30)) == []
    assert services.advance_maintenance(now=now + timedelta(hours=1)) == [maintenance.pk]
    assert services.advance_maintenance(now=now + timedelta(hours=1, minutes=1)) == []
    maintenance.refresh_from_db()
    assert maintenance.status == "in_progress"
    assert status_of("pjm") == status_of("tflow") == "under_maintenance"
    assert services.advance_maintenance(now=now + timedelta(hours=3)) == [maintenance.pk]
    maintenance.refresh_from_db()
    assert maintenance.status == "completed"
    assert status_of("pjm") == "operational"
    assert [u.status for u in maintenance.updates.all()] == [
        "completed",
        "in_progress",
        "scheduled",
    ]


def test_maintenance_job_is_safe_to_run_again(demo, components):
    now = timezone.now()
    services.schedule_maintenance(
        name="m",
        body="m",
        author=demo.agent,
        components=[components["portal"]],
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
    )
    advance_maintenance_task()
    advance_maintenance_task()
    maintenance = Incident.objects.get()
    assert maintenance.status == "completed"
    assert maintenance.updates.count() == 3


def test_maintenance_window_must_end_after_it_starts(demo, components):
    now = timezone.now()
    with pytest.raises(InvalidInput) as exc:
        services.schedule_maintenance(
            name="m", body="m", author=demo.agent, components=[], starts_at=now, ends_at=now
        )
    assert "ends_at" in exc.value.errors

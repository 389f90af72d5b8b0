"""/status/api/v2/summary.json in the status-page v2 summary format; public."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from supportal.status import services

pytestmark = pytest.mark.django_db
URL = "/status/api/v2/summary.json"


def test_all_operational_summary(client, components):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"page", "components", "incidents", "scheduled_maintenances", "status"}
    assert set(data["page"]) >= {"id", "name", "url", "time_zone", "updated_at"}
    assert data["status"] == {"indicator": "none", "description": "All Systems Operational"}
    assert [c["name"] for c in data["components"]] == [
        "Pressero",
        "eDocBuilder",
        "PJM",
        "tFlow",
        "API",
        "Support portal",
    ]
    component = data["components"][0]
    assert set(component) >= {
        "id",
        "name",
        "status",
        "created_at",
        "updated_at",
        "position",
        "description",
        "showcase",
        "group_id",
        "page_id",
        "group",
        "only_show_if_degraded",
    }
    datetime.fromisoformat(component["updated_at"])
    assert component["updated_at"].endswith("+00:00")
    assert data["incidents"] == [] and data["scheduled_maintenances"] == []


def test_open_incident_and_maintenance_appear_with_their_updates(client, demo, components):
    update = services.open_incident(
        name="API errors",
        body="We see 5xx on <b>orders</b>.",
        author=demo.agent,
        impact="major",
        component_statuses={components["api"]: "partial_outage"},
    )
    now = timezone.now()
    services.schedule_maintenance(
        name="Upgrade",
        body="Later.",
        author=demo.agent,
        components=[components["pjm"]],
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=1),
    )
    data = client.get(URL).json()
    assert data["status"] == {"indicator": "major", "description": "Partial System Outage"}
    [incident] = data["incidents"]
    assert incident["id"] == str(update.incident.pk)
    assert incident["status"] == "investigating" and incident["impact"] == "major"
    assert incident["resolved_at"] is None
    [entry] = incident["incident_updates"]
    assert entry["body"] == "We see 5xx on <b>orders</b>."  # JSON carries text; pages escape
    assert entry["affected_components"][0]["new_status"] == "partial_outage"
    assert [c["id"] for c in incident["components"]] == ["api"]
    [maintenance] = data["scheduled_maintenances"]
    assert maintenance["status"] == "scheduled"
    assert maintenance["scheduled_for"] and maintenance["scheduled_until"]


def test_major_outage_is_critical(client, demo, components):
    services.open_incident(
        name="Down",
        body="x",
        author=demo.agent,
        impact="minor",
        component_statuses={components["portal"]: "major_outage"},
    )
    assert client.get(URL).json()["status"] == {
        "indicator": "critical",
        "description": "Major System Outage",
    }


def test_resolved_incidents_leave_the_summary(client, demo, components):
    incident = services.open_incident(
        name="x",
        body="x",
        author=demo.agent,
        component_statuses={components["api"]: "major_outage"},
    ).incident
    services.post_update(incident=incident, status="resolved", body="ok", author=demo.agent)
    data = client.get(URL).json()
    assert data["incidents"] == []
    assert data["status"]["indicator"] == "none"

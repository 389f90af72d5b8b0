"""The public status page, incident feeds, the portal banner and the staff desk."""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser
import pytest
import time_machine

from supportal.status import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(demo, components):
    return services.open_incident(
        name="Checkout <errors> & retries",
        body="Investigating <script>x</script>.",
        author=demo.agent,
        impact="major",
        component_statuses={components["pressero"]: "partial_outage"},
    ).incident


def test_status_page_is_public_with_90_days_per_component(client, components):
    response = client.get("/status/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "All Systems Operational" in page
    assert page.count('class="uptime-day ') == 90 * 6
    for name in ("Pressero", "eDocBuilder", "PJM", "tFlow", "API", "Support portal"):
        assert name in page


def test_open_incident_shows_escaped_on_the_page(client, incident):
    page = client.get("/status/").content.decode()
    assert "Partial System Outage" in page
    assert "Checkout &lt;errors&gt; &amp; retries" in page
    assert "<script>x</script>" not in page
    assert client.get(incident.get_absolute_url()).status_code == 200


def test_portal_banner_shows_while_an_incident_is_open(client, demo, incident):
    client.force_login(demo.bob)
    assert b"status-banner" in client.get("/tickets/").content
    services.post_update(incident=incident, status="resolved", body="Fixed.", author=demo.agent)
    assert b"status-banner" not in client.get("/tickets/").content


@pytest.mark.parametrize("path", ["/status/feed.rss", "/status/feed.atom"])
def test_incident_feeds_are_valid_with_stable_ids(client, demo, incident, path):
    first = client.get(path)
    feed = feedparser.parse(first.content)
    assert not feed.bozo, feed.get("bozo_exception")
    [entry] = feed.entries
    assert entry.title == "Checkout <errors> & retries (Investigating)"
    assert entry.id == f"urn:supportal:status:incident:{incident.pk}"
    assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 304
    services.post_update(incident=incident, status="resolved", body="Fixed.", author=demo.agent)
    second = client.get(path, headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert feedparser.parse(second.content).entries[0].id == entry.id


@pytest.mark.parametrize("path", ["/status/feed.rss", "/status/feed.atom"])
def test_empty_incident_feed_answers_its_own_conditional_get_with_304(client, demo, path):
    """With no incident yet (a fresh install), the feed dated itself "now": every
    If-Modified-Since a reader sent back was older than the next answer, so never a 304."""
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False):
        first = client.get(path)
    assert not feedparser.parse(first.content).bozo
    with time_machine.travel(datetime(2026, 3, 3, 9, tzinfo=UTC), tick=False):
        again = client.get(path)
        since = client.get(path, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again["Last-Modified"] == first["Last-Modified"] and again.content == first.content
    assert since.status_code == 304


def test_staff_desk_opens_and_updates_incidents(client, demo, components):
    assert client.get("/status/manage/").status_code == 302
    client.force_login(demo.bob)
    assert client.get("/status/manage/").status_code == 404
    client.force_login(demo.agent)
    assert client.get("/status/manage/").status_code == 200
    api = components["api"]
    response = client.post(
        "/status/manage/",
        {
            "action": "incident",
            "name": "API slow",
            "impact": "minor",
            "body": "Looking.",
            f"component_{api.pk}": "degraded_performance",
        },
    )
    assert response.status_code == 302
    api.refresh_from_db()
    assert api.status == "degraded_performance"
    incident = api.incidents = services.Incident.objects.get()
    response = client.post(
        f"/status/manage/{incident.pk}/update/",
        {
            f"u{incident.pk}-status": "resolved",
            f"u{incident.pk}-body": "Fast again.",
        },
    )
    assert response.status_code == 302
    api.refresh_from_db()
    assert api.status == "operational"


def test_staff_desk_keeps_input_on_errors(client, demo, components):
    client.force_login(demo.agent)
    response = client.post("/status/manage/", {"action": "incident", "name": "Kept", "body": ""})
    assert response.status_code == 422
    assert b'value="Kept"' in response.content

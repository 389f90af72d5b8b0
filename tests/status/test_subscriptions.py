"""Incident email subscription: double opt-in, updates mailed, one-click unsubscribe (SMTP)."""

from __future__ import annotations

import pytest
from django.test import Client

from supportal.status import services
from supportal.status.models import IncidentSubscriber
from tests.news.smtp import Inbox

pytestmark = pytest.mark.django_db
ADDRESS = "ops@example.test"


def test_subscribe_confirm_receive_and_unsubscribe(
    client, demo, components, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the confirmation is a job
        assert client.post("/status/subscribe/", {"email": ADDRESS}).status_code == 302
    assert not IncidentSubscriber.objects.exists()
    [confirmation] = smtp.to(ADDRESS)
    path = Inbox.link(confirmation, "/status/subscribe/confirm/")
    assert client.get(path).status_code == 200
    assert not IncidentSubscriber.objects.exists()
    assert client.post(path).status_code == 200
    assert IncidentSubscriber.objects.filter(email=ADDRESS, unsubscribed_at=None).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.open_incident(
            name="Portal down",
            body="We are on it.",
            author=demo.agent,
            component_statuses={components["portal"]: "major_outage"},
        )
    [update] = [m for m in smtp.to(ADDRESS) if "Portal down" in m["Subject"]]
    assert "We are on it." in Inbox.text(update)
    assert str(update["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
    unsubscribe = Inbox.link(update, "/status/unsubscribe/")
    assert unsubscribe in str(update["List-Unsubscribe"])

    assert Client(enforce_csrf_checks=True).post(unsubscribe).status_code == 200
    assert IncidentSubscriber.objects.get().unsubscribed_at is not None
    incident = services.Incident.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(incident=incident, status="resolved", body="Up.", author=demo.agent)
    assert not [m for m in smtp.to(ADDRESS) if "resolved" in m["Subject"]]


def test_bad_address_is_refused(client, components):
    response = client.post("/status/subscribe/", {"email": "nope"})
    assert response.status_code == 422
    assert b"valid email" in response.content


def test_each_update_is_mailed_once(demo, components, django_capture_on_commit_callbacks):
    from django.core import mail

    from supportal.status.notify import notify_subscribers

    IncidentSubscriber.objects.create(email=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        update = services.open_incident(
            name="x", body="x", author=demo.agent, component_statuses={}
        )
    assert len(mail.outbox) == 1
    assert notify_subscribers(update.pk) == 0
    assert len(mail.outbox) == 1

"""Events reach subscribed endpoints, signed, once, with retries; nothing leaks past the
outbound guard, and nothing is sent for a change that rolled back."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from supportal.tickets import services as ticket_services
from supportal.webhooks import services
from supportal.webhooks.models import Delivery, Endpoint, Event
from tests.factories import make_ticket

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


def file_ticket(user, subject: str = "Shipping <rates> & zones"):
    return make_ticket(user, subject=subject, description="How do we set it?")


def test_a_filed_ticket_is_posted_signed_and_the_receiver_verifies_it(
    demo, receiver, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver.url, Event.TICKET_CREATED)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file_ticket(demo.bob)

    [post] = receiver.posts
    assert receiver.verified(endpoint.secret, post)
    assert not receiver.verified("another secret", post)
    document = json.loads(post.body)
    assert document["type"] == "ticket.created"
    assert document["id"] == post.headers["Supportal-Delivery"]
    assert document["data"]["ticket"]["number"] == ticket.number
    assert document["data"]["ticket"]["organization"] == "Acme Print"
    assert document["data"]["ticket"]["url"].endswith(f"/tickets/{ticket.pk}/")
    assert document["data"]["actor"]["id"] == demo.bob.pk
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_a_tampered_or_replayed_body_fails_verification(
    demo, receiver, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver.url, Event.TICKET_CREATED)
    with django_capture_on_commit_callbacks(execute=True):
        file_ticket(demo.bob)
    [post] = receiver.posts
    tampered = type(post)(post.headers, post.body.replace(b"Acme Print", b"Bright Ink"))
    assert not receiver.verified(endpoint.secret, tampered)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert not receiver.verified(endpoint.secret, post)  # too old to accept


def test_only_subscribed_events_are_sent_and_internal_notes_never(
    demo, receiver, django_capture_on_commit_callbacks
):
    make_endpoint(receiver.url, Event.REPLY_ADDED, Event.TICKET_RESOLVED)
    ticket = file_ticket(demo.bob)  # ticket.created: not subscribed
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.add_reply(
            ticket=ticket, author=demo.agent, body="Internal: check logs", internal=True
        )
        ticket_services.add_reply(ticket=ticket, author=demo.agent, body="Try Settings > Shipping.")
        ticket_services.change_status(ticket=ticket, actor=demo.agent, status="resolved")

    assert [json.loads(p.body)["type"] for p in receiver.posts] == [
        "reply.added",
        "ticket.resolved",
    ]
    assert b"Internal: check logs" not in b"".join(p.body for p in receiver.posts)
    assert b"Settings > Shipping" not in b"".join(p.body for p in receiver.posts)


def test_a_failing_receiver_is_retried_with_a_doubling_pause_until_it_answers(
    demo, receiver, settings
):
    settings.SUPPORTAL_WEBHOOK_BACKOFF_SECONDS = 30
    endpoint = make_endpoint(receiver.url, Event.TICKET_CREATED)
    receiver.answers = [500, 503]
    file_ticket(demo.bob)  # no on-commit here: the test drives the attempts
    delivery = Delivery.objects.get(endpoint=endpoint)
    start = timezone.now()

    first = services.deliver(delivery.pk, now=start)
    assert first.retry_in_seconds == 30
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status) == (Delivery.Status.PENDING, 500)
    assert services.due_ids(now=start + timedelta(seconds=29)) == []
    assert services.due_ids(now=start + timedelta(seconds=30)) == [delivery.pk]

    assert services.deliver(delivery.pk, now=start + timedelta(seconds=30)).retry_in_seconds == 60
    assert services.deliver(delivery.pk, now=start + timedelta(seconds=90)).delivered
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 3)
    # The same delivery (same id) each time: the receiver can drop repeats.
    assert len({p.headers["Supportal-Delivery"] for p in receiver.posts}) == 1
    assert services.deliver(delivery.pk).delivered is False  # delivered: never again


def test_it_gives_up_after_the_last_attempt_and_staff_can_send_it_again(
    demo, receiver, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORTAL_WEBHOOK_MAX_ATTEMPTS = 2
    make_endpoint(receiver.url, Event.TICKET_CREATED)
    receiver.answers = [500, 410]
    file_ticket(demo.bob)
    delivery = Delivery.objects.get()
    services.deliver(delivery.pk)
    services.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_error.startswith("HTTP 410")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_again(delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED


def test_a_private_address_is_refused_unless_listed(demo, receiver, settings):
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = []
    make_endpoint(receiver.url, Event.TICKET_CREATED)
    file_ticket(demo.bob)
    delivery = Delivery.objects.get()
    assert services.deliver(delivery.pk).retry_in_seconds is None  # waiting will not help
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "not a public address" in delivery.last_error
    assert receiver.posts == []


def test_a_change_that_rolls_back_sends_nothing(demo, receiver, django_capture_on_commit_callbacks):
    make_endpoint(receiver.url, Event.TICKET_CREATED)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        file_ticket(demo.bob)
        raise RuntimeError("the request failed after filing")
    assert Delivery.objects.count() == 0
    assert receiver.posts == []


def test_the_same_cause_seen_twice_queues_one_delivery(demo, receiver):
    endpoint = make_endpoint(receiver.url, Event.TICKET_CREATED)
    first = services.emit(event=Event.TICKET_CREATED, source="audit:1", data={"x": 1})
    again = services.emit(event=Event.TICKET_CREATED, source="audit:1", data={"x": 1})
    assert len(first) == 1 and again == []
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1


def test_an_endpoint_switched_off_receives_nothing(
    demo, receiver, django_capture_on_commit_callbacks
):
    make_endpoint(receiver.url, Event.TICKET_CREATED, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        file_ticket(demo.bob)
    assert Delivery.objects.count() == 0
    assert receiver.posts == []


def test_the_secret_and_url_are_encrypted_at_rest(demo, receiver):
    endpoint = make_endpoint(receiver.url, Event.TICKET_CREATED)
    with connection.cursor() as cursor:
        cursor.execute("SELECT url, secret FROM webhooks_endpoint WHERE id = %s", [endpoint.pk])
        url, secret = cursor.fetchone()
    assert endpoint.secret not in secret and "127.0.0.1" not in url
    assert Endpoint.objects.get().secret == endpoint.secret


def test_the_slack_format_posts_escaped_text(demo, receiver, django_capture_on_commit_callbacks):
    make_endpoint(receiver.url, Event.TICKET_CREATED, format=Endpoint.Format.SLACK)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file_ticket(demo.bob, subject="Rates <b>broken</b> & slow")
    [post] = receiver.posts
    text = json.loads(post.body)["text"]
    assert f"{ticket.number} Rates &lt;b&gt;broken&lt;/b&gt; &amp; slow" in text
    assert text.startswith("*Ticket created*: <http")
    assert "(Acme Print, new)" in text

"""Mail sent on anyone's request: the status-page and news subscription forms.

An outsider posts someone else's address again and again (mail-bombing them through us),
from one client or many, and compares the answers to learn who subscribes. Mail arrives
at a real SMTP listener on loopback.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from supportal.core.models import ConfirmationRequest
from supportal.status import services as status_services
from supportal.status.models import IncidentSubscriber

from .conftest import in_threads

pytestmark = pytest.mark.django_db
VICTIM = "victim@example.test"
DAY_ONE = datetime(2026, 3, 2, 9, tzinfo=UTC)


def answer(response) -> str:
    """What the page says, without what differs on every render (CSRF tokens)."""
    return re.sub(r'value="[^"]{64}"', "", response.content.decode())


def post_status(client: Client, email: str, *, ip: str = "198.51.100.7"):
    return client.post("/status/subscribe/", {"email": email}, REMOTE_ADDR=ip, follow=True)


def post_news(client: Client, email: str, *, ip: str = "198.51.100.7"):
    data = {"email": email, "blog_digest": "on"}
    return client.post("/news/subscribe/", data, REMOTE_ADDR=ip, follow=True)


def test_status_confirmation_is_mailed_once_per_address_per_day_by_a_job(
    client, smtp, django_capture_on_commit_callbacks
):
    with time_machine.travel(DAY_ONE, tick=False):
        with django_capture_on_commit_callbacks(execute=False) as jobs:
            first = post_status(client, VICTIM)
        # Nothing was sent inside the request: the mail is a job, run after commit.
        assert smtp.messages == [] and len(jobs) == 1
        jobs[0]()
        assert len(smtp.to(VICTIM)) == 1
        answers = {answer(first)}
        for n in range(6):  # from six clients, as a botnet would
            with django_capture_on_commit_callbacks(execute=True):
                answers.add(answer(post_status(client, VICTIM, ip=f"203.0.113.{n}")))
        assert len(smtp.to(VICTIM)) == 1
        assert len(answers) == 1  # held back or sent: the same answer
    with (
        time_machine.travel(datetime(2026, 3, 3, 9, 1, tzinfo=UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post_status(client, VICTIM)
    assert len(smtp.to(VICTIM)) == 2
    # The table of requests does not name the address.
    assert not ConfirmationRequest.objects.filter(email_hash__icontains="victim").exists()


def test_one_client_gets_at_most_the_hourly_limit_of_confirmations_sent(
    client, smtp, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORTAL_CONFIRMATION_REQUESTS_PER_CLIENT = 3
    with time_machine.travel(DAY_ONE, tick=False):
        for n in range(5):
            with django_capture_on_commit_callbacks(execute=True):
                post_status(client, f"target{n}@example.test")
        assert len(smtp.messages) == 3
        # Another client is not held back by the first one.
        with django_capture_on_commit_callbacks(execute=True):
            post_status(client, "target9@example.test", ip="192.0.2.50")
        assert len(smtp.messages) == 4


def test_the_answer_does_not_tell_whether_the_address_already_subscribes(
    client, smtp, django_capture_on_commit_callbacks
):
    IncidentSubscriber.objects.create(email="known@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        known = post_status(client, "known@example.test")
        unknown = post_status(client, "unknown@example.test", ip="192.0.2.51")
    assert known.redirect_chain == unknown.redirect_chain
    assert answer(known) == answer(unknown)


def test_news_confirmation_is_mailed_once_per_address_per_day_by_a_job(
    client, demo, smtp, django_capture_on_commit_callbacks
):
    client.force_login(demo.bob)
    with time_machine.travel(DAY_ONE, tick=False):
        with django_capture_on_commit_callbacks(execute=False) as jobs:
            first = post_news(client, VICTIM)
        assert smtp.messages == [] and len(jobs) == 1
        jobs[0]()
        for n in range(4):
            with django_capture_on_commit_callbacks(execute=True):
                again = post_news(client, VICTIM, ip=f"203.0.113.{n}")
            assert answer(again) == answer(first)
    assert len(smtp.to(VICTIM)) == 1


def test_parallel_requests_for_one_address_send_one_confirmation(
    postgres_only, transactional_db, django_db_serialized_rollback, smtp
):
    """Eight requests at once, from eight clients: the per-address lock lets one through."""
    results = in_threads(
        lambda i: status_services.request_subscription(email=VICTIM, client_ip=f"203.0.113.{i}"),
        8,
    )
    assert results == [None] * 8
    assert ConfirmationRequest.objects.count() == 8
    assert ConfirmationRequest.objects.filter(sent=True).count() == 1
    assert len(smtp.to(VICTIM)) == 1

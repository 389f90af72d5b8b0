"""Blog subscription: double opt-in and one-click unsubscribe, over a real SMTP listener."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client, TestCase

from supportal.news import services
from supportal.news.models import Subscription
from supportal.news.subscriptions import SUBSCRIPTIONS
from supportal.news.tasks import publish_due_posts_task

from .smtp import Inbox

pytestmark = pytest.mark.django_db


def subscribe(client: Client, user, **topics) -> None:
    client.force_login(user)
    data = {"email": "reader@example.test", **{k: "on" for k, v in topics.items() if v}}
    with TestCase.captureOnCommitCallbacks(execute=True):  # the confirmation is a job
        response = client.post("/news/subscribe/", data)
    assert response.status_code == 302, response.content
    client.logout()


def confirm(client: Client, inbox: Inbox) -> Subscription:
    [message] = inbox.to("reader@example.test")
    path = Inbox.link(message, "/news/subscribe/confirm/")
    page = client.get(path)
    assert page.status_code == 200
    assert b"reader@example.test" in page.content
    active = Subscription.objects.filter(unsubscribed_at=None)
    assert not active.exists()  # a GET (a mail scanner) confirms nothing
    assert client.post(path).status_code == 200
    return Subscription.objects.get(email="reader@example.test")


def test_nothing_is_stored_until_the_link_is_followed(client, demo, smtp):
    subscribe(client, demo.bob, blog_digest=True)
    assert not Subscription.objects.exists()
    [message] = smtp.to("reader@example.test")
    assert message["Subject"] == "Confirm your Supportal subscription"


def test_double_opt_in_then_one_click_unsubscribe(client, demo, smtp):
    subscribe(client, demo.bob, blog_digest=True, api_changes=True)
    sub = confirm(client, smtp)
    assert sub.blog_digest and sub.api_changes and sub.unsubscribed_at is None

    services.create_post(
        author=demo.manager,
        title="API: orders v3",
        body="Changed.",
        api_change=True,
        publish_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    publish_due_posts_task()
    [announcement] = [m for m in smtp.to("reader@example.test") if "API change" in m["Subject"]]
    assert announcement["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(announcement["List-Unsubscribe"]).strip()
    assert header.startswith("<http") and header.endswith(">")
    path = "/" + header.strip("<>").split("/", 3)[3]
    assert path == Inbox.link(announcement, "/news/unsubscribe/")

    # RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click", no cookies, no CSRF token.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.unsubscribed_at is not None

    services.create_post(
        author=demo.manager,
        title="API: orders v4",
        body="Changed again.",
        api_change=True,
        publish_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    publish_due_posts_task()
    assert not [m for m in smtp.to("reader@example.test") if "v4" in m["Subject"]]


def test_digest_only_subscribers_get_no_api_announcement(client, demo, smtp):
    subscribe(client, demo.bob, blog_digest=True)
    confirm(client, smtp)
    services.create_post(
        author=demo.manager,
        title="API change",
        body="x",
        api_change=True,
        publish_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    publish_due_posts_task()
    assert len(smtp.to("reader@example.test")) == 1  # the confirmation only


def test_expired_confirmation_link_is_refused(client, demo, smtp, settings):
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC)):
        subscribe(client, demo.bob, blog_digest=True)
    path = Inbox.link(smtp.messages[0], "/news/subscribe/confirm/")
    with time_machine.travel(datetime(2026, 1, 9, tzinfo=UTC)):
        assert client.post(path).status_code == 404
    assert not Subscription.objects.exists()


def test_tampered_confirmation_link_is_refused(client, demo, smtp):
    subscribe(client, demo.bob, blog_digest=True)
    path = Inbox.link(smtp.messages[0], "/news/subscribe/confirm/")
    assert client.post(path[:-3] + "xyz/").status_code == 404


def test_subscribe_needs_a_topic_and_a_valid_address(client, demo):
    client.force_login(demo.bob)
    response = client.post("/news/subscribe/", {"email": "not-an-address"})
    assert response.status_code == 422
    assert b"Enter a valid email address" in response.content
    response = client.post("/news/subscribe/", {"email": "a@example.test"})
    assert response.status_code == 422
    assert b"Choose at least one" in response.content


def test_resubscribing_after_unsubscribe_gets_a_new_token(client, demo, smtp):
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC)):
        subscribe(client, demo.bob, blog_digest=True)
        sub = confirm(client, smtp)
    old_token = sub.token
    assert SUBSCRIPTIONS.unsubscribe(token=old_token)
    smtp.messages.clear()
    # A day later: one confirmation per address per day (SUPPORTAL_CONFIRMATION_*).
    with time_machine.travel(datetime(2026, 1, 2, 1, tzinfo=UTC)):
        subscribe(client, demo.bob, api_changes=True)
        sub = confirm(client, smtp)
    assert sub.unsubscribed_at is None and sub.token != old_token
    assert sub.api_changes and not sub.blog_digest

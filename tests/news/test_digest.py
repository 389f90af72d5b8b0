"""The digest job: each subscriber gets what was published since their last digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from supportal.news import services
from supportal.news.models import Subscription

pytestmark = pytest.mark.django_db
START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def test_digest_lists_new_posts_then_waits_a_period(demo, publish):
    Subscription.objects.create(email="digest@example.test", confirmed_at=START)
    publish("Before subscribing", at=START - timedelta(days=1))
    publish("Blog: tips", at=START + timedelta(days=1), kind="blog")
    publish("News: release", at=START + timedelta(days=2))

    assert services.send_digests(now=START + timedelta(days=3)) == 1
    [message] = mail.outbox
    assert message.subject == "Supportal digest: 2 new posts"
    assert "Blog: tips" in message.body and "News: release" in message.body
    assert "Before subscribing" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    publish("Next week", at=START + timedelta(days=4))
    assert services.send_digests(now=START + timedelta(days=5)) == 0  # within the period
    assert services.send_digests(now=START + timedelta(days=10, minutes=1)) == 1
    assert "Next week" in mail.outbox[1].body and "Blog: tips" not in mail.outbox[1].body


def test_no_digest_without_news_nor_for_the_unsubscribed(demo, publish):
    Subscription.objects.create(email="quiet@example.test", confirmed_at=START)
    Subscription.objects.create(
        email="gone@example.test", confirmed_at=START, unsubscribed_at=START
    )
    Subscription.objects.create(
        email="api-only@example.test", confirmed_at=START, blog_digest=False, api_changes=True
    )
    assert services.send_digests(now=START + timedelta(days=1)) == 0
    publish("Something", at=START + timedelta(days=2))
    assert services.send_digests(now=START + timedelta(days=9)) == 1
    assert [m.to for m in mail.outbox] == [["quiet@example.test"]]

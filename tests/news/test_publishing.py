"""Scheduled publishing: a job puts posts out on time, once; API changes are announced once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from supportal.news import services
from supportal.news.models import Post, Subscription
from supportal.news.tasks import announce_api_change_task, publish_due_posts_task

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


def test_scheduled_post_appears_only_when_the_job_runs_after_its_time(client, demo):
    post = services.create_post(
        author=demo.manager, title="Release 7", body="Out now.", publish_at=NOON
    )
    with time_machine.travel(NOON - timedelta(minutes=1)):
        assert publish_due_posts_task() is None or not Post.objects.get().is_published
    post.refresh_from_db()
    assert post.published_at is None
    client.force_login(demo.bob)
    assert client.get(post.get_absolute_url()).status_code == 404
    with time_machine.travel(NOON + timedelta(seconds=30), tick=False):
        publish_due_posts_task()
    post.refresh_from_db()
    assert post.published_at == NOON + timedelta(seconds=30)
    assert client.get(post.get_absolute_url()).status_code == 200


def test_publishing_twice_changes_nothing(demo):
    services.create_post(author=demo.manager, title="Once", body="x", publish_at=NOON)
    first = services.publish_due_posts(now=NOON)
    second = services.publish_due_posts(now=NOON + timedelta(minutes=1))
    assert len(first.published) == 1 and second.published == []
    assert Post.objects.get().published_at == NOON


def test_drafts_are_never_published(demo):
    services.create_post(author=demo.manager, title="Draft", body="x")
    assert services.publish_due_posts(now=NOON).published == []


def test_api_change_is_mailed_to_api_subscribers_once(demo):
    Subscription.objects.create(email="api@example.test", api_changes=True, blog_digest=False)
    Subscription.objects.create(email="blog@example.test", api_changes=False)
    Subscription.objects.create(email="gone@example.test", api_changes=True, unsubscribed_at=NOON)
    post = services.create_post(
        author=demo.manager, title="Orders v3", body="x", api_change=True, publish_at=NOON
    )
    with time_machine.travel(NOON):
        publish_due_posts_task()
    assert [m.to for m in mail.outbox] == [["api@example.test"]]
    assert mail.outbox[0].subject == "API change: Orders v3"
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    announce_api_change_task(post.pk)  # a retry or a second consumer
    assert len(mail.outbox) == 1


def test_staff_preview_drafts_customers_do_not(client, demo):
    post = services.create_post(author=demo.manager, title="Draft", body="x")
    client.force_login(demo.agent)
    assert client.get(post.get_absolute_url()).status_code == 200
    client.force_login(demo.alice)
    assert client.get(post.get_absolute_url()).status_code == 404

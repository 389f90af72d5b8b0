"""The demo shows each of news, status and ideas alive."""

import pytest

from supportal.demo.loader import load_demo
from supportal.ideas.models import Idea
from supportal.news.models import Post
from supportal.status.models import Component, Incident

pytestmark = pytest.mark.django_db


def test_demo_loads_news_status_and_ideas_once():
    load_demo(with_tickets=True)
    load_demo(with_tickets=True)
    assert Post.objects.filter(published_at__isnull=False, api_change=True).count() == 1
    assert Post.objects.filter(kind=Post.Kind.BLOG, published_at__isnull=False).exists()
    assert Incident.objects.filter(kind="incident", status="resolved").count() == 1
    assert Incident.objects.filter(kind="maintenance", status="scheduled").count() == 1
    assert Component.objects.count() == 6
    assert set(Component.objects.values_list("status", flat=True)) == {"operational"}
    reorder = Idea.objects.get(title__startswith="One-click reorder")
    assert (reorder.org_count, reorder.user_count) == (2, 3)
    proofs = Idea.objects.get(title__startswith="Bleed marks")
    assert proofs.ticket_links.count() == 1
    assert (proofs.org_count, proofs.user_count) == (2, 3)  # alice, carol + bob's ticket

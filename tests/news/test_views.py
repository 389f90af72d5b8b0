"""News pages: for signed-in users; filters; the feed links."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

pytestmark = pytest.mark.django_db
T = datetime(2026, 2, 1, tzinfo=UTC)


def test_news_pages_need_a_login(client, publish):
    post = publish("Hello", at=T)
    assert client.get("/news/").status_code == 302
    assert client.get(post.get_absolute_url()).status_code == 302


def test_news_list_filters_and_links_the_matching_feed(client, demo, publish):
    publish("API news", at=T, api_change=True, product="pressero")
    publish("Storefront tips", at=T, kind="blog")
    client.force_login(demo.carol)
    page = client.get("/news/", {"api": "on"}).content.decode()
    assert "API news" in page and "Storefront tips" not in page
    assert "/news/feed.rss?api=on" in page


def test_post_body_markdown_is_sanitised(client, demo, publish):
    post = publish("Careful", at=T, body="**bold** <script>alert(1)</script>")
    client.force_login(demo.bob)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert(1)</script>" not in page

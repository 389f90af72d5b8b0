"""RSS and Atom feeds: valid per feedparser, stable GUIDs, dates, escaping, filters, 304s."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import feedparser
import pytest
import time_machine
from django.test import Client

from supportal.news.models import Post

pytestmark = pytest.mark.django_db
T1 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
T2 = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)


def parse(response):
    assert response.status_code == 200, response.content
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def posts(publish):
    return [
        publish(
            "Orders API: <shipping> & more",
            at=T1,
            product="pressero",
            api_change=True,
            body="Use `shipping_method` & <b>not</b> *shipping*.",
            tags="api",
        ),
        publish("Tips for tFlow", at=T2, product="tflow", kind=Post.Kind.BLOG),
    ]


@pytest.mark.parametrize("path", ["/news/feed.rss", "/news/feed.atom"])
def test_feed_is_valid_public_and_lists_newest_first(client: Client, posts, path):
    feed = parse(client.get(path))
    assert [e.title for e in feed.entries] == ["Tips for tFlow", "Orders API: <shipping> & more"]
    assert feed.feed.title == "Supportal news"


@pytest.mark.parametrize("path", ["/news/feed.rss", "/news/feed.atom"])
def test_feed_dates_and_guids_are_the_posts(client, posts, path):
    entry = parse(client.get(path)).entries[1]
    assert entry.id == f"urn:uuid:{posts[0].guid}"
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    assert calendar.timegm(published) == int(T1.timestamp())


def test_guid_survives_an_edit(client, posts):
    before = parse(client.get("/news/feed.atom")).entries[1].id
    post = posts[0]
    post.title = "Orders API: renamed"
    post.save()
    after = parse(client.get("/news/feed.atom")).entries[1]
    assert after.id == before
    assert after.title == "Orders API: renamed"


@pytest.mark.parametrize("path", ["/news/feed.rss", "/news/feed.atom"])
def test_markup_is_escaped_in_titles_and_sanitised_in_content(client, posts, path):
    response = client.get(path)
    assert b"<shipping>" not in response.content
    entry = parse(response).entries[1]
    html = entry.summary if "summary" in entry else entry.content[0].value
    assert "<code>shipping_method</code>" in html
    assert "<b>" not in html  # raw HTML in markdown is not passed through
    assert "&amp;" in html


@pytest.mark.parametrize("path", ["/news/feed.rss", "/news/feed.atom"])
def test_filters_by_product_and_api_changes(client, posts, path):
    assert [e.title for e in parse(client.get(path, {"product": "tflow"})).entries] == [
        "Tips for tFlow"
    ]
    api = parse(client.get(path, {"api": "1"}))
    assert [e.title for e in api.entries] == ["Orders API: <shipping> & more"]
    assert "API changes" in api.feed.title


def test_unknown_product_is_404(client, posts):
    assert client.get("/news/feed.rss", {"product": "nope"}).status_code == 404


def test_drafts_and_scheduled_posts_stay_out_of_the_feed(client, demo, posts):
    from supportal.news import services

    services.create_post(author=demo.manager, title="Secret plan", body="x")
    services.create_post(
        author=demo.manager, title="Later", body="x", publish_at=datetime(2099, 1, 1, tzinfo=UTC)
    )
    titles = [e.title for e in parse(client.get("/news/feed.rss")).entries]
    assert "Secret plan" not in titles and "Later" not in titles


@pytest.mark.parametrize("path", ["/news/feed.rss", "/news/feed.atom"])
def test_conditional_get_answers_304_until_something_changes(client, posts, publish, path):
    first = client.get(path)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert last_modified == "Thu, 05 Mar 2026 14:00:00 GMT"
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": last_modified}).status_code == 304
    publish("Fresh news", at=datetime(2026, 3, 9, 8, 0, tzinfo=UTC))
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert client.get(path, headers={"If-Modified-Since": last_modified}).status_code == 200


def test_filtered_feeds_have_their_own_etag(client, posts):
    assert client.get("/news/feed.rss")["ETag"] != client.get("/news/feed.rss?api=1")["ETag"]


def test_empty_feed_is_still_valid(client, demo):
    feed = parse(client.get("/news/feed.atom"))
    assert feed.entries == []


@pytest.mark.parametrize("path", ["/news/feed.rss", "/news/feed.atom"])
@pytest.mark.parametrize("query", ["", "?product=pjm"], ids=["no-posts", "filtered-to-none"])
def test_empty_feed_answers_its_own_conditional_get_with_304(client, demo, publish, path, query):
    """An empty feed (no posts yet, or a filter none match) dated itself "now", so the
    Last-Modified a reader sent back was always older than the next answer's: a 200 each
    time. It now keeps the same date until a post changes."""
    if query:
        publish("Pressero only", at=T1, product="pressero")
    with time_machine.travel(T2, tick=False):
        first = client.get(path + query)
    assert first.status_code == 200
    with time_machine.travel(datetime(2026, 3, 6, tzinfo=UTC), tick=False):
        again = client.get(path + query)
        since = client.get(path + query, headers={"If-Modified-Since": first["Last-Modified"]})
        match = client.get(path + query, headers={"If-None-Match": first["ETag"]})
    assert again["Last-Modified"] == first["Last-Modified"]
    assert again.content == first.content
    assert since.status_code == 304
    assert match.status_code == 304

"""API.md "Feeds, status": the news feeds with ETag/Last-Modified, the status page and its
summary, over real HTTP and without logging in."""

from __future__ import annotations

import feedparser
import pytest

from supportal.demo.news_status_ideas import load_news_status_ideas_demo


@pytest.fixture
def content(demo_live, http):
    load_news_status_ideas_demo(demo_live)
    return http


@pytest.mark.parametrize("path", ["/news/feed.rss", "/news/feed.atom"])
def test_news_feeds_are_public_valid_and_conditional(content, path):
    response = content.get(path)
    assert response.status_code == 200
    assert not feedparser.parse(response.content).bozo
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    again = content.client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    since = content.client.get(
        path, headers={"If-Modified-Since": response.headers["Last-Modified"]}
    )
    assert since.status_code == 304


def test_status_page_and_summary_are_public(content):
    assert content.get("/status/").status_code == 200
    summary = content.get("/status/api/v2/summary.json")
    assert summary.status_code == 200
    body = summary.json()
    assert {"page", "components", "incidents", "scheduled_maintenances", "status"} <= set(body)
    assert set(body["status"]) == {"indicator", "description"}
    assert len(body["components"]) == 6
    assert len(body["scheduled_maintenances"]) == 1

"""Feed generators whose empty feed keeps a stable date.

Django dates a feed with no items "now": its Last-Modified (and the body's lastBuildDate or
updated) then changes every second, so a reader's If-Modified-Since never answers 304.
These generators date an empty feed by ``empty_since`` (a feed keyword argument) instead.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

# Not the Unix epoch: Django's conditional GET reads a Last-Modified of 0 as "unknown".
NOTHING_PUBLISHED_YET = datetime(2000, 1, 1, tzinfo=UTC)


class _StableEmptyFeed(SyndicationFeed):
    def latest_post_date(self) -> datetime:
        if self.items:
            return super().latest_post_date()
        return self.feed.get("empty_since") or NOTHING_PUBLISHED_YET


class StableRssFeed(_StableEmptyFeed, Rss201rev2Feed):
    pass


class StableAtomFeed(_StableEmptyFeed, Atom1Feed):
    pass

"""RSS 2.0 and Atom feeds of published posts, with conditional GET (ETag, Last-Modified).

``?product=<slug>`` narrows to one product, ``?api=1`` to API changes, ``?kind=blog`` to
one kind. Public: RSS readers do not log in. GUIDs are the posts' UUIDs (``urn:uuid:``),
which never change when a post is edited or re-titled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from supportal.core.feeds import StableAtomFeed, StableRssFeed
from supportal.core.links import absolute_url
from supportal.core.markdown import render_markdown

from . import queries
from .models import Post
from .queries import PostFilter


class _NewsFeed(Feed[Post, PostFilter]):
    url_name = ""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> PostFilter:
        return PostFilter.from_query(request.GET)

    def title(self, obj: PostFilter) -> str:
        parts = [_("Supportal news")]
        if obj.api_only:
            parts.append(_("API changes"))
        if obj.product is not None:
            parts.append(obj.product.name)
        return " · ".join(parts)

    def link(self, obj: PostFilter) -> str:
        return reverse("news:list")

    def feed_url(self, obj: PostFilter) -> str:
        return reverse(self.url_name)

    def description(self, obj: PostFilter) -> str:
        return _("News, API changes and blog posts from the Supportal support team.")

    def feed_extra_kwargs(self, obj: PostFilter) -> dict[str, Any]:
        return {"empty_since": queries.empty_feed_changed_at()}

    def items(self, obj: PostFilter) -> list[Post]:
        return queries.feed_posts(obj)

    def item_title(self, item: Post) -> str:
        return queries.localize_post(item, queries.reader_language()).title

    def item_description(self, item: Post) -> str:
        return str(render_markdown(queries.localize_post(item, queries.reader_language()).body))

    def item_link(self, item: Post) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Post) -> str:
        return f"urn:uuid:{item.guid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Post) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Post) -> datetime:
        assert item.published_at is not None  # the feed lists published posts
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item: Post) -> str | None:
        return item.author.get_full_name() if item.author else None

    def item_categories(self, item: Post) -> list[str]:
        extra = [item.product.name] if item.product else []
        return [*extra, *([_("API change")] if item.api_change else []), *item.tag_list]


class NewsRssFeed(_NewsFeed):
    feed_type = StableRssFeed
    url_name = "news:feed_rss"


class NewsAtomFeed(_NewsFeed):
    feed_type = StableAtomFeed
    url_name = "news:feed_atom"

    def subtitle(self, obj: PostFilter) -> str:
        return self.description(obj)


def _state(request: HttpRequest, variant: str) -> queries.FeedState:
    cached = getattr(request, "_news_feed_state", None)
    if cached is None:
        # The language is part of the key: titles and translated posts differ by it.
        key = f"{variant}:{queries.reader_language()}?{request.GET.urlencode()}"
        cached = queries.feed_state(PostFilter.from_query(request.GET), key)
        request._news_feed_state = cached  # type: ignore[attr-defined]
    return cached


def conditional(feed: Feed[Post, PostFilter], variant: str) -> Callable[..., HttpResponseBase]:
    """The feed view behind ETag/Last-Modified: a reader that has it gets 304."""
    return condition(
        etag_func=lambda request, *a, **kw: _state(request, variant).etag,
        last_modified_func=lambda request, *a, **kw: _state(request, variant).last_modified,
    )(feed)


# Published news is public: any cache may keep a feed, revalidating it (ETag) each time.
# Marked public, it keeps this instead of core's "private, no-store".
public_feed = cache_control(public=True, no_cache=True)
rss_feed = public_feed(conditional(NewsRssFeed(), "rss"))
atom_feed = public_feed(conditional(NewsAtomFeed(), "atom"))

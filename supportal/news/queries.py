"""Reads of published posts: the news pages and the feeds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.conf import settings
from django.db.models import Max, QuerySet
from django.http import Http404, QueryDict

from supportal.accounts.models import Product, User
from supportal.core.feeds import NOTHING_PUBLISHED_YET

from .models import Post


@dataclass(frozen=True)
class PostFilter:
    product: Product | None = None
    api_only: bool = False
    kind: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> PostFilter:
        """``?product=<slug>``, ``?api=1``, ``?kind=news|blog``; an unknown product is a 404."""
        product = None
        slug = query.get("product", "")
        if slug:
            product = Product.objects.filter(slug=slug).first()
            if product is None:
                raise Http404("No such product")
        kind = query.get("kind", "")
        return cls(
            product=product,
            api_only=query.get("api", "") in {"1", "true", "yes", "on"},
            kind=kind if kind in Post.Kind.values else "",
        )

    def apply(self, qs: QuerySet[Post]) -> QuerySet[Post]:
        if self.product is not None:
            qs = qs.filter(product=self.product)
        if self.api_only:
            qs = qs.filter(api_change=True)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        return qs


def published_posts(post_filter: PostFilter | None = None) -> QuerySet[Post]:
    qs = Post.objects.filter(published_at__isnull=False).select_related("product", "author")
    return post_filter.apply(qs) if post_filter else qs


def posts_visible_to(user: User) -> QuerySet[Post]:
    """Staff also see drafts and scheduled posts (to preview them)."""
    if user.is_authenticated and user.is_support_staff:
        return Post.objects.select_related("product", "author")
    return published_posts()


def feed_posts(post_filter: PostFilter) -> list[Post]:
    limit = settings.SUPPORTAL_NEWS_FEED_ITEMS
    return list(published_posts(post_filter).order_by("-published_at", "-id")[:limit])


@dataclass(frozen=True)
class FeedState:
    etag: str
    last_modified: datetime


def empty_feed_changed_at() -> datetime:
    """An empty feed's Last-Modified: the newest change to any post (a post that left the
    feed moved it), never "now", which would make every conditional GET a 200."""
    newest = Post.objects.aggregate(newest=Max("updated_at"))["newest"]
    return newest or NOTHING_PUBLISHED_YET


def feed_state(post_filter: PostFilter, variant: str) -> FeedState:
    """What a conditional GET compares: a hash of the items' ids and versions (so an edit,
    a new post or a removal changes it) and the newest change."""
    limit = settings.SUPPORTAL_NEWS_FEED_ITEMS
    rows = cast(
        "list[tuple[int, datetime, datetime]]",  # published posts: published_at is set
        list(
            published_posts(post_filter)
            .order_by("-published_at", "-id")
            .values_list("pk", "updated_at", "published_at")[:limit]
        ),
    )
    digest = hashlib.sha256(variant.encode())
    for pk, updated_at, published_at in rows:
        digest.update(f"{pk}:{updated_at.isoformat()}:{published_at.isoformat()};".encode())
    last = max((max(u, p) for _, u, p in rows), default=None) or empty_feed_changed_at()
    return FeedState(etag=digest.hexdigest()[:32], last_modified=last)

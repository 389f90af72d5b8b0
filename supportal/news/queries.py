"""Reads of published posts: the news pages and the feeds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.conf import settings
from django.db.models import Max, QuerySet
from django.http import Http404, QueryDict
from django.utils import translation

from supportal.accounts.models import Product, User
from supportal.core.feeds import NOTHING_PUBLISHED_YET

from .models import Post


def reader_language() -> str:
    """The active language's code without region ("es" for "es-es")."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


@dataclass(frozen=True)
class LocalizedPost:
    """A post as a reader in ``language`` sees it."""

    title: str
    summary: str
    body: str
    language: str  # of the text shown
    untranslated: bool  # the reader's language has no version: the site's own is shown


def localize_post(post: Post, language: str) -> LocalizedPost:
    """The post's version in ``language``, else the post itself. Reads
    ``post.translations`` (prefetch it for a list)."""
    if language != settings.LANGUAGE_CODE:
        for version in post.translations.all():
            if version.language == language:
                return LocalizedPost(
                    version.title, version.summary, version.body, language, untranslated=False
                )
    untranslated = language != settings.LANGUAGE_CODE
    return LocalizedPost(post.title, post.summary, post.body, settings.LANGUAGE_CODE, untranslated)


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
    posts = published_posts(post_filter).prefetch_related("translations")
    return list(posts.order_by("-published_at", "-id")[:limit])


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

"""Who may read and write what in the knowledge base.

Logged-in customers read published content; support staff also see drafts and author.
Content a reader may not see answers 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from supportal.accounts.models import User

from . import search
from .models import Article, DeflectionEvent, DocPage, TrainingVideo


def can_author(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_support_staff


def articles_visible_to(user: User) -> QuerySet[Article]:
    qs = Article.objects.select_related("product", "category", "author")
    if can_author(user):
        return qs
    return qs.filter(status=Article.Status.PUBLISHED)


def get_article_for_user(user: User, slug: str) -> Article:
    article = articles_visible_to(user).filter(slug=slug).first()
    if article is None:
        raise Http404("No such article")
    return article


def get_article_by_id_for_user(user: User, article_id: int) -> Article:
    article = articles_visible_to(user).filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article")
    return article


def doc_pages_visible_to(user: User) -> QuerySet[DocPage]:
    qs = DocPage.objects.select_related("product")
    return qs if can_author(user) else qs.filter(published=True)


def videos_visible_to(user: User) -> QuerySet[TrainingVideo]:
    qs = TrainingVideo.objects.select_related("product")
    return qs if can_author(user) else qs.filter(published=True)


def get_deflection_for_user(user: User, event_id: int) -> DeflectionEvent:
    event = DeflectionEvent.objects.filter(pk=event_id, user_id=user.pk).first()
    if event is None:
        raise Http404("No such suggestion")
    return event


def search_for_user(
    user: User,
    query: str,
    *,
    product: str | None = None,
    kinds: list[str] | None = None,
    limit: int | None = None,
    language: str | None = None,
) -> list[search.SearchHit]:
    """Search with the reader's permission built in: drafts only for staff. ``language``:
    the reader's (their translations are searched); default the site's."""
    return search.search(
        query,
        product=product,
        published_only=not can_author(user),
        kinds=kinds,
        limit=limit,
        language=language,
    )

"""Reads of the ideas board, with the permission filter built in."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from supportal.accounts.models import User
from supportal.core.pagination import Page, keyset_page
from supportal.tickets.access import tickets_visible_to

from .models import Comment, Follower, Idea, TicketLink, Vote

SORTS = {
    "popular": ["-org_count", "-user_count", "-id"],
    "trend": ["-trend_count", "-org_count", "-id"],
    "new": ["-created_at", "-id"],
}


def ideas_visible_to(user: User) -> QuerySet[Idea]:
    """Every signed-in user sees the whole board (who asked stays private: counts only)."""
    qs = Idea.objects.select_related("product")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    return qs


def get_idea_for_user(user: User, idea_id: int) -> Idea:
    try:
        return ideas_visible_to(user).get(pk=idea_id)
    except (Idea.DoesNotExist, ValueError, TypeError):
        raise Http404("No such idea") from None


@dataclass(frozen=True)
class BoardFilters:
    sort: str = "popular"
    status: str = ""
    product: str = ""


def board_page(
    user: User, filters: BoardFilters, *, cursor: str | None, limit: int | None = None
) -> Page:
    qs = ideas_visible_to(user).filter(merged_into=None)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.product:
        qs = qs.filter(product__slug=filters.product)
    order = SORTS.get(filters.sort, SORTS["popular"])
    return keyset_page(qs, order=order, cursor=cursor, limit=limit or settings.SUPPORTAL_PAGE_SIZE)


def voted_idea_ids(user: User, ideas: list[Idea]) -> set[int]:
    if not user.is_authenticated:
        return set()  # type: ignore[unreachable]  # typed User; callers may pass anyone
    ids = [i.pk for i in ideas]
    return set(Vote.objects.filter(user=user, idea_id__in=ids).values_list("idea_id", flat=True))


def is_following(user: User, idea: Idea) -> bool:
    return Follower.objects.filter(user=user, idea=idea).exists()


def comments(idea: Idea) -> QuerySet[Comment]:
    return idea.comments.select_related("author", "author__organization")


def linked_tickets(user: User, idea: Idea) -> QuerySet[TicketLink]:
    """Staff see which tickets asked; customers see none of that (other organizations)."""
    if not user.is_support_staff:
        return TicketLink.objects.none()
    visible = tickets_visible_to(user).filter(kind="feature_request")
    return (
        TicketLink.objects.filter(idea=idea, ticket__in=visible)
        .select_related("ticket__organization", "ticket__requester")
        .order_by("-created_at")
    )


def ticket_link(ticket_id: int) -> TicketLink | None:
    return TicketLink.objects.select_related("idea").filter(ticket_id=ticket_id).first()


def idea_choices(*, limit: int = 200) -> list[Idea]:
    """Open ideas for the link panel's picker, most popular first."""
    return list(Idea.objects.filter(merged_into=None).order_by(*SORTS["popular"])[:limit])

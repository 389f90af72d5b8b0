"""Ideas board: list, read, create (staff), vote, withdraw a vote, merge (staff).

Every signed-in caller sees every idea; who asked stays private (counts only)."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from supportal.accounts.models import Product
from supportal.core.errors import InvalidInput
from supportal.core.pagination import Page
from supportal.ideas import queries, services
from supportal.ideas.models import Idea

from .schemas import (
    CHANGE_ERRORS,
    ErrorOut,
    Timestamp,
    ValidationErrorOut,
    _enum_schema,
)
from .security import caller

router = Router(tags=["ideas"])

IdeaStatus = Annotated[Idea.Status, _enum_schema(Idea.Status.values)]


class IdeaOut(Schema):
    id: int
    title: str
    description: str
    product: str | None = Field(description="Product slug, or null for any product.")
    status: IdeaStatus
    status_note: str
    organizations: int = Field(description="Distinct organizations asking (votes and tickets).")
    users: int = Field(description="Distinct people asking (votes and tickets).")
    trend: int = Field(description="Distinct people asking in the trend window (90 days).")
    merged_into_id: int | None
    created_at: Timestamp
    url: str

    @staticmethod
    def resolve_product(idea: Idea) -> str | None:
        return idea.product.slug if idea.product else None

    @staticmethod
    def resolve_organizations(idea: Idea) -> int:
        return idea.org_count

    @staticmethod
    def resolve_users(idea: Idea) -> int:
        return idea.user_count

    @staticmethod
    def resolve_trend(idea: Idea) -> int:
        return idea.trend_count

    @staticmethod
    def resolve_url(idea: Idea) -> str:
        return idea.get_absolute_url()


class IdeaPageOut(Schema):
    items: list[IdeaOut]
    next_cursor: str | None


class IdeaListQuery(Schema):
    sort: Literal["popular", "trend", "new"] = "popular"
    status: IdeaStatus | None = None
    product: str | None = Field(None, description="Product slug.")
    cursor: str | None = None
    limit: int | None = Field(None, ge=1, le=100)


class IdeaIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    product: str | None = Field(None, description="Product slug.")


class IdeaMergeIn(Schema):
    into_id: int = Field(description="The idea that absorbs this one.")


@router.get(
    "/ideas",
    response={200: IdeaPageOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="The ideas board: by popularity, trend (90 days) or newest",
)
def list_ideas(request: HttpRequest, query: Query[IdeaListQuery]) -> Page:
    filters = queries.BoardFilters(
        sort=query.sort, status=query.status or "", product=query.product or ""
    )
    return queries.board_page(caller(request), filters, cursor=query.cursor, limit=query.limit)


@router.post(
    "/ideas",
    response={201: IdeaOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Add an idea (staff)",
)
def create_idea(request: HttpRequest, payload: IdeaIn) -> Status[Idea]:
    product = None
    if payload.product:
        product = Product.objects.filter(slug=payload.product).first()
        if product is None:
            raise InvalidInput({"product": "Unknown product."})
    idea = services.create_idea(
        actor=caller(request),
        title=payload.title,
        description=payload.description,
        product=product,
    )
    return Status(201, idea)


@router.get(
    "/ideas/{idea_id}",
    response={200: IdeaOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One idea (a merged one names the idea it was merged into)",
)
def get_idea(request: HttpRequest, idea_id: int) -> Idea:
    return queries.get_idea_for_user(caller(request), idea_id)


@router.post(
    "/ideas/{idea_id}/vote",
    response={200: IdeaOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Vote (customers; once per person, repeating changes nothing)",
)
def vote(request: HttpRequest, idea_id: int) -> Idea:
    user = caller(request)
    return services.vote(idea=queries.get_idea_for_user(user, idea_id), user=user)


@router.delete(
    "/ideas/{idea_id}/vote",
    response={200: IdeaOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Withdraw the caller's vote",
)
def unvote(request: HttpRequest, idea_id: int) -> Idea:
    user = caller(request)
    return services.unvote(idea=queries.get_idea_for_user(user, idea_id), user=user)


@router.post(
    "/ideas/{idea_id}/merge",
    response={200: IdeaOut, **CHANGE_ERRORS},
    summary="Merge a duplicate into another idea (staff); answers the surviving idea",
)
def merge(request: HttpRequest, idea_id: int, payload: IdeaMergeIn) -> Idea:
    user = caller(request)
    source = queries.get_idea_for_user(user, idea_id)
    target = queries.get_idea_for_user(user, payload.into_id)
    return services.merge_ideas(source=source, target=target, actor=user)

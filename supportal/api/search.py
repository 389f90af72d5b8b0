"""Ticket search, saved views and tags.

Search reads what the caller may see (``tickets.search``: internal notes for staff only,
a customer their own tickets, a customer admin the organization's); views and tags are for
support staff (403 for others, 404 for a view or ticket the caller may not see)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from supportal.accounts.models import User
from supportal.core.query_plans import planned_for_values
from supportal.tickets import bulk_changes, saved_views, tags
from supportal.tickets.access import can_read_as_staff, can_work_tickets, get_ticket_for_user
from supportal.tickets.models import Ticket
from supportal.tickets.search import count_matches, search_page, search_tickets

from .schemas import ErrorOut, TicketOut, ValidationErrorOut
from .security import caller

router = Router(tags=["search"])


class SearchQueryIn(Schema):
    q: str = Field(
        "",
        description='Words, "exact phrases" and filters: status:, is:, product:, region:, '
        "assignee:, org:, requester:, tag: (staff), after:, before:, urgent:, sla:, "
        "field:name=value, order: (newest, oldest, queue). See docs/api.md.",
    )
    cursor: str | None = None
    limit: int | None = Field(None, ge=1, le=100)


class SearchHitOut(TicketOut):
    tags: list[str] = Field(description="Tag names (staff only; empty for customers).")

    @staticmethod
    def resolve_tags(ticket: Ticket, context: dict[str, Any]) -> list[str]:
        user = context["request"].auth if context else None
        if user is None or not can_read_as_staff(user):
            return []
        return [tag.name for tag in ticket.tags.all()]


class SearchPageOut(Schema):
    items: list[SearchHitOut]
    next_cursor: str | None
    count: int = Field(description="Matches, counted up to the cap.")
    count_capped: bool = Field(description="True when there are more than ``count``.")
    problems: list[str] = Field(
        description="Filters that could not be used (they match nothing) and dropped words."
    )


class SavedViewOut(Schema):
    id: int | None = Field(description="null for the built-in queue view.")
    name: str
    query: str
    visibility: Literal["personal", "team"]
    owner_name: str
    count: int
    count_capped: bool
    can_delete: bool


class SavedViewIn(Schema):
    name: str = Field(max_length=80)
    query: str = Field(max_length=500)
    visibility: Literal["personal", "team"] = "personal"


class TagIn(Schema):
    name: str = Field(max_length=50)


class TagsOut(Schema):
    tags: list[str]


class BulkIn(Schema):
    ticket_ids: list[int] = Field(max_length=1000)
    action: Literal["assign", "status", "tag", "untag"]
    value: str = Field(
        max_length=50,
        description='assign: a staff user id or "none"; status: a status; tag/untag: a name.',
    )


class BulkOut(Schema):
    done: list[str] = Field(description="Numbers of the tickets changed.")
    skipped: dict[str, str] = Field(description="Ticket number → why it was not changed.")


def _require_staff(user: User, action: str) -> None:
    if not can_work_tickets(user):
        raise HttpError(403, f"Only support staff {action}.")


@router.get(
    "/tickets/search",
    response={200: SearchPageOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="Search the tickets the caller may see, newest first",
)
def search(request: HttpRequest, query: Query[SearchQueryIn]) -> dict[str, Any]:
    found = search_tickets(caller(request), query.q)
    with planned_for_values(needed=found.reach_varies):  # once for the page and count
        page = search_page(found, cursor=query.cursor, limit=query.limit)
        count = count_matches(found)
    return {
        "items": page.items,
        "next_cursor": page.next_cursor,
        "count": count.count,
        "count_capped": count.capped,
        "problems": list(found.problems),
    }


@router.get(
    "/views",
    response={200: list[SavedViewOut], 401: ErrorOut, 403: ErrorOut},
    summary="The queue and the caller's saved views (own and team), with live counts (staff)",
)
def list_views(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    if not can_read_as_staff(user):
        raise HttpError(403, "Saved views are for support staff.")
    return [
        {**view.__dict__, "count": view.count.count, "count_capped": view.count.capped}
        for view in saved_views.view_counts(user)
    ]


@router.post(
    "/views",
    response={201: SavedViewOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Save a search as a personal or team view (staff)",
)
def create_view(request: HttpRequest, payload: SavedViewIn) -> Status[dict[str, Any]]:
    user = caller(request)
    _require_staff(user, "save views")
    view = saved_views.save_view(
        owner=user, name=payload.name, query=payload.query, visibility=payload.visibility
    )
    count = count_matches(search_tickets(user, view.query))
    return Status(
        201,
        {
            "id": view.pk,
            "name": view.name,
            "query": view.query,
            "visibility": view.visibility,
            "owner_name": user.get_full_name(),
            "count": count.count,
            "count_capped": count.capped,
            "can_delete": True,
        },
    )


@router.delete(
    "/views/{view_id}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Delete a saved view (its owner; a manager for team views)",
)
def delete_view(request: HttpRequest, view_id: int) -> Status[None]:
    user = caller(request)
    view = saved_views.get_view_for_user(user, view_id)
    saved_views.delete_view(view=view, actor=user)
    return Status(204, None)


def _staff_ticket(request: HttpRequest, ticket_id: int, action: str) -> tuple[User, Ticket]:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    _require_staff(user, action)
    return user, ticket


def _tag_names(ticket: Ticket) -> dict[str, list[str]]:
    return {"tags": [tag.name for tag in tags.tags_of(ticket)]}


@router.get(
    "/tickets/{ticket_id}/tags",
    response={200: TagsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="A ticket's tags (staff)",
)
def list_tags(request: HttpRequest, ticket_id: int) -> dict[str, list[str]]:
    user = caller(request)
    ticket = get_ticket_for_user(user, ticket_id)
    if not can_read_as_staff(user):
        raise HttpError(403, "Tags are for support staff.")
    return _tag_names(ticket)


@router.post(
    "/tickets/{ticket_id}/tags",
    response={200: TagsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Tag a ticket (staff); tagging twice changes nothing",
)
def add_tag(request: HttpRequest, ticket_id: int, payload: TagIn) -> dict[str, list[str]]:
    user, ticket = _staff_ticket(request, ticket_id, "tag tickets")
    tags.add_tag(ticket=ticket, actor=user, name=payload.name)
    return _tag_names(ticket)


@router.delete(
    "/tickets/{ticket_id}/tags/{name}",
    response={200: TagsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Take a tag off a ticket (staff)",
)
def remove_tag(request: HttpRequest, ticket_id: int, name: str) -> dict[str, list[str]]:
    user, ticket = _staff_ticket(request, ticket_id, "tag tickets")
    if not tags.remove_tag(ticket=ticket, actor=user, name=name):
        raise HttpError(404, "The ticket has no such tag.")
    return _tag_names(ticket)


@router.post(
    "/tickets/bulk",
    response={200: BulkOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Assign, change the status of, tag or untag many tickets (staff)",
)
def bulk_action(request: HttpRequest, payload: BulkIn) -> dict[str, Any]:
    user = caller(request)
    _require_staff(user, "change tickets in bulk")
    result = bulk_changes.apply_bulk_action(
        actor=user, ticket_ids=payload.ticket_ids, action=payload.action, value=payload.value
    )
    return {"done": result.done, "skipped": result.skipped}

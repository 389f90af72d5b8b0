"""The agent's mentions: the internal notes in which a colleague named them with @."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from supportal.tickets.access import can_work_tickets
from supportal.workspace import services
from supportal.workspace.models import Mention
from supportal.workspace.queries import mentions_of

from .schemas import ErrorOut, Timestamp, ValidationErrorOut
from .security import caller

router = Router(tags=["mentions"])


class MentionOut(Schema):
    id: int
    ticket_id: int
    ticket_number: str
    reply_id: int
    author_name: str
    body: str = Field(description="The note, as written (markdown).")
    created_at: Timestamp
    read: bool

    @staticmethod
    def resolve_ticket_number(mention: Mention) -> str:
        return mention.ticket.number or ""

    @staticmethod
    def resolve_author_name(mention: Mention) -> str:
        return mention.author.get_full_name()

    @staticmethod
    def resolve_body(mention: Mention) -> str:
        return mention.reply.body

    @staticmethod
    def resolve_read(mention: Mention) -> bool:
        return mention.is_read


class MentionFilters(Schema):
    unread: bool = Field(False, description="Only the mentions not read yet.")
    limit: int = Field(50, ge=1, le=100)


class MentionsOut(Schema):
    items: list[MentionOut]
    unread: int = Field(description="How many mentions are unread, before this call.")


class MentionsReadOut(Schema):
    marked_read: int


@router.get(
    "/mentions",
    response={200: MentionsOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Notes that mentioned me, newest first (support staff)",
)
def list_mentions(request: HttpRequest, filters: Query[MentionFilters]) -> dict[str, object]:
    user = caller(request)
    if not can_work_tickets(user):
        raise HttpError(403, "Only support staff are mentioned in notes.")
    mine = mentions_of(user)
    unread = mine.filter(read_at__isnull=True)
    items = list((unread if filters.unread else mine)[: filters.limit])
    return {"items": items, "unread": unread.count()}


@router.post(
    "/mentions/read",
    response={200: MentionsReadOut, 401: ErrorOut, 403: ErrorOut},
    summary="Mark all my mentions read (support staff)",
)
def read_mentions(request: HttpRequest) -> dict[str, int]:
    user = caller(request)
    if not can_work_tickets(user):
        raise HttpError(403, "Only support staff are mentioned in notes.")
    return {"marked_read": services.mark_mentions_read(user=user)}

"""Request and response bodies of the JSON API (API.md). Field names are the contract."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import PlainSerializer, WithJsonSchema

from supportal.accounts.models import Organization, User
from supportal.tickets.models import Reply, Ticket


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


# ISO 8601 with an explicit UTC offset ("+00:00"), not the "Z" Django's encoder writes.
Timestamp = Annotated[
    datetime,
    PlainSerializer(_iso, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def _enum_schema(values: list[str]) -> WithJsonSchema:
    # Inline enums: the generic class names (Status, Kind) would collide between apps.
    return WithJsonSchema({"type": "string", "enum": values})


TicketStatus = Annotated[Ticket.Status, _enum_schema(Ticket.Status.values)]
TicketKind = Annotated[Ticket.Kind, _enum_schema(Ticket.Kind.values)]
TicketChannel = Annotated[Ticket.Channel, _enum_schema(Ticket.Channel.values)]
UrgentReason = Annotated[Ticket.UrgentReason, _enum_schema(Ticket.UrgentReason.values)]
Role = Annotated[User.Role, _enum_schema(User.Role.values)]


# --- Errors -----------------------------------------------------------------------------


class ErrorOut(Schema):
    """401, 403 and 404: a human sentence."""

    detail: str


class RuleErrorOut(Schema):
    """409: a request refused by a business rule."""

    detail: str
    code: str = Field(description="Machine-readable reason, e.g. invalid_transition.")


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(
        description='Where the bad value is, e.g. ["body", "payload", "subject"].'
    )
    msg: str
    type: str


class ValidationErrorOut(Schema):
    """422: every bad field, each named by its location."""

    detail: list[FieldErrorOut]


# The answers of a staff or customer action on one object, besides its success.
CHANGE_ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: RuleErrorOut,
    422: ValidationErrorOut,
}


# --- Identity ---------------------------------------------------------------------------


class TokenIn(Schema):
    email: str
    password: str


class TokenOut(Schema):
    token: str


class OrganizationOut(Schema):
    id: int
    name: str
    plan: str = Field(description="The plan's code, e.g. hv or basic.")

    @staticmethod
    def resolve_plan(organization: Organization) -> str:
        return organization.plan.code


class MeOut(Schema):
    id: int
    email: str
    name: str
    role: Role
    organization: OrganizationOut | None


# --- Tickets ----------------------------------------------------------------------------


class TicketIn(Schema):
    product: str = Field(description="Product slug: pressero, edocbuilder, pjm or tflow.")
    kind: TicketKind
    subject: str
    description: str
    site_name: str = Field("", max_length=200)
    site_url: str = Field("", max_length=500)
    admin_username: str = ""
    admin_password: str = Field("", repr=False)  # kept out of error reports and logs
    site_user_username: str = ""
    site_user_password: str = Field("", repr=False)
    steps: str = ""
    urgent: bool = False
    urgent_reason: UrgentReason | None = Field(None, description="Required when urgent.")
    urgent_impact: str = Field("", description="What cannot be ordered or produced.")
    custom_fields: dict[str, str] = Field(
        default_factory=dict,
        description="Answers to the product's custom fields by key (GET /api/v1/fields).",
    )


class TicketOut(Schema):
    """A ticket as the API shows it. Credentials are never part of it."""

    id: int
    number: str
    status: TicketStatus
    kind: TicketKind
    product: str = Field(description="Product slug.")
    subject: str
    description: str
    urgent: bool
    channel: TicketChannel
    organization_id: int
    requester_id: int
    assignee_id: int | None
    received_at: Timestamp
    first_response_due: Timestamp | None
    first_responded_at: Timestamp | None
    sla_breached: bool
    follow_up_of: int | None = Field(description="The closed ticket this one follows up.")
    has_credentials: bool

    @staticmethod
    def resolve_product(ticket: Ticket) -> str:
        return ticket.product.slug

    @staticmethod
    def resolve_follow_up_of(ticket: Ticket) -> int | None:
        return ticket.follow_up_of_id


class TicketPageOut(Schema):
    items: list[TicketOut]
    next_cursor: str | None


class TicketListQuery(Schema):
    status: TicketStatus | None = None
    product: str | None = Field(None, description="Product slug.")
    urgent: bool | None = None
    cursor: str | None = None
    limit: int | None = Field(None, ge=1, le=100)


class QueueQuery(Schema):
    status: TicketStatus | None = Field(None, description="One of the open statuses.")
    product: str | None = Field(None, description="Product slug.")
    urgent: bool | None = None
    region: str | None = Field(None, description="Support region code, e.g. usa or spain.")
    assignee: str | None = Field(None, description='A user id, "me" or "none".')
    cursor: str | None = None
    limit: int | None = Field(None, ge=1, le=100)


class ReplyIn(Schema):
    body: str
    internal: bool = False
    seen_reply_id: int | None = Field(
        None,
        ge=0,
        description="The newest public reply the sender had seen (0: none). When given, a "
        "public reply that would cross a newer one by someone else gets 409 crossed_reply.",
    )


class ReplyCreatedOut(Schema):
    id: int
    ticket_id: int
    follow_up_ticket_id: int | None = Field(
        description="The new ticket a reply to a closed ticket opened, else null."
    )


class ReplyOut(Schema):
    id: int
    ticket_id: int
    author_id: int
    author_name: str
    body: str
    internal: bool
    created_at: Timestamp

    @staticmethod
    def resolve_author_name(reply: Reply) -> str:
        return reply.author.get_full_name()


class ReplyPageOut(Schema):
    items: list[ReplyOut]
    next_cursor: str | None


class PageQuery(Schema):
    cursor: str | None = None
    limit: int | None = Field(None, ge=1, le=100)


class StatusIn(Schema):
    status: TicketStatus


class DowngradeIn(Schema):
    note: str = Field(description="Why the ticket is not urgent; the customer sees it.")


class RaiseUrgencyIn(Schema):
    reason: Literal["cannot_order", "cannot_produce"] = Field(
        description="The policy's test: customers cannot order, or the job cannot be produced."
    )
    note: str = Field(description="What staff learnt; the customer sees it.")


class AssignIn(Schema):
    assignee_id: int | None = Field(description="A member of the support staff, or null.")
    expected_assignee_id: int | None = Field(
        None,
        description="Optional: the assignee you saw (null: nobody). If someone changed it "
        "meanwhile the answer is 409 with code stale and nothing changes.",
    )


class CredentialsOut(Schema):
    admin_username: str
    admin_password: str
    site_user_username: str
    site_user_password: str

"""The neutral shape every source is read into (pure: no database)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SourceOrganization:
    external_id: str
    name: str


@dataclass(frozen=True)
class SourceUser:
    external_id: str
    email: str
    name: str = ""
    staff: bool = False
    organization_id: str | None = None  # a SourceOrganization's external_id


@dataclass(frozen=True)
class SourceFile:
    external_id: str
    name: str
    content_type: str
    read: Callable[[], bytes]


@dataclass(frozen=True)
class SourceReply:
    external_id: str
    author_id: str
    body: str
    created_at: datetime
    internal: bool = False
    files: list[SourceFile] = field(default_factory=list)


@dataclass(frozen=True)
class SourceTicket:
    external_id: str
    number: str
    subject: str
    description: str
    status: str  # one of Ticket.Status
    created_at: datetime
    requester_id: str
    product: str = ""  # a product slug or name; empty: the import's default product
    urgent: bool = False
    assignee_id: str | None = None
    updated_at: datetime | None = None
    replies: list[SourceReply] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)  # attached to the ticket itself


@dataclass
class Source:
    """A whole export: read lazily where it can be large (tickets)."""

    name: str
    organizations: list[SourceOrganization]
    users: list[SourceUser]
    tickets: Callable[[], list[SourceTicket]]
    ticket_count: int

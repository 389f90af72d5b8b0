"""The one way tests make a ticket: filed through the ticket service, as the portal does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import time_machine
from django.core.files.uploadedfile import UploadedFile

from supportal.accounts.models import User
from supportal.tickets import services
from supportal.tickets.models import Ticket

DRAFT_DEFAULTS: dict[str, Any] = {
    "product": "pressero",
    "kind": "question",
    "subject": "Where is the shipping setup?",
    "description": "We want next-day delivery.",
}


def make_ticket(
    requester: User,
    *,
    at: datetime | None = None,
    channel: str = Ticket.Channel.PORTAL,
    uploads: Sequence[UploadedFile] = (),
    **fields: Any,
) -> Ticket:
    """A ticket ``requester`` files with ``open_ticket``: a question about Pressero unless
    ``fields`` (any ``TicketDraft`` field) say otherwise.

    ``at`` files it at that moment, with time frozen. An urgent ticket without a reason is
    one whose customer cannot order; a password without a user name is admin's."""
    draft = {**DRAFT_DEFAULTS, **fields}
    if draft.get("urgent") and not draft.get("urgent_reason"):
        draft["urgent_reason"] = Ticket.UrgentReason.CANNOT_ORDER
    if draft.get("admin_password") and not draft.get("admin_username"):
        draft["admin_username"] = "admin"

    def file() -> Ticket:
        return services.open_ticket(
            requester=requester,
            draft=services.TicketDraft(**draft),
            channel=channel,
            uploads=uploads,
        )

    if at is None:
        return file()
    with time_machine.travel(at, tick=False):
        return file()

"""A Zendesk export in JSON lines: ``tickets.json`` (one ticket per line, with its
``comments`` when the export has them), and, beside it, ``users.json`` and
``organizations.json``. Tickets keep their ids as numbers (``ZD-<id>``), dates, status
(pending → pending customer, hold → open, solved → resolved), priority "urgent" as
urgent, and assignee; the first comment is the description; private comments become
internal notes. Attachments are fetched from their ``content_url`` through the outbound
guard (``core.net``), unless files are left out."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from supportal.core.net import safe_urlopen
from supportal.tickets.models import Ticket

from .records import (
    Source,
    SourceFile,
    SourceOrganization,
    SourceReply,
    SourceTicket,
    SourceUser,
)

STATUS = {
    "new": Ticket.Status.NEW,
    "open": Ticket.Status.OPEN,
    "pending": Ticket.Status.PENDING_CUSTOMER,
    "hold": Ticket.Status.OPEN,
    "solved": Ticket.Status.RESOLVED,
    "closed": Ticket.Status.CLOSED,
}
STAFF_ROLES = {"agent", "admin"}
MAX_FILE_BYTES = 50 * 1024 * 1024


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _fetcher(url: str) -> Any:
    def fetch() -> bytes:
        with safe_urlopen(url) as response:
            content: bytes = response.read(MAX_FILE_BYTES + 1)
        if len(content) > MAX_FILE_BYTES:
            raise ValueError(f"an attachment is larger than {MAX_FILE_BYTES} bytes")
        return content

    return fetch


def _files(items: list[dict[str, Any]], *, with_files: bool) -> list[SourceFile]:
    if not with_files:
        return []
    return [
        SourceFile(
            external_id=str(item["id"]),
            name=item.get("file_name") or f"attachment-{item['id']}",
            content_type=item.get("content_type") or "application/octet-stream",
            read=_fetcher(item["content_url"]),
        )
        for item in items
        if item.get("content_url")
    ]


def read(tickets_json: Path, *, with_files: bool = True) -> Source:
    folder = tickets_json.parent
    raw_users = _lines(folder / "users.json")
    raw_organizations = _lines(folder / "organizations.json")
    raw_tickets = _lines(tickets_json)
    organizations = [
        SourceOrganization(external_id=str(o["id"]), name=o["name"]) for o in raw_organizations
    ]
    users = [
        SourceUser(
            external_id=str(u["id"]),
            email=(u.get("email") or f"zendesk-user-{u['id']}@imported.invalid").lower(),
            name=u.get("name") or "",
            staff=u.get("role") in STAFF_ROLES,
            organization_id=str(u["organization_id"]) if u.get("organization_id") else None,
        )
        for u in raw_users
    ]

    def tickets() -> list[SourceTicket]:
        result = []
        for row in raw_tickets:
            comments = sorted(row.get("comments") or [], key=lambda c: c["created_at"])
            first, rest = (comments[0], comments[1:]) if comments else (None, [])
            result.append(
                SourceTicket(
                    external_id=str(row["id"]),
                    number=f"ZD-{row['id']}",
                    subject=row.get("subject") or "(no subject)",
                    description=row.get("description") or (first or {}).get("body", ""),
                    status=STATUS.get(row.get("status", ""), Ticket.Status.OPEN),
                    created_at=_moment(row["created_at"]),
                    updated_at=_moment(row["updated_at"]) if row.get("updated_at") else None,
                    requester_id=str(row["requester_id"]),
                    urgent=row.get("priority") == "urgent",
                    assignee_id=str(row["assignee_id"]) if row.get("assignee_id") else None,
                    files=_files((first or {}).get("attachments") or [], with_files=with_files),
                    replies=[
                        SourceReply(
                            external_id=str(c["id"]),
                            author_id=str(c["author_id"]),
                            body=c.get("body") or "",
                            created_at=_moment(c["created_at"]),
                            internal=not c.get("public", True),
                            files=_files(c.get("attachments") or [], with_files=with_files),
                        )
                        for c in rest
                    ],
                )
            )
        return result

    return Source(
        name="zendesk",
        organizations=organizations,
        users=users,
        tickets=tickets,
        ticket_count=len(raw_tickets),
    )

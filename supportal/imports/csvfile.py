"""A plain CSV of tickets, one per row, with a header. Columns (only the first four are
required): ``requester_email``, ``organization``, ``subject``, ``description``, then
``number``, ``requester_name``, ``product``, ``status`` (new, open, pending_customer,
resolved, closed), ``created_at`` (ISO 8601; UTC when no offset), ``urgent`` (yes/no).
Replies, if any, in a second CSV: ``ticket`` (the number or row), ``author_email``,
``body``, ``created_at``, ``internal`` (yes/no)."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from supportal.tickets.models import Ticket

from .records import Source, SourceOrganization, SourceReply, SourceTicket, SourceUser

REQUIRED = ("requester_email", "organization", "subject", "description")
YES = {"1", "yes", "true", "y", "x"}


def _moment(value: str) -> datetime:
    if not value.strip():
        return datetime.now(tz=UTC)
    moment = datetime.fromisoformat(value.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [
            {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(handle)
        ]


def read(tickets_csv: Path, *, replies_csv: Path | None = None) -> Source:
    rows = _read(tickets_csv)
    if rows and (missing := [c for c in REQUIRED if c not in rows[0]]):
        raise ValueError(f"{tickets_csv.name} lacks the columns {', '.join(missing)}")
    statuses = set(Ticket.Status.values)
    organizations: dict[str, SourceOrganization] = {}
    users: dict[str, SourceUser] = {}
    for row in rows:
        name = row["organization"]
        organizations.setdefault(name.lower(), SourceOrganization(name.lower(), name))
        email = row["requester_email"].lower()
        users.setdefault(
            email,
            SourceUser(email, email, row.get("requester_name", ""), organization_id=name.lower()),
        )
    replies: dict[str, list[SourceReply]] = defaultdict(list)
    for index, row in enumerate(_read(replies_csv) if replies_csv else [], start=1):
        author = row["author_email"].lower()
        if author not in users:
            users[author] = SourceUser(author, author, staff=True)
        replies[row["ticket"]].append(
            SourceReply(
                external_id=str(index),
                author_id=author,
                body=row["body"],
                created_at=_moment(row.get("created_at", "")),
                internal=row.get("internal", "").lower() in YES,
            )
        )

    def tickets() -> list[SourceTicket]:
        result = []
        for index, row in enumerate(rows, start=1):
            number = row.get("number") or f"CSV-{index}"
            status = row.get("status", "").lower()
            result.append(
                SourceTicket(
                    external_id=number,
                    number=number,
                    subject=row["subject"],
                    description=row["description"],
                    status=status if status in statuses else Ticket.Status.OPEN,
                    created_at=_moment(row.get("created_at", "")),
                    requester_id=row["requester_email"].lower(),
                    product=row.get("product", ""),
                    urgent=row.get("urgent", "").lower() in YES,
                    replies=sorted(
                        replies.get(number, []) + replies.get(str(index), []),
                        key=lambda r: r.created_at,
                    ),
                )
            )
        return result

    return Source(
        name="csv",
        organizations=list(organizations.values()),
        users=list(users.values()),
        tickets=tickets,
        ticket_count=len(rows),
    )

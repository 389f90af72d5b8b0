"""django-helpdesk's database, read with plain SQL (SQLite file or PostgreSQL URL).

Queues become products (by slug or title, else the import's default product), tickets
keep their ids as numbers (``HD-<id>``), dates, texts, status (Open and Reopened → open,
Resolved → resolved, Closed and Duplicate → closed), priority 1 as urgent, and assignee;
follow-ups become replies (private ones internal notes) with their attachments, read from
django-helpdesk's media folder. django-helpdesk has no organizations: submitters are
grouped by the domain of their address. Its "Ticket Opened" follow-up repeats the
description and is skipped."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
    1: Ticket.Status.OPEN,
    2: Ticket.Status.OPEN,
    3: Ticket.Status.RESOLVED,
    4: Ticket.Status.CLOSED,
    5: Ticket.Status.CLOSED,
}
OPENED_TITLES = {"Ticket Opened", "Ticket Opened By E-Mail"}


@contextmanager
def _connect(url: str) -> Iterator[Any]:
    if url.startswith("sqlite:///"):
        connection: Any = sqlite3.connect(f"file:{url[len('sqlite:///') :]}?mode=ro", uri=True)
    elif url.startswith(("postgres://", "postgresql://")):
        import psycopg

        connection = psycopg.connect(url)
    else:
        raise ValueError("the database is a sqlite:///path or a postgres:// URL")
    try:
        yield connection
    finally:
        connection.close()


def _rows(connection: Any, sql: str) -> list[dict[str, Any]]:
    cursor = connection.cursor()
    cursor.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).replace(" ", "T"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else "unknown"


def _reader(path: Path) -> Callable[[], bytes]:
    return path.read_bytes


def read(database_url: str, *, media: Path | None) -> Source:
    with _connect(database_url) as connection:
        users = _rows(
            connection, "SELECT id, email, first_name, last_name, is_staff FROM auth_user"
        )
        queues = {
            q["id"]: q for q in _rows(connection, "SELECT id, title, slug FROM helpdesk_queue")
        }
        tickets = _rows(
            connection,
            "SELECT id, title, queue_id, created, modified, submitter_email, assigned_to_id, "
            "status, description, priority FROM helpdesk_ticket ORDER BY id",
        )
        followups = _rows(
            connection,
            "SELECT id, ticket_id, date, title, comment, public, user_id "
            "FROM helpdesk_followup ORDER BY date, id",
        )
        attachments = _rows(
            connection,
            "SELECT id, followup_id, file, filename, mime_type FROM helpdesk_followupattachment",
        )
    staff = {
        str(u["id"]): SourceUser(
            external_id=f"user:{u['id']}",
            email=u["email"].lower(),
            name=f"{u['first_name']} {u['last_name']}".strip(),
            staff=True,
        )
        for u in users
        if u["is_staff"] and u["email"]
    }
    customers: dict[str, SourceUser] = {}
    for ticket in tickets:
        email = (ticket["submitter_email"] or "").strip().lower()
        if email and f"email:{email}" not in customers:
            customers[f"email:{email}"] = SourceUser(
                external_id=f"email:{email}", email=email, organization_id=domain_of(email)
            )
    organizations = [
        SourceOrganization(external_id=domain, name=domain)
        for domain in sorted({u.organization_id for u in customers.values() if u.organization_id})
    ]
    files_by_followup: dict[int, list[SourceFile]] = defaultdict(list)
    for row in attachments:
        if media is None:
            continue
        files_by_followup[row["followup_id"]].append(
            SourceFile(
                external_id=str(row["id"]),
                name=row["filename"] or Path(row["file"]).name,
                content_type=row["mime_type"] or "application/octet-stream",
                read=_reader(media / row["file"]),
            )
        )
    replies_by_ticket: dict[int, list[SourceReply]] = defaultdict(list)
    for row in followups:
        if row["title"] in OPENED_TITLES and not files_by_followup.get(row["id"]):
            continue
        author = staff.get(str(row["user_id"])) if row["user_id"] else None
        replies_by_ticket[row["ticket_id"]].append(
            SourceReply(
                external_id=str(row["id"]),
                author_id=author.external_id if author else "",  # "": the requester
                body=row["comment"] or row["title"] or "",
                created_at=_moment(row["date"]),
                internal=not row["public"],
                files=files_by_followup.get(row["id"], []),
            )
        )

    def source_tickets() -> list[SourceTicket]:
        result = []
        for row in tickets:
            queue = queues.get(row["queue_id"], {})
            email = (row["submitter_email"] or "").strip().lower()
            assignee = staff.get(str(row["assigned_to_id"])) if row["assigned_to_id"] else None
            result.append(
                SourceTicket(
                    external_id=str(row["id"]),
                    number=f"HD-{row['id']}",
                    subject=row["title"] or "(no subject)",
                    description=row["description"] or "",
                    status=STATUS.get(row["status"], Ticket.Status.OPEN),
                    created_at=_moment(row["created"]),
                    updated_at=_moment(row["modified"]) if row["modified"] else None,
                    requester_id=f"email:{email}",
                    product=queue.get("slug") or queue.get("title") or "",
                    urgent=row["priority"] == 1,
                    assignee_id=assignee.external_id if assignee else None,
                    replies=replies_by_ticket.get(row["id"], []),
                )
            )
        return result

    return Source(
        name="helpdesk",
        organizations=organizations,
        users=[*staff.values(), *customers.values()],
        tickets=source_tickets,
        ticket_count=len(tickets),
    )

"""What an export holds, written into a ZIP of JSON documents and the files themselves.

An organization's export: the organization, its people, every ticket with its public
replies, attachments, time entries and notices, its expert-hours ledger, statements and
corrections, and its chats with their messages and files. One person's export: their
account, the tickets they filed and the chats they had, the same way.

Left out, and said so in ``manifest.json``: internal notes and time-entry notes (staff's
working notes), the site credentials given on tickets (encrypted secrets, purged after
use), password hashes and tokens, and the audit trail."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from supportal.accounts.models import Organization, User
from supportal.billing.models import (
    Correction,
    ExpertHoursEntry,
    Notice,
    NoticeLine,
    Statement,
    StatementLine,
    TimeEntry,
)
from supportal.chat.models import Chat, ChatFile, ChatMessage
from supportal.core.crypto import EncryptedTextField
from supportal.tickets.models import Attachment, Reply, Ticket

from .models import DataExport

FORMAT_VERSION = 1
LEFT_OUT = [
    "internal notes on tickets and notes on time entries (staff's working notes)",
    "site credentials given on tickets (kept encrypted, purged after use)",
    "password hashes, API tokens and login records",
    "the audit trail of each ticket",
]
PERSON_FIELDS = ["email", "name", "role", "organization", "is_active", "date_joined", "last_login"]
ORGANIZATION_FIELDS = ["name", "plan", "support_region", "is_active"]
LEFT_OUT_FIELDS = {"note"}  # on time entries


def _fields(model: type[models.Model]) -> list[str]:
    """Every stored field but secrets (encrypted columns) and staff's notes."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key
        and not isinstance(field, EncryptedTextField)
        and field.name not in LEFT_OUT_FIELDS
    ]


def rows(queryset: Iterable[models.Model], fields: list[str] | None = None) -> list[dict[str, Any]]:
    items = list(queryset)
    if not items:
        return []
    names = fields or _fields(type(items[0]))
    return [
        {"id": row["pk"], **row["fields"]}
        for row in serializers.serialize("python", items, fields=names)
    ]


@dataclass(frozen=True)
class Contents:
    organization: Organization
    person: User | None
    people: QuerySet[User]
    tickets: QuerySet[Ticket]
    chats: QuerySet[Chat]

    @property
    def whole_organization(self) -> bool:
        return self.person is None


def contents_of(export: DataExport) -> Contents:
    organization, person = export.organization, export.person
    if person is None:
        return Contents(
            organization=organization,
            person=None,
            people=User.objects.filter(organization=organization).order_by("pk"),
            tickets=Ticket.objects.filter(organization=organization).order_by("pk"),
            chats=Chat.objects.filter(organization=organization).order_by("pk"),
        )
    return Contents(
        organization=organization,
        person=person,
        people=User.objects.filter(pk=person.pk),
        tickets=Ticket.objects.filter(requester=person).order_by("pk"),
        chats=Chat.objects.filter(customer=person).order_by("pk"),
    )


def count_items(contents: Contents) -> int:
    """What the progress counts: each ticket, chat and file."""
    return (
        contents.tickets.count()
        + contents.chats.count()
        + Attachment.objects.filter(ticket__in=contents.tickets).count()
        + ChatFile.objects.filter(chat__in=contents.chats).count()
    )


def _dump(document: Any) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _copy_file(archive: zipfile.ZipFile, stored: FieldFile, name: str) -> None:
    with stored.open("rb") as source, archive.open(name, "w") as target:
        shutil.copyfileobj(source, target)


def _safe_name(original: str) -> str:
    """A stored file's original name, reduced to a plain last segment for the archive."""
    name = PurePosixPath(original.replace("\\", "/")).name.strip(". ") or "file"
    return name[:120]


def _stored_files(
    archive: zipfile.ZipFile,
    stored: Iterable[Attachment] | Iterable[ChatFile],
    folder: str,
    progress: Callable[[int], None],
) -> list[dict[str, Any]]:
    """Copy ticket attachments or chat files (one ``StoredFile`` shape) into ``folder`` of
    the archive; their rows, each with its path in the export."""
    files = list(stored)
    documents = []
    for item, row in zip(files, rows(files), strict=True):
        path = f"{folder}/{item.pk}-{_safe_name(item.original_name)}"
        _copy_file(archive, item.file, path)
        documents.append({**row, "path_in_export": path})
        progress(1)
    return documents


def _with_what_they_hold(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Each chunk of tickets read with its replies, files, time and notices: a few queries
    per chunk instead of five per ticket."""
    return tickets.prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
        Prefetch(
            "replies",
            queryset=Reply.objects.filter(internal=False).order_by("pk"),
            to_attr="public_replies",
        ),
        Prefetch("time_entries", queryset=TimeEntry.objects.order_by("pk")),
        Prefetch(
            "billing_notices",
            queryset=Notice.objects.order_by("pk").prefetch_related(
                Prefetch("lines", queryset=NoticeLine.objects.order_by("pk"))
            ),
        ),
    )


def _ticket_document(
    archive: zipfile.ZipFile, ticket: Ticket, progress: Callable[[int], None]
) -> dict[str, Any]:
    attachments = ticket.attachments.all()
    files = _stored_files(archive, attachments, f"files/tickets/{ticket.pk}", progress)
    notices = list(ticket.billing_notices.all())
    return {
        "ticket": rows([ticket])[0],
        "replies": rows(ticket.public_replies),  # type: ignore[attr-defined]  # the Prefetch
        "attachments": files,
        "time_entries": rows(ticket.time_entries.all()),
        "notices": rows(notices),
        "notice_lines": rows([line for notice in notices for line in notice.lines.all()]),
    }


def _chat_document(
    archive: zipfile.ZipFile, chat: Chat, progress: Callable[[int], None]
) -> dict[str, Any]:
    files = _stored_files(archive, chat.files.all(), f"files/chats/{chat.pk}", progress)
    return {
        "chat": rows([chat])[0],
        "messages": rows(chat.messages.all()),
        "files": files,
    }


def _billing_document(organization: Organization) -> dict[str, Any]:
    statements = Statement.objects.filter(organization=organization).order_by("pk")
    return {
        "expert_hours": rows(
            ExpertHoursEntry.objects.filter(organization=organization).order_by("pk")
        ),
        "statements": rows(statements),
        "statement_lines": rows(
            StatementLine.objects.filter(statement__in=statements).order_by("pk")
        ),
        "corrections": rows(Correction.objects.filter(organization=organization).order_by("pk")),
    }


def write_export(export: DataExport, path: str, progress: Callable[[int], None]) -> dict[str, int]:
    """Write the export's ZIP at ``path``; ``progress`` is told of each item done.
    Returns the counts written into the manifest."""
    contents = contents_of(export)
    counts = {"people": 0, "tickets": 0, "chats": 0}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "organization.json", _dump(rows([contents.organization], ORGANIZATION_FIELDS)[0])
        )
        people = rows(contents.people, PERSON_FIELDS)
        counts["people"] = len(people)
        archive.writestr("people.json", _dump(people))
        for ticket in _with_what_they_hold(contents.tickets).iterator(chunk_size=200):
            document = _ticket_document(archive, ticket, progress)
            archive.writestr(f"tickets/{ticket.pk}.json", _dump(document))
            counts["tickets"] += 1
            progress(1)
        chats = contents.chats.prefetch_related(
            Prefetch("files", queryset=ChatFile.objects.order_by("pk")),
            Prefetch("messages", queryset=ChatMessage.objects.order_by("seq")),
        )
        for chat in chats.iterator(chunk_size=200):
            archive.writestr(
                f"chats/{chat.pk}.json", _dump(_chat_document(archive, chat, progress))
            )
            counts["chats"] += 1
            progress(1)
        if contents.whole_organization:
            archive.writestr("billing.json", _dump(_billing_document(contents.organization)))
        archive.writestr(
            "manifest.json",
            _dump(
                {
                    "format_version": FORMAT_VERSION,
                    "organization": contents.organization.name,
                    "person": contents.person.email if contents.person else None,
                    "made_at": timezone.now(),
                    "counts": counts,
                    "left_out": LEFT_OUT,
                }
            ),
        )
    return counts

"""Ticket exports as CSV and XLSX, streamed so that memory stays flat however many rows.

Rows come from the database ``SUPPORTAL_REPORTS_EXPORT_CHUNK`` at a time (a server-side
cursor on PostgreSQL) and leave as they are written: the CSV line by line, the XLSX through
openpyxl's write-only workbook into a temporary file that is then sent in blocks. Under
ASGI the body is an async iterator (Django would otherwise read a sync iterator whole
into memory before sending it). Credentials, descriptions and steps are never exported."""

from __future__ import annotations

import re
import tempfile
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from supportal.core.db_router import REPLICA, replica_configured
from supportal.tickets.custom_fields import export_values
from supportal.tickets.models import CustomField, Ticket

from . import spreadsheet, timing
from .queries import TimingFallback, resolution_end

COLUMNS = [
    "id",
    "number",
    "subject",
    "status",
    "kind",
    "product",
    "channel",
    "urgent",
    "organization",
    "requester",
    "requester_email",
    "received_at",
    "first_response_due",
    "first_responded_at",
    "first_response_business_hours",
    "sla_breached",
    "resolved_at",
    "closed_at",
    "resolution_business_hours",
    "follow_up_of",
]
# What is read per ticket. Only these columns leave the database: no credentials.
FIELDS = (
    "id",
    "number",
    "subject",
    "status",
    "kind",
    "product__slug",
    "channel",
    "urgent",
    "organization__name",
    "requester__name",
    "requester__email",
    "received_at",
    "first_response_due",
    "first_responded_at",
    "sla_breached",
    "resolved_at",
    "closed_at",
    "follow_up_of__number",
    "organization_id",
    "timing_computed_at",
    "stored_first_response",
    "stored_resolution",
)
FILE_BLOCK = 64 * 1024
LINES_PER_SEND = 500


def export_fields(*, staff: bool) -> list[CustomField]:
    """The custom fields exported as columns after COLUMNS ("field:<key>"): the active
    ones; staff-only fields for staff only."""
    qs = CustomField.objects.filter(active=True)
    if not staff:
        qs = qs.filter(staff_only=False)
    return list(qs.order_by("position", "label", "id"))


def export_columns(fields: list[CustomField]) -> list[str]:
    return [*COLUMNS, *(f"field:{f.key}" for f in fields)]


def _batches(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def export_rows(
    tickets: QuerySet[Ticket], fields: list[CustomField] | None = None
) -> Iterator[list[Any]]:
    """One list of cells per ticket, in ``export_columns(fields)`` order, read chunk by
    chunk (the custom fields' values one query per chunk)."""
    alias = REPLICA if replica_configured() else "default"
    fallback = TimingFallback()
    chunk = settings.SUPPORTAL_REPORTS_EXPORT_CHUNK
    rows = tickets.using(alias).values_list(*FIELDS).iterator(chunk_size=chunk)
    if not fields:
        for values in rows:
            yield _ticket_cells(values, fallback)
        return
    for batch in _batches(rows, chunk):
        answers = export_values([values[0] for values in batch], fields)
        for values in batch:
            answered = answers.get(values[0], {})
            yield [*_ticket_cells(values, fallback), *(answered.get(f.pk, "") for f in fields)]


def _ticket_cells(values: tuple[Any, ...], fallback: TimingFallback) -> list[Any]:
    row = dict(zip(FIELDS, values, strict=True))
    first, resolution = fallback.times(
        organization_id=row["organization_id"],
        received_at=row["received_at"],
        first_responded_at=row["first_responded_at"],
        resolved_at=resolution_end(row["resolved_at"], row["closed_at"]),
        computed_at=row["timing_computed_at"],
        stored_first_response=row["stored_first_response"],
        stored_resolution=row["stored_resolution"],
    )
    return [
        row["id"],
        row["number"],
        row["subject"],
        row["status"],
        row["kind"],
        row["product__slug"],
        row["channel"],
        row["urgent"],
        row["organization__name"],
        row["requester__name"],
        row["requester__email"],
        row["received_at"],
        row["first_response_due"],
        row["first_responded_at"],
        timing.hours(first),
        row["sla_breached"],
        row["resolved_at"],
        row["closed_at"],
        timing.hours(resolution),
        row["follow_up_of__number"],
    ]


def csv_lines(tickets: QuerySet[Ticket], fields: list[CustomField] | None = None) -> Iterator[str]:
    fields = fields or []
    return spreadsheet.csv_lines(export_columns(fields), export_rows(tickets, fields))


# Control characters an XLSX cell may not hold (the same set openpyxl refuses).
XLSX_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def _xlsx_cell(value: Any) -> Any:
    value = spreadsheet.safe_cell(value)
    if isinstance(value, datetime):
        # Excel has no time zones: the reader's local time, as on the report page.
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        return XLSX_ILLEGAL_CHARACTERS.sub("", value)
    return value


def write_xlsx(tickets: QuerySet[Ticket], fields: list[CustomField] | None = None) -> IO[bytes]:
    """The export as an XLSX temporary file, rewound (deleted when closed)."""
    # Imported here: openpyxl weighs on every web worker and only exports need it.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tickets")
    fields = fields or []
    sheet.append(export_columns(fields))
    for row in export_rows(tickets, fields):
        sheet.append([_xlsx_cell(value) for value in row])
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed by file_blocks)
    workbook.save(out)
    out.seek(0)
    return out


def file_blocks(handle: IO[bytes]) -> Iterator[bytes]:
    try:
        while block := handle.read(FILE_BLOCK):
            yield block
    finally:
        handle.close()


def _take(parts: Iterator[Any], count: int) -> Any:
    batch = []
    for part in parts:
        batch.append(part)
        if len(batch) >= count:
            break
    if not batch:
        return None
    return b"".join(batch) if isinstance(batch[0], bytes) else "".join(batch)


async def _async_parts(parts: Iterator[Any], per_send: int) -> AsyncIterator[Any]:
    """Pull from a sync iterator in batches on Django's sync thread (where its database
    connection lives), one batch per send, so nothing accumulates in memory."""
    take = sync_to_async(_take, thread_sensitive=True)
    try:
        while (batch := await take(parts, per_send)) is not None:
            yield batch
    finally:
        close = getattr(parts, "close", None)
        if close is not None:
            await sync_to_async(close, thread_sensitive=True)()


def streamed_response(
    request: HttpRequest,
    parts: Iterable[Any],
    *,
    content_type: str,
    filename: str,
    per_send: int = LINES_PER_SEND,
) -> StreamingHttpResponse:
    iterator = iter(parts)
    content = _async_parts(iterator, per_send) if isinstance(request, ASGIRequest) else iterator
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_filename(extension: str) -> str:
    return f"tickets-{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(
    request: HttpRequest, tickets: QuerySet[Ticket], *, staff: bool = False
) -> StreamingHttpResponse:
    """The export as CSV; ``staff`` adds the staff-only custom fields' columns."""
    return streamed_response(
        request,
        csv_lines(tickets, export_fields(staff=staff)),
        content_type="text/csv; charset=utf-8",
        filename=export_filename("csv"),
    )


def xlsx_response(
    request: HttpRequest, tickets: QuerySet[Ticket], *, staff: bool = False
) -> StreamingHttpResponse:
    return streamed_response(
        request,
        file_blocks(write_xlsx(tickets, export_fields(staff=staff))),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=export_filename("xlsx"),
        per_send=1,
    )

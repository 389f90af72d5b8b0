"""Reports: the caller's visible tickets as CSV (API.md), streamed.

The same visibility as ``GET /api/v1/tickets``: a customer's own tickets, a customer
admin's organization, every ticket for staff. Credentials are never in it; text cells that
a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from supportal.core.db_router import replica_reads
from supportal.core.languages import zone_of
from supportal.reports import exports
from supportal.reports.queries import (
    DEFAULT_SORT,
    SORTS,
    ReportFilters,
    report_tickets,
)

from .schemas import ErrorOut, TicketKind, TicketStatus, ValidationErrorOut
from .security import caller

router = Router(tags=["reports"])

CSV_RESPONSE = {
    "responses": {
        200: {
            "description": "One row per ticket the caller may see, newest first, after a "
            "header row: " + ", ".join(exports.COLUMNS) + ", then one column per active "
            "custom field, named field:<key> (staff-only fields for staff only). Times are "
            "ISO 8601 with a UTC offset; durations are business hours.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


ReportSort = StrEnum("ReportSort", {key: key for key in SORTS})  # type: ignore[misc]


class ReportsTicketsCsvQuery(Schema):
    status: TicketStatus | None = None
    product: str | None = Field(None, description="Product slug.")
    kind: TicketKind | None = None
    urgent: bool | None = None
    received_from: date | None = Field(
        None, description="Received on or after this day (in the caller's region's zone)."
    )
    received_to: date | None = Field(
        None, description="Received on or before this day (in the caller's region's zone)."
    )
    text: str = Field("", max_length=200, description="In the subject, or the exact number.")
    requester: int | None = Field(
        None, description="A requester's user id (customer admins and staff)."
    )
    sort: ReportSort = Field(ReportSort(DEFAULT_SORT), description="The report page's order.")


@router.get(
    "/reports/tickets.csv",
    response={401: ErrorOut, 422: ValidationErrorOut},
    summary="The caller's visible tickets as CSV",
    openapi_extra=CSV_RESPONSE,
)
def tickets_csv(
    request: HttpRequest, query: Query[ReportsTicketsCsvQuery]
) -> StreamingHttpResponse:
    filters = ReportFilters(
        status=query.status.value if query.status else None,
        product=query.product,
        kind=query.kind.value if query.kind else None,
        urgent=query.urgent,
        received_from=query.received_from,
        received_to=query.received_to,
        requester=query.requester,
        text=query.text,
        sort=query.sort.value,
    )
    user = caller(request)
    # The page reads its day filters in the user's zone (UserLocaleMiddleware, which
    # runs before a bearer token names the user): so does the API, for the same rows.
    with replica_reads(), timezone.override(zone_of(user)):
        return exports.csv_response(
            request, report_tickets(user, filters), staff=user.is_staff_or_auditor
        )

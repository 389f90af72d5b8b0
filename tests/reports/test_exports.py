"""CSV and XLSX exports: only what the user may see, no secrets, formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient
from django.urls import reverse
from openpyxl import load_workbook

from supportal.reports import exports
from supportal.reports.queries import ReportFilters, report_tickets
from tests.factories import make_ticket
from tests.training import train

from .conftest import answer, chicago

HOSTILE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def tickets(demo):
    a1 = make_ticket(
        demo.alice,
        at=chicago(2025, 8, 29, 16),
        product="pressero",
        subject=HOSTILE,
        admin_password="hunter2-secret",
    )
    answer(a1, demo.agent, at=chicago(2025, 9, 2, 10))
    b1 = make_ticket(demo.bob, at=chicago(2025, 9, 2, 9), product="pressero", subject="@SUM(1)")
    train(demo.carol, "pjm")
    c1 = make_ticket(demo.carol, at=chicago(2025, 9, 2, 9), product="pjm", subject="-1+2 Carol")
    return {"a1": a1, "b1": b1, "c1": c1}


def _csv(client, user, **params) -> list[dict[str, str]]:
    client.force_login(user)
    response = client.get(reverse("reports:export_csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_only_the_users_tickets(client, demo, tickets):
    assert {r["number"] for r in _csv(client, demo.carol)} == {tickets["c1"].number}
    assert {r["number"] for r in _csv(client, demo.bob)} == {tickets["b1"].number}
    assert {r["number"] for r in _csv(client, demo.alice)} == {
        tickets["a1"].number,
        tickets["b1"].number,
    }


def test_csv_follows_the_report_filters(client, demo, tickets):
    rows = _csv(client, demo.alice, requester=str(demo.bob.pk))
    assert [r["number"] for r in rows] == [tickets["b1"].number]


def test_csv_neutralises_formulas_and_carries_business_hours(client, demo, tickets):
    rows = {r["number"]: r for r in _csv(client, demo.alice)}
    alice = rows[tickets["a1"].number]
    assert alice["subject"] == "'" + HOSTILE
    assert alice["first_response_business_hours"] == "2.0"  # across a weekend and Labor Day
    assert alice["received_at"].endswith("+00:00")
    assert rows[tickets["b1"].number]["subject"] == "'@SUM(1)"
    assert rows[tickets["b1"].number]["first_response_business_hours"] == ""


def test_exports_never_contain_credentials(client, demo, tickets):
    client.force_login(demo.agent)
    text = b"".join(client.get(reverse("reports:export_csv")).streaming_content).decode()
    assert "hunter2-secret" not in text and "admin_password" not in text
    xlsx = b"".join(client.get(reverse("reports:export_xlsx")).streaming_content)
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True)["Tickets"]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    assert not any("hunter2" in c for c in cells)


def test_xlsx_opens_with_openpyxl_and_has_the_rows(client, demo, tickets):
    client.force_login(demo.alice)
    response = client.get(reverse("reports:export_xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Tickets"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(exports.COLUMNS)
    by_number = {row[1]: dict(zip(exports.COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_number) == {tickets["a1"].number, tickets["b1"].number}
    alice = by_number[tickets["a1"].number]
    assert alice["subject"] == "'" + HOSTILE
    assert sheet[f"C{2}"].data_type == "s"  # text, never a formula
    assert alice["first_response_business_hours"] == 2.0


def test_export_rows_stream_in_chunks(demo, tickets, settings):
    """The export reads through an iterator: a chunk size of 1 still yields every row."""
    settings.SUPPORTAL_REPORTS_EXPORT_CHUNK = 1
    rows = list(exports.export_rows(report_tickets(demo.agent, ReportFilters())))
    assert len(rows) == 3


def test_export_is_for_logged_in_users_only(client):
    response = client.get(reverse("reports:export_csv"))
    assert response.status_code == 302


def test_under_asgi_the_csv_is_an_async_stream(demo, tickets):
    """An ASGI server gets an async iterator (a sync one would be read whole into memory)."""

    async def fetch() -> tuple[bool, str]:
        client = AsyncClient()
        await client.aforce_login(demo.bob)
        response = await client.get(reverse("reports:export_csv"))
        parts = [part async for part in response.streaming_content]
        return response.is_async, b"".join(parts).decode()

    is_async, text = async_to_sync(fetch)()
    assert is_async
    assert [r["number"] for r in csv.DictReader(io.StringIO(text))] == [tickets["b1"].number]

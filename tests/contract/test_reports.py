"""API.md, Reports: GET /api/v1/reports/tickets.csv over real HTTP, with the same
visibility as GET /api/v1/tickets."""

from __future__ import annotations

import csv
import io

import httpx

from supportal.reports.exports import COLUMNS
from tests.training import train


def file(http, user, subject: str, product: str = "pressero", **fields) -> str:
    body = {"product": product, "kind": "question", "subject": subject, "description": "Details"}
    response = http.post("/api/v1/tickets", {**body, **fields}, user=user)
    assert response.status_code == 201, response.text
    return response.json()["number"]


def rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(response.text))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def test_tickets_csv_has_what_the_ticket_list_has_and_nothing_dangerous(http, demo_live):
    """Same visibility as GET /api/v1/tickets; formulas neutralised; no credentials."""
    alice = file(http, demo_live.alice, "Alice's question", admin_password="s3cret-pw")
    bob = file(http, demo_live.bob, "=cmd|' /C calc'!A0")
    train(demo_live.carol, "pjm")
    carol = file(http, demo_live.carol, "Carol's question", product="pjm")
    for user, expected in (
        (demo_live.carol, {carol}),
        (demo_live.bob, {bob}),
        (demo_live.alice, {alice, bob}),
        (demo_live.agent, {alice, bob, carol}),
    ):
        response = http.get("/api/v1/reports/tickets.csv", user=user)
        by_number = {r["number"]: r for r in rows(response)}
        listed = http.get("/api/v1/tickets", user=user).json()["items"]
        assert set(by_number) == expected == {t["number"] for t in listed}
        assert "s3cret-pw" not in response.text
    assert by_number[bob]["subject"] == "'=cmd|' /C calc'!A0"
    assert by_number[bob]["received_at"].endswith("+00:00")


def test_tickets_csv_filters_refusals_and_openapi(http, demo_live):
    file(http, demo_live.alice, "Shop down", urgent=True, urgent_reason="cannot_order")
    file(http, demo_live.alice, "Question")
    path = "/api/v1/reports/tickets.csv"
    urgent = rows(http.get(path, user=demo_live.alice, urgent="true"))
    assert [r["subject"] for r in urgent] == ["Shop down"]
    assert http.get(path, user=demo_live.alice, status="nope").status_code == 422
    assert http.get(path).status_code == 401
    doc = http.client.get("/api/openapi.json").json()
    operation = doc["paths"][path]["get"]
    assert set(operation["responses"]) >= {"200", "401", "422"}
    assert "text/csv" in operation["responses"]["200"]["content"]

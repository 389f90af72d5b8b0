"""API.md: the OpenAPI document is served and true for every response the server sends."""

from __future__ import annotations

import httpx

from . import conftest
from .openapi_check import OpenApiDoc

CONTRACT_PATHS = {
    "/api/v1/auth/token": {"post"},
    "/api/v1/me": {"get"},
    "/api/v1/tickets": {"get", "post"},
    "/api/v1/tickets/{ticket_id}": {"get"},
    "/api/v1/tickets/{ticket_id}/replies": {"get", "post"},
    "/api/v1/tickets/{ticket_id}/status": {"post"},
    "/api/v1/tickets/{ticket_id}/assign": {"post"},
    "/api/v1/tickets/{ticket_id}/credentials": {"get"},
    "/api/v1/queue": {"get"},
    "/api/v1/kb/search": {"get"},
    "/api/v1/kb/articles": {"post"},
    "/api/v1/tickets/{ticket_id}/time": {"post"},
    "/api/v1/tickets/{ticket_id}/notices": {"post"},
    "/api/v1/notices/{notice_id}/accept": {"post"},
    "/api/v1/notices/{notice_id}/decline": {"post"},
    "/api/v1/tickets/{ticket_id}/bug": {"post"},
    "/api/v1/billing/expert-hours": {"get"},
    "/api/v1/chat/eligibility": {"get"},
    "/api/v1/reports/tickets.csv": {"get"},
}


def test_openapi_document_parses_and_lists_the_contract_paths(live_server, demo_live):
    response = httpx.get(f"{live_server.url}/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    for path, methods in CONTRACT_PATHS.items():
        assert path in doc["paths"], path
        assert set(doc["paths"][path]) >= methods, path
    assert httpx.get(f"{live_server.url}/api/docs").status_code == 200


def test_every_status_code_observed_is_declared(http, demo_live):
    """Drive each operation to each of its outcomes and check every answer against the doc.

    The ``http`` fixture already checks each response; this test also checks them here, on
    their own, and asserts that the outcomes it meant to produce were produced."""
    doc = OpenApiDoc(http.client.get("/api/openapi.json").json())
    bob, carol, agent = demo_live.bob, demo_live.carol, demo_live.agent
    ticket_body = {
        "product": "pressero",
        "kind": "question",
        "subject": "Shipping",
        "description": "Where?",
        "admin_password": "pw",
    }
    responses: list[httpx.Response] = [
        http.client.post("/api/v1/auth/token", json={"email": bob.email, "password": "x"}),
        http.client.post("/api/v1/auth/token", json={"email": bob.email}),
        http.client.get("/api/v1/me"),
        http.get("/api/v1/me", user=bob),
    ]
    created = http.post("/api/v1/tickets", ticket_body, user=bob)
    ticket = created.json()["id"]
    t = f"/api/v1/tickets/{ticket}"
    responses += [
        created,
        http.post("/api/v1/tickets", ticket_body, user=agent),
        http.post("/api/v1/tickets", {"kind": "question"}, user=bob),
        http.get("/api/v1/tickets", user=bob),
        http.get("/api/v1/tickets", user=bob, status="bogus"),
        http.get(t, user=bob),
        http.get(t, user=carol),
        http.get("/api/v1/tickets/not-a-number", user=bob),
        http.get(f"{t}/replies", user=bob),
        http.get(f"{t}/replies", user=carol),
        http.post(f"{t}/replies", {"body": "psst", "internal": True}, user=bob),
        http.post(f"{t}/replies", {"body": ""}, user=bob),
        http.post(f"{t}/replies", {"body": "hi"}, user=carol),
        http.post(f"{t}/status", {"status": "open"}, user=bob),
        http.post(f"{t}/status", {"status": "??"}, user=agent),
        http.post(f"{t}/status", {"status": "closed"}, user=carol),
        http.post(f"{t}/assign", {"assignee_id": agent.pk}, user=agent),
        http.post(f"{t}/assign", {"assignee_id": bob.pk}, user=agent),
        http.post(f"{t}/assign", {"assignee_id": None}, user=bob),
        http.post(f"{t}/assign", {"assignee_id": None}, user=carol),
        http.get(f"{t}/credentials", user=agent),
        http.get(f"{t}/credentials", user=bob),
        http.get(f"{t}/credentials", user=carol),
        http.post(f"{t}/status", {"status": "closed"}, user=agent),
        http.post(f"{t}/status", {"status": "open"}, user=agent),
        http.post(f"{t}/replies", {"body": "hello?"}, user=agent),
        http.post(f"{t}/replies", {"body": "Again"}, user=bob),
        http.get("/api/v1/queue", user=agent),
        http.get("/api/v1/queue", user=bob),
        http.get("/api/v1/queue", user=agent, limit=1000),
    ]
    observed: set[tuple[str, str, int]] = set()
    for response in responses:
        assert not doc.problems(response), doc.problems(response)
        found = doc.operation_for(response.request.method, response.request.url.path)
        assert found is not None
        observed.add((response.request.method, found[0], response.status_code))

    expected = {
        ("POST", "/api/v1/auth/token", 401),
        ("POST", "/api/v1/auth/token", 422),
        ("GET", "/api/v1/me", 401),
        ("GET", "/api/v1/me", 200),
        ("POST", "/api/v1/tickets", 201),
        ("POST", "/api/v1/tickets", 403),
        ("POST", "/api/v1/tickets", 422),
        ("GET", "/api/v1/tickets", 200),
        ("GET", "/api/v1/tickets", 422),
        ("GET", "/api/v1/tickets/{ticket_id}", 200),
        ("GET", "/api/v1/tickets/{ticket_id}", 404),
        ("GET", "/api/v1/tickets/{ticket_id}", 422),
        ("GET", "/api/v1/tickets/{ticket_id}/replies", 200),
        ("GET", "/api/v1/tickets/{ticket_id}/replies", 404),
        ("POST", "/api/v1/tickets/{ticket_id}/replies", 201),
        ("POST", "/api/v1/tickets/{ticket_id}/replies", 403),
        ("POST", "/api/v1/tickets/{ticket_id}/replies", 404),
        ("POST", "/api/v1/tickets/{ticket_id}/replies", 409),
        ("POST", "/api/v1/tickets/{ticket_id}/replies", 422),
        ("POST", "/api/v1/tickets/{ticket_id}/status", 200),
        ("POST", "/api/v1/tickets/{ticket_id}/status", 403),
        ("POST", "/api/v1/tickets/{ticket_id}/status", 404),
        ("POST", "/api/v1/tickets/{ticket_id}/status", 409),
        ("POST", "/api/v1/tickets/{ticket_id}/status", 422),
        ("POST", "/api/v1/tickets/{ticket_id}/assign", 200),
        ("POST", "/api/v1/tickets/{ticket_id}/assign", 403),
        ("POST", "/api/v1/tickets/{ticket_id}/assign", 404),
        ("POST", "/api/v1/tickets/{ticket_id}/assign", 422),
        ("GET", "/api/v1/tickets/{ticket_id}/credentials", 200),
        ("GET", "/api/v1/tickets/{ticket_id}/credentials", 403),
        ("GET", "/api/v1/tickets/{ticket_id}/credentials", 404),
        ("GET", "/api/v1/queue", 200),
        ("GET", "/api/v1/queue", 403),
        ("GET", "/api/v1/queue", 422),
    }
    assert expected <= observed, sorted(expected - observed)
    # The session-wide record kept by the ``http`` fixture saw them too.
    assert observed <= conftest.OBSERVED

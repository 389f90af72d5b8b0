"""API.md, Conventions: auth, 404 vs 403, 422 and 409 bodies, cursor pagination."""

from __future__ import annotations

import httpx
import pytest

from supportal.demo.loader import DEMO_PASSWORD
from supportal.tickets.models import AuditEvent, Reply, Ticket

TICKET = {
    "product": "pressero",
    "kind": "question",
    "subject": "Where is the shipping setup?",
    "description": "We want next-day delivery.",
}


def file(http, user, **fields) -> dict:
    response = http.post("/api/v1/tickets", {**TICKET, **fields}, user=user)
    assert response.status_code == 201, response.text
    return response.json()


def test_token_for_good_credentials(http, demo_live):
    response = http.client.post(
        "/api/v1/auth/token", json={"email": demo_live.bob.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    assert list(response.json()) == ["token"]
    me = http.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {response.json()['token']}"}
    )
    assert me.status_code == 200


def test_bad_credentials_are_401(http, demo_live):
    response = http.client.post(
        "/api/v1/auth/token", json={"email": demo_live.bob.email, "password": "nope"}
    )
    assert response.status_code == 401
    assert "token" not in response.json()


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic Ym9iOnB3"}],
    ids=["no-token", "bad-token", "not-bearer"],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/tickets"),
        ("POST", "/api/v1/tickets"),
        ("GET", "/api/v1/tickets/1"),
        ("GET", "/api/v1/tickets/1/replies"),
        ("POST", "/api/v1/tickets/1/replies"),
        ("POST", "/api/v1/tickets/1/status"),
        ("POST", "/api/v1/tickets/1/assign"),
        ("GET", "/api/v1/tickets/1/credentials"),
        ("GET", "/api/v1/queue"),
    ],
)
def test_every_call_without_a_valid_token_is_401(http, method, path, headers):
    body = {"body": "x"} if method == "POST" else None
    response = http.client.request(method, path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def _snapshot(ticket_id: int) -> tuple:
    ticket = Ticket.objects.get(pk=ticket_id)
    return (
        ticket.status,
        ticket.assignee_id,
        ticket.updated_at,
        Reply.objects.filter(ticket_id=ticket_id).count(),
        AuditEvent.objects.filter(ticket_id=ticket_id).count(),
        Ticket.objects.count(),
    )


def test_what_the_caller_may_not_see_is_404_and_nothing_changes(http, demo_live):
    acme = file(http, demo_live.bob, admin_password="s3cret-pw")["id"]
    before = _snapshot(acme)
    carol = demo_live.carol
    calls = [
        http.get(f"/api/v1/tickets/{acme}", user=carol),
        http.get(f"/api/v1/tickets/{acme}/replies", user=carol),
        http.post(f"/api/v1/tickets/{acme}/replies", {"body": "Hi"}, user=carol),
        http.post(f"/api/v1/tickets/{acme}/status", {"status": "closed"}, user=carol),
        http.post(f"/api/v1/tickets/{acme}/assign", {"assignee_id": None}, user=carol),
        http.get(f"/api/v1/tickets/{acme}/credentials", user=carol),
    ]
    missing = http.get("/api/v1/tickets/999999", user=carol)
    for response in calls:
        assert response.status_code == 404, (response.request.url, response.text)
        assert response.json() == missing.json()
        assert "s3cret-pw" not in response.text
    assert _snapshot(acme) == before


def test_a_role_refusal_on_a_visible_ticket_is_403(http, demo_live):
    ticket = file(http, demo_live.bob)["id"]
    bob = demo_live.bob
    assert (
        http.post(f"/api/v1/tickets/{ticket}/status", {"status": "open"}, user=bob).status_code
        == 403
    )
    assert http.get(f"/api/v1/tickets/{ticket}/credentials", user=bob).status_code == 403


def test_invalid_input_is_422_naming_each_field(http, demo_live):
    response = http.post(
        "/api/v1/tickets",
        {"product": "nope", "kind": "question", "subject": "", "description": "x", "urgent": True},
        user=demo_live.bob,
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {item["loc"][-1] for item in detail} == {"product", "subject", "urgent_reason"}
    assert all(set(item) == {"loc", "msg", "type"} for item in detail)

    response = http.post("/api/v1/tickets", {"kind": "question"}, user=demo_live.bob)
    assert response.status_code == 422
    assert {item["loc"][-1] for item in response.json()["detail"]} == {
        "product",
        "subject",
        "description",
    }


def test_unparseable_body_is_422(http, demo_live):
    response = http.client.post(
        "/api/v1/tickets",
        content=b"{oops",
        headers={**http.auth(demo_live.bob), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_business_rule_refusal_is_409_with_code(http, demo_live):
    ticket = file(http, demo_live.bob)["id"]
    agent = demo_live.agent
    closed = http.post(f"/api/v1/tickets/{ticket}/status", {"status": "closed"}, user=agent)
    assert closed.status_code == 200
    response = http.post(f"/api/v1/tickets/{ticket}/status", {"status": "open"}, user=agent)
    assert response.status_code == 409
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == "invalid_transition"
    assert isinstance(body["detail"], str) and body["detail"]


def test_cursor_pagination_walks_all_pages_without_duplicates(http, demo_live):
    filed = {file(http, demo_live.alice, subject=f"Question {n}")["id"] for n in range(7)}
    seen: list[int] = []
    params: dict[str, object] = {"limit": 2}
    while True:
        response = http.get("/api/v1/tickets", user=demo_live.alice, **params)
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"items", "next_cursor"}
        seen += [t["id"] for t in body["items"]]
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
    assert len(seen) == len(set(seen))
    assert set(seen) == filed


def test_openapi_document_is_served(http):
    response = httpx.get(f"{http.client.base_url}/api/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "/api/v1/tickets" in response.json()["paths"]
    docs = httpx.get(f"{http.client.base_url}/api/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()

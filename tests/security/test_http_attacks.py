"""Attacks over real HTTP on a live server: mass assignment, CORS, CSRF, parallel guessing."""

from __future__ import annotations

import re

import httpx
import pytest
from axes.models import AccessAttempt
from django.db.models import Sum

from supportal.accounts.models import User
from supportal.demo.loader import DEMO_PASSWORD
from supportal.tickets.models import Ticket

from .conftest import in_threads

EVIL = "https://evil.example"


@pytest.fixture
def web(committed_demo, live_server):
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        yield client


def _token(web, user, **extra) -> str:
    response = web.post(
        "/api/v1/auth/token", json={"email": user.email, "password": DEMO_PASSWORD, **extra}
    )
    assert response.status_code == 200, response.text
    return response.json()["token"]


def _log_in(web, user) -> None:
    page = web.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = web.post(
        "/accounts/login/",
        data={"username": user.email, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.text


def test_ticket_fields_the_server_owns_cannot_be_assigned(web, committed_demo):
    demo = committed_demo
    token = _token(web, demo.bob)
    response = web.post(
        "/api/v1/tickets",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "product": "pressero",
            "kind": "question",
            "subject": "Mass assignment",
            "description": "Trying to set fields the server owns",
            "organization_id": demo.bright.pk,
            "requester_id": demo.alice.pk,
            "assignee_id": demo.agent.pk,
            "status": "closed",
            "channel": "email",
            "role": "manager",
            "number": "SUP-1",
            "sla_breached": True,
            "has_credentials": True,
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["organization_id"] == demo.acme.pk
    assert body["requester_id"] == demo.bob.pk
    assert body["assignee_id"] is None
    assert (body["status"], body["channel"]) == ("new", "api")
    assert body["number"] != "SUP-1" and not body["has_credentials"]
    assert User.objects.get(pk=demo.bob.pk).role == User.Role.CUSTOMER


def test_the_api_sends_no_cors_permission_to_other_origins(web, committed_demo):
    token = _token(web, committed_demo.bob)
    preflight = web.options(
        "/api/v1/tickets",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    read = web.get("/api/v1/me", headers={"Origin": EVIL, "Authorization": f"Bearer {token}"})
    refused = web.post("/api/v1/auth/token", json={"email": "x", "password": "y"},
                       headers={"Origin": EVIL})  # fmt: skip
    for response in (preflight, read, refused):
        assert "access-control-allow-origin" not in response.headers
        assert "access-control-allow-credentials" not in response.headers


def test_cookie_authenticated_writes_need_the_csrf_token(web, committed_demo):
    _log_in(web, committed_demo.bob)
    filed = web.post(
        "/tickets/new/",
        data={"product": "pressero", "kind": "question", "subject": "CSRF", "description": "x"},
        headers={"Origin": EVIL, "Referer": EVIL + "/"},
    )
    assert filed.status_code == 403
    assert not Ticket.objects.exists()
    assert web.post("/accounts/logout/").status_code == 403
    assert web.get("/tickets/").status_code == 200  # still logged in


def test_the_api_does_not_take_the_session_cookie(web, committed_demo):
    _log_in(web, committed_demo.bob)
    response = web.post(
        "/api/v1/tickets",
        json={"product": "pressero", "kind": "question", "subject": "x", "description": "y"},
    )
    assert response.status_code == 401
    assert not Ticket.objects.exists()


def test_stale_assignment_over_the_api_is_409(web, committed_demo):
    demo = committed_demo
    ticket = web.post(
        "/api/v1/tickets",
        headers={"Authorization": f"Bearer {_token(web, demo.bob)}"},
        json={"product": "pressero", "kind": "question", "subject": "x", "description": "y"},
    ).json()
    staff = {"Authorization": f"Bearer {_token(web, demo.agent)}"}
    path = f"/api/v1/tickets/{ticket['id']}/assign"
    first = web.post(path, headers=staff, json={"assignee_id": demo.agent.pk,
                                                "expected_assignee_id": None})  # fmt: skip
    second = web.post(path, headers=staff, json={"assignee_id": demo.agent_es.pk,
                                                 "expected_assignee_id": None})  # fmt: skip
    assert first.status_code == 200
    assert second.status_code == 409 and second.json()["code"] == "stale"
    assert web.post(path, headers=staff, json={"assignee_id": None}).status_code == 200


@pytest.mark.parametrize("attempts", [12])
def test_parallel_wrong_logins_cannot_pass_the_limit(
    committed_demo, live_server, postgres_only, settings, attempts
):
    """Each thread is its own browser: its own cookies and CSRF token, all released at once."""
    settings.SUPPORTAL_LOGIN_FAILURE_LIMIT = 4
    email = committed_demo.bob.email

    def guess(i: int) -> int:
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            page = client.get("/accounts/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            return client.post(
                "/accounts/login/",
                data={
                    "username": email,
                    "password": f"guess-{i}",
                    "csrfmiddlewaretoken": token.group(1),
                },
            ).status_code

    statuses = in_threads(guess, attempts)
    assert sorted(statuses) == [200] * 3 + [429] * (attempts - 3), statuses
    checked = AccessAttempt.objects.filter(username=email).aggregate(n=Sum("failures_since_start"))
    assert checked["n"] == 4  # passwords actually tried: exactly the limit


def test_parallel_wrong_token_requests_cannot_pass_the_limit(
    committed_demo, live_server, postgres_only, settings
):
    settings.SUPPORTAL_LOGIN_FAILURE_LIMIT = 4
    email = committed_demo.alice.email

    def guess(i: int) -> int:
        return httpx.post(
            live_server.url + "/api/v1/auth/token",
            json={"email": email, "password": f"guess-{i}"},
            timeout=60,
        ).status_code

    statuses = in_threads(guess, 12)
    assert sorted(statuses) == [401] * 3 + [429] * 9, statuses
    checked = AccessAttempt.objects.filter(username=email).aggregate(n=Sum("failures_since_start"))
    assert checked["n"] == 4

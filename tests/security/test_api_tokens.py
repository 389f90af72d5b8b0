"""API tokens: hashed, revocable (DELETE /api/v1/auth/token, the security page, the admin),
scoped (read tokens cannot write) and guarded by the second factor."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django_otp.oath import totp

from supportal.accounts import two_factor
from supportal.accounts.models import ApiToken, hash_token
from supportal.api.urls import api
from supportal.demo.loader import DEMO_PASSWORD
from supportal.tickets.models import Ticket

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
TICKET = {"product": "pressero", "kind": "question", "subject": "Hi", "description": "Help"}


def _post(client, path, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def _token(client, user, **extra):
    response = _post(client, TOKEN, {"email": user.email, "password": DEMO_PASSWORD, **extra})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_a_read_token_reads_but_cannot_write(client, demo):
    token = _token(client, demo.bob, scope="read")
    assert ApiToken.objects.get(key_hash=hash_token(token)).scope == "read"
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/tickets", headers=auth).status_code == 200
    refused = _post(client, "/api/v1/tickets", TICKET, token)
    assert refused.status_code == 403
    assert "read-only" in refused.json()["detail"]
    assert not Ticket.objects.filter(requester=demo.bob).exists()


def test_tokens_write_by_default_and_the_scope_is_checked(client, demo):
    token = _token(client, demo.bob)
    assert _post(client, "/api/v1/tickets", TICKET, token).status_code == 201
    bad = _post(
        client, TOKEN, {"email": demo.bob.email, "password": DEMO_PASSWORD, "scope": "root"}
    )
    assert bad.status_code == 422


def test_every_authenticated_write_operation_declares_the_403(client):
    schema = json.loads(json.dumps(api.get_openapi_schema()))
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in ("get", "head", "options") or path == TOKEN and method == "post":
                continue
            assert "403" in operation["responses"], (method, path)


def test_delete_revokes_the_calling_token_only(client, demo):
    first, second = _token(client, demo.bob), _token(client, demo.bob, scope="read")
    response = client.delete(TOKEN, headers={"Authorization": f"Bearer {second}"})
    assert response.status_code == 204
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"}).status_code == 401
    )
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"}).status_code == 200
    assert ApiToken.objects.get(key_hash=hash_token(second)).revoked_at is not None


def test_the_security_page_lists_and_revokes_ones_own_tokens(client, demo):
    mine = _token(client, demo.bob)
    theirs = _token(client, demo.alice)
    client.force_login(demo.bob)
    page = client.get(reverse("accounts:security"))
    listed = list(page.context["tokens"])
    assert [t.key_hash for t in listed] == [hash_token(mine)]
    other = ApiToken.objects.get(key_hash=hash_token(theirs))
    assert client.post(reverse("accounts:revoke_token", args=[other.pk])).status_code == 404
    client.post(reverse("accounts:revoke_token", args=[listed[0].pk]))
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {mine}"}).status_code == 401
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {theirs}"}).status_code == 200
    )


def test_managers_revoke_any_token_in_the_admin(client, demo):
    token = _token(client, demo.bob)
    row = ApiToken.objects.get(key_hash=hash_token(token))
    client.force_login(demo.manager)
    listing = client.get("/admin/accounts/apitoken/")
    assert str(demo.bob) in listing.content.decode()
    client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert row.revoked_at is not None


@pytest.fixture
def agent_with_app(demo, settings):
    settings.SUPPORTAL_STAFF_2FA_REQUIRED = True
    demo.agent.otp_exempt = False
    demo.agent.save()
    device = two_factor.enrolment_device(demo.agent)
    device.confirmed = True
    device.save()
    return demo.agent, device


def test_a_second_factor_user_must_send_otp(client, agent_with_app):
    agent, device = agent_with_app
    body = {"email": agent.email, "password": DEMO_PASSWORD}
    missing = _post(client, TOKEN, body)
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "payload", "otp"]
    good = _post(client, TOKEN, {**body, "otp": f"{totp(device.bin_key):06d}"})
    assert good.status_code == 200 and set(good.json()) == {"token"}
    assert _post(client, TOKEN, {**body, "otp": "123456"}).status_code == 401


def test_the_otp_question_only_comes_after_the_right_password(client, agent_with_app):
    agent, _ = agent_with_app
    response = _post(client, TOKEN, {"email": agent.email, "password": "wrong"})
    assert response.status_code == 401


def test_demo_staff_are_exempt_and_get_tokens_without_otp(client, demo, settings):
    settings.SUPPORTAL_STAFF_2FA_REQUIRED = True
    assert (
        _post(client, TOKEN, {"email": demo.agent.email, "password": DEMO_PASSWORD}).status_code
        == 200
    )


def test_wrong_passwords_on_the_api_lock_it_with_429(client, demo, settings):
    settings.SUPPORTAL_LOGIN_FAILURE_LIMIT = 3
    body = {"email": demo.bob.email, "password": "nope"}
    statuses = [_post(client, TOKEN, body).status_code for _ in range(4)]
    assert statuses == [401, 401, 429, 429]
    locked = _post(client, TOKEN, {"email": demo.bob.email, "password": DEMO_PASSWORD})
    assert locked.status_code == 429
    assert set(locked.json()) == {"detail"}
    assert "Access-Control-Allow-Origin" not in locked

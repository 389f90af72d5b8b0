"""POST /api/v1/auth/token and the bearer token every other call sends."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from supportal.accounts.models import ApiToken
from supportal.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_valid_credentials_return_a_token_that_authenticates(api, demo):
    response = api.post("/auth/token", {"email": demo.bob.email, "password": DEMO_PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert set(response.json()) == {"token"}
    me = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["email"] == demo.bob.email


def test_token_is_stored_only_as_a_hash(api, demo):
    token = api.post("/auth/token", {"email": demo.bob.email, "password": DEMO_PASSWORD}).json()[
        "token"
    ]
    stored = ApiToken.objects.get(user=demo.bob)
    assert token not in stored.key_hash


def test_email_is_case_insensitive(api, demo):
    response = api.post("/auth/token", {"email": "BOB@AcmePrint.test", "password": DEMO_PASSWORD})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "bob@acmeprint.test", "password": "wrong"},
        {"email": "nobody@acmeprint.test", "password": DEMO_PASSWORD},
        {"email": "bob@acmeprint.test", "password": ""},
    ],
)
def test_bad_credentials_answer_401_and_issue_nothing(api, credentials):
    response = api.post("/auth/token", credentials)
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong email or password."}
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token(api, demo):
    demo.bob.is_active = False
    demo.bob.save()
    response = api.post("/auth/token", {"email": demo.bob.email, "password": DEMO_PASSWORD})
    assert response.status_code == 401


def test_missing_credentials_fields_are_named_in_422(api):
    response = api.post("/auth/token", {"email": "bob@acmeprint.test"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "password"]


def test_no_token_answers_401_with_challenge(api):
    response = api.get("/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-token", "Bearer ", "Token abc", "Basic Ym9iOnB3", "bearer"],
)
def test_bad_authorization_header_answers_401(api, header):
    response = api.client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401


def test_expired_token_answers_401(api, demo):
    token = api.token(demo.bob)
    ApiToken.objects.filter(user=demo.bob).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_token_of_deactivated_user_answers_401(api, demo):
    token = api.token(demo.bob)
    demo.bob.is_active = False
    demo.bob.save()
    response = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_session_login_does_not_authenticate_the_api(api, client, demo):
    """The API is bearer-only: a browser session cookie is not a credential for it."""
    client.force_login(demo.bob)
    assert client.get("/api/v1/me").status_code == 401


def test_bearer_calls_need_no_csrf_token(demo, api):
    strict = Client(enforce_csrf_checks=True)
    token_response = strict.post(
        "/api/v1/auth/token",
        {"email": demo.bob.email, "password": DEMO_PASSWORD},
        content_type="application/json",
    )
    assert token_response.status_code == 200
    token = token_response.json()["token"]
    response = strict.post(
        "/api/v1/tickets",
        {"product": "pressero", "kind": "question", "subject": "Hi", "description": "Help"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201

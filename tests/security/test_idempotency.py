"""Idempotency-Key on API creates: a retried request is answered again, never done twice."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from supportal.accounts.services import issue_api_token
from supportal.core.models import IdempotencyKey
from supportal.core.services import purge_expired_idempotency_keys
from supportal.demo.loader import DEMO_PASSWORD
from supportal.tickets.models import Reply, Ticket

from .conftest import in_threads

TICKET = {"product": "pressero", "kind": "question", "subject": "Hi", "description": "Help"}


def _token(user) -> str:
    token = issue_api_token(email=user.email, password=DEMO_PASSWORD)
    assert token
    return token


def _post(client, path, body, token, key=None):
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_the_same_key_and_body_replays_the_first_answer(client, demo):
    token = _token(demo.bob)
    first = _post(client, "/api/v1/tickets", TICKET, token, key="k-1")
    again = _post(client, "/api/v1/tickets", TICKET, token, key="k-1")
    assert first.status_code == again.status_code == 201
    assert first.content == again.content
    assert again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_422(client, demo):
    token = _token(demo.bob)
    _post(client, "/api/v1/tickets", TICKET, token, key="k-1")
    other = _post(client, "/api/v1/tickets", {**TICKET, "subject": "Other"}, token, key="k-1")
    assert other.status_code == 422
    assert other.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert other.json()["detail"][0]["type"] == "idempotency_key_reused"
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_replies_are_idempotent_too(client, demo):
    token = _token(demo.bob)
    ticket_id = _post(client, "/api/v1/tickets", TICKET, token).json()["id"]
    path = f"/api/v1/tickets/{ticket_id}/replies"
    answers = [_post(client, path, {"body": "Any news?"}, token, key="r-1") for _ in range(3)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    assert Reply.objects.filter(ticket_id=ticket_id).count() == 1


@pytest.mark.django_db
def test_keys_belong_to_one_user(client, demo):
    _post(client, "/api/v1/tickets", TICKET, _token(demo.bob), key="shared")
    alice = _post(client, "/api/v1/tickets", TICKET, _token(demo.alice), key="shared")
    assert alice.status_code == 201 and "Idempotent-Replayed" not in alice
    assert Ticket.objects.count() == 2


@pytest.mark.django_db
def test_without_a_key_each_request_creates(client, demo):
    token = _token(demo.bob)
    _post(client, "/api/v1/tickets", TICKET, token)
    _post(client, "/api/v1/tickets", TICKET, token)
    assert Ticket.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_a_refused_request_keeps_no_key_so_the_fixed_retry_goes_through(client, demo):
    token = _token(demo.bob)
    bad = _post(client, "/api/v1/tickets", {**TICKET, "subject": " "}, token, key="k-2")
    assert bad.status_code == 422
    assert not IdempotencyKey.objects.exists()
    fixed = _post(client, "/api/v1/tickets", TICKET, token, key="k-2")
    assert fixed.status_code == 201


@pytest.mark.django_db
def test_a_key_is_kept_for_24_hours(client, demo, settings):
    assert settings.SUPPORTAL_IDEMPOTENCY_KEY_HOURS == 24
    token = _token(demo.bob)
    _post(client, "/api/v1/tickets", TICKET, token, key="k-3")
    with time_machine.travel(timezone.now() + timedelta(hours=23)):
        assert "Idempotent-Replayed" in _post(client, "/api/v1/tickets", TICKET, token, key="k-3")
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert purge_expired_idempotency_keys() == 1
        fresh = _post(client, "/api/v1/tickets", TICKET, _token(demo.bob), key="k-3")
    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh
    assert Ticket.objects.count() == 2


@pytest.mark.django_db
def test_an_unusable_key_is_422_and_nothing_is_created(client, demo):
    response = _post(client, "/api/v1/tickets", TICKET, _token(demo.bob), key="x" * 300)
    assert response.status_code == 422
    assert not Ticket.objects.exists()


def test_parallel_duplicates_create_exactly_one_ticket(committed_demo, postgres_only):
    token = _token(committed_demo.bob)
    answers = in_threads(
        lambda i: _post(Client(), "/api/v1/tickets", TICKET, token, key="burst"), 8
    )
    assert {a.status_code for a in answers} == {201}, answers
    assert len({a.content for a in answers}) == 1
    assert Ticket.objects.count() == 1
    assert sum("Idempotent-Replayed" in a for a in answers) == 7

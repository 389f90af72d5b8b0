"""Login throttling on the login page (django-axes): per email and per address, alike for
known and unknown emails."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from supportal.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("accounts:login")


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.SUPPORTAL_LOGIN_FAILURE_LIMIT = 3
    settings.SUPPORTAL_LOGIN_COOLOFF_MINUTES = 15


def _try(client, email, password="wrong-password", ip="203.0.113.7"):
    return client.post(URL, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_the_limit_locks_the_account_even_for_the_right_password(client, demo):
    statuses = [_try(client, demo.bob.email).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    locked = _try(client, demo.bob.email, DEMO_PASSWORD, ip="198.51.100.9")
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert locked["Retry-After"] == str(15 * 60)
    assert "_auth_user_id" not in client.session


def test_unknown_email_gets_the_same_answers_as_a_known_one(client, demo):
    known = [_try(client, demo.bob.email, ip="203.0.113.1") for _ in range(4)]
    unknown = [_try(client, "nobody@acmeprint.test", ip="203.0.113.2") for _ in range(4)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert "Please enter a correct email and password" in known[0].content.decode()
    assert "Please enter a correct email and password" in unknown[0].content.decode()
    assert known[-1].status_code == unknown[-1].status_code == 429


def test_failures_count_whatever_the_case_of_the_email(client, demo):
    for email in ("BOB@acmeprint.test", "bob@ACMEPRINT.test", " bob@acmeprint.test "):
        _try(client, email)
    assert _try(client, demo.bob.email, DEMO_PASSWORD).status_code == 429


def test_one_address_is_locked_after_the_limit_across_emails(client, demo):
    for email in ("a@x.test", "b@x.test", "c@x.test"):
        _try(client, email, ip="203.0.113.50")
    assert _try(client, demo.bob.email, DEMO_PASSWORD, ip="203.0.113.50").status_code == 429
    assert _try(client, demo.bob.email, DEMO_PASSWORD, ip="203.0.113.51").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, demo):
    for _ in range(3):
        _try(client, demo.bob.email)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = _try(client, demo.bob.email, DEMO_PASSWORD)
    assert response.status_code == 302


def test_a_successful_login_forgets_earlier_failures(client, demo):
    _try(client, demo.bob.email)
    _try(client, demo.bob.email)
    assert _try(client, demo.bob.email, DEMO_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=demo.bob.email).exists()

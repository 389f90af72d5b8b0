"""Sessions: a new key at login, and idle and absolute timeouts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from supportal.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _timeouts(settings):
    settings.SUPPORTAL_SESSION_IDLE_MINUTES = 30
    settings.SUPPORTAL_SESSION_ABSOLUTE_HOURS = 8


def _log_in(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    return response


def test_logging_in_gives_the_session_a_new_key(client, demo):
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    client.cookies["sessionid"] = before
    _log_in(client, demo.bob)
    after = client.cookies["sessionid"].value
    assert after and after != before
    assert client.get(reverse("tickets:list")).status_code == 200


def test_a_session_idle_longer_than_the_limit_is_logged_out(client, demo):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _log_in(client, demo.bob)
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        assert client.get(reverse("tickets:list")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get(reverse("tickets:list")).status_code == 200  # 25 idle minutes
    with time_machine.travel(start + timedelta(minutes=81), tick=False):
        response = client.get(reverse("tickets:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_active_session_ends_at_the_absolute_limit(client, demo):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _log_in(client, demo.bob)
    for minutes in range(20, 8 * 60, 20):  # never idle for long
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("tickets:list")).status_code == 200
    with time_machine.travel(start + timedelta(hours=8, minutes=1), tick=False):
        response = client.get(reverse("tickets:list"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session

"""The password-reset pages: one answer for every address, mail only for accounts,
throttled per email and per client address, and the new password must be strong."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from supportal.accounts.models import PasswordResetRequest

pytestmark = pytest.mark.django_db

URL = reverse("accounts:password_reset")


def _ask(client, email, ip="203.0.113.7", capture=None):
    return client.post(URL, {"email": email}, REMOTE_ADDR=ip)


def test_known_and_unknown_addresses_get_the_same_page(
    client, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _ask(client, demo.bob.email)
        unknown = _ask(client, "nobody@acmeprint.test")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
    assert [m.to for m in mail.outbox] == [[demo.bob.email]]
    assert "nobody" not in str(PasswordResetRequest.objects.values_list("email_hash", flat=True))


def test_mails_per_address_are_throttled_silently(
    client, demo, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORTAL_PASSWORD_RESET_PER_EMAIL_PER_HOUR = 2
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_ask(client, demo.bob.email).status_code for _ in range(4)]
    assert answers == [302, 302, 302, 302]
    assert len(mail.outbox) == 2


def test_requests_per_client_address_are_throttled(
    client, demo, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORTAL_PASSWORD_RESET_PER_IP_PER_HOUR = 3
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            _ask(client, f"someone{n}@x.test", ip="203.0.113.9")
        _ask(client, demo.bob.email, ip="203.0.113.9")
        _ask(client, demo.alice.email, ip="203.0.113.10")
    assert [m.to for m in mail.outbox] == [[demo.alice.email]]


def test_the_link_sets_a_new_password_only_if_it_is_strong(
    client, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, demo.bob.email)
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django moves the token into the session
    weak = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    assert "too short" in weak.content.decode()
    strong = "violet tractor sings at dawn"
    done = client.post(form_url, {"new_password1": strong, "new_password2": strong})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    demo.bob.refresh_from_db()
    assert demo.bob.check_password(strong)
    assert client.get(link).context["validlink"] is False  # used once

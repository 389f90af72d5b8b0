"""An API token an attacker holds dies with the credentials it came from: a password reset,
a manager setting a new password, deactivating the user or their organization, whichever
way that is done, and for good (making the account active again does not bring it back).

The attacker's side is plain HTTP with the bearer token; the victim's side goes through the
pages a person uses (the mailed reset link, the admin's password form)."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from supportal.accounts import services
from supportal.accounts.models import ApiToken, User
from supportal.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
NEW_PASSWORD = "violet tractor sings at dawn"


def _token(client, email: str, password: str = DEMO_PASSWORD, **extra) -> str:
    body = {"email": email, "password": password, **extra}
    response = client.post(TOKEN, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _me(client, token: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def _reset_password_by_mail(client, email: str, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": email})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(link).url
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password_reset_complete")


def test_a_password_reset_ends_every_api_token_of_the_user(
    client, demo, django_capture_on_commit_callbacks
):
    stolen_write = _token(client, demo.bob.email)
    stolen_read = _token(client, demo.bob.email, scope="read")
    colleague = _token(client, demo.alice.email)
    assert _me(client, stolen_write) == _me(client, stolen_read) == 200

    _reset_password_by_mail(client, demo.bob.email, django_capture_on_commit_callbacks)

    assert _me(client, stolen_write) == _me(client, stolen_read) == 401
    assert _me(client, colleague) == 200  # only bob's credentials changed
    assert _me(client, _token(client, demo.bob.email, NEW_PASSWORD)) == 200
    # The security page lists only the new token, and says what a reset ends.
    client.force_login(User.objects.get(pk=demo.bob.pk))
    page = client.get(reverse("accounts:security"))
    assert len(page.context["tokens"]) == 1
    assert "Resetting or changing your password ends every API token" in page.content.decode()


def test_a_manager_setting_a_password_in_the_admin_ends_the_tokens(
    client, demo, django_capture_on_commit_callbacks
):
    stolen = _token(client, demo.bob.email)
    manager = client.__class__()
    manager.force_login(demo.manager)
    url = reverse("admin:auth_user_password_change", args=[demo.bob.pk])
    with django_capture_on_commit_callbacks(execute=True):
        answer = manager.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    demo.bob.refresh_from_db()
    assert demo.bob.check_password(NEW_PASSWORD)
    assert _me(client, stolen) == 401
    assert ApiToken.objects.get(user=demo.bob).revoked_at is not None


@pytest.mark.parametrize("how", ["plain save", "service"])
def test_deactivating_a_user_ends_the_tokens_for_good(client, demo, how):
    stolen = _token(client, demo.bob.email)
    bob = User.objects.get(pk=demo.bob.pk)  # as the admin or a script would load it
    if how == "plain save":
        bob.is_active = False
        bob.save()
    else:
        services.deactivate_user(actor=demo.manager, user=bob)
    assert _me(client, stolen) == 401
    assert (
        client.post(
            TOKEN,
            json.dumps({"email": bob.email, "password": DEMO_PASSWORD}),
            content_type="application/json",
        ).status_code
        == 401
    )

    bob = User.objects.get(pk=bob.pk)
    bob.is_active = True
    bob.save()
    assert _me(client, stolen) == 401  # back in, but the old token stays dead
    assert _me(client, _token(client, bob.email)) == 200


@pytest.mark.parametrize("how", ["plain save", "service"])
def test_deactivating_an_organization_ends_its_peoples_tokens_and_logins(client, demo, how):
    stolen = {user.email: _token(client, user.email) for user in (demo.alice, demo.bob)}
    elsewhere = _token(client, demo.carol.email)
    bob_browser = client.__class__()
    bob_browser.force_login(demo.bob)
    assert bob_browser.get(reverse("tickets:list")).status_code == 200

    acme = demo.bob.organization.__class__.objects.get(pk=demo.bob.organization_id)
    if how == "plain save":
        acme.is_active = False
        acme.save()
    else:
        services.deactivate_organization(organization=acme)

    assert [_me(client, token) for token in stolen.values()] == [401, 401]
    assert _me(client, elsewhere) == 200
    assert (
        client.post(
            TOKEN,
            json.dumps({"email": demo.bob.email, "password": DEMO_PASSWORD}),
            content_type="application/json",
        ).status_code
        == 401
    )
    # The session of a person of the organization ends too: the next page asks for a login.
    assert bob_browser.get(reverse("tickets:list"))["Location"].startswith(
        reverse("accounts:login")
    )

    acme.is_active = True
    acme.save()
    assert [_me(client, token) for token in stolen.values()] == [401, 401]
    assert _me(client, _token(client, demo.bob.email)) == 200


def _admin_form_unticking_active(manager, url: str) -> dict:
    """What the admin's change form posts back unchanged, with "active" unticked."""
    form = manager.get(url).context["adminform"].form
    data: dict = {"_save": "Save"}
    for name, field in form.fields.items():
        if field.disabled or name == "is_active":
            continue
        value = form.initial.get(name, field.initial)
        if hasattr(field.widget, "widgets"):  # a date and a time
            for n, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{n}"] = str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    return data


@pytest.mark.parametrize("what", ["user", "organization"])
def test_unticking_active_in_the_admin_ends_the_tokens(
    client, demo, what, django_capture_on_commit_callbacks
):
    stolen = _token(client, demo.bob.email)
    manager = client.__class__()
    manager.force_login(demo.manager)
    target = demo.bob if what == "user" else demo.acme
    url = reverse(f"admin:accounts_{what}_change", args=[target.pk])
    with django_capture_on_commit_callbacks(execute=True):
        answer = manager.post(url, _admin_form_unticking_active(manager, url))
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.is_active is False
    assert _me(client, stolen) == 401
    assert ApiToken.objects.get(user=demo.bob).revoked_at is not None


def test_a_password_change_made_by_code_is_enough(client, demo):
    """No service needed: ``set_password`` and ``save`` (the changepassword command, a
    script) end the tokens just the same."""
    stolen = _token(client, demo.bob.email)
    bob = User.objects.get(pk=demo.bob.pk)
    bob.set_password(NEW_PASSWORD)
    bob.save()
    assert _me(client, stolen) == 401

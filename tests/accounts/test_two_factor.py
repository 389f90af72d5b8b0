"""Two-factor authentication (TOTP) for support staff on the login page."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from supportal.accounts import two_factor
from supportal.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:two_factor")


@pytest.fixture
def agent(demo, settings):
    """A support agent who is not exempt, with 2FA required (the production default)."""
    settings.SUPPORTAL_STAFF_2FA_REQUIRED = True
    demo.agent.otp_exempt = False
    demo.agent.save()
    return demo.agent


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, drift=offset):06d}"


def _password(client, user):
    return client.post(LOGIN, {"username": user.email, "password": DEMO_PASSWORD})


def test_required_by_default_unless_debug(settings):
    from supportal import settings as project_settings

    assert project_settings.SUPPORTAL_STAFF_2FA_REQUIRED is (not project_settings.DEBUG)


def test_the_password_alone_does_not_log_staff_in(client, agent):
    response = _password(client, agent)
    assert response["Location"] == CODE
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("tickets:queue")).status_code == 302


def test_first_login_enrols_an_app_with_a_server_rendered_qr_code(client, agent):
    _password(client, agent)
    page = client.get(CODE)
    html = page.content.decode()
    assert "Set up two-factor authentication" in html
    qr = page.context["qr_code"]
    assert qr.startswith("data:image/svg+xml;base64,")
    assert b"<svg" in base64.b64decode(qr.split(",", 1)[1])
    device = TOTPDevice.objects.get(user=agent)
    assert not device.confirmed
    response = client.post(CODE, {"code": code_for(device)})
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(agent.pk)
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_is_refused_and_counted_as_a_failed_login(client, agent, settings):
    settings.SUPPORTAL_LOGIN_FAILURE_LIMIT = 3
    device = two_factor.enrolment_device(agent)
    device.confirmed = True
    device.save()
    _password(client, agent)
    first = client.post(CODE, {"code": "000000"})
    assert "That code is not right" in first.content.decode()
    assert "_auth_user_id" not in client.session
    client.post(CODE, {"code": "000001"})
    locked = client.post(CODE, {"code": "000002"})
    assert locked.status_code == 429
    assert _password(client, agent).status_code == 429  # the password page is locked too


def test_a_code_is_accepted_once(client, agent):
    device = two_factor.enrolment_device(agent)
    device.confirmed = True
    device.save()
    code = code_for(device)
    _password(client, agent)
    assert client.post(CODE, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    _password(client, agent)
    replay = client.post(CODE, {"code": code})
    assert replay.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_code_step_needs_a_recent_password(client, agent, settings):
    assert client.get(CODE)["Location"] == LOGIN
    settings.SUPPORTAL_2FA_PENDING_MINUTES = 0
    _password(client, agent)
    assert client.get(CODE)["Location"] == LOGIN


def test_exempt_demo_staff_and_customers_log_in_with_a_password(client, demo, settings):
    settings.SUPPORTAL_STAFF_2FA_REQUIRED = True
    assert demo.agent.otp_exempt  # set by the demo loader
    assert _password(client, demo.agent)["Location"] == reverse("home")
    client.post(reverse("accounts:logout"))
    assert _password(client, demo.bob)["Location"] == reverse("home")


def test_with_the_setting_off_staff_need_no_code(client, agent, settings):
    settings.SUPPORTAL_STAFF_2FA_REQUIRED = False
    assert _password(client, agent)["Location"] == reverse("home")


def test_anyone_may_turn_it_on_from_the_security_page(client, demo):
    client.force_login(demo.bob)
    page = client.get(reverse("accounts:security"))
    assert page.context["qr_code"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user=demo.bob)
    client.post(reverse("accounts:security"), {"code": code_for(device)})
    assert two_factor.second_factor_enabled(demo.bob)
    client.post(reverse("accounts:logout"))
    assert _password(client, demo.bob)["Location"] == CODE


def test_the_admin_login_form_sends_second_factor_users_to_the_portal(client, demo, settings):
    settings.SUPPORTAL_STAFF_2FA_REQUIRED = True
    demo.manager.otp_exempt = False
    demo.manager.save()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": demo.manager.email, "password": DEMO_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 200
    assert "two-factor authentication" in response.content.decode()
    assert "_auth_user_id" not in client.session

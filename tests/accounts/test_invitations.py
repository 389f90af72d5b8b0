"""Invitations: a customer admin (or support staff) invites a colleague by email; the link
works once, expires, and only its hash is stored; the invitee sets a password that meets
the policy and is logged in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from supportal.accounts import services
from supportal.accounts.models import AccountEvent, Invitation, User, hash_token
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.demo.loader import load_demo
from supportal.intake.models import OutboundEmail
from tests.security.conftest import SQLITE_SKIP, in_threads

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "plum-harbour-lantern-42"
LINK = re.compile(r"http://\S+/accounts/invitation/(?P<token>[\w-]+)/")


def _invite(demo, capture, *, email="dora@acmeprint.test", actor=None, role="customer"):
    with capture(execute=True):
        invitation = services.invite_user(
            actor=actor or demo.alice,
            organization=demo.acme,
            email=email,
            name="Dora Diaz",
            role=role,
        )
    return invitation


def _token_from_mail(email: str) -> str:
    sent = [m for m in mail.outbox if m.to == [email]]
    assert sent, f"no mail to {email}"
    return LINK.search(sent[-1].body)["token"]


def test_invitation_mail_goes_through_the_outbox_with_a_single_use_link(
    demo, django_capture_on_commit_callbacks
):
    invitation = _invite(demo, django_capture_on_commit_callbacks)
    token = _token_from_mail("dora@acmeprint.test")
    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.values_list(flat=True))
    outbound = OutboundEmail.objects.get(to_address="dora@acmeprint.test")
    assert outbound.status == OutboundEmail.Status.SENT
    # Sent: the outbox keeps no working link for whoever reads the table later.
    assert token not in outbound.body_text + outbound.body_html
    assert "single-use link" in outbound.body_text
    assert "Acme Print" in mail.outbox[-1].subject
    assert AccountEvent.objects.filter(
        action=AccountEvent.Action.INVITED, actor=demo.alice, organization=demo.acme
    ).exists()


def test_accepting_creates_the_account_in_the_organization_with_the_invited_role(
    demo, django_capture_on_commit_callbacks
):
    _invite(demo, django_capture_on_commit_callbacks, role="customer_admin")
    token = _token_from_mail("dora@acmeprint.test")
    user = services.accept_invitation(raw_token=token, name="Dora D.", password=GOOD_PASSWORD)
    assert (user.organization, user.role, user.name) == (demo.acme, "customer_admin", "Dora D.")
    assert user.check_password(GOOD_PASSWORD)


def test_the_link_works_only_once(demo, django_capture_on_commit_callbacks):
    _invite(demo, django_capture_on_commit_callbacks)
    token = _token_from_mail("dora@acmeprint.test")
    services.accept_invitation(raw_token=token, name="Dora", password=GOOD_PASSWORD)
    with pytest.raises(RuleViolation):
        services.accept_invitation(raw_token=token, name="Mallory", password=GOOD_PASSWORD + "x")
    assert User.objects.filter(email="dora@acmeprint.test").count() == 1


def test_the_link_expires_after_the_configured_days(
    demo, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORTAL_INVITATION_DAYS = 3
    _invite(demo, django_capture_on_commit_callbacks)
    token = _token_from_mail("dora@acmeprint.test")
    later = timezone.now() + timedelta(days=3, minutes=1)
    with time_machine.travel(later), pytest.raises(RuleViolation):
        services.accept_invitation(raw_token=token, name="Dora", password=GOOD_PASSWORD)
    assert not User.objects.filter(email="dora@acmeprint.test").exists()


def test_a_weak_password_is_refused_and_the_invitation_stays_usable(
    demo, django_capture_on_commit_callbacks
):
    _invite(demo, django_capture_on_commit_callbacks)
    token = _token_from_mail("dora@acmeprint.test")
    with pytest.raises(InvalidInput) as refused:
        services.accept_invitation(raw_token=token, name="Dora", password="short")
    assert "password1" in refused.value.errors
    assert services.pending_invitation_for(token) is not None


def test_a_new_invitation_withdraws_the_earlier_link(demo, django_capture_on_commit_callbacks):
    _invite(demo, django_capture_on_commit_callbacks)
    first = _token_from_mail("dora@acmeprint.test")
    _invite(demo, django_capture_on_commit_callbacks)
    second = _token_from_mail("dora@acmeprint.test")
    assert services.pending_invitation_for(first) is None
    assert services.pending_invitation_for(second) is not None


def test_withdrawn_invitation_link_stops_working(demo, django_capture_on_commit_callbacks):
    invitation = _invite(demo, django_capture_on_commit_callbacks)
    token = _token_from_mail("dora@acmeprint.test")
    assert services.revoke_invitation(actor=demo.alice, invitation=invitation)
    with pytest.raises(RuleViolation):
        services.accept_invitation(raw_token=token, name="Dora", password=GOOD_PASSWORD)


def test_an_address_with_an_account_cannot_be_invited(demo):
    with pytest.raises(InvalidInput) as refused:
        services.invite_user(actor=demo.alice, organization=demo.acme, email="BOB@acmeprint.test")
    assert "email" in refused.value.errors


def test_only_the_organizations_admins_and_staff_invite(demo):
    for outsider in (demo.bob, demo.carol):
        with pytest.raises(NotPermitted):
            services.invite_user(actor=outsider, organization=demo.acme, email="x@acmeprint.test")
    staff_invite = services.invite_user(
        actor=demo.agent, organization=demo.acme, email="y@acmeprint.test"
    )
    assert staff_invite.organization == demo.acme


def test_invitations_cannot_grant_staff_roles(demo):
    with pytest.raises(InvalidInput):
        services.invite_user(
            actor=demo.alice, organization=demo.acme, email="z@acmeprint.test", role="manager"
        )


@pytest.fixture
def committed_demo(transactional_db, django_db_serialized_rollback):
    return load_demo(with_tickets=False)


def test_two_acceptances_at_once_create_one_account(committed_demo):
    """The claim is a conditional UPDATE: of simultaneous acceptances only one wins."""
    if connection.vendor != "postgresql":
        pytest.skip(SQLITE_SKIP)
    raw = "race-token-" + "x" * 30
    Invitation.objects.create(
        organization=committed_demo.acme,
        email="race@acmeprint.test",
        token_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=1),
    )
    results = in_threads(
        lambda i: services.accept_invitation(
            raw_token=raw, name=f"Racer {i}", password=GOOD_PASSWORD
        ),
        4,
    )
    assert len([r for r in results if isinstance(r, User)]) == 1, results
    assert len([r for r in results if isinstance(r, RuleViolation)]) == 3, results
    assert User.objects.filter(email="race@acmeprint.test").count() == 1


def test_accept_page_logs_the_invitee_in(client, demo, django_capture_on_commit_callbacks):
    _invite(demo, django_capture_on_commit_callbacks)
    token = _token_from_mail("dora@acmeprint.test")
    url = reverse("accounts:accept_invitation", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Acme Print" in page.content
    done = client.post(
        url, {"name": "Dora Diaz", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert done.status_code == 302
    me = client.get(reverse("tickets:list"))
    assert me.status_code == 200
    assert me.wsgi_request.user.email == "dora@acmeprint.test"
    assert client.get(url).status_code == 404


def test_rejected_accept_form_keeps_the_name_and_says_why(
    client, demo, django_capture_on_commit_callbacks
):
    _invite(demo, django_capture_on_commit_callbacks)
    token = _token_from_mail("dora@acmeprint.test")
    url = reverse("accounts:accept_invitation", args=[token])
    page = client.post(url, {"name": "Dora Typed", "password1": "abc", "password2": "abc"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Dora Typed"' in html
    assert "too short" in html
    assert not User.objects.filter(email="dora@acmeprint.test").exists()


def test_unknown_invitation_link_is_404(client, demo):
    page = client.get(reverse("accounts:accept_invitation", args=["not-a-token"]))
    assert page.status_code == 404
    assert b"not valid" in page.content

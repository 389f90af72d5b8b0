"""Who is in an organization, and who may change that: a customer admin sees and acts on
their own organization only (404 for others); deactivation is audited and ends logins;
managers create organizations and invite their admin from the console."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from supportal.accounts import services
from supportal.accounts.models import AccountEvent, Invitation, Organization, Plan, Product
from supportal.core.errors import NotPermitted
from supportal.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _logs_in(client, email: str) -> bool:
    answer = client.post(reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD})
    return answer.status_code == 302


def _people_url(organization):
    return reverse("accounts:organization", args=[organization.pk])


def _activation_url(organization, member):
    return reverse("accounts:member_activation", args=[organization.pk, member.pk])


def test_deactivated_user_cannot_log_in_and_the_change_is_audited(client, demo):
    assert services.deactivate_user(actor=demo.alice, user=demo.bob)
    demo.bob.refresh_from_db()
    assert not demo.bob.is_active
    event = AccountEvent.objects.get(action=AccountEvent.Action.DEACTIVATED)
    assert (event.actor, event.subject, event.organization) == (demo.alice, demo.bob, demo.acme)
    assert not _logs_in(client, demo.bob.email)


def test_deactivation_ends_an_open_session(client, demo):
    client.force_login(demo.bob)
    assert client.get(reverse("tickets:list")).status_code == 200
    services.deactivate_user(actor=demo.alice, user=demo.bob)
    assert client.get(reverse("tickets:list")).status_code == 302  # to the login page


def test_reactivated_user_logs_in_again(client, demo):
    services.deactivate_user(actor=demo.alice, user=demo.bob)
    assert services.reactivate_user(actor=demo.alice, user=demo.bob)
    assert _logs_in(client, demo.bob.email)
    assert AccountEvent.objects.filter(action=AccountEvent.Action.REACTIVATED).count() == 1


def test_nobody_deactivates_themselves_nor_people_of_another_organization(demo):
    with pytest.raises(NotPermitted):
        services.deactivate_user(actor=demo.alice, user=demo.alice)
    with pytest.raises(NotPermitted):
        services.deactivate_user(actor=demo.alice, user=demo.carol)
    with pytest.raises(NotPermitted):
        services.deactivate_user(actor=demo.bob, user=demo.alice)
    with pytest.raises(NotPermitted):
        services.deactivate_user(actor=demo.alice, user=demo.agent)


def test_customer_admin_sees_who_is_in_the_organization(client, demo):
    client.force_login(demo.alice)
    assert client.get(reverse("accounts:my_organization")).url == _people_url(demo.acme)
    page = client.get(_people_url(demo.acme))
    assert page.status_code == 200
    html = page.content.decode()
    assert demo.bob.email in html and demo.alice.email in html
    assert demo.carol.email not in html


def test_another_organization_is_404_for_a_customer_admin(client, demo):
    client.force_login(demo.alice)
    assert client.get(_people_url(demo.bright)).status_code == 404
    answer = client.post(_activation_url(demo.bright, demo.carol), {"active": "0"})
    assert answer.status_code == 404
    demo.carol.refresh_from_db()
    assert demo.carol.is_active


def test_a_member_of_another_organization_is_404_under_ones_own(client, demo):
    client.force_login(demo.alice)
    answer = client.post(_activation_url(demo.acme, demo.carol), {"active": "0"})
    assert answer.status_code == 404


def test_plain_customers_have_no_people_page(client, demo):
    client.force_login(demo.bob)
    assert client.get(_people_url(demo.acme)).status_code == 404
    assert client.get(reverse("accounts:my_organization")).status_code == 404
    assert client.get(reverse("accounts:organizations")).status_code == 404


def test_customer_admin_deactivates_a_colleague_from_the_page(client, demo):
    client.force_login(demo.alice)
    answer = client.post(_activation_url(demo.acme, demo.bob), {"active": "0"})
    assert answer.status_code == 302
    demo.bob.refresh_from_db()
    assert not demo.bob.is_active


def test_invite_form_sends_the_mail(client, demo, django_capture_on_commit_callbacks):
    client.force_login(demo.alice)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            _people_url(demo.acme),
            {"email": "erin@acmeprint.test", "name": "Erin", "role": "customer"},
        )
    assert answer.status_code == 302
    assert [m.to for m in mail.outbox] == [["erin@acmeprint.test"]]
    page = client.get(_people_url(demo.acme)).content.decode()
    assert "erin@acmeprint.test" in page


def test_rejected_invite_form_keeps_what_was_typed(client, demo):
    client.force_login(demo.alice)
    page = client.post(
        _people_url(demo.acme),
        {"email": demo.bob.email, "name": "Bob Again", "role": "customer_admin"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "already has an account" in html
    assert f'value="{demo.bob.email}"' in html and 'value="Bob Again"' in html
    assert 'value="customer_admin" selected' in html
    assert not Invitation.objects.exists()


def test_manager_creates_an_organization_and_invites_its_admin(
    client, demo, django_capture_on_commit_callbacks
):
    client.force_login(demo.manager)
    plan = Plan.objects.get(code="hv")
    pressero = Product.objects.get(slug="pressero")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("accounts:organization_new"),
            {
                "name": "Copper Press",
                "slug": "copper-press",
                "plan": plan.pk,
                "products": [pressero.pk],
                "support_region": "",
                "admin_email": "dana@copperpress.test",
                "admin_name": "Dana",
            },
        )
    organization = Organization.objects.get(slug="copper-press")
    assert answer.url == _people_url(organization)
    assert list(organization.products.all()) == [pressero]
    invitation = Invitation.objects.get(organization=organization)
    assert (invitation.email, invitation.role) == ("dana@copperpress.test", "customer_admin")
    assert [m.to for m in mail.outbox] == [["dana@copperpress.test"]]


def test_a_failed_admin_invitation_creates_no_organization(client, demo):
    client.force_login(demo.manager)
    page = client.post(
        reverse("accounts:organization_new"),
        {
            "name": "Copper Press",
            "slug": "copper-press",
            "plan": Plan.objects.get(code="hv").pk,
            "admin_email": demo.bob.email,
        },
    )
    assert page.status_code == 200
    assert "already has an account" in page.content.decode()
    assert not Organization.objects.filter(slug="copper-press").exists()


def test_only_managers_create_organizations_but_agents_see_them(client, demo):
    client.force_login(demo.agent)
    assert client.get(reverse("accounts:organization_new")).status_code == 404
    listing = client.get(reverse("accounts:organizations"))
    assert listing.status_code == 200
    assert "Acme Print" in listing.content.decode()
    assert client.get(_people_url(demo.bright)).status_code == 200


def test_managers_read_invitations_and_the_audit_trail_in_the_admin(client, demo):
    services.invite_user(actor=demo.alice, organization=demo.acme, email="gil@acmeprint.test")
    client.force_login(demo.manager)
    invitations = client.get(reverse("admin:accounts_invitation_changelist"))
    assert invitations.status_code == 200
    assert "gil@acmeprint.test" in invitations.content.decode()
    events = client.get(reverse("admin:accounts_accountevent_changelist"))
    assert events.status_code == 200
    assert "Invitation sent" in events.content.decode()

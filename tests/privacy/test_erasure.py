"""A manager erases a customer on request: personal data gone or pseudonymised, every
credential ended, tickets and billing records kept, the erasure recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supportal.accounts.models import ApiToken, User, hash_token
from supportal.intake.models import ContactPhone
from supportal.news.models import Subscription
from supportal.privacy.models import Erasure
from supportal.tickets.models import Ticket
from supportal.tickets.search import search_page, search_tickets

from .test_exports import file_ticket

pytestmark = pytest.mark.django_db


def test_a_manager_erases_a_customer_and_their_tickets_stay(
    demo, client, django_capture_on_commit_callbacks
):
    ticket = file_ticket(demo.bob, "Shipping zones")
    assert ticket in search_page(search_tickets(demo.manager, '"bob buyer"')).items
    old_email = demo.bob.email
    ContactPhone.objects.create(user=demo.bob, number="+13125550100")
    Subscription.objects.create(email=old_email)
    ApiToken.objects.create(
        user=demo.bob,
        key_hash=hash_token("raw-token"),
        scope="read",
        expires_at=timezone.now() + timedelta(days=1),
    )
    bobs_browser = Client()
    bobs_browser.force_login(demo.bob)

    client.force_login(demo.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:erase", args=[demo.acme.pk]),
            {
                "person": demo.bob.pk,
                "reason": "Request by email 2026-12-01, verified",
                "confirm": "on",
            },
        )
    assert response.status_code == 302

    bob = User.objects.get(pk=demo.bob.pk)
    assert bob.email == f"erased-{bob.pk}@erased.invalid" and bob.name == ""
    assert not bob.is_active and not bob.has_usable_password()
    assert not ContactPhone.objects.filter(user=bob).exists()
    assert not Subscription.objects.filter(email=old_email).exists()
    assert not ApiToken.objects.filter(user=bob).exists()
    assert Ticket.objects.get(pk=ticket.pk).requester_id == bob.pk  # the record stays
    erasure = Erasure.objects.get()
    assert (erasure.person, erasure.erased_by) == (bob, demo.manager)
    assert old_email not in str(erasure.counts) + erasure.reason
    # Bob's open session is over.
    assert bobs_browser.get(reverse("tickets:list")).status_code == 302
    assert not User.objects.filter(email__iexact=old_email).exists()
    # The search index forgot the name too: their tickets are not found by it.
    assert search_page(search_tickets(demo.manager, '"bob buyer"')).items == []
    assert ticket in search_page(search_tickets(demo.manager, "shipping zones")).items


def test_a_missing_reason_or_confirmation_refuses_and_keeps_what_was_typed(demo, client):
    client.force_login(demo.manager)
    response = client.post(
        reverse("privacy:erase", args=[demo.acme.pk]),
        {"person": demo.bob.pk, "reason": "Asked on the phone"},
    )
    assert response.status_code == 422
    assert "Asked on the phone" in response.content.decode()
    assert User.objects.get(pk=demo.bob.pk).is_active


@pytest.mark.parametrize("persona", ["agent", "alice"])
def test_only_managers_erase(demo, client, persona):
    client.force_login(getattr(demo, persona))
    response = client.post(
        reverse("privacy:erase", args=[demo.acme.pk]),
        {"person": demo.bob.pk, "reason": "x", "confirm": "on"},
    )
    assert response.status_code == 404
    assert User.objects.get(pk=demo.bob.pk).is_active


def test_staff_cannot_be_erased_through_an_organization(demo, client):
    client.force_login(demo.manager)
    response = client.post(
        reverse("privacy:erase", args=[demo.acme.pk]),
        {"person": demo.agent.pk, "reason": "x", "confirm": "on"},
    )
    assert response.status_code == 422  # not among the organization's customers
    assert User.objects.get(pk=demo.agent.pk).is_active

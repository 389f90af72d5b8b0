"""The policy: "Training participation for our products is required for all users requesting
support." By default an untrained customer may not file a support ticket, and only training
for the product concerned counts; asking for training (or paid work) is always possible."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from supportal.accounts.models import TrainingAttendance, TrainingSession
from supportal.core.errors import RuleViolation
from supportal.tickets import services
from supportal.tickets.models import Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def forget_edocbuilder_training(user) -> None:
    TrainingAttendance.objects.filter(user=user, session__product__slug="edocbuilder").delete()


def test_training_is_required_by_default():
    assert django_settings.SUPPORTAL_TRAINING_REQUIREMENT == "block"


def test_untrained_customer_may_not_file_a_support_ticket_by_default(demo):
    with pytest.raises(RuleViolation) as info:
        make_ticket(demo.carol, product="pjm")
    assert info.value.code == "training_required"
    assert "PJM" in info.value.message
    assert not Ticket.objects.exists()


def test_only_training_for_the_product_concerned_counts(demo):
    """Bob attended Pressero training only: an eDocBuilder question is refused."""
    forget_edocbuilder_training(demo.bob)
    with pytest.raises(RuleViolation) as info:
        make_ticket(demo.bob, product="edocbuilder")
    assert info.value.code == "training_required" and "eDocBuilder" in info.value.message
    assert make_ticket(demo.bob, product="pressero")


def test_attending_the_products_training_lets_the_customer_file(demo):
    session = TrainingSession.objects.get(title="PJM and tFlow fundamentals")
    TrainingAttendance.objects.create(user=demo.carol, session=session)
    ticket = make_ticket(demo.carol, product="pjm")
    assert not ticket.requester_untrained


def test_an_untrained_customer_may_still_ask_for_training_or_professional_services(demo):
    for kind in (Ticket.Kind.TRAINING_REQUEST, Ticket.Kind.PROFESSIONAL_SERVICES):
        ticket = make_ticket(demo.carol, product="pjm", kind=kind)
        assert ticket.requester_untrained


def test_warn_mode_files_and_flags_a_ticket_for_an_untrained_product(demo, settings):
    settings.SUPPORTAL_TRAINING_REQUIREMENT = "warn"
    forget_edocbuilder_training(demo.bob)
    ticket = make_ticket(demo.bob, product="edocbuilder")
    assert ticket.requester_untrained
    assert not make_ticket(demo.bob, product="pressero").requester_untrained


def test_a_reply_to_a_closed_ticket_opens_its_follow_up_without_the_check(demo, settings):
    settings.SUPPORTAL_TRAINING_REQUIREMENT = "warn"
    ticket = make_ticket(demo.carol, product="pjm")
    services.change_status(ticket=ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    settings.SUPPORTAL_TRAINING_REQUIREMENT = "block"
    result = services.add_reply(ticket=ticket, author=demo.carol, body="One more thing.")
    assert result.follow_up is not None


def test_the_form_names_the_untrained_products_and_still_takes_training_requests(demo):
    client = Client()
    client.force_login(demo.bob)
    forget_edocbuilder_training(demo.bob)
    html = client.get(reverse("tickets:new")).content.decode()
    assert "Support requires training attendance" in html
    assert "<strong data-untrained-products>eDocBuilder</strong>" in html
    assert "training requests and professional services can be filed now" in html

    refused = client.post(
        reverse("tickets:new"),
        {"product": "edocbuilder", "kind": "question", "subject": "Q", "description": "Q"},
    )
    assert refused.status_code == 200
    assert "Support for eDocBuilder requires training attendance" in refused.content.decode()
    filed = client.post(
        reverse("tickets:new"),
        {"product": "edocbuilder", "kind": "training_request", "subject": "T", "description": "T"},
    )
    assert filed.status_code == 302
    assert Ticket.objects.get().kind == Ticket.Kind.TRAINING_REQUEST


def test_a_customer_trained_for_every_product_sees_no_notice(demo):
    client = Client()
    client.force_login(demo.bob)
    assert (
        "Support requires training attendance"
        not in client.get(reverse("tickets:new")).content.decode()
    )

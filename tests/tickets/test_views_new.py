"""The portal's new-ticket page: tickets:new."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supportal.accounts.models import TrainingAttendance, TrainingSession
from supportal.tickets.models import Attachment, AuditEvent, Ticket

from .pages import assert_csp_clean, html_disguised_as_png, png

pytestmark = pytest.mark.django_db

URL = reverse("tickets:new")


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "product": "pressero",
        "kind": "bug",
        "subject": "Checkout shows error 500",
        "description": "Customers see **Error 500** when paying.",
        "site_name": "Acme Storefront",
        "site_url": "https://store.acmeprint.test",
        "admin_username": "acme-admin",
        "admin_password": "hunter2-typed-once",
        "site_user_username": "buyer",
        "site_user_password": "buyer-secret-77",
        "steps": "1. Add to cart\n2. Pay",
        "urgent_reason": "",
    }
    data.update(overrides)
    return data


def test_form_shows_every_field_and_the_urgent_rule(demo, client_for):
    response = client_for(demo.bob).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "product",
        "kind",
        "subject",
        "description",
        "site_name",
        "site_url",
        "admin_username",
        "admin_password",
        "site_user_username",
        "site_user_password",
        "steps",
        "urgent",
        "urgent_reason",
        "attachments",
    ):
        assert f'name="{name}"' in html, name
    assert "Access for reproduction (encrypted, visible only to support staff)" in html
    assert "cannot place an order or you cannot produce the job" in html
    assert "Submit ticket" in html
    assert 'value="pressero"' in html and 'value="pjm"' not in html
    assert "Support requires training attendance" not in html
    assert_csp_clean(response)


def test_filing_with_an_attachment_redirects_to_the_new_ticket(demo, client_for):
    client = client_for(demo.bob)
    response = client.post(URL, {**form_data(), "attachments": [png(), png("second.png")]})
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == ticket.get_absolute_url()
    assert ticket.requester == demo.bob
    assert ticket.channel == Ticket.Channel.PORTAL
    assert ticket.admin_password == "hunter2-typed-once"
    assert ticket.has_credentials
    names = sorted(ticket.attachments.values_list("original_name", flat=True))
    assert names == ["screenshot.png", "second.png"]
    assert set(ticket.attachments.values_list("content_type", flat=True)) == {"image/png"}

    page = client.get(response["Location"])
    assert f"Ticket {ticket.number} received" in page.content.decode()


def test_invalid_form_keeps_everything_typed_and_names_the_errors(demo, client_for):
    response = client_for(demo.bob).post(
        URL, form_data(description="   ", site_url="javascript:alert(1)")
    )
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    html = response.content.decode()
    form = response.context["form"]
    assert "description" in form.errors
    assert "site_url" in form.errors
    assert "Describe the question or problem." in html
    assert "Enter the site&#x27;s full address" in html
    assert 'value="Checkout shows error 500"' in html
    assert 'value="hunter2-typed-once"' in html
    assert 'value="buyer-secret-77"' in html
    assert 'value="Acme Storefront"' in html


def test_refused_upload_type_creates_nothing_and_says_attach_again(demo, client_for):
    response = client_for(demo.bob).post(
        URL, {**form_data(), "attachments": [html_disguised_as_png()]}
    )
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    html = response.content.decode()
    assert "this type of file is not accepted" in html
    assert "attach the files again" in html
    assert 'value="Checkout shows error 500"' in html


def test_urgent_without_a_reason_is_refused_on_the_reason_field(demo, client_for):
    response = client_for(demo.bob).post(URL, form_data(urgent="on"))
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    assert "urgent_reason" in response.context["form"].errors
    assert "cannot place an order or you cannot produce" in response.content.decode()


def test_urgent_without_impact_is_refused_and_keeps_the_reason(demo, client_for):
    response = client_for(demo.bob).post(URL, form_data(urgent="on", urgent_reason="cannot_order"))
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    assert "urgent_impact" in response.context["form"].errors
    assert 'value="cannot_order" selected' in response.content.decode()


def test_urgent_with_a_reason_and_impact_files_an_urgent_ticket(demo, client_for):
    response = client_for(demo.bob).post(
        URL,
        form_data(urgent="on", urgent_reason="cannot_order", urgent_impact="No orders since 8am"),
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.urgent and ticket.urgent_reason == Ticket.UrgentReason.CANNOT_ORDER
    assert ticket.urgent_impact == "No orders since 8am"


def test_product_outside_the_subscription_is_a_field_error(demo, client_for):
    response = client_for(demo.bob).post(URL, form_data(product="pjm"))
    assert response.status_code == 200
    assert "product" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_untrained_customer_sees_the_notice_with_upcoming_sessions(demo, client_for):
    response = client_for(demo.carol).get(URL)
    html = response.content.decode()
    assert "Support requires training attendance" in html
    assert "PJM and tFlow fundamentals" in html
    assert "Pressero essentials" not in html  # past, and not Bright Ink's product
    # The form stays: training requests and professional services need no training.
    assert "Submit ticket" in html


def test_untrained_customer_may_file_in_warn_mode_and_is_flagged(demo, client_for, settings):
    settings.SUPPORTAL_TRAINING_REQUIREMENT = "warn"
    response = client_for(demo.carol).post(URL, form_data(product="pjm"))
    assert response.status_code == 302
    assert Ticket.objects.get().requester_untrained


def test_block_mode_refuses_a_support_question_about_an_untrained_product(demo, client_for):
    client = client_for(demo.carol)
    html = client.get(URL).content.decode()
    assert "Support requires training attendance" in html
    assert "Questions about them can be filed once you have attended one" in html
    response = client.post(URL, form_data(product="pjm"))
    assert response.status_code == 200
    assert "Support for PJM requires training attendance" in response.content.decode()
    assert not Ticket.objects.exists()


def test_trained_customer_in_block_mode_files_normally(demo, client_for, settings):
    settings.SUPPORTAL_TRAINING_REQUIREMENT = "block"
    session = TrainingSession.objects.get(title="PJM and tFlow fundamentals")
    TrainingAttendance.objects.create(user=demo.carol, session=session)
    response = client_for(demo.carol).post(URL, form_data(product="pjm"))
    assert response.status_code == 302
    assert Ticket.objects.filter(requester=demo.carol, requester_untrained=False).exists()


def test_filing_does_no_knowledge_base_work(demo, client_for):
    """Whether a suggestion led to a ticket is decided when deflections are counted
    (kb.queries.followed_by_ticket), not by a write on every filing."""
    with CaptureQueriesContext(connection) as queries:
        response = client_for(demo.bob).post(URL, form_data())
    assert response.status_code == 302
    assert not [q["sql"] for q in queries.captured_queries if "kb_" in q["sql"]]


def test_staff_cannot_file_tickets(demo, client_for):
    client = client_for(demo.agent)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data()).status_code == 403
    assert not Ticket.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_filing_is_audited_as_created_by_the_customer(demo, client_for):
    client_for(demo.alice).post(URL, form_data())
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATED)
    assert event.actor == demo.alice
    assert event.data["channel"] == "portal"

"""The ticket page (tickets:detail) and the staff actions on it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportal.tickets import services
from supportal.tickets.models import AuditEvent, Reply, Ticket
from tests.factories import make_ticket

from .pages import assert_csp_clean, html_disguised_as_png, png

pytestmark = pytest.mark.django_db


def detail(ticket: Ticket) -> str:
    return reverse("tickets:detail", args=[ticket.pk])


@pytest.fixture
def acme_ticket(demo) -> Ticket:
    ticket = make_ticket(
        demo.bob,
        subject="Checkout fails on payment",
        description="Customers see *Error 500*.",
        steps="1. Pay by card",
        site_name="Acme Storefront",
        site_url="https://store.acmeprint.test",
        admin_username="acme-admin",
        admin_password="correct horse battery staple",
        uploads=[png("checkout.png")],
    )
    services.add_reply(ticket=ticket, author=demo.agent, body="Looking into it now.")
    services.add_reply(
        ticket=ticket, author=demo.agent, body="Secret staff chatter about Acme.", internal=True
    )
    return ticket


def test_requester_sees_the_ticket_header_and_public_conversation(demo, client_for, acme_ticket):
    response = client_for(demo.bob).get(detail(acme_ticket))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{acme_ticket.number}</span> Checkout fails on payment</h1>" in html
    assert "badge--open" in html
    assert "checkout.png" in html
    assert "<em>Error 500</em>" in html  # description rendered as markdown
    assert "Pay by card" in html
    assert "https://store.acmeprint.test" in html
    assert "Acme Print" in html and "Pressero" in html and "Bug" not in html
    assert "Looking into it now." in html
    assert "Send reply" in html
    assert_csp_clean(response)


def test_customers_never_see_internal_notes_staff_panel_or_credentials(
    demo, client_for, acme_ticket
):
    for persona in (demo.bob, demo.alice):
        html = client_for(persona).get(detail(acme_ticket)).content.decode()
        assert "Secret staff chatter about Acme." not in html
        assert "Internal note" not in html
        assert "Update status" not in html
        assert "Show credentials" not in html
        assert "Audit trail" not in html
        assert "correct horse battery staple" not in html
        assert 'name="internal"' not in html


def test_staff_see_internal_notes_labelled_and_the_panel_without_credentials(
    demo, client_for, acme_ticket
):
    response = client_for(demo.agent).get(detail(acme_ticket))
    html = response.content.decode()
    assert "Secret staff chatter about Acme." in html
    assert "reply--internal" in html and "Internal note" in html
    assert "Internal note (not shown to the customer)" in html
    for text in ("Update status", "Assign", "Show credentials", "Audit trail", "Unassigned"):
        assert text in html, text
    assert "correct horse battery staple" not in html
    assert_csp_clean(response)


def test_another_organization_gets_404_and_its_posts_change_nothing(demo, client_for, acme_ticket):
    client = client_for(demo.carol)
    attachment = acme_ticket.attachments.get()
    attachment_url = reverse("tickets:attachment", args=[acme_ticket.pk, attachment.pk])
    assert client.get(detail(acme_ticket)).status_code == 404
    assert client.get(attachment_url).status_code == 404
    assert client.post(detail(acme_ticket), {"body": "let me in"}).status_code == 404
    for name, data in (
        ("tickets:status", {"status": "closed"}),
        ("tickets:assign", {"assignee_id": ""}),
        ("tickets:credentials", {}),
    ):
        url = reverse(name, args=[acme_ticket.pk])
        assert client.post(url, data).status_code == 404
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == Ticket.Status.OPEN
    assert not Reply.objects.filter(author=demo.carol).exists()
    assert not AuditEvent.objects.filter(actor=demo.carol).exists()


def test_customer_sees_only_own_ticket_but_admin_sees_the_organizations(demo, client_for):
    alices = make_ticket(demo.alice, subject="Alice asks")
    bobs = make_ticket(demo.bob, subject="Bob asks")
    assert client_for(demo.bob).get(detail(alices)).status_code == 404
    assert client_for(demo.alice).get(detail(bobs)).status_code == 200


def test_reply_form_post_redirects_and_adds_the_reply(demo, client_for, acme_ticket):
    client = client_for(demo.bob)
    response = client.post(detail(acme_ticket), {"body": "Still failing **today**."})
    assert response.status_code == 302
    assert response["Location"] == detail(acme_ticket)
    reply = Reply.objects.filter(author=demo.bob).get()
    assert reply.body == "Still failing **today**." and not reply.internal
    assert "<strong>today</strong>" in client.get(detail(acme_ticket)).content.decode()


def test_customer_cannot_post_an_internal_note(demo, client_for, acme_ticket):
    client_for(demo.bob).post(detail(acme_ticket), {"body": "sneaky", "internal": "on"})
    assert Reply.objects.get(author=demo.bob).internal is False


def test_reply_with_attachment_lists_it_in_the_conversation(demo, client_for, acme_ticket):
    client = client_for(demo.bob)
    client.post(detail(acme_ticket), {"body": "See screenshot", "attachments": [png("err.png")]})
    reply = Reply.objects.get(author=demo.bob)
    attachment = reply.attachments.get()
    html = client.get(detail(acme_ticket)).content.decode()
    assert attachment.get_absolute_url() in html and "err.png" in html


def test_empty_or_refused_reply_rerenders_with_the_typed_text(demo, client_for, acme_ticket):
    client = client_for(demo.bob)
    response = client.post(detail(acme_ticket), {"body": ""})
    assert response.status_code == 200
    assert "Write a reply before sending." in response.content.decode()

    response = client.post(
        detail(acme_ticket),
        {"body": "Here is my typed reply", "attachments": [html_disguised_as_png()]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "this type of file is not accepted" in html
    assert "Here is my typed reply" in html
    assert not Reply.objects.filter(author=demo.bob).exists()


def test_staff_reply_via_htmx_returns_only_the_conversation_partial(demo, client_for, acme_ticket):
    response = client_for(demo.agent).post(
        detail(acme_ticket),
        {"body": "Please try again now.", "internal": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="conversation"')
    assert "<html" not in html and "Audit trail" not in html
    assert "Please try again now." in html
    assert "Secret staff chatter about Acme." in html
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == Ticket.Status.OPEN
    assert acme_ticket.first_responded_at is not None


def test_staff_internal_note_via_htmx_stays_hidden_from_the_customer(demo, client_for, acme_ticket):
    client_for(demo.agent).post(
        detail(acme_ticket),
        {"body": "Escalate to dev team", "internal": "on"},
        headers={"HX-Request": "true"},
    )
    assert Reply.objects.get(body="Escalate to dev team").internal
    customer_page = client_for(demo.bob).get(detail(acme_ticket)).content.decode()
    assert "Escalate to dev team" not in customer_page


def test_invalid_reply_via_htmx_returns_the_partial_with_errors(demo, client_for, acme_ticket):
    response = client_for(demo.agent).post(
        detail(acme_ticket), {"body": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="conversation"')
    assert "Write a reply before sending." in html


def test_closed_ticket_tells_the_customer_a_reply_opens_a_new_ticket(demo, client_for, acme_ticket):
    services.change_status(ticket=acme_ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    html = client_for(demo.bob).get(detail(acme_ticket)).content.decode()
    assert "This ticket is closed. Writing here opens a new ticket." in html


def test_reply_to_closed_ticket_redirects_to_the_new_follow_up(demo, client_for, acme_ticket):
    services.change_status(ticket=acme_ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    client = client_for(demo.bob)
    response = client.post(detail(acme_ticket), {"body": "A new question about refunds"})
    follow_up = Ticket.objects.get(follow_up_of=acme_ticket)
    assert response.status_code == 302
    assert response["Location"] == detail(follow_up)
    acme_ticket.refresh_from_db()
    assert acme_ticket.is_closed

    page = client.get(response["Location"]).content.decode()
    assert f"This ticket was closed, so your message opened a new ticket {follow_up.number}" in page
    assert f'Follow-up of <a href="{detail(acme_ticket)}">{acme_ticket.number}</a>' in page
    original = client.get(detail(acme_ticket)).content.decode()
    assert follow_up.number in original  # listed under Follow-ups


def test_htmx_reply_to_closed_ticket_answers_with_hx_redirect(demo, client_for, acme_ticket):
    services.change_status(ticket=acme_ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    response = client_for(demo.bob).post(
        detail(acme_ticket), {"body": "Another thing"}, headers={"HX-Request": "true"}
    )
    follow_up = Ticket.objects.get(follow_up_of=acme_ticket)
    assert response["HX-Redirect"] == detail(follow_up)


def test_staff_public_reply_to_closed_ticket_is_refused_with_a_message(
    demo, client_for, acme_ticket
):
    services.change_status(ticket=acme_ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    response = client_for(demo.agent).post(detail(acme_ticket), {"body": "Hello again"})
    assert response.status_code == 200
    assert "This ticket is closed" in response.content.decode()
    assert not Reply.objects.filter(body="Hello again").exists()


def test_staff_change_status_is_audited(demo, client_for, acme_ticket):
    client = client_for(demo.agent)
    response = client.post(reverse("tickets:status", args=[acme_ticket.pk]), {"status": "resolved"})
    assert response.status_code == 302
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == Ticket.Status.RESOLVED
    event = acme_ticket.audit_events.filter(action=AuditEvent.Action.STATUS_CHANGED).last()
    assert event.actor == demo.agent and event.data == {"from": "open", "to": "resolved"}
    html = client.get(detail(acme_ticket)).content.decode()
    assert "Status is now resolved" in html
    assert "Open → Resolved" in html


def test_impossible_status_change_is_an_error_message(demo, client_for, acme_ticket):
    services.change_status(ticket=acme_ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    client = client_for(demo.agent)
    client.post(reverse("tickets:status", args=[acme_ticket.pk]), {"status": "open"})
    acme_ticket.refresh_from_db()
    assert acme_ticket.is_closed
    html = client.get(detail(acme_ticket)).content.decode()
    assert "message--error" in html


def test_staff_assign_and_unassign_are_audited(demo, client_for, acme_ticket):
    client = client_for(demo.manager)
    url = reverse("tickets:assign", args=[acme_ticket.pk])
    client.post(url, {"assignee_id": str(demo.agent_es.pk)})
    acme_ticket.refresh_from_db()
    assert acme_ticket.assignee == demo.agent_es
    client.post(url, {"assignee_id": ""})
    acme_ticket.refresh_from_db()
    assert acme_ticket.assignee is None
    events = acme_ticket.audit_events.filter(action=AuditEvent.Action.ASSIGNED, actor=demo.manager)
    assert events.count() == 2


def test_assigning_a_customer_is_refused(demo, client_for, acme_ticket):
    client = client_for(demo.agent)
    client.post(reverse("tickets:assign", args=[acme_ticket.pk]), {"assignee_id": demo.bob.pk})
    acme_ticket.refresh_from_db()
    assert acme_ticket.assignee == demo.agent  # from the agent's first reply


def test_show_credentials_reveals_them_once_and_audits(demo, client_for, acme_ticket):
    client = client_for(demo.agent)
    url = reverse("tickets:credentials", args=[acme_ticket.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert "correct horse battery staple" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert acme_ticket.audit_events.filter(
        action=AuditEvent.Action.CREDENTIALS_VIEWED, actor=demo.agent
    ).exists()
    assert "correct horse battery staple" not in client.get(detail(acme_ticket)).content.decode()

    partial = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="credentials"')
    assert "acme-admin" in partial


def test_customers_get_404_on_staff_endpoints_of_their_own_ticket(demo, client_for, acme_ticket):
    client = client_for(demo.bob)
    for name, data in (
        ("tickets:status", {"status": "closed"}),
        ("tickets:assign", {"assignee_id": demo.agent.pk}),
        ("tickets:credentials", {}),
    ):
        assert client.post(reverse(name, args=[acme_ticket.pk]), data).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CREDENTIALS_VIEWED).exists()
    acme_ticket.refresh_from_db()
    assert acme_ticket.status == Ticket.Status.OPEN


def test_staff_endpoints_refuse_get(demo, client_for, acme_ticket):
    client = client_for(demo.agent)
    assert client.get(reverse("tickets:credentials", args=[acme_ticket.pk])).status_code == 405


def test_posts_need_a_csrf_token(demo, acme_ticket):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(demo.agent)
    response = client.post(reverse("tickets:status", args=[acme_ticket.pk]), {"status": "closed"})
    assert response.status_code == 403


def test_closed_ticket_offers_staff_an_internal_note_ticked_by_default(
    demo, client_for, acme_ticket
):
    services.change_status(ticket=acme_ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    form = client_for(demo.agent).get(detail(acme_ticket)).context["reply_form"]
    assert form["internal"].value() is True
    assert "Update status" not in client_for(demo.agent).get(detail(acme_ticket)).content.decode()


def test_agent_marks_a_ticket_urgent_from_its_page(demo, client_for, acme_ticket):
    agent = client_for(demo.agent)
    page = agent.get(detail(acme_ticket)).content.decode()
    assert "Mark urgent" in page and reverse("tickets:raise_urgency", args=[acme_ticket.pk]) in page
    url = reverse("tickets:raise_urgency", args=[acme_ticket.pk])
    refused = agent.post(url, {"reason": "cannot_order", "note": ""}, follow=True)
    assert "Say why the ticket is urgent." in refused.content.decode()
    response = agent.post(url, {"reason": "cannot_order", "note": "Checkout is down"}, follow=True)
    assert "Marked urgent; the customer sees your note." in response.content.decode()
    acme_ticket.refresh_from_db()
    assert acme_ticket.urgent and acme_ticket.urgent_reason == "cannot_order"
    assert (
        "Marked urgent: Checkout is down"
        in client_for(demo.bob).get(detail(acme_ticket)).content.decode()
    )


def test_customers_cannot_mark_a_ticket_urgent_from_outside(demo, client_for, acme_ticket):
    url = reverse("tickets:raise_urgency", args=[acme_ticket.pk])
    body = {"reason": "cannot_order", "note": "Please hurry"}
    assert client_for(demo.carol).post(url, body).status_code == 404
    client_for(demo.bob).post(url, body)
    acme_ticket.refresh_from_db()
    assert not acme_ticket.urgent

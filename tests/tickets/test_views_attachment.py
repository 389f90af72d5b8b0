"""Attachment downloads (tickets:attachment)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportal.tickets import services
from tests.factories import make_ticket

from .pages import png

pytestmark = pytest.mark.django_db


def url_of(attachment) -> str:
    return reverse("tickets:attachment", args=[attachment.ticket_id, attachment.pk])


def test_attachment_is_a_download_with_its_checked_type(demo, client_for):
    ticket = make_ticket(demo.bob, uploads=[png("shot.png")])
    attachment = ticket.attachments.get()
    response = client_for(demo.bob).get(url_of(attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="shot.png"' in response["Content-Disposition"]
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_other_organizations_and_other_customers_get_404(demo, client_for):
    ticket = make_ticket(demo.bob, uploads=[png()])
    attachment = ticket.attachments.get()
    assert client_for(demo.carol).get(url_of(attachment)).status_code == 404
    assert client_for(demo.alice).get(url_of(attachment)).status_code == 200
    assert client_for(demo.agent).get(url_of(attachment)).status_code == 200
    alices = make_ticket(demo.alice, uploads=[png()]).attachments.get()
    assert client_for(demo.bob).get(url_of(alices)).status_code == 404


def test_attachment_must_belong_to_the_ticket_in_the_url(demo, client_for):
    first = make_ticket(demo.bob, uploads=[png()])
    second = make_ticket(demo.bob)
    attachment = first.attachments.get()
    url = reverse("tickets:attachment", args=[second.pk, attachment.pk])
    assert client_for(demo.bob).get(url).status_code == 404


def test_files_on_internal_notes_are_staff_only(demo, client_for):
    ticket = make_ticket(demo.bob)
    result = services.add_reply(
        ticket=ticket, author=demo.agent, body="log", internal=True, uploads=[png("log.png")]
    )
    attachment = result.reply.attachments.get()
    assert client_for(demo.bob).get(url_of(attachment)).status_code == 404
    assert client_for(demo.agent).get(url_of(attachment)).status_code == 200


def test_anonymous_visitor_is_sent_to_log_in(client, demo):
    ticket = make_ticket(demo.bob, uploads=[png()])
    response = client.get(url_of(ticket.attachments.get()))
    assert response.status_code == 302

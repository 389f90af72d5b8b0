"""@mentions of colleagues in internal notes: a mention, a mail, the "mentioned me" page."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse

from supportal.tickets import services as ticket_services
from supportal.tickets.models import Reply, Ticket
from supportal.workspace.mentions import handles_in
from supportal.workspace.models import Mention
from tests.factories import make_ticket
from tests.news.smtp import Inbox

pytestmark = pytest.mark.django_db


def note(ticket: Ticket, author, body: str, *, internal: bool = True) -> Reply:
    with TestCase.captureOnCommitCallbacks(execute=True):  # the mails are jobs
        return ticket_services.add_reply(
            ticket=ticket, author=author, body=body, internal=internal
        ).reply


def test_handles_are_found_at_word_starts_but_not_inside_addresses():
    text = "@agent.es can you check? cc @Manager, not bob@acmeprint.test nor x@y."
    assert handles_in(text) == {"agent.es", "manager"}


def test_note_naming_a_colleague_mentions_and_mails_them(demo, smtp):
    ticket = make_ticket(demo.bob, admin_password="correct horse battery staple")
    reply = note(ticket, demo.agent, "@agent.es is 'correct horse battery staple' still valid?")

    [mention] = Mention.objects.all()
    assert (mention.mentioned, mention.author, mention.reply, mention.ticket) == (
        demo.agent_es,
        demo.agent,
        reply,
        ticket,
    )
    [mail] = smtp.to("agent.es@vendor.test")
    # Elena reads Spanish (her region's language): the mail is hers.
    assert mail["Subject"] == f"Avery Agent le ha mencionado en {ticket.number}"
    text = Inbox.text(mail)
    assert "still valid?" in text
    assert "correct horse battery staple" not in text  # the ticket's secrets are redacted
    assert f"/tickets/{ticket.pk}/#reply-{reply.pk}" in text
    assert all("still valid" not in Inbox.text(m) for m in smtp.messages if m is not mail)


def test_public_replies_self_mentions_and_unknown_handles_mention_nobody(demo, smtp):
    ticket = make_ticket(demo.bob)
    note(ticket, demo.agent, "Thanks! @agent.es will follow up.", internal=False)
    note(ticket, demo.agent, "Reminder to @agent and to @nobody.here")
    note(ticket, demo.bob, "Hello @agent.es", internal=False)

    assert not Mention.objects.exists()
    assert smtp.to("agent.es@vendor.test") == []


def test_mentioned_me_page_lists_the_notes_and_reads_them(demo, client_for):
    ticket = make_ticket(demo.bob, subject="Proof with bleed marks")
    note(ticket, demo.agent, "@agent.es do you know the bleed setting?")
    elena = client_for(demo.agent_es)

    queue = elena.get(reverse("tickets:queue")).content.decode()
    assert 'data-testid="mention-count">1</span>' in queue

    page = elena.get(reverse("workspace:mentions"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Proof with bleed marks" in html and "do you know the bleed setting?" in html
    assert "Nueva</span>" in html  # Elena reads Spanish, her region's language
    assert Mention.objects.get().read_at is not None
    again = elena.get(reverse("tickets:queue")).content.decode()
    assert 'data-testid="mention-count"' not in again


def test_others_mentions_stay_private_and_customers_have_no_page(demo, client_for):
    ticket = make_ticket(demo.bob)
    note(ticket, demo.agent, "@agent.es internal only")

    assert (
        "internal only" not in client_for(demo.manager).get("/workspace/mentions/").content.decode()
    )
    assert client_for(demo.bob).get("/workspace/mentions/").status_code == 404
    assert client_for(demo.alice).get("/workspace/mentions/").status_code == 404

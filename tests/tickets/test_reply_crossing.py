"""Sending a reply that crosses a newer one: the sender is warned first, text kept."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from supportal.core.errors import RuleViolation
from supportal.tickets import services
from supportal.tickets.models import Reply
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def seen_id(html: str) -> int:
    found = re.search(r'name="seen_reply_id" value="(\d+)"', html)
    assert found, "the reply form carries the newest reply it was shown"
    return int(found.group(1))


def test_reply_crossing_a_colleagues_newer_reply_is_refused(demo):
    ticket = make_ticket(demo.bob)
    seen = services.newest_public_reply_id(ticket)
    services.add_reply(ticket=ticket, author=demo.agent_es, body="Settings > Shipping.")

    with pytest.raises(RuleViolation) as refused:
        services.add_reply(
            ticket=ticket, author=demo.agent, body="Look under Shipping.", seen_reply_id=seen
        )

    assert refused.value.code == "crossed_reply"
    assert "Elena Agente replied while you were writing" in refused.value.message
    assert not Reply.objects.filter(body="Look under Shipping.").exists()


def test_own_replies_and_internal_notes_do_not_count_as_crossing(demo):
    ticket = make_ticket(demo.bob)
    seen = services.newest_public_reply_id(ticket)
    services.add_reply(ticket=ticket, author=demo.agent, body="First answer.")
    services.add_reply(ticket=ticket, author=demo.agent_es, body="A note.", internal=True)

    services.add_reply(ticket=ticket, author=demo.agent, body="Second answer.", seen_reply_id=seen)

    assert ticket.replies.filter(body="Second answer.").exists()


def test_a_customer_answer_meanwhile_also_warns_the_agent(demo):
    ticket = make_ticket(demo.bob)
    services.add_reply(ticket=ticket, author=demo.agent, body="Which storefront?")
    seen = services.newest_public_reply_id(ticket)
    services.add_reply(ticket=ticket, author=demo.bob, body="Never mind, found it.")

    with pytest.raises(RuleViolation):
        services.add_reply(ticket=ticket, author=demo.agent, body="It is...", seen_reply_id=seen)


def test_page_warns_keeps_the_text_and_sends_on_the_second_try(demo, client_for):
    ticket = make_ticket(demo.bob)
    url = reverse("tickets:detail", args=[ticket.pk])
    agent = client_for(demo.agent)
    seen = seen_id(agent.get(url).content.decode())
    services.add_reply(ticket=ticket, author=demo.agent_es, body="Elena's *answer*.")

    warned = agent.post(url, {"body": "My own answer.", "seen_reply_id": seen})

    html = warned.content.decode()
    assert warned.status_code == 200
    assert "Elena Agente replied while you were writing" in html
    assert "My own answer.</textarea>" in html  # the typed text is kept
    assert "Elena&#x27;s <em>answer</em>." in html or "Elena's <em>answer</em>." in html
    assert ticket.replies.filter(body="My own answer.").count() == 0
    newest = seen_id(html)
    assert newest == services.newest_public_reply_id(ticket) > seen

    sent = agent.post(url, {"body": "My own answer.", "seen_reply_id": newest})

    assert sent.status_code == 302
    assert ticket.replies.filter(body="My own answer.", author=demo.agent).count() == 1

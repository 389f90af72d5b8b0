"""The API side of working together: replies that cross, and the agent's mentions."""

import pytest
from django.test import TestCase

from supportal.tickets import services
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_reply_crossing_a_newer_one_gets_409_and_writes_nothing(api, demo):
    ticket = make_ticket(demo.bob)
    seen = services.newest_public_reply_id(ticket)
    services.add_reply(ticket=ticket, author=demo.agent_es, body="Answered already.")

    crossed = api.post(
        f"/tickets/{ticket.pk}/replies",
        {"body": "My answer.", "seen_reply_id": seen},
        user=demo.agent,
    )
    assert crossed.status_code == 409
    assert crossed.json()["code"] == "crossed_reply"
    assert not ticket.replies.filter(body="My answer.").exists()

    newest = services.newest_public_reply_id(ticket)
    sent = api.post(
        f"/tickets/{ticket.pk}/replies",
        {"body": "My answer.", "seen_reply_id": newest},
        user=demo.agent,
    )
    assert sent.status_code == 201


def test_agent_lists_and_reads_their_mentions(api, demo):
    ticket = make_ticket(demo.bob)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.add_reply(
            ticket=ticket, author=demo.agent, body="@agent.es can you take this?", internal=True
        )

    listed = api.get("/mentions", user=demo.agent_es)
    assert listed.status_code == 200
    body = listed.json()
    assert body["unread"] == 1
    [item] = body["items"]
    assert item["ticket_number"] == ticket.number
    assert item["author_name"] == "Avery Agent"
    assert item["body"] == "@agent.es can you take this?"
    assert item["read"] is False

    assert api.post("/mentions/read", user=demo.agent_es).json() == {"marked_read": 1}
    assert api.get("/mentions", user=demo.agent_es, unread="true").json() == {
        "items": [],
        "unread": 0,
    }
    assert api.get("/mentions", user=demo.agent).json()["items"] == []  # not theirs


def test_customers_have_no_mentions(api, demo):
    assert api.get("/mentions", user=demo.bob).status_code == 403
    assert api.post("/mentions/read", user=demo.bob).status_code == 403

"""POST/GET /api/v1/tickets/{id}/replies: replies, internal notes and follow-ups."""

import pytest

from supportal.tickets import services
from supportal.tickets.models import Reply, Ticket
from tests.factories import make_ticket

from .client import error_fields

pytestmark = pytest.mark.django_db


def test_customer_reply_is_created(api, demo):
    ticket = make_ticket(demo.bob)
    response = api.post(f"/tickets/{ticket.pk}/replies", {"body": "Any news?"}, user=demo.bob)
    assert response.status_code == 201
    reply = Reply.objects.get(ticket=ticket)
    assert response.json() == {"id": reply.pk, "ticket_id": ticket.pk, "follow_up_ticket_id": None}
    assert reply.author == demo.bob
    assert not reply.internal


def test_staff_note_is_internal_and_hidden_from_customers(api, demo):
    ticket = make_ticket(demo.bob)
    api.post(f"/tickets/{ticket.pk}/replies", {"body": "Public answer"}, user=demo.agent)
    note = api.post(
        f"/tickets/{ticket.pk}/replies",
        {"body": "Check the payment logs", "internal": True},
        user=demo.agent,
    )
    assert note.status_code == 201

    staff_view = api.get(f"/tickets/{ticket.pk}/replies", user=demo.agent).json()["items"]
    assert [(r["body"], r["internal"]) for r in staff_view] == [
        ("Public answer", False),
        ("Check the payment logs", True),
    ]
    for customer in (demo.bob, demo.alice):
        response = api.get(f"/tickets/{ticket.pk}/replies", user=customer)
        assert response.status_code == 200
        assert [r["body"] for r in response.json()["items"]] == ["Public answer"]
        assert "payment logs" not in response.content.decode()


def test_reply_json_fields(api, demo):
    ticket = make_ticket(demo.bob)
    services.add_reply(ticket=ticket, author=demo.agent, body="Hello Bob")
    item = api.get(f"/tickets/{ticket.pk}/replies", user=demo.bob).json()["items"][0]
    assert set(item) == {
        "id",
        "ticket_id",
        "author_id",
        "author_name",
        "body",
        "internal",
        "created_at",
    }
    assert item["author_id"] == demo.agent.pk
    assert item["author_name"] == "Avery Agent"
    assert item["created_at"].endswith("+00:00")


@pytest.mark.parametrize("persona", ["bob", "alice"])
def test_customer_may_not_send_internal_notes(api, demo, persona):
    ticket = make_ticket(demo.bob)
    response = api.post(
        f"/tickets/{ticket.pk}/replies",
        {"body": "Psst", "internal": True},
        user=getattr(demo, persona),
    )
    assert response.status_code == 403
    assert not Reply.objects.exists()


def test_customer_reply_to_closed_ticket_opens_a_follow_up(api, demo):
    ticket = make_ticket(demo.bob)
    services.change_status(ticket=ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    response = api.post(f"/tickets/{ticket.pk}/replies", {"body": "It broke again."}, user=demo.bob)
    assert response.status_code == 201
    follow_up_id = response.json()["follow_up_ticket_id"]
    assert follow_up_id is not None
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    follow_up = api.get(f"/tickets/{follow_up_id}", user=demo.bob).json()
    assert follow_up["follow_up_of"] == ticket.pk
    assert follow_up["description"] == "It broke again."
    assert follow_up["status"] == "new"


def test_staff_reply_to_closed_ticket_is_a_409(api, demo):
    ticket = make_ticket(demo.bob)
    services.change_status(ticket=ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    response = api.post(f"/tickets/{ticket.pk}/replies", {"body": "Hello?"}, user=demo.agent)
    assert response.status_code == 409
    assert response.json()["code"] == "ticket_closed"
    assert not Reply.objects.exists()


def test_empty_body_is_named(api, demo):
    ticket = make_ticket(demo.bob)
    assert error_fields(
        api.post(f"/tickets/{ticket.pk}/replies", {"body": " "}, user=demo.bob)
    ) == {"body"}
    assert error_fields(api.post(f"/tickets/{ticket.pk}/replies", {}, user=demo.bob)) == {"body"}


def test_other_organizations_ticket_is_404_and_unchanged(api, demo):
    ticket = make_ticket(demo.bob)
    post = api.post(f"/tickets/{ticket.pk}/replies", {"body": "Hi"}, user=demo.carol)
    listing = api.get(f"/tickets/{ticket.pk}/replies", user=demo.carol)
    assert post.status_code == listing.status_code == 404
    assert not Reply.objects.exists()


def test_replies_are_paginated_oldest_first(api, demo):
    ticket = make_ticket(demo.bob)
    for n in range(5):
        services.add_reply(ticket=ticket, author=demo.bob, body=f"message {n}")
    first = api.get(f"/tickets/{ticket.pk}/replies", user=demo.bob, limit=3).json()
    second = api.get(
        f"/tickets/{ticket.pk}/replies", user=demo.bob, limit=3, cursor=first["next_cursor"]
    ).json()
    bodies = [r["body"] for r in first["items"] + second["items"]]
    assert bodies == [f"message {n}" for n in range(5)]
    assert second["next_cursor"] is None

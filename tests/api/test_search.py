"""/api/v1/tickets/search, /api/v1/views and /api/v1/tickets/{id}/tags."""

from __future__ import annotations

import pytest

from supportal.tickets import services
from supportal.tickets.models import SavedView
from tests.factories import make_ticket
from tests.training import train

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(demo):
    train(demo.carol, "pjm")
    bob = make_ticket(demo.bob, subject="Storefront DNS not resolving")
    services.add_reply(ticket=bob, author=demo.agent, body="Registrar is zanzibar.", internal=True)
    return {
        "bob": bob,
        "carol": make_ticket(demo.carol, product="pjm", subject="Printer queue stuck"),
    }


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


def test_customer_of_another_organization_finds_nothing_of_theirs(api, demo, tickets):
    assert numbers(api.get("/tickets/search", user=demo.carol, q="storefront")) == []
    assert numbers(api.get("/tickets/search", user=demo.carol, q="")) == [tickets["carol"].number]
    assert numbers(api.get("/tickets/search", user=demo.bob, q="storefront")) == [
        tickets["bob"].number
    ]


def test_internal_notes_are_searched_for_staff_only(api, demo, tickets):
    assert numbers(api.get("/tickets/search", user=demo.bob, q="zanzibar")) == []
    assert numbers(api.get("/tickets/search", user=demo.alice, q="zanzibar")) == []
    assert numbers(api.get("/tickets/search", user=demo.agent, q="zanzibar")) == [
        tickets["bob"].number
    ]


def test_search_answers_count_problems_and_tags(api, demo, tickets):
    api.post(f"/tickets/{tickets['bob'].pk}/tags", {"name": "dns"}, user=demo.agent)
    body = api.get("/tickets/search", user=demo.agent, q="tag:dns status:nope").json()
    assert body["items"] == [] and body["count"] == 0
    assert any("status:nope" in p for p in body["problems"])
    body = api.get("/tickets/search", user=demo.agent, q="tag:dns").json()
    assert body["count"] == 1 and body["count_capped"] is False
    assert body["items"][0]["tags"] == ["dns"]


def test_tags_are_for_staff(api, demo, tickets):
    path = f"/tickets/{tickets['bob'].pk}/tags"
    assert api.post(path, {"name": "x"}, user=demo.bob).status_code == 403
    assert api.post(path, {"name": "x"}, user=demo.carol).status_code == 404
    assert api.get(path, user=demo.bob).status_code == 403
    added = api.post(path, {"name": "Payment Gateway"}, user=demo.agent)
    assert added.json() == {"tags": ["payment-gateway"]}
    gone = api.client.delete(
        "/api/v1" + path + "/payment-gateway",
        headers={"Authorization": f"Bearer {api.token(demo.agent)}"},
    )
    assert gone.json() == {"tags": []}


def test_views_with_counts(api, demo, tickets):
    created = api.post(
        "/views", {"name": "DNS", "query": "storefront", "visibility": "team"}, user=demo.agent
    )
    assert created.status_code == 201 and created.json()["count"] == 1
    listed = api.get("/views", user=demo.manager).json()
    assert [(v["name"], v["count"]) for v in listed] == [("Queue", 2), ("DNS", 1)]
    assert api.get("/views", user=demo.bob).status_code == 403
    assert api.post("/views", {"name": "x", "query": "y"}, user=demo.bob).status_code == 403
    duplicate = api.post("/views", {"name": "DNS", "query": "x"}, user=demo.agent)
    assert duplicate.status_code == 422
    view = SavedView.objects.get()
    other = api.client.delete(
        f"/api/v1/views/{view.pk}", headers={"Authorization": f"Bearer {api.token(demo.agent_es)}"}
    )
    assert other.status_code == 403


def test_bulk_tags_the_tickets_staff_chose(api, demo, tickets):
    ids = [tickets["bob"].pk, tickets["carol"].pk]
    body = {"ticket_ids": ids, "action": "tag", "value": "triage"}
    done = api.post("/tickets/bulk", body, user=demo.agent)
    assert done.status_code == 200
    assert sorted(done.json()["done"]) == sorted([tickets["bob"].number, tickets["carol"].number])
    assert api.post("/tickets/bulk", body, user=demo.alice).status_code == 403
    wrong = api.post("/tickets/bulk", {**body, "action": "status", "value": "x"}, user=demo.agent)
    assert wrong.status_code == 422

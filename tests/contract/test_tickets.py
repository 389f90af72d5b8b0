"""API.md, Tickets: filing, reading, replies, follow-ups, staff actions, queue, credentials."""

from __future__ import annotations

from datetime import datetime

import pytest

from supportal.tickets.models import AuditEvent, Ticket
from tests.training import train

TICKET_FIELDS = {
    "id",
    "number",
    "status",
    "kind",
    "product",
    "subject",
    "description",
    "urgent",
    "channel",
    "organization_id",
    "requester_id",
    "assignee_id",
    "received_at",
    "first_response_due",
    "first_responded_at",
    "sla_breached",
    "follow_up_of",
    "has_credentials",
}

FULL = {
    "product": "pressero",
    "kind": "bug",
    "subject": "Checkout fails on the payment step",
    "description": "Customers see an error when they pay by card.",
    "site_name": "Acme Storefront",
    "site_url": "https://store.acmeprint.test",
    "admin_username": "acme-admin",
    "admin_password": "correct horse battery staple",
    "site_user_username": "buyer",
    "site_user_password": "buyer-secret-42",
    "steps": "1. Add a product\n2. Pay by card",
    "urgent": True,
    "urgent_reason": "cannot_order",
}
SECRETS = ("acme-admin", "correct horse battery staple", "buyer-secret-42")


def file(http, user, **fields) -> dict:
    body = {
        "product": "pressero",
        "kind": "question",
        "subject": "Where is the shipping setup?",
        "description": "We want next-day delivery.",
    }
    response = http.post("/api/v1/tickets", {**body, **fields}, user=user)
    assert response.status_code == 201, response.text
    return response.json()


def test_filing_a_ticket_returns_201_with_every_field(http, demo_live):
    response = http.post("/api/v1/tickets", FULL, user=demo_live.alice)
    assert response.status_code == 201
    ticket = response.json()
    assert set(ticket) == TICKET_FIELDS
    assert ticket["number"] == f"SUP-{1000 + ticket['id']}"
    assert ticket["status"] == "new"
    assert (ticket["kind"], ticket["product"], ticket["channel"]) == ("bug", "pressero", "api")
    assert (ticket["subject"], ticket["description"]) == (FULL["subject"], FULL["description"])
    assert ticket["urgent"] is True
    assert ticket["organization_id"] == demo_live.acme.pk
    assert ticket["requester_id"] == demo_live.alice.pk
    assert ticket["assignee_id"] is None
    assert ticket["follow_up_of"] is None
    assert ticket["sla_breached"] is False
    assert ticket["has_credentials"] is True
    assert datetime.fromisoformat(ticket["received_at"]).utcoffset() is not None
    for secret in SECRETS:
        assert secret not in response.text
    stored = Ticket.objects.get(pk=ticket["id"])
    assert stored.admin_password == FULL["admin_password"]
    assert stored.site_url == FULL["site_url"]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"subject": None}, {"subject"}),
        ({"product": "coffee-machine"}, {"product"}),
        ({"urgent_reason": None}, {"urgent_reason"}),
        ({"kind": "rant", "subject": "", "product": "pjm"}, {"kind"}),
        (
            {"subject": " ", "product": "pjm", "urgent_reason": None},
            {"subject", "product", "urgent_reason"},
        ),
    ],
    ids=["missing-subject", "bad-product", "urgent-without-reason", "bad-kind", "several"],
)
def test_invalid_tickets_are_422_naming_each_field(http, demo_live, change, fields):
    body = {k: v for k, v in {**FULL, **change}.items() if v is not None}
    response = http.post("/api/v1/tickets", body, user=demo_live.bob)
    assert response.status_code == 422
    assert {item["loc"][-1] for item in response.json()["detail"]} == fields
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "kind",
    [
        "question",
        "bug",
        "feature_request",
        "professional_services",
        "training_request",
        "calculator_password",
    ],
)
def test_every_kind_can_be_filed(http, demo_live, kind):
    train(demo_live.carol, "tflow")
    ticket = file(http, demo_live.carol, product="tflow", kind=kind)
    assert (ticket["kind"], ticket["product"], ticket["channel"]) == (kind, "tflow", "api")


def test_staff_do_not_file_tickets(http, demo_live):
    assert http.post("/api/v1/tickets", FULL, user=demo_live.agent).status_code == 403


def test_who_sees_which_tickets(http, demo_live):
    bobs = file(http, demo_live.bob)["id"]
    alices = file(http, demo_live.alice)["id"]
    train(demo_live.carol, "pjm")
    carols = file(http, demo_live.carol, product="pjm")["id"]

    def listed(user) -> set[int]:
        return {t["id"] for t in http.get("/api/v1/tickets", user=user).json()["items"]}

    assert listed(demo_live.bob) == {bobs}
    assert listed(demo_live.alice) == {bobs, alices}
    assert listed(demo_live.carol) == {carols}
    assert listed(demo_live.agent) == {bobs, alices, carols}
    assert http.get(f"/api/v1/tickets/{alices}", user=demo_live.bob).status_code == 404
    assert http.get(f"/api/v1/tickets/{bobs}", user=demo_live.alice).status_code == 200
    assert http.get(f"/api/v1/tickets/{bobs}", user=demo_live.carol).status_code == 404
    assert http.get(f"/api/v1/tickets/{carols}", user=demo_live.manager).status_code == 200


def test_list_filters(http, demo_live):
    plain = file(http, demo_live.alice)["id"]
    urgent = file(http, demo_live.alice, urgent=True, urgent_reason="cannot_produce")["id"]
    edoc = file(http, demo_live.alice, product="edocbuilder")["id"]
    http.post(f"/api/v1/tickets/{edoc}/status", {"status": "open"}, user=demo_live.agent)

    def listed(**params) -> set[int]:
        response = http.get("/api/v1/tickets", user=demo_live.alice, **params)
        assert response.status_code == 200
        return {t["id"] for t in response.json()["items"]}

    assert listed(status="open") == {edoc}
    assert listed(product="pressero") == {plain, urgent}
    assert listed(urgent="true") == {urgent}
    assert listed(urgent="false", status="new") == {plain}


def test_replies_and_internal_notes(http, demo_live):
    ticket = file(http, demo_live.bob)["id"]
    path = f"/api/v1/tickets/{ticket}/replies"
    public = http.post(path, {"body": "We are on it.", "internal": False}, user=demo_live.agent)
    assert public.status_code == 201
    assert public.json() == {
        "id": public.json()["id"],
        "ticket_id": ticket,
        "follow_up_ticket_id": None,
    }
    note = http.post(path, {"body": "Gateway key expired", "internal": True}, user=demo_live.agent)
    assert note.status_code == 201
    own = http.post(path, {"body": "Thanks!"}, user=demo_live.bob)
    assert own.status_code == 201

    staff = [r["body"] for r in http.get(path, user=demo_live.agent).json()["items"]]
    assert staff == ["We are on it.", "Gateway key expired", "Thanks!"]
    for customer in (demo_live.bob, demo_live.alice):
        response = http.get(path, user=customer)
        assert [r["body"] for r in response.json()["items"]] == ["We are on it.", "Thanks!"]
        assert "Gateway key" not in response.text


def test_customers_may_not_send_internal_notes(http, demo_live):
    ticket = file(http, demo_live.bob)["id"]
    response = http.post(
        f"/api/v1/tickets/{ticket}/replies", {"body": "psst", "internal": True}, user=demo_live.bob
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(ticket_id=ticket, action="note_added").exists()


def test_reply_to_closed_ticket_opens_a_follow_up(http, demo_live):
    ticket = file(http, demo_live.bob)["id"]
    http.post(f"/api/v1/tickets/{ticket}/status", {"status": "closed"}, user=demo_live.agent)
    response = http.post(
        f"/api/v1/tickets/{ticket}/replies", {"body": "It broke again."}, user=demo_live.bob
    )
    assert response.status_code == 201
    follow_up = response.json()["follow_up_ticket_id"]
    assert isinstance(follow_up, int) and follow_up != ticket
    original = http.get(f"/api/v1/tickets/{ticket}", user=demo_live.bob).json()
    assert original["status"] == "closed"
    new = http.get(f"/api/v1/tickets/{follow_up}", user=demo_live.bob).json()
    assert new["follow_up_of"] == ticket
    assert new["status"] == "new"


def test_status_and_assignment_are_staff_actions(http, demo_live):
    ticket = file(http, demo_live.bob)["id"]
    agent, bob, alice = demo_live.agent, demo_live.bob, demo_live.alice

    status = http.post(
        f"/api/v1/tickets/{ticket}/status", {"status": "pending_customer"}, user=agent
    )
    assert status.status_code == 200
    assert set(status.json()) == TICKET_FIELDS
    assert status.json()["status"] == "pending_customer"

    assign = http.post(
        f"/api/v1/tickets/{ticket}/assign", {"assignee_id": demo_live.ps.pk}, user=agent
    )
    assert assign.status_code == 200
    assert assign.json()["assignee_id"] == demo_live.ps.pk

    for customer in (bob, alice):
        assert (
            http.post(f"/api/v1/tickets/{ticket}/status", {"status": "resolved"}, user=customer)
        ).status_code == 403
        assert (
            http.post(f"/api/v1/tickets/{ticket}/assign", {"assignee_id": None}, user=customer)
        ).status_code == 403
    current = http.get(f"/api/v1/tickets/{ticket}", user=bob).json()
    assert (current["status"], current["assignee_id"]) == ("pending_customer", demo_live.ps.pk)


def test_queue_is_urgent_first_then_by_received_at(http, demo_live):
    first = file(http, demo_live.bob, subject="first")["id"]
    urgent_one = file(http, demo_live.alice, urgent=True, urgent_reason="cannot_order")["id"]
    train(demo_live.carol, "tflow")
    second = file(http, demo_live.carol, product="tflow", subject="second")["id"]
    urgent_two = file(http, demo_live.bob, urgent=True, urgent_reason="cannot_produce")["id"]
    done = file(http, demo_live.bob, subject="done")["id"]
    http.post(f"/api/v1/tickets/{done}/status", {"status": "resolved"}, user=demo_live.agent)

    response = http.get("/api/v1/queue", user=demo_live.agent)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [t["id"] for t in items] == [urgent_one, urgent_two, first, second]
    received = [datetime.fromisoformat(t["received_at"]) for t in items]
    assert received[0] < received[1] and received[2] < received[3]

    paged: list[int] = []
    params: dict[str, object] = {"limit": 3}
    while True:
        body = http.get("/api/v1/queue", user=demo_live.agent, **params).json()
        paged += [t["id"] for t in body["items"]]
        if not body["next_cursor"]:
            break
        params["cursor"] = body["next_cursor"]
    assert paged == [urgent_one, urgent_two, first, second]


def test_queue_is_for_staff_only(http, demo_live):
    for customer in (demo_live.alice, demo_live.bob, demo_live.carol):
        assert http.get("/api/v1/queue", user=customer).status_code == 403


def test_credentials_are_for_staff_and_every_read_is_audited(http, demo_live):
    ticket = http.post("/api/v1/tickets", FULL, user=demo_live.bob).json()["id"]

    for customer in (demo_live.alice, demo_live.bob):
        for response in (
            http.get(f"/api/v1/tickets/{ticket}", user=customer),
            http.get("/api/v1/tickets", user=customer),
            http.get(f"/api/v1/tickets/{ticket}/replies", user=customer),
        ):
            assert response.status_code == 200
            for secret in SECRETS:
                assert secret not in response.text
        denied = http.get(f"/api/v1/tickets/{ticket}/credentials", user=customer)
        assert denied.status_code == 403
    assert (
        http.get(f"/api/v1/tickets/{ticket}/credentials", user=demo_live.carol).status_code == 404
    )
    assert not AuditEvent.objects.filter(ticket_id=ticket, action="credentials_viewed").exists()

    response = http.get(f"/api/v1/tickets/{ticket}/credentials", user=demo_live.agent)
    assert response.status_code == 200
    assert response.json() == {
        "admin_username": "acme-admin",
        "admin_password": "correct horse battery staple",
        "site_user_username": "buyer",
        "site_user_password": "buyer-secret-42",
    }
    events = AuditEvent.objects.filter(ticket_id=ticket, action="credentials_viewed")
    assert [e.actor_id for e in events] == [demo_live.agent.pk]

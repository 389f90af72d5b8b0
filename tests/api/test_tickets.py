"""POST/GET /api/v1/tickets and GET /api/v1/tickets/{id}."""

from datetime import datetime

import pytest

from supportal.tickets.models import AuditEvent, Ticket
from tests.factories import make_ticket
from tests.training import train

from .client import error_fields

pytestmark = pytest.mark.django_db

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

FULL_TICKET = {
    "product": "pressero",
    "kind": "bug",
    "subject": "Checkout fails on the payment step",
    "description": "Customers see an error when they pay by card.",
    "site_name": "Acme Storefront",
    "site_url": "https://store.acmeprint.test",
    "admin_username": "acme-admin",
    "admin_password": "correct horse battery staple",
    "site_user_username": "buyer",
    "site_user_password": "buyer-pw-123",
    "steps": "1. Add a product\n2. Pay by card",
    "urgent": True,
    "urgent_reason": "cannot_order",
}


def test_customer_files_a_ticket_with_every_field(api, demo):
    response = api.post("/tickets", FULL_TICKET, user=demo.alice)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == TICKET_FIELDS
    ticket = Ticket.objects.get(pk=body["id"])
    assert body["number"] == ticket.number == f"SUP-{1000 + ticket.pk}"
    assert body["status"] == "new"
    assert body["kind"] == "bug"
    assert body["product"] == "pressero"
    assert body["subject"] == FULL_TICKET["subject"]
    assert body["description"] == FULL_TICKET["description"]
    assert body["urgent"] is True
    assert body["channel"] == "api"
    assert body["organization_id"] == demo.acme.pk
    assert body["requester_id"] == demo.alice.pk
    assert body["assignee_id"] is None
    assert body["follow_up_of"] is None
    assert body["sla_breached"] is False
    assert body["has_credentials"] is True
    received = datetime.fromisoformat(body["received_at"])
    assert received.utcoffset() is not None
    assert received == ticket.received_at
    # Everything sent was stored, credentials included (encrypted, not echoed back).
    assert ticket.site_url == FULL_TICKET["site_url"]
    assert ticket.admin_password == FULL_TICKET["admin_password"]
    assert ticket.urgent_reason == "cannot_order"
    assert ticket.steps == FULL_TICKET["steps"]
    assert FULL_TICKET["admin_password"] not in response.content.decode()
    assert ticket.audit_events.filter(action=AuditEvent.Action.CREATED).exists()


def test_minimal_ticket_uses_defaults(api, demo):
    train(demo.carol, "pjm")
    response = api.post(
        "/tickets",
        {"product": "pjm", "kind": "question", "subject": "Import", "description": "How?"},
        user=demo.carol,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["urgent"] is False
    assert body["has_credentials"] is False
    assert body["product"] == "pjm"


def test_missing_and_invalid_fields_are_each_named(api, demo):
    response = api.post("/tickets", {"kind": "rant", "urgent": "very"}, user=demo.bob)
    assert error_fields(response) == {"product", "kind", "subject", "description", "urgent"}
    for item in response.json()["detail"]:
        assert set(item) == {"loc", "msg", "type"}
        assert item["loc"][:2] == ["body", "payload"]


def test_rule_checked_fields_are_named_in_the_same_shape(api, demo):
    response = api.post(
        "/tickets",
        {
            "product": "nope",
            "kind": "question",
            "subject": "  ",
            "description": "",
            "site_url": "javascript:alert(1)",
            "urgent": True,
        },
        user=demo.bob,
    )
    assert error_fields(response) == {
        "product",
        "subject",
        "description",
        "site_url",
        "urgent_reason",
    }
    for item in response.json()["detail"]:
        assert set(item) == {"loc", "msg", "type"}
        assert item["loc"][:2] == ["body", "payload"]
        assert item["msg"]
    assert not Ticket.objects.exists()


def test_urgent_without_reason_names_urgent_reason(api, demo):
    body = {**FULL_TICKET, "urgent_reason": None}
    response = api.post("/tickets", body, user=demo.bob)
    assert error_fields(response) == {"urgent_reason"}


def test_unknown_urgent_reason_is_refused(api, demo):
    response = api.post("/tickets", {**FULL_TICKET, "urgent_reason": "bored"}, user=demo.bob)
    assert error_fields(response) == {"urgent_reason"}


def test_product_outside_the_subscription_is_named(api, demo):
    response = api.post("/tickets", {**FULL_TICKET, "product": "pjm"}, user=demo.bob)
    assert error_fields(response) == {"product"}


def test_body_that_is_not_json_is_a_422(api, demo):
    response = api.client.post(
        "/api/v1/tickets",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token(demo.bob)}"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body"], "msg": "The request body is not valid JSON.", "type": "json_invalid"}
    ]


@pytest.mark.parametrize("persona", ["agent", "ps", "manager"])
def test_staff_may_not_file_tickets(api, demo, persona):
    response = api.post("/tickets", FULL_TICKET, user=getattr(demo, persona))
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_training_requirement_refusal_is_a_409(api, demo, settings):
    settings.SUPPORTAL_TRAINING_REQUIREMENT = "block"
    response = api.post("/tickets", {**FULL_TICKET, "product": "pjm"}, user=demo.carol)
    assert response.status_code == 409
    assert response.json()["code"] == "training_required"
    assert response.json()["detail"]


def test_customer_lists_only_own_tickets(api, demo):
    own = make_ticket(demo.bob)
    make_ticket(demo.alice)
    train(demo.carol, "pjm")
    make_ticket(demo.carol, product="pjm")
    response = api.get("/tickets", user=demo.bob)
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["items"]] == [own.pk]
    assert response.json()["next_cursor"] is None


def test_customer_admin_lists_the_organizations_tickets(api, demo):
    bobs = make_ticket(demo.bob)
    alices = make_ticket(demo.alice)
    train(demo.carol, "pjm")
    make_ticket(demo.carol, product="pjm")
    ids = [t["id"] for t in api.get("/tickets", user=demo.alice).json()["items"]]
    assert ids == [alices.pk, bobs.pk]


def test_staff_list_every_ticket(api, demo):
    train(demo.carol, "pjm")
    tickets = [make_ticket(demo.bob), make_ticket(demo.carol, product="pjm")]
    ids = {t["id"] for t in api.get("/tickets", user=demo.agent).json()["items"]}
    assert ids == {t.pk for t in tickets}


def test_list_filters_by_status_product_and_urgency(api, demo):
    plain = make_ticket(demo.alice)
    urgent = make_ticket(demo.alice, urgent=True, urgent_reason="cannot_produce")
    edoc = make_ticket(demo.alice, product="edocbuilder")
    api.post(f"/tickets/{edoc.pk}/status", {"status": "open"}, user=demo.agent)

    def ids(**params):
        response = api.get("/tickets", user=demo.alice, **params)
        assert response.status_code == 200
        return {t["id"] for t in response.json()["items"]}

    assert ids(status="open") == {edoc.pk}
    assert ids(status="new") == {plain.pk, urgent.pk}
    assert ids(product="edocbuilder") == {edoc.pk}
    assert ids(urgent="true") == {urgent.pk}
    assert ids(urgent="false") == {plain.pk, edoc.pk}
    assert ids(status="new", product="pressero", urgent="false") == {plain.pk}


def test_unknown_filter_values_are_named(api, demo):
    response = api.get("/tickets", user=demo.alice, status="lost", urgent="maybe", limit=0)
    assert error_fields(response) == {"status", "urgent", "limit"}


def test_cursor_pages_walk_every_ticket_once(api, demo):
    filed = {make_ticket(demo.alice).pk for _ in range(7)}
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = api.get("/tickets", user=demo.alice, **params).json()
        seen += [t["id"] for t in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == filed
    assert seen == sorted(seen, reverse=True)  # newest first


def test_customer_reads_own_ticket(api, demo):
    ticket = make_ticket(demo.bob)
    response = api.get(f"/tickets/{ticket.pk}", user=demo.bob)
    assert response.status_code == 200
    assert response.json()["number"] == ticket.number
    assert response.json()["channel"] == "portal"


def test_customer_admin_reads_colleagues_ticket_but_colleague_not_admins(api, demo):
    bobs = make_ticket(demo.bob)
    alices = make_ticket(demo.alice)
    assert api.get(f"/tickets/{bobs.pk}", user=demo.alice).status_code == 200
    assert api.get(f"/tickets/{alices.pk}", user=demo.bob).status_code == 404


def test_other_organizations_ticket_is_404_like_a_missing_one(api, demo):
    ticket = make_ticket(demo.bob)
    hidden = api.get(f"/tickets/{ticket.pk}", user=demo.carol)
    missing = api.get("/tickets/999999", user=demo.carol)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_credentials_never_appear_in_ticket_json(api, demo):
    ticket = make_ticket(demo.alice, admin_password="s3cret-pw", site_user_password="pw-2")
    for user in (demo.alice, demo.agent):
        text = api.get(f"/tickets/{ticket.pk}", user=user).content.decode()
        text += api.get("/tickets", user=user).content.decode()
        assert "s3cret-pw" not in text
        assert "pw-2" not in text
        assert "admin_password" not in text


def test_non_numeric_ticket_id_is_a_422(api, demo):
    response = api.get("/tickets/abc", user=demo.bob)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "ticket_id"]

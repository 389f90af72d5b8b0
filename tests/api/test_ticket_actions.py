"""Staff actions on a ticket: status, assignment and reading credentials."""

import pytest

from supportal.tickets.models import AuditEvent, Ticket
from tests.factories import make_ticket

from .client import error_fields

pytestmark = pytest.mark.django_db


def test_agent_changes_status(api, demo):
    ticket = make_ticket(demo.bob)
    response = api.post(f"/tickets/{ticket.pk}/status", {"status": "open"}, user=demo.agent)
    assert response.status_code == 200
    assert response.json()["status"] == "open"
    assert response.json()["product"] == "pressero"
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.audit_events.filter(action=AuditEvent.Action.STATUS_CHANGED).exists()


def test_closed_ticket_cannot_reopen(api, demo):
    ticket = make_ticket(demo.bob)
    closed = api.post(f"/tickets/{ticket.pk}/status", {"status": "closed"}, user=demo.agent)
    assert closed.json()["status"] == "closed"
    response = api.post(f"/tickets/{ticket.pk}/status", {"status": "open"}, user=demo.agent)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "A closed ticket cannot become open.",
        "code": "invalid_transition",
    }
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


def test_unknown_status_is_named(api, demo):
    ticket = make_ticket(demo.bob)
    response = api.post(f"/tickets/{ticket.pk}/status", {"status": "done"}, user=demo.agent)
    assert error_fields(response) == {"status"}


@pytest.mark.parametrize("persona", ["bob", "alice"])
def test_customers_who_see_the_ticket_may_not_change_status(api, demo, persona):
    ticket = make_ticket(demo.bob)
    response = api.post(
        f"/tickets/{ticket.pk}/status", {"status": "resolved"}, user=getattr(demo, persona)
    )
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


def test_customer_of_another_organization_gets_404_for_status(api, demo):
    ticket = make_ticket(demo.bob)
    response = api.post(f"/tickets/{ticket.pk}/status", {"status": "closed"}, user=demo.carol)
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


def test_agent_assigns_and_unassigns(api, demo):
    ticket = make_ticket(demo.bob)
    response = api.post(
        f"/tickets/{ticket.pk}/assign", {"assignee_id": demo.ps.pk}, user=demo.agent
    )
    assert response.status_code == 200
    assert response.json()["assignee_id"] == demo.ps.pk
    response = api.post(f"/tickets/{ticket.pk}/assign", {"assignee_id": None}, user=demo.agent)
    assert response.json()["assignee_id"] is None
    assert ticket.audit_events.filter(action=AuditEvent.Action.ASSIGNED).count() == 2


def test_assigning_to_a_customer_is_named(api, demo):
    ticket = make_ticket(demo.bob)
    response = api.post(
        f"/tickets/{ticket.pk}/assign", {"assignee_id": demo.bob.pk}, user=demo.agent
    )
    assert error_fields(response) == {"assignee_id"}
    response = api.post(f"/tickets/{ticket.pk}/assign", {}, user=demo.agent)
    assert error_fields(response) == {"assignee_id"}


def test_customers_may_not_assign(api, demo):
    ticket = make_ticket(demo.bob)
    response = api.post(
        f"/tickets/{ticket.pk}/assign", {"assignee_id": demo.agent.pk}, user=demo.alice
    )
    assert response.status_code == 403
    other = api.post(
        f"/tickets/{ticket.pk}/assign", {"assignee_id": demo.agent.pk}, user=demo.carol
    )
    assert other.status_code == 404
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_staff_read_credentials_and_the_read_is_audited(api, demo):
    ticket = make_ticket(
        demo.alice,
        admin_username="acme-admin",
        admin_password="s3cret-pw",
        site_user_username="buyer",
        site_user_password="buyer-pw",
    )
    response = api.get(f"/tickets/{ticket.pk}/credentials", user=demo.agent)
    assert response.status_code == 200
    assert response.json() == {
        "admin_username": "acme-admin",
        "admin_password": "s3cret-pw",
        "site_user_username": "buyer",
        "site_user_password": "buyer-pw",
    }
    event = ticket.audit_events.get(action=AuditEvent.Action.CREDENTIALS_VIEWED)
    assert event.actor == demo.agent


def test_customers_never_read_credentials(api, demo):
    ticket = make_ticket(demo.bob, admin_password="s3cret-pw")
    for customer, status in ((demo.bob, 403), (demo.alice, 403), (demo.carol, 404)):
        response = api.get(f"/tickets/{ticket.pk}/credentials", user=customer)
        assert response.status_code == status
        assert "s3cret-pw" not in response.content.decode()
    assert not ticket.audit_events.filter(action=AuditEvent.Action.CREDENTIALS_VIEWED).exists()


def test_staff_downgrade_urgent_ticket_with_note(api, demo):
    ticket = make_ticket(demo.bob, urgent=True, urgent_reason="cannot_order")
    path = f"/tickets/{ticket.pk}/downgrade"
    assert api.post(path, {"note": "x"}, user=demo.bob).status_code == 403
    assert api.post(path, {"note": "x"}, user=demo.carol).status_code == 404
    assert "note" in error_fields(api.post(path, {"note": " "}, user=demo.agent))
    response = api.post(path, {"note": "Orders still go through"}, user=demo.agent)
    assert response.status_code == 200
    assert response.json()["urgent"] is False
    again = api.post(path, {"note": "again"}, user=demo.agent)
    assert again.status_code == 409 and again.json()["code"] == "not_urgent"
    assert ticket.audit_events.filter(action=AuditEvent.Action.URGENCY_DOWNGRADED).count() == 1


def test_staff_mark_a_ticket_urgent_with_a_reason_the_customer_sees(api, demo):
    ticket = make_ticket(demo.bob)  # as a voicemail or email ticket arrives: not urgent
    path = f"/tickets/{ticket.pk}/urgent"
    body = {"reason": "cannot_produce", "note": "The press is idle"}
    assert api.post(path, body, user=demo.bob).status_code == 403
    assert api.post(path, body, user=demo.carol).status_code == 404
    assert error_fields(api.post(path, {"reason": "slow", "note": "x"}, user=demo.agent)) == {
        "reason"
    }
    assert "note" in error_fields(api.post(path, {**body, "note": " "}, user=demo.agent))
    response = api.post(path, body, user=demo.agent)
    assert response.status_code == 200 and response.json()["urgent"] is True
    ticket.refresh_from_db()
    assert ticket.urgent_reason == "cannot_produce"
    replies = api.get(f"/tickets/{ticket.pk}/replies", user=demo.bob).json()["items"]
    assert any("The press is idle" in reply["body"] for reply in replies)
    again = api.post(path, body, user=demo.agent)
    assert again.status_code == 409 and again.json()["code"] == "already_urgent"
    assert ticket.audit_events.filter(action=AuditEvent.Action.URGENCY_RAISED).count() == 1


def test_a_closed_ticket_cannot_be_marked_urgent(api, demo):
    ticket = make_ticket(demo.bob)
    api.post(f"/tickets/{ticket.pk}/status", {"status": "closed"}, user=demo.agent)
    body = {"reason": "cannot_order", "note": "Too late"}
    response = api.post(f"/tickets/{ticket.pk}/urgent", body, user=demo.agent)
    assert response.status_code == 409 and response.json()["code"] == "ticket_not_open"

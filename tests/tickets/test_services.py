"""The ticket write path: filing, replies, follow-ups, status, assignment, credentials."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.tickets import services
from supportal.tickets.models import AuditEvent, Ticket

pytestmark = pytest.mark.django_db


def draft(**overrides):
    fields = dict(
        product="pressero",
        kind="question",
        subject="Where is the shipping setup?",
        description="We want next-day delivery.",
    )
    fields.update(overrides)
    return services.TicketDraft(**fields)


def test_open_ticket_numbers_and_audits(demo):
    ticket = services.open_ticket(requester=demo.bob, draft=draft())
    assert ticket.number == f"SUP-{1000 + ticket.pk}"
    assert ticket.organization == demo.acme
    assert ticket.status == Ticket.Status.NEW
    assert list(ticket.audit_events.values_list("action", flat=True)) == ["created"]


def test_credentials_are_encrypted_at_rest(demo):
    ticket = services.open_ticket(
        requester=demo.alice, draft=draft(admin_username="root", admin_password="s3cret-pw")
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT admin_password FROM tickets_ticket WHERE id = %s", [ticket.pk])
        stored = cursor.fetchone()[0]
    assert "s3cret-pw" not in stored
    assert Ticket.objects.get(pk=ticket.pk).admin_password == "s3cret-pw"
    assert ticket.has_credentials


def test_reveal_credentials_is_audited(demo):
    ticket = services.open_ticket(requester=demo.alice, draft=draft(admin_password="pw"))
    creds = services.reveal_credentials(ticket=ticket, actor=demo.agent)
    assert creds["admin_password"] == "pw"
    event = ticket.audit_events.get(action=AuditEvent.Action.CREDENTIALS_VIEWED)
    assert event.actor == demo.agent


def test_customer_cannot_reveal_credentials(demo):
    ticket = services.open_ticket(requester=demo.alice, draft=draft(admin_password="pw"))
    with pytest.raises(NotPermitted):
        services.reveal_credentials(ticket=ticket, actor=demo.alice)


def test_urgent_requires_reason(demo):
    with pytest.raises(InvalidInput) as info:
        services.open_ticket(requester=demo.bob, draft=draft(urgent=True))
    assert "urgent_reason" in info.value.errors
    assert not Ticket.objects.exists()


def test_invalid_fields_are_all_reported(demo):
    with pytest.raises(InvalidInput) as info:
        services.open_ticket(
            requester=demo.bob,
            draft=draft(product="nope", kind="rant", subject=" ", site_url="javascript:alert(1)"),
        )
    assert set(info.value.errors) >= {"product", "kind", "subject", "site_url"}


def test_product_outside_subscription_is_refused(demo):
    with pytest.raises(InvalidInput) as info:
        services.open_ticket(requester=demo.carol, draft=draft(product="pressero"))
    assert "product" in info.value.errors


def test_untrained_customer_is_flagged_in_warn_mode(demo, settings):
    settings.SUPPORTAL_TRAINING_REQUIREMENT = "warn"
    ticket = services.open_ticket(requester=demo.carol, draft=draft(product="pjm"))
    assert ticket.requester_untrained
    trained = services.open_ticket(requester=demo.bob, draft=draft())
    assert not trained.requester_untrained


def test_untrained_customer_is_blocked_by_default(demo):
    with pytest.raises(RuleViolation) as info:
        services.open_ticket(requester=demo.carol, draft=draft(product="pjm"))
    assert info.value.code == "training_required"


def test_staff_reply_marks_first_response_and_opens(demo):
    ticket = services.open_ticket(requester=demo.bob, draft=draft())
    services.add_reply(ticket=ticket, author=demo.agent, body="Here is how.")
    ticket.refresh_from_db()
    assert ticket.first_responded_at is not None
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.assignee == demo.agent


def test_internal_note_does_not_count_as_response(demo):
    ticket = services.open_ticket(requester=demo.bob, draft=draft())
    services.add_reply(ticket=ticket, author=demo.agent, body="Checking logs", internal=True)
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None


def test_customer_cannot_write_internal_note(demo):
    ticket = services.open_ticket(requester=demo.bob, draft=draft())
    with pytest.raises(NotPermitted):
        services.add_reply(ticket=ticket, author=demo.bob, body="x", internal=True)


def test_customer_reply_reopens_resolved_ticket(demo):
    ticket = services.open_ticket(requester=demo.bob, draft=draft())
    services.change_status(ticket=ticket, actor=demo.agent, status=Ticket.Status.RESOLVED)
    services.add_reply(ticket=ticket, author=demo.bob, body="Still broken")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.audit_events.filter(action=AuditEvent.Action.REOPENED).exists()


def test_reply_to_closed_ticket_opens_follow_up(demo):
    ticket = services.open_ticket(requester=demo.bob, draft=draft())
    services.change_status(ticket=ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    result = services.add_reply(ticket=ticket, author=demo.bob, body="A new question")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    assert result.follow_up is not None
    assert result.follow_up.follow_up_of == ticket
    assert result.follow_up.description == "A new question"
    assert result.follow_up.status == Ticket.Status.NEW


def test_closed_ticket_never_reopens(demo):
    ticket = services.open_ticket(requester=demo.bob, draft=draft())
    services.change_status(ticket=ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    with pytest.raises(RuleViolation):
        services.change_status(ticket=ticket, actor=demo.agent, status=Ticket.Status.OPEN)


def test_assign_only_to_staff(demo):
    ticket = services.open_ticket(requester=demo.bob, draft=draft())
    with pytest.raises(InvalidInput):
        services.assign_ticket(ticket=ticket, actor=demo.agent, assignee_id=demo.bob.pk)
    services.assign_ticket(ticket=ticket, actor=demo.agent, assignee_id=demo.agent_es.pk)
    ticket.refresh_from_db()
    assert ticket.assignee == demo.agent_es


def test_resolved_tickets_close_after_configured_days(demo, settings):
    settings.SUPPORTAL_AUTO_CLOSE_DAYS = 7
    ticket = services.open_ticket(requester=demo.bob, draft=draft())
    services.change_status(ticket=ticket, actor=demo.agent, status=Ticket.Status.RESOLVED)
    now = timezone.now()
    assert services.close_resolved_tickets(now=now + timedelta(days=6)) == 0
    assert services.close_resolved_tickets(now=now + timedelta(days=8)) == 1
    assert services.close_resolved_tickets(now=now + timedelta(days=9)) == 0
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


def test_credentials_purged_after_close(demo, settings):
    settings.SUPPORTAL_CREDENTIAL_PURGE_DAYS = 30
    ticket = services.open_ticket(requester=demo.alice, draft=draft(admin_password="pw"))
    services.change_status(ticket=ticket, actor=demo.agent, status=Ticket.Status.CLOSED)
    now = timezone.now()
    assert services.purge_closed_credentials(now=now + timedelta(days=29)) == 0
    assert services.purge_closed_credentials(now=now + timedelta(days=31)) == 1
    ticket.refresh_from_db()
    assert ticket.admin_password == ""
    assert not ticket.has_credentials

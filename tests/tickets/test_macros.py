"""Macros: placeholders filled per ticket, personal and shared, actions applied with the reply."""

from __future__ import annotations

import pytest

from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.tickets import macros
from supportal.tickets.models import AuditEvent, Macro, Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

TEXT = (
    "Hello {{ customer_first_name }},\n\nabout {{ ticket_number }} ({{ ticket_subject }}): "
    "see {{ kb:shipping-methods }}.\n\n{{ agent_name }}"
)


@pytest.fixture
def shared(demo):
    return macros.save_macro(
        actor=demo.manager,
        name="Shipping answer",
        body=TEXT,
        set_status=Ticket.Status.PENDING_CUSTOMER,
        assignee_action=Macro.AssigneeAction.ME,
        shared=True,
    )


def test_placeholders_are_filled_for_the_ticket(demo, shared):
    ticket = make_ticket(demo.bob, subject="Next-day shipping")
    text = macros.render_macro(shared, ticket=ticket, agent=demo.agent)
    assert text.startswith(f"Hello {demo.bob.get_full_name().split()[0]},")
    assert f"about {ticket.number} (Next-day shipping)" in text
    assert "/kb/articles/shipping-methods/" in text and "{{" not in text
    assert text.endswith(demo.agent.get_full_name())


def test_unknown_placeholders_are_refused_when_saving(demo):
    with pytest.raises(InvalidInput) as refused:
        macros.save_macro(actor=demo.agent, name="Bad", body="Hi {{ customer_email }}")
    assert refused.value.errors == {"body": "Unknown placeholders: {{ customer_email }}"}


def test_agents_see_shared_and_their_own_macros_only(demo, shared):
    mine = macros.save_macro(actor=demo.agent, name="My thanks", body="Thanks!")
    theirs = macros.save_macro(actor=demo.agent_es, name="Gracias", body="¡Gracias!")
    assert list(macros.macros_for(demo.agent)) == [mine, shared]
    assert list(macros.macros_for(demo.agent_es)) == [theirs, shared]
    assert list(macros.macros_for(demo.bob)) == []
    assert macros.can_edit_macro(demo.agent, mine)
    assert not macros.can_edit_macro(demo.agent, shared)
    assert not macros.can_edit_macro(demo.agent, theirs)


def test_only_managers_share_macros(demo):
    with pytest.raises(NotPermitted):
        macros.save_macro(actor=demo.agent, name="For all", body="Hi", shared=True)
    with pytest.raises(NotPermitted):
        macros.save_macro(actor=demo.bob, name="Mine", body="Hi")


def test_reply_with_macro_sends_and_applies_its_actions_with_audit(demo, shared):
    ticket = make_ticket(demo.bob)
    body = macros.render_macro(shared, ticket=ticket, agent=demo.agent)
    applied = macros.reply_with_macro(ticket=ticket, macro=shared, actor=demo.agent, body=body)
    ticket.refresh_from_db()
    assert applied.reply is not None and applied.reply.reply.body == body
    assert ticket.status == Ticket.Status.PENDING_CUSTOMER
    assert ticket.assignee == demo.agent
    event = ticket.audit_events.get(action=AuditEvent.Action.MACRO_APPLIED)
    assert event.data["name"] == "Shipping answer" and event.actor == demo.agent
    actions = set(ticket.audit_events.values_list("action", flat=True))
    assert {"replied", "status_changed", "assigned", "macro_applied"} <= actions


def test_a_refused_action_sends_nothing(demo):
    """All or nothing: a macro that would move a closed ticket leaves no reply behind."""
    reopen = macros.save_macro(
        actor=demo.agent, name="Reopen", body="", set_status=Ticket.Status.OPEN
    )
    ticket = make_ticket(demo.bob)
    macros.reply_with_macro(
        ticket=ticket,
        macro=macros.save_macro(
            actor=demo.agent, name="Close", body="", set_status=Ticket.Status.CLOSED
        ),
        actor=demo.agent,
        body="",
    )
    with pytest.raises(RuleViolation):
        macros.reply_with_macro(
            ticket=ticket, macro=reopen, actor=demo.agent, body="Reopening", internal=True
        )
    assert not ticket.replies.exists()
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.CLOSED


def test_assign_to_a_colleague_needs_a_colleague(demo):
    with pytest.raises(InvalidInput) as refused:
        macros.save_macro(
            actor=demo.agent, name="To Spain", body="x", assignee_action="user", assignee=None
        )
    assert "assignee" in refused.value.errors
    macro = macros.save_macro(
        actor=demo.agent,
        name="To Spain",
        body="Passing this to our Spanish office.",
        assignee_action="user",
        assignee=demo.agent_es,
    )
    ticket = make_ticket(demo.bob)
    macros.reply_with_macro(ticket=ticket, macro=macro, actor=demo.agent, body=macro.body)
    assert Ticket.objects.get(pk=ticket.pk).assignee == demo.agent_es

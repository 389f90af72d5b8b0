"""Merging a duplicate into another ticket, and splitting a reply off into a new ticket."""

from __future__ import annotations

import pytest
from django.core import mail

from supportal.core.errors import NotPermitted, RuleViolation
from supportal.tickets import merge, services
from supportal.tickets.models import Attachment, AuditEvent, Ticket
from tests.factories import make_ticket

from .pages import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(demo):
    """Bob filed the same question twice: by the portal (with a screenshot) and again."""
    kept = make_ticket(demo.bob, subject="Checkout fails on card payments")
    duplicate = make_ticket(
        demo.bob,
        uploads=[png("error.png")],
        subject="Card payment error",
        description="Customers see an error when they pay by card.",
    )
    services.add_reply(ticket=duplicate, author=demo.bob, body="It happens on mobile too.")
    services.add_reply(ticket=duplicate, author=demo.agent, body="Looking at it.")
    services.add_reply(ticket=duplicate, author=demo.agent, body="Gateway log", internal=True)
    return kept, duplicate


def test_merge_moves_the_conversation_and_files_and_closes_the_duplicate(demo, pair):
    kept, duplicate = pair
    merge.merge_tickets(source=duplicate, target=kept, actor=demo.agent)

    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert duplicate.status == Ticket.Status.CLOSED and duplicate.closed_at is not None
    assert duplicate.requester == demo.bob  # the duplicate keeps its requester
    assert not duplicate.replies.exists()
    bodies = list(kept.replies.values_list("body", flat=True))
    assert bodies[0].startswith(f"*Merged from {duplicate.number}: Card payment error*")
    assert "Customers see an error when they pay by card." in bodies[0]
    assert bodies[1:] == ["It happens on mobile too.", "Looking at it.", "Gateway log"]
    opening = kept.replies.first()
    assert opening.author == demo.bob and opening.created_at == duplicate.received_at
    [screenshot] = Attachment.objects.filter(original_name="error.png")
    assert screenshot.ticket == kept and screenshot.reply == opening
    assert kept.replies.get(body="Gateway log").internal  # notes stay notes


def test_merge_is_audited_on_both_tickets(demo, pair):
    kept, duplicate = pair
    merge.merge_tickets(source=duplicate, target=kept, actor=demo.agent)
    into = duplicate.audit_events.get(action=AuditEvent.Action.MERGED_INTO)
    assert into.actor == demo.agent
    assert into.data["ticket_number"] == kept.number and into.data["replies"] == 3
    came = kept.audit_events.get(action=AuditEvent.Action.MERGED_FROM)
    assert came.data["ticket_number"] == duplicate.number and came.data["attachments"] == 1


def test_merge_tells_both_requesters(demo, django_capture_on_commit_callbacks):
    kept = make_ticket(demo.bob, subject="Checkout fails")
    duplicate = make_ticket(demo.alice, subject="Card error")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        merge.merge_tickets(source=duplicate, target=kept, actor=demo.agent)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"bob@acmeprint.test", "alice@acmeprint.test"}
    alice_mail = by_recipient["alice@acmeprint.test"]
    assert f"Your ticket {duplicate.number}" in alice_mail.body
    assert kept.number in alice_mail.subject
    assert f"your ticket {kept.number}" in by_recipient["bob@acmeprint.test"].body


def test_one_requester_of_both_gets_one_mail(demo, pair, django_capture_on_commit_callbacks):
    kept, duplicate = pair
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        merge.merge_tickets(source=duplicate, target=kept, actor=demo.agent)
    assert [m.to for m in mail.outbox] == [["bob@acmeprint.test"]]


def test_tickets_of_two_organizations_are_never_merged(demo):
    acme = make_ticket(demo.bob)
    bright = make_ticket(demo.carol, product="tflow", kind="training_request")
    with pytest.raises(RuleViolation) as refused:
        merge.merge_tickets(source=bright, target=acme, actor=demo.agent)
    assert refused.value.code == "different_organization"
    assert not acme.replies.exists() and Ticket.objects.get(pk=bright.pk).merged_into is None


def test_a_requester_who_could_not_see_the_kept_ticket_blocks_the_merge(demo):
    """Bob (a plain customer) cannot see Alice's tickets: merging his into hers would hide
    his own conversation from him. The other way round works: Alice, an admin, sees all."""
    alices = make_ticket(demo.alice)
    bobs = make_ticket(demo.bob)
    with pytest.raises(RuleViolation) as refused:
        merge.merge_tickets(source=bobs, target=alices, actor=demo.agent)
    assert refused.value.code == "requester_cannot_see_target"
    merge.merge_tickets(source=alices, target=bobs, actor=demo.agent)
    assert Ticket.objects.get(pk=alices.pk).merged_into_id == bobs.pk


@pytest.mark.parametrize("case", ["itself", "closed_target", "twice", "customer"])
def test_merge_refusals(demo, pair, case):
    kept, duplicate = pair
    actor = demo.agent
    if case == "itself":
        kept, expected = duplicate, "same_ticket"
    elif case == "closed_target":
        services.change_status(ticket=kept, actor=demo.agent, status=Ticket.Status.CLOSED)
        expected = "target_closed"
    elif case == "twice":
        other = make_ticket(demo.bob)
        merge.merge_tickets(source=duplicate, target=other, actor=demo.agent)
        expected = "already_merged"
    else:
        actor, expected = demo.bob, None
    if expected is None:
        with pytest.raises(NotPermitted):
            merge.merge_tickets(source=duplicate, target=kept, actor=actor)
        return
    with pytest.raises(RuleViolation) as refused:
        merge.merge_tickets(source=duplicate, target=kept, actor=actor)
    assert refused.value.code == expected


def test_tickets_merged_earlier_follow_to_the_new_target(demo):
    first, second, third = (make_ticket(demo.bob, subject=s) for s in ("A", "B", "C"))
    merge.merge_tickets(source=first, target=second, actor=demo.agent)
    merge.merge_tickets(source=second, target=third, actor=demo.agent)
    assert Ticket.objects.get(pk=first.pk).merged_into_id == third.pk


def test_split_makes_a_reply_a_linked_ticket_of_its_author(demo):
    ticket = make_ticket(demo.bob, subject="Shipping setup")
    asked = services.add_reply(
        ticket=ticket,
        author=demo.bob,
        body="Also: how do I change the invoice logo?",
        uploads=[png("logo.png")],
    ).reply
    result = merge.split_reply(reply=asked, actor=demo.agent, subject="Invoice logo")
    new = result.ticket
    assert new.number and new.number != ticket.number
    assert (new.subject, new.description) == ("Invoice logo", asked.body)
    assert new.requester == demo.bob and new.organization == demo.acme
    assert new.product == ticket.product and new.kind == ticket.kind
    assert new.split_from == ticket and new.split_from_reply == asked
    assert new.received_at == asked.created_at
    assert [a.original_name for a in new.attachments.all()] == ["logo.png"]
    assert ticket.replies.filter(pk=asked.pk).exists()  # the reply stays where it was
    off = ticket.audit_events.get(action=AuditEvent.Action.SPLIT_OFF)
    assert off.data["ticket_number"] == new.number and off.actor == demo.agent
    assert new.audit_events.filter(action=AuditEvent.Action.SPLIT_FROM).exists()


def test_split_default_subject_names_the_original(demo):
    ticket = make_ticket(demo.bob, subject="Shipping setup")
    asked = services.add_reply(ticket=ticket, author=demo.bob, body="Second question").reply
    new = merge.split_reply(reply=asked, actor=demo.agent).ticket
    assert new.subject == f"Split from {ticket.number}: Shipping setup"


def test_only_a_customers_reply_is_split_and_only_once(demo):
    ticket = make_ticket(demo.bob)
    staff_reply = services.add_reply(ticket=ticket, author=demo.agent, body="Answer").reply
    with pytest.raises(RuleViolation) as refused:
        merge.split_reply(reply=staff_reply, actor=demo.agent)
    assert refused.value.code == "not_a_customer_reply"
    asked = services.add_reply(ticket=ticket, author=demo.bob, body="Another one").reply
    merge.split_reply(reply=asked, actor=demo.agent)
    with pytest.raises(RuleViolation) as again:
        merge.split_reply(reply=asked, actor=demo.agent)
    assert again.value.code == "already_split"
    with pytest.raises(NotPermitted):
        merge.split_reply(reply=asked, actor=demo.bob)

"""tickets.bulk and the search page's bulk form: assign, status and tags on many tickets,
one audit row each, refused tickets skipped with the reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportal.core.errors import InvalidInput, NotPermitted
from supportal.tickets import services
from supportal.tickets.bulk_changes import apply_bulk_action
from supportal.tickets.models import AuditEvent
from tests.factories import make_ticket
from tests.training import train

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(demo):
    return [make_ticket(demo.bob, subject=f"Question {i}") for i in range(3)]


def test_bulk_assign_writes_one_audit_row_per_ticket(demo, three):
    result = apply_bulk_action(
        actor=demo.agent,
        ticket_ids=[t.pk for t in three],
        action="assign",
        value=str(demo.agent.pk),
    )
    assert sorted(result.done) == sorted(t.number for t in three) and result.skipped == {}
    for ticket in three:
        ticket.refresh_from_db()
        assert ticket.assignee == demo.agent
        assert AuditEvent.objects.filter(ticket=ticket, action="assigned").count() == 1


def test_bulk_status_skips_the_tickets_the_rules_refuse(demo, three):
    services.change_status(ticket=three[0], actor=demo.agent, status="closed")
    result = apply_bulk_action(
        actor=demo.agent, ticket_ids=[t.pk for t in three], action="status", value="resolved"
    )
    assert result.done == [three[1].number, three[2].number]
    assert "cannot become resolved" in result.skipped[three[0].number]


def test_bulk_tag_and_untag(demo, three):
    ids = [t.pk for t in three]
    apply_bulk_action(actor=demo.agent, ticket_ids=ids, action="tag", value="DNS")
    assert all([t.name for t in ticket.tags.all()] == ["dns"] for ticket in three)
    apply_bulk_action(actor=demo.agent, ticket_ids=ids[:1], action="untag", value="dns")
    assert list(three[0].tags.all()) == []
    assert AuditEvent.objects.filter(action="tagged").count() == 3


def test_a_wrong_value_changes_nothing(demo, three):
    ids = [t.pk for t in three]
    wrong = [("status", "done"), ("assign", str(demo.bob.pk)), ("tag", "!!"), ("x", "y")]
    for action, value in wrong:
        with pytest.raises(InvalidInput):
            apply_bulk_action(actor=demo.agent, ticket_ids=ids, action=action, value=value)
    assert not AuditEvent.objects.exclude(action="created").exists()


def test_customers_and_invisible_tickets(demo, three):
    train(demo.carol, "pjm")
    carols = make_ticket(demo.carol, product="pjm")
    with pytest.raises(NotPermitted):
        apply_bulk_action(actor=demo.alice, ticket_ids=[three[0].pk], action="tag", value="x")
    result = apply_bulk_action(
        actor=demo.agent, ticket_ids=[carols.pk, 10**9], action="tag", value="x"
    )
    assert result.done == [carols.number]  # an id that does not exist is ignored


def test_the_search_page_applies_a_bulk_action(demo, client_for, three):
    client = client_for(demo.agent)
    page = client.get(reverse("tickets:search"), {"q": "question"}).content.decode()
    assert 'form="bulk-form"' in page
    response = client.post(
        reverse("tickets:bulk_change"),
        {"q": "question", "ticket_ids": [three[0].pk, three[1].pk], "action": "tag", "value": "x"},
    )
    assert response.status_code == 302 and "q=question" in response.url
    assert [t.number for t in three if t.tags.filter(name="x").exists()] == [
        three[0].number,
        three[1].number,
    ]
    refused = client_for(demo.bob).post(reverse("tickets:bulk_change"), {"action": "tag"})
    assert refused.status_code == 404

"""GET /api/v1/queue: open tickets in working order, for staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supportal.tickets import services
from supportal.tickets.models import Ticket
from tests.factories import make_ticket
from tests.training import train

from .client import error_fields

pytestmark = pytest.mark.django_db


def _received(ticket: Ticket, minutes_ago: int) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(
        received_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return ticket


def test_queue_is_urgent_first_then_first_in(api, demo):
    train(demo.carol, "pjm")
    old = _received(make_ticket(demo.bob), 50)
    newer = _received(make_ticket(demo.carol, product="pjm"), 10)
    urgent_late = _received(make_ticket(demo.alice, urgent=True, urgent_reason="cannot_order"), 5)
    urgent_early = _received(make_ticket(demo.bob, urgent=True, urgent_reason="cannot_produce"), 30)
    closed = _received(make_ticket(demo.bob), 100)
    services.change_status(ticket=closed, actor=demo.agent, status=Ticket.Status.CLOSED)

    response = api.get("/queue", user=demo.agent)
    assert response.status_code == 200
    ids = [t["id"] for t in response.json()["items"]]
    assert ids == [urgent_early.pk, urgent_late.pk, old.pk, newer.pk]


def test_queue_pages_keep_the_order(api, demo):
    tickets = [_received(make_ticket(demo.bob), 60 - n) for n in range(5)]
    first = api.get("/queue", user=demo.agent, limit=2).json()
    rest: list[int] = []
    cursor = first["next_cursor"]
    while cursor:
        page = api.get("/queue", user=demo.agent, limit=2, cursor=cursor).json()
        rest += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
    assert [t["id"] for t in first["items"]] + rest == [t.pk for t in tickets]


def test_queue_filters(api, demo):
    train(demo.carol, "pjm")
    acme = make_ticket(demo.bob)
    bright = make_ticket(demo.carol, product="pjm")
    services.assign_ticket(ticket=acme, actor=demo.agent, assignee_id=demo.agent.pk)

    def ids(user, **params):
        return {t["id"] for t in api.get("/queue", user=user, **params).json()["items"]}

    assert ids(demo.agent, product="pjm") == {bright.pk}
    assert ids(demo.agent, region="usa") == {acme.pk}
    assert ids(demo.agent, assignee="me") == {acme.pk}
    assert ids(demo.agent_es, assignee="none") == {bright.pk}
    assert error_fields(api.get("/queue", user=demo.agent, status="nope")) == {"status"}


@pytest.mark.parametrize("persona", ["bob", "alice", "carol"])
def test_customers_may_not_see_the_queue(api, demo, persona):
    make_ticket(demo.bob)
    response = api.get("/queue", user=getattr(demo, persona))
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["agent", "agent_es", "ps", "manager"])
def test_every_staff_role_sees_the_queue(api, demo, persona):
    ticket = make_ticket(demo.bob)
    items = api.get("/queue", user=getattr(demo, persona)).json()["items"]
    assert [t["id"] for t in items] == [ticket.pk]

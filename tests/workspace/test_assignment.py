"""Automatic assignment: round-robin among the region's agents at work, by product skill,
under a cap; off by default; an agent on leave hands their open tickets back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase

from supportal.accounts.models import Product, SupportRegion, User
from supportal.core.errors import NotPermitted
from supportal.tickets.models import AuditEvent, Ticket
from supportal.workspace import services
from supportal.workspace.models import AgentProfile
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
OPEN_HOURS = datetime(2026, 3, 11, 10, 0, tzinfo=CHICAGO)  # a Wednesday, USA region open
SATURDAY = datetime(2026, 3, 14, 10, 0, tzinfo=CHICAGO)


@pytest.fixture
def auto_on(settings) -> None:
    settings.SUPPORTAL_AUTO_ASSIGN = True
    settings.SUPPORTAL_AUTO_ASSIGN_CAP = 15


@pytest.fixture
def open_now() -> Iterator[None]:
    with time_machine.travel(OPEN_HOURS, tick=False):
        yield


@pytest.fixture
def sam(demo) -> User:
    """A second agent of Acme's region (USA)."""
    return User.objects.create_user(
        "sam@vendor.test",
        name="Sam Second",
        role=User.Role.AGENT,
        support_region=SupportRegion.objects.get(code="usa"),
    )


def filed(demo, n: int = 1, **fields) -> list[Ticket]:
    """Tickets filed by Bob (Acme, USA region), their assignment run as after commit."""
    out = []
    for i in range(n):
        with TestCase.captureOnCommitCallbacks(execute=True):
            ticket = make_ticket(demo.bob, subject=f"Question {i}", **fields)
        ticket.refresh_from_db()
        out.append(ticket)
    return out


def test_off_by_default_nobody_is_assigned(demo, open_now):
    [ticket] = filed(demo)
    assert ticket.assignee is None


def test_new_tickets_go_round_robin_to_the_regions_agents(demo, sam, auto_on, open_now):
    tickets = filed(demo, 4)

    assignees = [t.assignee for t in tickets]
    assert assignees in (
        [demo.agent, sam, demo.agent, sam],
        [sam, demo.agent, sam, demo.agent],
    )
    assert demo.agent_es not in assignees  # Spain's agent does not take USA tickets
    event = AuditEvent.objects.filter(ticket=tickets[0], action=AuditEvent.Action.ASSIGNED).get()
    assert event.actor is None and event.data["automatic"] is True


def test_only_agents_who_know_the_product_get_it(demo, sam, auto_on, open_now):
    profile = AgentProfile.objects.create(user=sam)
    profile.products.set([Product.objects.get(slug="edocbuilder")])

    pressero = filed(demo, 3, product="pressero")
    edoc = filed(demo, 2, product="edocbuilder")

    assert {t.assignee for t in pressero} == {demo.agent}
    assert {t.assignee for t in edoc} == {demo.agent, sam}


def test_nobody_outside_office_hours_until_the_periodic_run(demo, auto_on):
    with time_machine.travel(SATURDAY, tick=False):
        [ticket] = filed(demo)
    assert ticket.assignee is None

    with time_machine.travel(OPEN_HOURS, tick=False):
        assert services.assign_waiting_tickets() == 1
    ticket.refresh_from_db()
    assert ticket.assignee == demo.agent


def test_an_agents_own_hours_come_before_the_regions(demo, sam, auto_on, open_now):
    AgentProfile.objects.create(user=demo.agent, works_from=time(13), works_until=time(21))

    tickets = filed(demo, 2)  # 10:00 in Chicago: Avery starts at 13:00

    assert {t.assignee for t in tickets} == {sam}


def test_cap_is_respected_and_a_full_team_leaves_tickets_in_the_pool(
    demo, sam, auto_on, open_now, settings
):
    settings.SUPPORTAL_AUTO_ASSIGN_CAP = 2
    AgentProfile.objects.create(user=sam, open_ticket_cap=1)

    tickets = filed(demo, 4)

    held = {u: sum(1 for t in tickets if t.assignee == u) for u in (demo.agent, sam)}
    assert held == {demo.agent: 2, sam: 1}
    assert tickets[-1].assignee is None


def test_leave_returns_open_tickets_to_the_pool_and_to_colleagues(demo, sam, auto_on, open_now):
    tickets = filed(demo, 4)
    avery_had = [t for t in tickets if t.assignee == demo.agent]
    resolved = avery_had[0]
    resolved.status = Ticket.Status.RESOLVED
    resolved.save()

    with TestCase.captureOnCommitCallbacks(execute=True):
        returned = services.set_on_leave(agent=demo.agent, actor=demo.manager, on_leave=True)

    assert returned == len(avery_had) - 1
    for ticket in avery_had[1:]:
        ticket.refresh_from_db()
        assert ticket.assignee == sam  # given to whoever is next in turn
        leave = ticket.audit_events.filter(data__reason="on_leave").get()
        assert leave.actor == demo.manager and leave.data["to"] is None
    resolved.refresh_from_db()
    assert resolved.assignee == demo.agent  # closed work stays theirs
    assert {t.assignee for t in filed(demo, 2)} == {sam}  # and no new ones


def test_leave_without_auto_assignment_only_unassigns(demo, open_now):
    ticket = make_ticket(demo.bob)
    ticket.assignee = demo.agent
    ticket.save()

    services.set_on_leave(agent=demo.agent, actor=demo.agent, on_leave=True)

    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_only_managers_put_someone_else_on_leave(demo):
    with pytest.raises(NotPermitted):
        services.set_on_leave(agent=demo.agent, actor=demo.agent_es, on_leave=True)


def test_manager_ticks_on_leave_in_the_admin_and_the_tickets_go_back(demo, client):
    ticket = make_ticket(demo.bob)
    ticket.assignee = demo.agent
    ticket.save()
    client.force_login(demo.manager)

    response = client.post(
        "/admin/workspace/agentprofile/add/",
        {"user": demo.agent.pk, "on_leave": "on", "works_from": "", "works_until": ""},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert AgentProfile.objects.get(user=demo.agent).on_leave
    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert ticket.audit_events.get(data__reason="on_leave").actor == demo.manager

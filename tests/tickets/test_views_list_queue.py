"""The ticket list (tickets:list) and the agent queue (tickets:queue)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from supportal.tickets import services
from supportal.tickets.models import Ticket
from tests.factories import make_ticket
from tests.training import train

from .pages import assert_csp_clean

pytestmark = pytest.mark.django_db

LIST = reverse("tickets:list")
QUEUE = reverse("tickets:queue")
START = datetime(2025, 3, 3, 14, 0, tzinfo=UTC)


def numbers_in(html: str) -> list[str]:
    return re.findall(r'class="ticket-link" href="[^"]+">(SUP-\d+)</a>', html)


@pytest.fixture
def tickets(demo) -> dict[str, Ticket]:
    """Tickets received one hour apart, in this order."""
    train(demo.carol, "pjm")
    made = {}
    plan = [
        ("bob_old", demo.bob, {"subject": "Bob's old question"}),
        ("alice", demo.alice, {"subject": "Alice's question", "product": "edocbuilder"}),
        ("carol", demo.carol, {"subject": "Carol's question", "product": "pjm"}),
        (
            "bob_urgent",
            demo.bob,
            {"subject": "Nobody can order", "urgent": True, "urgent_reason": "cannot_order"},
        ),
        ("bob_new", demo.bob, {"subject": "Bob's newest question"}),
    ]
    for hours, (key, user, fields) in enumerate(plan):
        with time_machine.travel(START + timedelta(hours=hours), tick=False):
            made[key] = make_ticket(user, **fields)
    return made


def test_customer_lists_only_own_tickets_newest_first(demo, client_for, tickets):
    response = client_for(demo.bob).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert numbers_in(html) == [
        tickets["bob_new"].number,
        tickets["bob_urgent"].number,
        tickets["bob_old"].number,
    ]
    assert "My tickets" in html and "Organization tickets" not in html
    assert "badge--urgent" in html and "badge--new" in html
    assert_csp_clean(response)


def test_customer_admin_sees_the_organization_and_can_narrow_to_mine(demo, client_for, tickets):
    client = client_for(demo.alice)
    html = client.get(LIST).content.decode()
    assert "Organization tickets" in html and "Only mine" in html
    shown = numbers_in(html)
    assert tickets["bob_old"].number in shown and tickets["alice"].number in shown
    assert tickets["carol"].number not in shown
    assert numbers_in(client.get(LIST, {"scope": "mine"}).content.decode()) == [
        tickets["alice"].number
    ]


def test_list_filters_by_status_and_product(demo, client_for, tickets):
    services.change_status(ticket=tickets["bob_old"], actor=demo.agent, status="resolved")
    client = client_for(demo.alice)
    resolved = numbers_in(client.get(LIST, {"status": "resolved"}).content.decode())
    assert resolved == [tickets["bob_old"].number]
    edoc = numbers_in(client.get(LIST, {"product": "edocbuilder"}).content.decode())
    assert edoc == [tickets["alice"].number]
    # An unknown filter value is ignored rather than an error.
    assert client.get(LIST, {"status": "bogus"}).status_code == 200


def test_staff_list_shows_every_ticket(demo, client_for, tickets):
    html = client_for(demo.agent).get(LIST).content.decode()
    assert "All tickets" in html
    assert len(numbers_in(html)) == 5


def test_list_pages_with_a_next_page_cursor(demo, client_for, tickets, settings):
    settings.SUPPORTAL_PAGE_SIZE = 2
    client = client_for(demo.alice)
    first = client.get(LIST, {"product": "pressero"}).content.decode()
    assert numbers_in(first) == [tickets["bob_new"].number, tickets["bob_urgent"].number]
    link = re.search(r'href="([^"]+)">Next page', first)
    assert link is not None
    next_url = link.group(1).replace("&amp;", "&")
    assert "product=pressero" in next_url
    second = client.get(LIST + next_url).content.decode()
    assert numbers_in(second) == [tickets["bob_old"].number]
    assert "Next page" not in second


def test_queue_puts_urgent_first_then_oldest_first(demo, client_for, tickets):
    response = client_for(demo.agent).get(QUEUE)
    assert response.status_code == 200
    assert numbers_in(response.content.decode()) == [
        tickets["bob_urgent"].number,
        tickets["bob_old"].number,
        tickets["alice"].number,
        tickets["carol"].number,
        tickets["bob_new"].number,
    ]
    assert_csp_clean(response)


def test_queue_leaves_out_resolved_and_closed_tickets(demo, client_for, tickets):
    services.change_status(ticket=tickets["bob_old"], actor=demo.agent, status="resolved")
    services.change_status(ticket=tickets["alice"], actor=demo.agent, status="closed")
    shown = numbers_in(client_for(demo.agent).get(QUEUE).content.decode())
    assert tickets["bob_old"].number not in shown
    assert tickets["alice"].number not in shown
    assert len(shown) == 3


def test_queue_filters_by_region_product_assignee_and_status(demo, client_for, tickets):
    services.assign_ticket(ticket=tickets["alice"], actor=demo.agent, assignee_id=demo.agent.pk)
    services.change_status(ticket=tickets["bob_new"], actor=demo.agent, status="pending_customer")
    client = client_for(demo.agent)

    def shown(**params: str) -> list[str]:
        return numbers_in(client.get(QUEUE, params).content.decode())

    assert shown(region="spain") == [tickets["carol"].number]
    assert shown(product="edocbuilder") == [tickets["alice"].number]
    assert shown(assignee="me") == [tickets["alice"].number]
    assert shown(assignee=str(demo.agent.pk)) == [tickets["alice"].number]
    assert tickets["alice"].number not in shown(assignee="none")
    assert shown(status="pending_customer") == [tickets["bob_new"].number]


def test_queue_shows_waiting_time(demo, client_for, tickets):
    with time_machine.travel(START + timedelta(days=1, hours=4), tick=False):
        html = client_for(demo.agent).get(QUEUE).content.decode()
    assert "Waiting" in html
    assert "1\xa0day" in html


def test_customers_get_404_on_the_queue(demo, client_for):
    for persona in (demo.bob, demo.alice, demo.carol):
        assert client_for(persona).get(QUEUE).status_code == 404


def test_navigation_matches_the_role(demo, client_for):
    customer = client_for(demo.bob).get(LIST).content.decode()
    assert ">My tickets</a>" in customer and ">New ticket</a>" in customer
    assert ">Queue</a>" not in customer and ">Admin</a>" not in customer
    assert "Bob Buyer" in customer and ">Log out</button>" in customer

    agent = client_for(demo.agent).get(QUEUE).content.decode()
    assert ">Queue</a>" in agent and ">All tickets</a>" in agent and ">Admin</a>" not in agent
    manager = client_for(demo.manager).get(QUEUE).content.decode()
    assert ">Admin</a>" in manager


def test_log_out_is_a_post_form(demo, client_for):
    client = client_for(demo.bob)
    html = client.get(LIST).content.decode()
    assert f'method="post" action="{reverse("accounts:logout")}"' in html
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(LIST).status_code == 302

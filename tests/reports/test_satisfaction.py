"""The dashboard's satisfaction figures: survey answers by week, agent, product, region."""

from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from supportal.csat import services as csat_services
from supportal.reports import figures, satisfaction
from supportal.tickets.models import Ticket
from tests.factories import make_ticket

from .conftest import answer, chicago, set_status

NOW = chicago(2025, 9, 10, 12)


def rated(
    demo, agent, product: str, score: int, *, day: int, requester=None, kind: str = "question"
) -> Ticket:
    at = chicago(2025, 9, day, 9)
    ticket = make_ticket(requester or demo.bob, at=at, product=product, kind=kind)
    answer(ticket, agent, at=chicago(2025, 9, day, 10))
    set_status(ticket, agent, Ticket.Status.RESOLVED, at=chicago(2025, 9, day, 11))
    ticket.refresh_from_db()
    with time_machine.travel(chicago(2025, 9, day, 12), tick=False):
        csat_services.record_answer(ticket=ticket, score=score)
    return ticket


def _weeks():
    return figures.dashboard_weeks(2, now=NOW)


def test_csat_by_week_agent_product_and_region(demo):
    rated(demo, demo.agent, "pressero", 5, day=2)
    rated(demo, demo.agent, "pressero", 2, day=3)
    rated(demo, demo.agent_es, "edocbuilder", 4, day=9)
    rated(demo, demo.agent_es, "pjm", 4, day=9, requester=demo.carol, kind="training_request")

    week = satisfaction.csat_by_week(_weeks())
    assert week.rows == [
        [date(2025, 9, 1), 2, 1, 50.0, 3.5],
        [date(2025, 9, 8), 2, 2, 100.0, 4.0],
    ]
    assert satisfaction.csat_by_agent(_weeks()).rows == [
        ["Avery Agent", 2, 1, 50.0, 3.5],
        ["Elena Agente", 2, 2, 100.0, 4.0],
    ]
    assert satisfaction.csat_by_product(_weeks()).rows == [
        ["eDocBuilder", 1, 1, 100.0, 4.0],
        ["PJM", 1, 1, 100.0, 4.0],
        ["Pressero", 2, 1, 50.0, 3.5],
    ]
    assert satisfaction.csat_by_region(_weeks()).rows == [
        ["Spain", 1, 1, 100.0, 4.0],
        ["USA", 3, 2, 66.7, 3.67],
    ]


def test_dashboard_shows_the_satisfaction_charts(client, demo):
    rated(demo, demo.agent, "pressero", 5, day=2)
    client.force_login(demo.manager)
    with time_machine.travel(NOW, tick=False):
        body = client.get(reverse("reports:dashboard"), {"weeks": "4"}).content.decode()
    for slug in ("csat-week", "csat-agent", "csat-product", "csat-region"):
        assert f'id="{slug}"' in body
    assert "Customer satisfaction by agent" in body
    assert "<td>Avery Agent</td>" in body

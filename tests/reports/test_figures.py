"""Dashboard figures against a small history computed by hand.

Week of Monday 1 September 2025 (Labor Day, a US holiday) and of Monday 8 September:

- T1 alice, Pressero, portal: Tue 2 Sep 09:00, answered 10:30 (1h30, met), resolved Tue 9 Sep.
- T2 bob, eDocBuilder, urgent in hours: Tue 2 Sep 10:00, answered Thu 4 Sep 10:00
  (7h + 8h + 1h = 16h business, missed the 4h target).
- T3 carol, PJM, email: Wed 3 Sep 10:00 Madrid, never answered.
- T5 alice, Pressero, urgent on Saturday 6 Sep 10:00: after hours, pages on-call.
- T4 bob, Pressero, phone: Mon 8 Sep 09:00, answered 09:20 (20m, met), resolved 12:00 (3h).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine

from supportal.billing import notices, timelog
from supportal.kb.models import Article, DeflectionEvent
from supportal.reports import figures, services
from supportal.sla.models import Page
from supportal.tickets.models import Ticket
from tests.factories import make_ticket
from tests.training import train

from .conftest import MADRID, answer, chicago, set_status

NOW = chicago(2025, 9, 10, 12)


@pytest.fixture
def history(demo):
    train(demo.carol, "pjm")
    t1 = make_ticket(demo.alice, at=chicago(2025, 9, 2, 9), product="pressero")
    answer(t1, demo.agent, at=chicago(2025, 9, 2, 10, 30))
    t2 = make_ticket(demo.bob, at=chicago(2025, 9, 2, 10), product="edocbuilder", urgent=True)
    answer(t2, demo.agent, at=chicago(2025, 9, 4, 10))
    t3 = make_ticket(
        demo.carol,
        at=datetime(2025, 9, 3, 10, tzinfo=MADRID),
        product="pjm",
        channel=Ticket.Channel.EMAIL,
    )
    t5 = make_ticket(demo.alice, at=chicago(2025, 9, 6, 10), product="pressero", urgent=True)
    t4 = make_ticket(
        demo.bob, at=chicago(2025, 9, 8, 9), product="pressero", channel=Ticket.Channel.PHONE
    )
    answer(t4, demo.agent, at=chicago(2025, 9, 8, 9, 20))
    set_status(t4, demo.agent, "resolved", at=chicago(2025, 9, 8, 12))
    set_status(t1, demo.agent, "resolved", at=chicago(2025, 9, 9, 15))
    with time_machine.travel(NOW, tick=False):
        services.refresh_stale_timings()
    return {"t1": t1, "t2": t2, "t3": t3, "t4": t4, "t5": t5}


def _weeks():
    return figures.dashboard_weeks(2, now=NOW)


def test_sla_attainment_by_week_counts_met_and_missed(history):
    figure = figures.sla_by_week(_weeks())
    assert figure.rows == [
        [date(2025, 9, 1), 4, 1, 1, 50.0],
        [date(2025, 9, 8), 1, 1, 0, 100.0],
    ]
    assert figure.svg.startswith("<svg")


def test_sla_attainment_by_region_and_product(history):
    assert figures.sla_by_region(_weeks()).rows == [
        ["Spain", 0, 0, None],
        ["USA", 2, 1, 66.7],
    ]
    assert figures.sla_by_product(_weeks()).rows == [
        ["eDocBuilder", 0, 1, 0.0],
        ["PJM", 0, 0, None],
        ["Pressero", 2, 0, 100.0],
    ]


def test_response_time_histogram_buckets_business_time(history):
    rows = dict(figures.response_distribution(_weeks()).rows)
    assert rows == {
        "<15m": 0,
        "15m–30m": 1,  # T4, 20 minutes
        "30m–1h": 0,
        "1h–2h": 1,  # T1, 1h30
        "2h–4h": 0,
        "4h–8h": 0,
        "8h–16h": 0,
        "16h+": 1,  # T2, exactly 16 business hours across three days
    }


def test_backlog_is_open_tickets_at_each_week_end(history):
    figure = figures.backlog(_weeks(), now=NOW)
    assert figure.rows == [
        [date(2025, 9, 1), 4, 0, 4],  # T1, T2, T3, T5 open on Monday 8 at midnight
        [date(2025, 9, 8), 1, 2, 3],  # T4 in; T1 and T4 resolved
    ]


def test_tickets_by_channel(history):
    rows = dict(figures.by_channel(_weeks()).rows)
    assert rows == {"Portal": 3, "API": 0, "Email": 1, "Phone": 1, "Chat": 0}


def test_urgent_tickets_and_after_hours_pages_by_week(history):
    assert Page.objects.count() == 1  # only the Saturday ticket paged
    figure = figures.urgent_and_pages(_weeks())
    assert figure.rows == [[date(2025, 9, 1), 2, 1], [date(2025, 9, 8), 0, 0]]


def test_deflection_rate_counts_solved_and_silent_suggestions(demo):
    article = Article.objects.create(
        title="Shipping options",
        slug="shipping-options",
        product_id=demo.acme.products.first().pk,
        body="How.",
        author=demo.agent,
        status="published",
    )
    make_ticket(demo.bob, at=chicago(2025, 9, 9, 10), product="pressero")
    at = chicago(2025, 9, 9, 9)
    # Solved; left (Alice filed nothing); followed by Bob's ticket 20 minutes later.
    DeflectionEvent.objects.create(user=demo.bob, article=article, opened_at=at, solved_at=at)
    DeflectionEvent.objects.create(user=demo.alice, article=article, opened_at=at)
    DeflectionEvent.objects.create(
        user=demo.bob, article=article, opened_at=chicago(2025, 9, 9, 9, 40)
    )
    figure = figures.deflection(_weeks(), now=NOW)
    assert figure.rows[1] == [date(2025, 9, 8), 3, 2, 66.7]
    assert figure.rows[0] == [date(2025, 9, 1), 0, 0, None]


def test_billed_hours_revenue_and_expert_hours(demo):
    train(demo.carol, "pjm")
    with time_machine.travel(chicago(2025, 9, 9, 10), tick=False):
        carol_ticket = make_ticket(demo.carol, at=chicago(2025, 9, 9, 10), product="pjm")
        acme_ticket = make_ticket(demo.alice, at=chicago(2025, 9, 9, 10), product="pressero")
        for ticket, customer in ((carol_ticket, demo.carol), (acme_ticket, demo.alice)):
            notice = notices.send_notice(
                ticket=ticket, actor=demo.agent, category="ps_admin", estimate_minutes=120,
                message="Setting up the calculator is professional services.",
            )  # fmt: skip
            notices.accept_notice(notice=notice, customer=customer)
            timelog.log_time(
                ticket=ticket, actor=demo.agent, minutes=60, category="ps_admin",
                work_date=date(2025, 9, 9),
            )  # fmt: skip
    hours = figures.billed_hours(_weeks())
    assert hours.rows[1] == [date(2025, 9, 8), Decimal("2.00"), Decimal("1.00")]
    revenue = figures.revenue(_weeks())
    assert revenue.rows[1] == [date(2025, 9, 8), Decimal("125.00")]  # Acme's hour was covered
    expert = figures.expert_hours(_weeks(), now=NOW)
    assert expert.rows[-1] == ["2025-Q3", Decimal("3.00"), Decimal("1.00")]  # HV: 3 h a quarter


def test_dashboard_computes_every_figure_without_loading_tickets(
    history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        shown = figures.dashboard_figures(weeks=2, now=NOW)
    assert [f.slug for f in shown] == list(figures.FIGURES)
    assert all(f.svg.startswith("<svg") for f in shown)


def test_key_figures_of_a_week(history):
    found = {k.label: k.value for k in figures.key_figures(week=date(2025, 9, 1))}
    assert found["Tickets received"] == "4"
    assert found["First response within target (4 business hours)"] == "50.0%"
    assert found["Average first response (business time)"] == "8h 45m"  # (1h30 + 16h) / 2
    assert found["Urgent tickets"] == "2"
    assert found["After-hours pages"] == "1"

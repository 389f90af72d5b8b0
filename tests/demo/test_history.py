"""`supportal demo` loads twelve weeks of history: every dashboard chart has data."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from supportal.csat.models import SurveyAnswer
from supportal.demo.loader import load_demo
from supportal.reports import figures
from supportal.tickets.models import Ticket

pytestmark = pytest.mark.django_db

# Figures whose first data column is a count or amount that history must make non-zero.
EVERY_WEEK = ("sla-week", "backlog", "csat-week")


def _has_data(figure: figures.Figure) -> bool:
    numbers = [v for row in figure.rows for v in row[1:] if isinstance(v, int | float)]
    numbers += [float(v) for row in figure.rows for v in row[1:] if hasattr(v, "quantize")]
    return any(numbers)


def test_command_loads_history_with_a_progress_bar_and_every_chart_shows_data(settings, client):
    settings.SUPPORTAL_REPORTS_CACHE_SECONDS = 0
    out = io.StringIO()
    started = time.perf_counter()
    call_command("demo", stdout=out)
    elapsed = time.perf_counter() - started

    assert "History [##############################] week 13/13" in out.getvalue()
    assert "Demo data loaded in" in out.getvalue()
    assert elapsed < 120  # measured: 2.5 s in all, history 0.6 s of it, on an idle machine
    assert Ticket.objects.count() > 300
    assert SurveyAnswer.objects.count() > 50
    shown = figures.dashboard_figures(weeks=12)
    empty = [f.slug for f in shown if not _has_data(f)]
    assert empty == []
    for figure in shown:
        if figure.slug in EVERY_WEEK:
            assert all(row[1] for row in figure.rows), figure.slug
    # The first-response SLA is missed now and then: the charts show both outcomes.
    assert Ticket.objects.filter(sla_breached=True).exists()
    assert Ticket.objects.filter(sla_breached=False, first_responded_at__isnull=False).exists()

    client.force_login(Ticket.objects.filter(assignee__isnull=False).first().assignee)
    page = client.get(reverse("reports:dashboard"), {"weeks": "12"})
    assert page.status_code == 200
    assert page.content.decode().count('class="empty-state"') == 0


def test_second_run_adds_nothing_and_tests_get_no_history_by_default():
    load_demo()
    assert Ticket.objects.count() < 20  # the sample tickets only
    count = Ticket.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert Ticket.objects.count() == count

"""GET /api/v1/reports/tickets.csv answers what the report page's CSV export answers: the
same rows for the same filters, the same cells, formulas neutralised alike."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from supportal.demo.loader import Demo
from tests.factories import make_ticket
from tests.training import train

from .client import ApiClient

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
HOSTILE = ['=HYPERLINK("http://evil.example","x")', "@SUM(1)", "+1 555", "-2 + 3"]


@pytest.fixture
def tickets(demo: Demo) -> None:
    # 21:00 in Chicago on 2 March is 03:00 UTC on 3 March: the day depends on the zone.
    make_ticket(demo.alice, subject=HOSTILE[0], at=datetime(2026, 3, 2, 21, tzinfo=CHICAGO))
    for hour, subject in enumerate(HOSTILE[1:], start=9):
        make_ticket(demo.bob, subject=subject, at=datetime(2026, 3, 3, hour, tzinfo=CHICAGO))
    make_ticket(
        demo.bob, subject="Shop down", at=datetime(2026, 3, 4, 8, tzinfo=CHICAGO), urgent=True
    )
    train(demo.carol, "pjm")
    make_ticket(
        demo.carol,
        subject="Carol's question",
        at=datetime(2026, 3, 3, 9, tzinfo=CHICAGO),
        product="pjm",
    )


def _body(response) -> bytes:
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content)


QUERIES = [
    {},
    {"received_to": "2026-03-02"},
    {"received_from": "2026-03-03", "received_to": "2026-03-03"},
    {"text": "SUM"},
    {"sort": "oldest"},
    {"sort": "subject"},
    {"urgent": "yes"},
    {"status": "new", "product": "pressero"},
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
@pytest.mark.parametrize("who", ["alice", "bob", "carol", "agent"])
def test_api_csv_is_the_page_export(demo, tickets, client: Client, who, query):
    """Date filters are days in the caller's zone (the page's), not UTC days; text, sort and
    requester filter and order the rows as on the page."""
    user = getattr(demo, who)
    api = _body(ApiClient(Client()).get("/reports/tickets.csv", user=user, **query))
    client.force_login(user)
    page = _body(client.get(reverse("reports:export_csv"), query))
    assert api == page
    assert api.count(b"\n") > 1 or who == "carol" or query  # some rows, not just a header


def test_api_csv_filters_by_requester_like_the_page(demo, tickets, client: Client):
    query = {"requester": str(demo.bob.pk)}
    api = _body(ApiClient(Client()).get("/reports/tickets.csv", user=demo.alice, **query))
    client.force_login(demo.alice)
    assert api == _body(client.get(reverse("reports:export_csv"), query))
    assert b"HYPERLINK" not in api and b"Shop down" in api


def test_api_csv_neutralises_every_formula_start(demo, tickets):
    text = _body(ApiClient(Client()).get("/reports/tickets.csv", user=demo.agent)).decode()
    subjects = {row["subject"] for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert subjects >= {"'" + subject for subject in HOSTILE}


def test_api_csv_refuses_an_unknown_sort_with_422(demo, tickets):
    response = ApiClient(Client()).get("/reports/tickets.csv", user=demo.alice, sort="evil")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "sort"

"""The staff dashboard page and its per-chart CSVs."""

import csv
import io

from django.urls import reverse

from supportal.reports import figures
from tests.factories import make_ticket

from .conftest import answer, chicago


def test_dashboard_renders_every_chart_with_its_table_and_csv_link(client, demo):
    ticket = make_ticket(demo.bob, at=chicago(2025, 9, 2, 9), product="pressero")
    answer(ticket, demo.agent, at=chicago(2025, 9, 2, 10))
    client.force_login(demo.manager)
    response = client.get(reverse("reports:dashboard"), {"weeks": "4"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<svg") == len(figures.FIGURES)
    for slug in figures.FIGURES:
        assert reverse("reports:figure_csv", args=[slug]) in body
    assert "Email me these figures weekly" in body


def test_dashboard_is_for_staff_only(client, demo):
    client.force_login(demo.alice)
    assert client.get(reverse("reports:dashboard")).status_code == 404
    assert client.get(reverse("reports:figure_csv", args=["channels"])).status_code == 404


def test_figure_csv_is_its_data_table(client, demo):
    make_ticket(demo.bob, at=chicago(2025, 9, 2, 9), product="pressero")
    client.force_login(demo.agent)
    response = client.get(reverse("reports:figure_csv", args=["channels"]), {"weeks": "52"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Channel", "Tickets"]
    assert [r[0] for r in rows[1:]] == ["Portal", "API", "Email", "Phone", "Chat"]
    assert client.get(reverse("reports:figure_csv", args=["nope"])).status_code == 404

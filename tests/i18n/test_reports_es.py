"""The reports pages and the weekly mail in Spanish; the English pages unchanged; the
figure CSVs keep their English column headers (integrations read them)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from supportal.accounts.models import User
from supportal.reports import services
from tests.factories import make_ticket
from tests.reports.conftest import answer, chicago

from .test_tickets_es import untranslated

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
CATALOG = Path(__file__).parents[2] / "supportal/reports/locale/es/LC_MESSAGES/django.po"


def client_in(user: User, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    type(user).objects.filter(pk=user.pk).update(language=language)  # the account's choice
    client.force_login(user)
    return client


def test_dashboard_headings_and_charts_are_in_spanish(demo):
    make_ticket(demo.bob, at=chicago(2025, 9, 2, 9), product="pressero")
    html = client_in(demo.manager, "es").get(DASHBOARD, {"weeks": "4"}).content.decode()
    assert "<h1>Panel de soporte</h1>" in html
    assert "Las últimas 4 semanas, de lunes a domingo." in html
    assert "Tickets por canal" in html  # a chart's title
    assert '<th scope="col">Canal</th>' in html  # its data table
    assert "Enviarme estas cifras cada semana" in html
    assert "Todavía no hay datos" in html  # a chart with nothing to draw
    assert "Tickets by channel" not in html


def test_dashboard_in_english_is_unchanged(demo):
    html = client_in(demo.manager, "en").get(DASHBOARD, {"weeks": "4"}).content.decode()
    assert "<h1>Support dashboard</h1>" in html
    assert "Tickets by channel" in html
    assert '<th scope="col">Channel</th>' in html
    assert "Email me these figures weekly" in html


def test_english_and_spanish_dashboards_are_cached_apart(demo, settings):
    settings.SUPPORTAL_REPORTS_CACHE_SECONDS = 60
    spanish = client_in(demo.manager, "es").get(DASHBOARD).content.decode()
    english = client_in(demo.manager, "en").get(DASHBOARD).content.decode()
    assert "Tickets por canal" in spanish
    assert "Tickets by channel" in english and "Tickets por canal" not in english


def test_figure_csv_headers_stay_english_for_a_spanish_reader(demo):
    make_ticket(demo.bob, at=chicago(2025, 9, 2, 9), product="pressero")
    response = client_in(demo.agent, "es").get(
        reverse("reports:figure_csv", args=["channels"]), {"weeks": "52"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Channel", "Tickets"]


def test_ticket_report_is_in_spanish(demo):
    make_ticket(demo.bob, subject="Checkout fails on payment")
    html = client_in(demo.bob, "es").get(reverse("reports:tickets")).content.decode()
    assert "<h1>Informe de tickets</h1>" in html
    assert "Exportar CSV" in html
    assert "Primera respuesta" in html
    assert "Más recientes primero" in html  # a sort choice
    english = client_in(demo.bob, "en").get(reverse("reports:tickets")).content.decode()
    assert "<h1>Ticket report</h1>" in english and "Newest first" in english


def test_subscription_flash_is_in_spanish(demo):
    response = client_in(demo.manager, "es").post(
        reverse("reports:subscription"), {"action": "subscribe"}, follow=True
    )
    assert "Recibirá las cifras clave por correo electrónico cada semana." in (
        response.content.decode()
    )


def test_weekly_mail_in_spanish(demo):
    ticket = make_ticket(demo.bob, at=chicago(2025, 9, 2, 9), product="pressero")
    answer(ticket, demo.agent, at=chicago(2025, 9, 2, 10))
    services.refresh_stale_timings()
    with translation.override("es"):
        mail = services.weekly_mail(week=date(2025, 9, 1))
    assert mail.subject == "Informe de soporte, semana del 1 de septiembre"
    assert mail.body.startswith("Informe de soporte de la semana del 1 de septiembre de 2025")
    assert "Tickets recibidos: 1" in mail.body
    assert "Primera respuesta media (en horario de atención): 1h 00m" in mail.body
    with translation.override("en"):
        english = services.weekly_mail(week=date(2025, 9, 1))
    assert english.subject == "Support report, week of September 1"
    assert english.body.startswith("Support report for the week of September 1, 2025")


def test_catalog_is_complete():
    text = CATALOG.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    assert untranslated(text) == []

"""Dates and amounts in the reader's language: Spanish readers see "4 dic 2026" and
"125,00 US$", English readers the dates they always saw and "$125.00"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from supportal.billing import statements, timelog
from supportal.billing.export import statement_pdf
from supportal.core.dates import STYLES, format_date
from supportal.core.money import format_money
from tests.billing.conftest import accepted_notice
from tests.factories import make_ticket

from ._ops_spanish import english_client, pdf_text, spanish_client

# Friday 4 December 2026, 14:05 in Madrid.
FRIDAY = datetime(2026, 12, 4, 13, 5, tzinfo=UTC)
MADRID = ZoneInfo("Europe/Madrid")
NBSP = "\N{NO-BREAK SPACE}"
ENGLISH_NAMES = ("Dec", "Fri")  # "Dic" was the Spanish pages' English-order abbreviation


def test_the_date_styles_in_english_and_in_spanish():
    local = FRIDAY.astimezone(MADRID)
    expected = {
        "date": ("Dec 4, 2026", "4 dic 2026"),
        "datetime": ("Dec 4, 2026 14:05", "4 dic 2026, 14:05"),
        "day": ("Dec 4", "4 dic"),
        "day_time_zone": ("Dec 4, 14:05 CET", "4 dic, 14:05 CET"),
        "weekday_day_time": ("Fri 4 Dec, 14:05", "vie 4 dic, 14:05"),
        "long_datetime_zone": (
            "Friday, December 4, 2026 · 14:05 CET",
            "viernes, 4 de diciembre de 2026 · 14:05 CET",
        ),
        "month": ("December 2026", "diciembre de 2026"),
        "numeric_datetime": ("2026-12-04 14:05", "04/12/2026 14:05"),
    }
    for style, (english, spanish) in expected.items():
        with translation.override("en"):
            assert format_date(local, style) == english
        with translation.override("es"):
            assert format_date(local, style) == spanish


def test_every_style_reads_spanish_in_spanish():
    """No style leaves an English month or weekday, or the English order "Dic 4", in
    Spanish; a date (not a datetime) works with the date-only styles."""
    local = FRIDAY.astimezone(MADRID)
    with translation.override("es"):
        for style in STYLES:
            text = format_date(local, style)
            assert not any(name in text for name in ENGLISH_NAMES), (style, text)
            assert "Dic" not in text, (style, text)
        assert format_date(date(2026, 12, 4), "weekday_date") == "vie 4 dic 2026"


def test_amounts_in_english_and_in_spanish():
    with translation.override("en"):
        assert format_money(Decimal("125")) == "$125.00"
        assert format_money(Decimal("1250.5"), "USD") == "$1,250.50"
        assert format_money(Decimal("-12.5"), "EUR") == "-€12.50"
    with translation.override("es"):
        assert format_money(Decimal("125")) == f"125,00{NBSP}US$"
        assert format_money(Decimal("1250.5"), "USD") == f"1.250,50{NBSP}US$"
        assert format_money(Decimal("-12.5"), "EUR") == f"-12,50{NBSP}€"


@pytest.mark.django_db
def test_elena_reads_the_ticket_page_and_queue_with_spanish_dates(demo):
    """Elena (an agent of the Spain region, no choice of her own) reads her region's
    language and time zone: 13:05 UTC is 14:05 in Madrid."""
    with time_machine.travel(FRIDAY, tick=False):
        ticket = make_ticket(demo.bob, subject="Pedido bloqueado")
    client = Client()
    client.force_login(demo.agent_es)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert f'{ticket.received_at.astimezone(MADRID).isoformat()}">4 dic 2026, 14:05</time>' in page
    assert "Dec 4" not in page and "Dic 4" not in page
    queue = client.get(reverse("tickets:queue")).content.decode()
    assert "4 dic 2026, 14:05" in queue and "Dec 4" not in queue


@pytest.mark.django_db
def test_the_english_ticket_page_keeps_its_dates(demo):
    with time_machine.travel(FRIDAY, tick=False):
        ticket = make_ticket(demo.bob)
    page = english_client(demo.agent).get(ticket.get_absolute_url()).content.decode()
    assert ">Dec 4, 2026 07:05</time>" in page  # Avery reads Chicago time


@pytest.fixture
def may_statement(demo):
    with time_machine.travel("2025-05-20 12:00 -05:00", tick=False):
        ticket = make_ticket(demo.alice)
        accepted_notice(ticket, demo.agent, demo.alice, category="ps_technical", minutes=300)
        timelog.log_time(ticket=ticket, actor=demo.ps, minutes=240, category="ps_technical")
    return statements.statement_for(demo.acme, 2025, 5)


@pytest.mark.django_db
def test_the_statement_page_shows_the_readers_dates_and_amounts(demo, may_statement):
    total = may_statement.totals["total"]
    assert total > 0
    url = reverse("billing:statement", args=[demo.acme.pk, "2025-05"])

    spanish = spanish_client(demo.alice).get(url).content.decode()
    assert '<td data-label="Fecha">20 may</td>' in spanish
    with translation.override("es"):
        spanish_total = format_money(total)
    assert f'<strong class="billing-total">{spanish_total}</strong>' in spanish
    assert spanish_total.endswith(f"{NBSP}US$") and "," in spanish_total
    assert "USD" not in spanish.split('class="card billing-totals"')[1].split("</dl>")[0]

    english = english_client(demo.alice).get(url).content.decode()
    assert '<td data-label="Date">May 20</td>' in english
    assert f'<strong class="billing-total">${total:,.2f}</strong>' in english


@pytest.mark.django_db
def test_the_statement_pdf_prints_the_readers_amounts(demo, may_statement):
    total = may_statement.totals["total"]
    with translation.override("es"):
        spanish = pdf_text(statement_pdf(may_statement))
        spanish_total = format_money(total)
    # Latin-1 holds the no-break space and "US$": the symbol survives the core fonts.
    assert spanish_total.endswith(f"{NBSP}US$") and f"Total: {spanish_total}" in spanish
    assert "(20/05/2025) Tj" in spanish and "(4,00) Tj" in spanish  # the hours as on the page
    with translation.override("en"):
        english = pdf_text(statement_pdf(may_statement))
    assert f"Total: ${total:,.2f}" in english
    assert "(2025-05-20) Tj" in english and "(4.00) Tj" in english


@pytest.mark.django_db
def test_a_euro_statement_pdf_names_the_currency_the_fonts_cannot_draw(demo, may_statement):
    may_statement.currency = "EUR"
    with translation.override("es"):
        spanish = pdf_text(statement_pdf(may_statement))
    assert f"{NBSP}EUR" in spanish and "?" not in spanish.split("Total:")[1].split(")")[0]

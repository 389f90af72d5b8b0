"""Billing in Spanish: the customer's quote in the portal and its mail, the staff quote
form, the statement page and PDF; the English pages and the CSV stay as they were."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from supportal.billing import notices, statements, timelog
from supportal.billing.export import statement_csv, statement_pdf
from supportal.billing.notices import LineDraft
from supportal.intake.models import OutboundEmail
from tests.billing.conftest import accepted_notice
from tests.factories import make_ticket

from ._ops_spanish import english_client, pdf_text, reads_spanish, spanish_client

pytestmark = pytest.mark.django_db

MAY = "2025-05-20 12:00 -05:00"
USD_ES = "\N{NO-BREAK SPACE}US$"  # Spain writes dollars after the amount: 125,00 US$


def _quote(ticket, agent):
    return notices.send_quote(
        ticket=ticket,
        actor=agent,
        lines=[LineDraft(category="ps_admin", minutes=60, description="Shipping table")],
        message="Beyond support.",
    )


def test_a_quote_reaches_a_spanish_customer_in_spanish(demo):
    reads_spanish(demo.alice)
    ticket = make_ticket(demo.alice, subject="Tabla de envíos")
    with translation.override("es"):
        _quote(ticket, demo.agent)
    sent = OutboundEmail.objects.get(ticket=ticket, template="billing/email/notice_waiting")
    assert sent.subject.endswith("Presupuesto: necesitamos su decisión")
    assert "Hola" in sent.body_text
    assert "va más allá del soporte gratuito" in sent.body_text
    assert "acepte el presupuesto en el portal" in sent.body_text
    assert f"Estimación: 125,00{USD_ES}\n" in sent.body_text
    assert "Revisar y decidir sobre" in sent.body_html

    page = spanish_client(demo.alice).get(ticket.get_absolute_url()).content.decode()
    assert "Presupuesto: necesitamos su decisión" in page
    assert f"- Shipping table: 1,00 h a 125,00{USD_ES}/h = 125,00{USD_ES}" in page
    assert f"Total estimado: 125,00{USD_ES}" in page
    assert "Aceptar la estimación" in page and "Rechazar" in page
    assert "your decision is needed" not in page


def test_the_english_quote_and_its_mail_are_unchanged(demo):
    ticket = make_ticket(demo.alice, subject="Shipping table")
    with translation.override("en"):
        _quote(ticket, demo.agent)
    sent = OutboundEmail.objects.get(ticket=ticket, template="billing/email/notice_waiting")
    assert sent.subject.endswith("Quote: your decision is needed")
    assert (
        f"The work on {ticket.number} goes beyond free support. Nothing is charged unless you\n"
        "accept the quote in the portal; until then the work waits."
    ) in sent.body_text
    assert "Estimate: $125.00\n" in sent.body_text
    page = english_client(demo.alice).get(ticket.get_absolute_url()).content.decode()
    assert "Quote: your decision is needed" in page
    assert "1.00 h at $125.00/h = $125.00" in page and "Estimated total: $125.00" in page
    assert "Accept estimate" in page


def test_the_staff_quote_form_in_spanish(demo):
    ticket = make_ticket(demo.alice)
    page = spanish_client(demo.agent).get(reverse("billing:send_quote", args=[ticket.pk]))
    html = page.content.decode()
    assert "Enviar un presupuesto" in html
    assert "Línea 1" in html and "Fecha de entrega" in html and "Recargo por urgencia" in html
    assert "Volver al ticket" in html


@pytest.fixture
def may_statement(demo):
    with time_machine.travel(MAY, tick=False):
        ticket = make_ticket(demo.alice)
        accepted_notice(ticket, demo.agent, demo.alice, category="ps_technical", minutes=300)
        timelog.log_time(ticket=ticket, actor=demo.ps, minutes=240, category="ps_technical")
    return statements.statement_for(demo.acme, 2025, 5)


def test_the_statement_pdf_in_spanish_and_in_english(demo, may_statement):
    with translation.override("es"):
        spanish = pdf_text(statement_pdf(may_statement))
    assert "Extracto de mayo" in spanish
    assert "Descripción" in spanish  # Latin-1: the core fonts print the accent
    assert "(Horas) Tj" in spanish and "(Importe) Tj" in spanish and "(cargo) Tj" in spanish
    assert "Cargos:" in spanish and "Exenciones:" in spanish and "Abonos:" in spanish
    assert "Facturado en fracciones de 15 minutos, redondeado al alza" in spanish
    assert "Statement" not in spanish

    with translation.override("en"):
        english = pdf_text(statement_pdf(may_statement))
    assert "Statement May 2025" in english
    assert "(Description) Tj" in english and "(Hours) Tj" in english and "(charge) Tj" in english
    assert "Charges:" in english and "Waivers:" in english
    assert "Billed in 15-minute increments, rounded up" in english


def test_the_statement_csv_stays_english_for_integrations(demo, may_statement):
    with translation.override("es"):
        text = statement_csv(may_statement)
    assert "Date,Ticket,Description,Category,Hours,Rate,Amount,Expert hours,Line" in text
    assert "Billed in 15-minute increments, rounded up" in text
    assert "Facturado" not in text


def test_the_statement_page_in_spanish(demo, may_statement):
    url = reverse("billing:statement", args=[demo.acme.pk, "2025-05"])
    html = spanish_client(demo.alice).get(url).content.decode()
    assert "Extracto de mayo" in html
    assert "Importe" in html and "Horas de experto" in html
    assert "Facturado en fracciones de 15 minutos" in html
    english = english_client(demo.alice).get(url).content.decode()
    assert "Statement May 2025" in english and "Billed in 15-minute increments" in english


def test_the_staff_console_and_its_refusal_in_spanish(demo):
    ticket = make_ticket(demo.alice)
    timelog.log_time(ticket=ticket, actor=demo.agent, minutes=15, category="support")
    agent = spanish_client(demo.agent)
    page = agent.get(ticket.get_absolute_url()).content.decode()
    assert "15 de 15 minutos gratuitos usados para Acme Print hoy" in page
    assert "El soporte gratuito se ha agotado. Tres opciones:" in page
    assert "Registrar tiempo" in page and "Enviar aviso" in page
    refused = agent.post(
        reverse("billing:log_time", args=[ticket.pk]), {"minutes": "45", "category": "ps_technical"}
    )
    assert refused.status_code == 422
    assert "necesita antes el consentimiento del cliente" in refused.content.decode()

"""The SLA texts in Spanish: the contact page for a visitor who reads Spanish, the
expectation a customer is given, the warning mail and the on-call page; English unchanged."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from supportal.sla.models import SlaClock
from supportal.sla.services import expectation_for, format_business_hours
from tests.factories import make_ticket

from ._ops_spanish import english_client, spanish_client

pytestmark = pytest.mark.django_db


def test_the_contact_page_in_spanish_for_a_visitor(demo):
    html = spanish_client().get(reverse("contact")).content.decode()
    assert "Contactar con soporte" in html
    assert "800-571-2138 ext. 4" in html
    assert "responder en un plazo de 4 horas de atención" in html
    assert "Horario de atención" in html and "Por anunciar" in html
    assert "respond within 4 business hours" not in html


def test_the_contact_page_in_english_is_unchanged(demo):
    html = english_client().get(reverse("contact")).content.decode()
    assert "Contact support" in html and "respond within 4 business hours" in html
    assert "800-571-2138 ext. 4" in html


def test_business_hours_and_the_expectation_in_spanish(demo):
    with translation.override("es"):
        assert format_business_hours(60) == "1 hora de atención"
        assert format_business_hours(240) == "4 horas de atención"
        assert format_business_hours(90) == "90 minutos de atención"
        message = expectation_for(organization=demo.acme).message
    assert message.startswith("Respondemos en un plazo de ")
    with translation.override("en"):
        assert format_business_hours(240) == "4 business hours"
        assert expectation_for(organization=demo.acme).message.startswith("We answer within ")


@time_machine.travel("2025-05-20 12:00 -05:00", tick=False)
def test_the_sla_warning_mail_in_spanish_and_in_english(demo):
    ticket = make_ticket(demo.alice, subject="Checkout fails")
    context = {
        "ticket": ticket,
        "ticket_url": "https://support.example/t/1",
        "metric": SlaClock.Metric.FIRST_RESPONSE.label,
        "due_at": timezone.now() + timedelta(minutes=30),
    }
    with translation.override("es"):
        subject = render_to_string("sla/email/warning_subject.txt", context).strip()
        body = render_to_string("sla/email/warning.txt", context)
        html = render_to_string("sla/email/warning.html", context)
    assert subject == "Aviso de SLA: vence pronto la primera respuesta"
    assert f"{ticket.number} (Acme Print) incumplirá su objetivo de primera respuesta" in body
    assert "Asunto: Checkout fails" in body
    assert "Enviado al asignado del ticket" in html
    with translation.override("en"):
        assert (
            render_to_string("sla/email/warning_subject.txt", context).strip()
            == "SLA warning: first response due soon"
        )
        body = render_to_string("sla/email/warning.txt", context)
    assert f"{ticket.number} (Acme Print) will breach its first response target at" in body
    assert "\n\nSubject: Checkout fails\n" in body

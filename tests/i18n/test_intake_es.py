"""Intake in Spanish: the notification mails (subject and body, text and HTML), the
auto-reply to an unknown sender, the preferences page and its flash message; English
unchanged."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from supportal.intake import notify
from supportal.intake.models import OutboundEmail
from tests.factories import make_ticket

from ._ops_spanish import english_client, spanish_client

pytestmark = pytest.mark.django_db


def _received(ticket, recipient):
    return {
        "ticket": ticket,
        "recipient": recipient,
        "ticket_url": "https://support.example/t/1",
        "new_ticket_url": "https://support.example/tickets/new/",
        "preferences_url": "https://support.example/account/notifications/",
        "portal_url": "https://support.example/",
        "expectation": "",
        "from_email": True,
        "from_phone": False,
    }


def test_the_ticket_received_mail_in_spanish(demo):
    ticket = make_ticket(demo.alice, subject="Checkout fails")
    context = _received(ticket, demo.alice)
    with translation.override("es"):
        subject = render_to_string("intake/email/ticket_received_subject.txt", context).strip()
        body = render_to_string("intake/email/ticket_received.txt", context)
        html = render_to_string("intake/email/ticket_received.html", context)
    assert subject == "Hemos recibido su solicitud: Checkout fails"
    assert f"Hemos recibido su solicitud y la hemos registrado como {ticket.number}" in body
    assert "La próxima vez, abra su solicitud en el portal de soporte" in body
    assert "Recibe este mensaje por su configuración de notificaciones" in body
    assert '<html lang="es">' in html
    assert f"Siga {ticket.number} en el portal" in html
    assert "We received" not in body + html


def test_the_ticket_received_mail_in_english_is_unchanged(demo):
    ticket = make_ticket(demo.alice, subject="Checkout fails")
    context = _received(ticket, demo.alice)
    with translation.override("en"):
        subject = render_to_string("intake/email/ticket_received_subject.txt", context).strip()
        body = render_to_string("intake/email/ticket_received.txt", context)
        html = render_to_string("intake/email/ticket_received.html", context)
    assert subject == "We received your request: Checkout fails"
    name = demo.alice.get_full_name()
    assert body.startswith(
        f"Hello {name},\n\nWe received your request and filed it as {ticket.number}: "
        "Checkout fails\n"
    )
    assert (
        "Next time, please open your request in the support portal instead of emailing us: "
        "the form\nsearches the Knowledge Base"
    ) in body
    assert body.rstrip("\n").endswith(
        "--\nYou get this because of your notification settings; change them at "
        "https://support.example/account/notifications/\n"
        "New question? Open a ticket in the support portal: "
        "https://support.example/tickets/new/"
    )
    assert '<html lang="en">' in html


def test_the_auto_reply_to_an_unknown_sender_in_spanish(demo):
    with translation.override("es"):
        row = notify.queue_mail(
            to_address="stranger@example.com",
            template=notify.EMAIL_TEMPLATES + "auto_reply_unknown",
            context={"original_subject": "Help"},
            auto_reply=True,
        )
    row = OutboundEmail.objects.get(pk=row.pk)
    assert row.subject == "Utilice el portal de soporte (ref.: Help)"
    assert row.body_text.startswith("Hola:\n\nGracias por su mensaje.")
    assert "su correo no se ha registrado como ticket" in row.body_text
    assert "inicie sesión en el" in row.body_html


def test_the_status_mail_in_spanish_counts_days(demo):
    ticket = make_ticket(demo.alice, subject="Checkout fails")
    context = {
        **_received(ticket, demo.alice),
        "new_status": "Resuelto",
        "old_status": "Abierto",
        "is_resolved": True,
        "auto_close_days": 7,
    }
    with translation.override("es"):
        body = render_to_string("intake/email/status_changed.txt", context)
    assert f"{ticket.number} está ahora resuelto (antes: abierto)." in body
    assert "en un plazo de\n7 días; después, el ticket se cerrará automáticamente." in body


def test_the_preferences_page_and_its_message_in_spanish(demo):
    client = spanish_client(demo.alice)
    page = client.get(reverse("intake:preferences")).content.decode()
    assert "Qué correos le enviamos sobre sus tickets" in page
    assert "Enviarme un correo cuando" in page and "Se ha recibido mi ticket" in page
    assert "Guardar" in page
    done = client.post(
        reverse("intake:preferences"), {"receive": ["ticket_received"], "phone": ""}, follow=True
    )
    assert "Se ha guardado su configuración de notificaciones." in done.content.decode()


def test_the_preferences_page_in_english_is_unchanged(demo):
    page = english_client(demo.alice).get(reverse("intake:preferences")).content.decode()
    assert "Which emails we send you about your tickets" in page
    assert "Email me when" in page and "My ticket was received" in page


def test_the_intake_dashboard_in_spanish(demo):
    page = spanish_client(demo.agent).get(reverse("intake:dashboard")).content.decode()
    assert "Mensajes de voz de llamantes desconocidos" in page
    assert "Correo retenido o en cuarentena" in page

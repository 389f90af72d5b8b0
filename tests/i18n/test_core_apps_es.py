"""Spanish readers get the login, invitation, chat, survey and privacy texts in Spanish (and
the scripts' strings from the JavaScript catalog); English readers get the English ones,
unchanged."""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from supportal.accounts.models import Product, User
from supportal.chat import services as chat_services
from supportal.chat.models import Chat
from supportal.chat.transcript import transcript_text

pytestmark = pytest.mark.django_db


def test_a_visitor_asking_for_spanish_gets_the_spanish_login_page(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    html = response.content.decode()
    assert "Iniciar sesión en Supportal" in html
    assert "Abra y siga sus tickets de soporte." in html
    assert "¿Ha olvidado su contraseña?" in html
    assert "Log in to Supportal" not in html


def test_the_english_login_page_is_unchanged(client):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<h1 class="auth__title">Log in to Supportal</h1>' in html
    assert '<p class="auth__lead">Open and follow your support tickets.</p>' in html
    assert ">Forgot your password?</a>" in html


def test_a_spanish_visitor_is_told_of_a_lockout_in_spanish(client, settings):
    settings.SUPPORTAL_LOGIN_FAILURE_LIMIT = 1
    login = reverse("accounts:login")
    for _attempt in range(2):
        response = client.post(
            login,
            {"username": "nobody@example.test", "password": "wrong password"},
            HTTP_ACCEPT_LANGUAGE="es",
        )
    assert response.status_code == 429
    assert "Demasiados intentos fallidos" in response.content.decode()


INVITATION = {
    "name": "Nuria",
    "organization_name": "Bright Ink",
    "inviter": "Alice Admin",
    "expires": datetime(2026, 12, 11, 10, 0, tzinfo=ZoneInfo("Europe/Madrid")),
    "accept_url": "https://support.example/accounts/invitation/abc/",
}


def test_the_invitation_mail_in_spanish():
    with translation.override("es"), timezone.override("Europe/Madrid"):
        subject = render_to_string("accounts/email/invitation_subject.txt", INVITATION)
        body = render_to_string("accounts/email/invitation.txt", INVITATION)
    assert subject.strip() == "Le invitamos al portal de soporte de Bright Ink"
    assert body.startswith("Hola, Nuria:\n\n")
    assert "Alice Admin le ha invitado a la cuenta de Bright Ink" in body
    assert "(el enlace funciona una vez, hasta el 11/12/2026 10:00 CET):\n" in body
    assert INVITATION["accept_url"] in body


def test_the_english_invitation_mail_is_unchanged():
    with translation.override("en"), timezone.override("Europe/Madrid"):
        subject = render_to_string("accounts/email/invitation_subject.txt", INVITATION)
        body = render_to_string("accounts/email/invitation.txt", INVITATION)
    assert subject.strip() == "You are invited to Bright Ink's support portal"
    assert body == (
        "Hello Nuria,\n\n"
        "Alice Admin invited you to Bright Ink's account on our support portal, where\n"
        "you open support tickets, follow their answers, and read the knowledge base.\n\n"
        "Choose your password here (the link works once, until 2026-12-11 10:00 CET):\n"
        "https://support.example/accounts/invitation/abc/\n\n"
        "If you did not expect this invitation, ignore this message; nothing happens without "
        "the link.\n\n"
    )


def test_a_spanish_customer_reads_the_live_chat_page_in_spanish(client, demo):
    User.objects.filter(pk=demo.bob.pk).update(language="es")
    client.force_login(demo.bob)
    html = client.get(reverse("chat:start")).content.decode()
    assert "<h1>Chat en directo</h1>" in html
    assert ">Chats anteriores</a>" in html


def test_chat_notices_and_the_transcript_are_in_the_customers_language(demo):
    User.objects.filter(pk=demo.bob.pk).update(language="es")
    chat = Chat.objects.create(
        organization=demo.bob.organization,
        customer=demo.bob,
        product=Product.objects.get(slug="pressero"),
        subject="¿Cómo añado un método de envío?",
    )
    with translation.override("en"):  # whoever caused it (an agent reading English)
        notice = chat_services.post_system_notice(
            chat_id=chat.pk, body=chat_services.AGENT_GONE_NOTICE
        )
        transcript = transcript_text(Chat.objects.get(pk=chat.pk))
    assert notice.body.startswith("Su agente se ha desconectado.")
    assert transcript.startswith("Transcripción del chat en directo (Pressero), iniciado el ")


def test_chat_notices_stay_english_for_an_english_customer(demo):
    chat = Chat.objects.create(
        organization=demo.bob.organization,
        customer=demo.bob,
        product=Product.objects.get(slug="pressero"),
        subject="How do I add a shipping method?",
    )
    with translation.override("es"):
        notice = chat_services.post_system_notice(
            chat_id=chat.pk, body=chat_services.AGENT_GONE_NOTICE
        )
    assert notice.body == (
        "Your agent was disconnected. You are back in the waiting list, in your place; "
        "the next free agent will continue."
    )


def javascript_catalog(client, language: str) -> dict[str, str]:
    response = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    match = re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.S)
    return json.loads(match.group(1)) if match else {}


def test_the_javascript_catalog_holds_the_chat_scripts_strings_in_spanish(client):
    catalog = javascript_catalog(client, "es")
    assert catalog["Waiting for an agent"] == "Esperando a un agente"
    assert catalog["%(name)s is typing…"] == "%(name)s está escribiendo…"
    assert catalog["Time left: %(time)s"] == "Tiempo restante: %(time)s"
    assert javascript_catalog(client, "en") == {}


def test_the_survey_page_for_a_spanish_reader(client, demo):
    User.objects.filter(pk=demo.bob.pk).update(language="es")
    with translation.override("es"):
        panel = render_to_string("csat/_panel.html", {"show": True, "answer": None, "links": []})
    assert "¿Qué tal lo hemos hecho?" in panel


def test_the_privacy_page_for_a_spanish_customer_admin(client, demo):
    User.objects.filter(pk=demo.alice.pk).update(language="es")
    client.force_login(demo.alice)
    url = reverse("privacy:organization", args=[demo.alice.organization_id])
    html = client.get(url).content.decode()
    assert "exportación y borrado de datos" in html
    assert ">Hacer una exportación</button>" in html

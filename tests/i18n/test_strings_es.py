"""Fixed texts of kb, news, ideas and status in Spanish: feeds, subscription mails,
flash messages and pages; the English ones unchanged."""

from __future__ import annotations

import feedparser
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from supportal.demo.news_status_ideas import load_news_status_ideas_demo
from supportal.news import services as news_services
from supportal.status import services as status_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(demo):
    load_news_status_ideas_demo(demo)
    return demo


def feed(path: str, language: str):
    response = Client(headers={"accept-language": language}).get(path)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def test_news_feed_has_its_fixed_title_and_language_in_spanish(content):
    response, parsed = feed(reverse("news:feed_rss"), "es")
    english, parsed_en = feed(reverse("news:feed_rss"), "en")

    assert parsed.feed.title == "Noticias de Supportal"
    assert parsed.feed.language == "es"
    titles = [entry.title for entry in parsed.entries]
    assert "eDocBuilder 5.4: vistas previas más rápidas y fuentes alternativas" in titles
    assert parsed_en.feed.title == "Supportal news"
    assert parsed_en.feed.language == "en"
    assert response["ETag"] != english["ETag"]  # a cache keeps each language apart


def test_status_feed_has_its_fixed_title_in_spanish(content):
    _, parsed = feed(reverse("status:feed_atom"), "es")

    assert parsed.feed.title == "Estado de Supportal: incidencias y mantenimiento"
    assert parsed.feed.language == "es"


def test_news_subscription_confirmation_mail_in_spanish():
    with translation.override("es"):
        news_services.send_subscription_confirmation(
            email="lector@example.test", blog_digest=True, api_changes=True
        )

    [message] = mail.outbox
    assert message.subject == "Confirme su suscripción a Supportal"
    assert "el resumen del blog y los cambios en la API" in message.body
    assert "Confírmelo aquí:" in message.body


def test_news_subscription_confirmation_mail_in_english_is_unchanged():
    with translation.override("en"):
        news_services.send_subscription_confirmation(
            email="reader@example.test", blog_digest=True, api_changes=False
        )

    [message] = mail.outbox
    assert message.subject == "Confirm your Supportal subscription"
    assert message.body.startswith(
        "Someone, hopefully you, asked to receive the blog digest from Supportal at "
        "reader@example.test.\n\nConfirm here:\n"
    )


def test_status_subscription_confirmation_mail_in_spanish():
    with translation.override("es"):
        status_services.send_subscription_confirmation(email="lector@example.test")

    [message] = mail.outbox
    assert message.subject == "Confirme los avisos de estado"
    assert "avisos de incidencias de Supportal en lector@example.test" in message.body


def test_status_page_in_spanish(content):
    html = Client(headers={"accept-language": "es"}).get(reverse("status:page")).content.decode()

    assert "Estado del sistema" in html
    assert "Incidencias anteriores" in html
    assert "Operativo" in html  # a component state


def test_ideas_board_in_spanish_with_translated_status_labels(content):
    client = Client(headers={"accept-language": "es"})
    type(content.bob).objects.filter(pk=content.bob.pk).update(language="es")
    client.force_login(content.bob)

    html = client.get(reverse("ideas:board")).content.decode()

    assert "Solicitudes de funcionalidad de nuestros clientes" in html
    assert "Más populares" in html


def test_news_subscribe_message_in_spanish(content):
    client = Client(headers={"accept-language": "es"})
    type(content.bob).objects.filter(pk=content.bob.pk).update(language="es")
    client.force_login(content.bob)

    response = client.post(
        reverse("news:subscribe"),
        {"email": "lector@example.test", "blog_digest": "on"},
        follow=True,
    )

    assert "Casi listo: le hemos enviado un enlace de confirmación" in response.content.decode()

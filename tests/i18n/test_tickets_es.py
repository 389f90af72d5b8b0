"""The tickets pages in Spanish for a reader who asks for it (Accept-Language: es), and
the same pages in English, unchanged, for everyone else."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from supportal.accounts.models import User
from supportal.tickets import query_syntax
from supportal.tickets.models import Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

NEW = reverse("tickets:new")
QUEUE = reverse("tickets:queue")
CATALOG = Path(__file__).parents[2] / "supportal/tickets/locale/es/LC_MESSAGES/django.po"


@pytest.fixture
def client_in(demo) -> Callable[..., Client]:
    """A client logged in as ``user`` whose browser asks for ``language``."""

    def make(user: User, language: str = "es") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        type(user).objects.filter(pk=user.pk).update(language=language)  # the account's choice
        client.force_login(user)
        return client

    return make


def test_new_ticket_form_is_in_spanish(demo, client_in):
    html = client_in(demo.bob).get(NEW).content.decode()
    for spanish in (
        "Nuevo ticket",
        "Su pregunta",
        "Tipo de solicitud",
        "Pregunta de uso",  # a model choice: Ticket.Kind.QUESTION
        "Pasos para reproducirlo",
        "Acceso para reproducirlo (cifrado, visible solo para el equipo de soporte)",
        "Mis clientes no pueden hacer pedidos",  # Ticket.UrgentReason
        "Enviar ticket",
    ):
        assert spanish in html, spanish
    assert "Submit ticket" not in html
    assert "Kind of request" not in html


def test_new_ticket_form_in_english_is_unchanged(demo, client_in):
    html = client_in(demo.bob, "en").get(NEW).content.decode()
    for english in (
        "New ticket",
        "Your question",
        "Kind of request",
        "How-to question",
        "Access for reproduction (encrypted, visible only to support staff)",
        "Urgent means your customers cannot place an order or you cannot produce the job.",
        "Submit ticket",
    ):
        assert english in html, english
    assert "Enviar ticket" not in html


def test_form_errors_are_in_spanish(demo, client_in):
    response = client_in(demo.bob).post(NEW, {"product": "pressero", "kind": "question"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Escriba un asunto para el ticket." in html
    assert "Describa la pregunta o el problema." in html


def test_queue_and_its_statuses_are_in_spanish(demo, client_in):
    make_ticket(demo.bob, subject="Checkout fails on payment")
    make_ticket(demo.bob, subject="Nobody can order", urgent=True)
    html = client_in(demo.agent).get(QUEUE).content.decode()
    assert "<h1>Cola</h1>" in html
    assert "Tickets abiertos: primero los urgentes y después por orden de llegada." in html
    assert '<span class="badge badge--new">Nuevo</span>' in html
    assert '<span class="badge badge--urgent">Urgente</span>' in html
    assert 'data-label="Asunto"' in html
    assert "Primera respuesta" in html
    assert "Checkout fails on payment" in html  # data stays as written


def test_queue_in_english_is_unchanged(demo, client_in):
    make_ticket(demo.bob, subject="Checkout fails on payment")
    html = client_in(demo.agent, "en").get(QUEUE).content.decode()
    assert "<h1>Queue</h1>" in html
    assert '<span class="badge badge--new">New</span>' in html
    assert 'data-label="Subject"' in html
    assert "Cola" not in html


def test_status_change_flash_and_audit_trail_are_in_spanish(demo, client_in):
    ticket = make_ticket(demo.bob, subject="Checkout fails on payment")
    client = client_in(demo.agent)
    response = client.post(
        reverse("tickets:status", args=[ticket.pk]), {"status": "resolved"}, follow=True
    )
    html = response.content.decode()
    assert "El estado es ahora resuelto" in html  # the flash message
    assert "Estado cambiado" in html  # the audit trail's label
    assert '<span class="badge badge--resolved">Resuelto</span>' in html
    assert "Trabajar este ticket" in html


def test_filing_a_ticket_flashes_in_spanish(demo, client_in):
    response = client_in(demo.bob).post(
        NEW,
        {
            "product": "pressero",
            "kind": "question",
            "subject": "¿Cómo exporto pedidos?",
            "description": "Necesito los pedidos de marzo.",
        },
        follow=True,
    )
    number = Ticket.objects.get(subject="¿Cómo exporto pedidos?").number
    assert f"Ticket {number} recibido" in response.content.decode()


def test_search_explanations_are_in_spanish(demo, client_in):
    html = client_in(demo.agent).get(reverse("tickets:search"), {"q": "the and of"}).content
    text = html.decode()
    assert "Buscar tickets" in text
    assert "Palabras, <code>" in text  # the query syntax's explanation
    with translation.override("es"):
        notes = query_syntax.parse_query("the and of").notes
    assert notes == (
        "Esas palabras son demasiado comunes para buscarlas; añada una menos habitual.",
    )


def test_catalog_is_complete():
    """Every message has a Spanish text and none is a guess left fuzzy."""
    text = CATALOG.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    assert untranslated(text) == []


def untranslated(po: str) -> list[str]:
    """The msgids (after the header) whose msgstr, or one of whose plural forms, is empty."""
    empty = []
    for entry in po.split("\n\n")[1:]:
        # Each msgstr's text: its quoted pieces up to the next keyword line.
        for found in re.finditer(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry, re.M):
            if not "".join(re.findall(r'"(.*)"', found.group(1))):
                empty.append(entry)
    return empty

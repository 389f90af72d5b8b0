"""Chat pages: start, the chat, history search, files, the console, the widget, embedding."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from supportal.accounts.services import issue_api_token
from supportal.chat import services
from supportal.chat.access import issue_embed_token
from supportal.chat.models import Chat, ChatMessage
from supportal.demo.loader import DEMO_PASSWORD

from .conftest import put_online, start


@pytest.fixture
def ready(demo, open_now):
    put_online(demo.agent)
    return demo


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def test_customer_starts_a_chat_and_lands_on_it(ready):
    response = login(ready.bob).post(
        "/chat/", {"product": "pressero", "question": "Where are shipping methods?"}
    )
    chat = Chat.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/chat/{chat.pk}/"
    assert chat.status == Chat.Status.WAITING
    page = login(ready.bob).get(response["Location"]).content.decode()
    assert f'data-socket="/ws/chat/{chat.pk}/"' in page
    assert "Where are shipping methods?" in page


def test_ineligible_customer_is_told_why_and_offered_the_ticket_form(demo, open_now):
    page = login(demo.bob).get("/chat/").content.decode()
    assert "No agent is free to chat right now." in page
    assert 'href="/tickets/new/"' in page


def test_chat_page_escapes_message_text(ready):
    chat = start(ready.bob, "<img src=x onerror=alert(1)>")
    page = login(ready.bob).get(f"/chat/{chat.pk}/").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_other_organizations_chat_is_404(ready):
    chat = start(ready.bob)
    assert login(ready.carol).get(f"/chat/{chat.pk}/").status_code == 404


def test_customer_admin_reads_the_organizations_transcripts(ready):
    chat = start(ready.bob)
    assert login(ready.alice).get(f"/chat/{chat.pk}/").status_code == 200
    assert chat.subject in login(ready.alice).get("/chat/history/").content.decode()


def test_staff_search_transcripts_by_message_text(ready):
    wanted = start(ready.bob, "Shipping by pallet")
    services.accept_chat(chat_id=wanted.pk, agent=ready.agent)
    services.post_message(chat_id=wanted.pk, author=ready.agent, body="Use freight tables.")
    start(ready.alice, "Fonts in templates")
    page = login(ready.agent).get("/chat/history/", {"q": "freight"}).content.decode()
    assert "Shipping by pallet" in page and "Fonts in templates" not in page


def test_file_is_shared_under_attachment_rules_and_downloaded_by_participants(ready):
    chat = start(ready.bob)
    client = login(ready.bob)
    response = client.post(
        f"/chat/{chat.pk}/files/", {"file": SimpleUploadedFile("screen.png", png())}
    )
    assert response.status_code == 201
    message = ChatMessage.objects.get(chat=chat, kind=ChatMessage.Kind.FILE)
    assert message.seq == response.json()["seq"] and message.file.content_type == "image/png"
    download = client.get(message.file.get_absolute_url())
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert login(ready.carol).get(message.file.get_absolute_url()).status_code == 404


def test_html_file_is_refused_and_nothing_is_stored(ready):
    chat = start(ready.bob)
    response = login(ready.bob).post(
        f"/chat/{chat.pk}/files/",
        {"file": SimpleUploadedFile("shot.png", b"<html><script>alert(1)</script></html>")},
    )
    assert response.status_code == 422 and "not accepted" in response.json()["errors"]["file"]
    assert not chat.files.exists()


def test_console_lists_waiting_chats_in_arrival_order_and_accepts(ready):
    first = start(ready.bob, "first question")
    start(ready.alice, "second question")
    agent = login(ready.agent)
    page = agent.get("/chat/console/").content.decode()
    assert page.index("first question") < page.index("second question")
    assert agent.post(f"/chat/{first.pk}/accept/").status_code == 302
    page = agent.get("/chat/console/").content.decode()
    assert f'data-chat-pane="{first.pk}"' in page
    assert "Acme Print" in page and "HV" in page and "Convert to ticket" in page
    assert "data-limit-at=" in page


def test_console_is_404_for_customers(ready):
    assert login(ready.bob).get("/chat/console/").status_code == 404


def test_convert_from_the_console_creates_a_chat_ticket(ready):
    chat = start(ready.bob)
    agent = login(ready.agent)
    agent.post(f"/chat/{chat.pk}/accept/")
    agent.post(f"/chat/{chat.pk}/convert/")
    chat.refresh_from_db()
    assert chat.status == Chat.Status.CONVERTED and chat.ticket.channel == "chat"


def test_ticket_list_shows_the_chat_widget_to_eligible_customers_only(ready):
    assert "Chat with support" in login(ready.bob).get("/tickets/").content.decode()
    assert "data-chat-widget" not in login(ready.carol).get("/tickets/").content.decode()
    assert "data-chat-widget" not in login(ready.agent).get("/tickets/").content.decode()


def test_embed_token_from_an_api_token_opens_the_widget_page(ready):
    api_token = issue_api_token(email=ready.bob.email, password=DEMO_PASSWORD)
    response = Client().post("/chat/embed/token/", HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert response.status_code == 200
    token = response.json()["token"]
    page = Client().get("/chat/embed/", {"token": token, "product": "pressero"})
    assert page.status_code == 200 and "Start chat" in page.content.decode()
    started = Client().post(
        "/chat/embed/start/", {"token": token, "product": "pressero", "question": "Hi there"}
    )
    chat = Chat.objects.get()
    assert started.status_code == 302 and f"chat={chat.pk}" in started["Location"]
    assert chat.customer == ready.bob


def test_embed_page_refuses_forged_or_expired_tokens(ready, settings):
    token = issue_embed_token(ready.bob)
    assert Client().get("/chat/embed/", {"token": token + "x"}).status_code == 404
    settings.SUPPORTAL_CHAT_TOKEN_MAX_AGE_SECONDS = -1
    assert Client().get("/chat/embed/", {"token": token}).status_code == 404


def test_embed_page_may_be_framed_only_by_configured_origins(ready, settings):
    token = issue_embed_token(ready.bob)
    assert Client().get("/chat/embed/", {"token": token})["X-Frame-Options"] == "DENY"
    settings.SUPPORTAL_CHAT_EMBED_ORIGINS = ["https://admin.pressero.example"]
    response = Client().get("/chat/embed/", {"token": token})
    assert "X-Frame-Options" not in response
    assert "frame-ancestors https://admin.pressero.example" in response["Content-Security-Policy"]

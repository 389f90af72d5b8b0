"""Reads for chat pages: the waiting list, an agent's chats, transcripts, canned answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from supportal.accounts.models import Product, User
from supportal.tickets.access import tickets_visible_to
from supportal.tickets.models import Ticket

from .access import chats_visible_to
from .models import CannedAnswer, Chat, ChatMessage
from .presence import agents_with_capacity

RECENT_TICKETS = 5
TRANSCRIPT_PAGE = 50


def waiting_chats() -> QuerySet[Chat]:
    """The waiting list, in order of arrival (a chat put back keeps its place)."""
    return (
        Chat.objects.filter(status=Chat.Status.WAITING)
        .select_related("organization__plan", "product", "customer")
        .order_by("queued_at", "id")
    )


def chats_of_agent(agent: User) -> QuerySet[Chat]:
    return (
        Chat.objects.filter(agent=agent, status=Chat.Status.ACTIVE)
        .select_related("organization__plan", "product", "customer", "agent", "ticket")
        .order_by("accepted_at", "id")
    )


def recent_tickets_of(chat: Chat, viewer: User) -> list[Ticket]:
    return list(
        tickets_visible_to(viewer)
        .filter(organization_id=chat.organization_id)
        .order_by("-received_at", "-id")[:RECENT_TICKETS]
    )


def messages_of(chat: Chat) -> QuerySet[ChatMessage]:
    return chat.messages.select_related("author", "file").order_by("seq")


def search_transcripts(viewer: User, text: str = "") -> QuerySet[Chat]:
    """Chats the viewer may see, newest first; with ``text``, those whose subject or any
    message contains it."""
    qs = chats_visible_to(viewer).order_by("-queued_at", "-id")
    text = text.strip()
    if text:
        matching = ChatMessage.objects.filter(chat=OuterRef("pk"), body__icontains=text)
        qs = qs.filter(Exists(matching) | Q(subject__icontains=text))
    return qs


@dataclass(frozen=True)
class Canned:
    title: str
    text: str


def canned_answers(product: Product) -> list[Canned]:
    """Ready replies: published knowledge-base articles of the product (a link to each),
    then the chat's own canned answers. The knowledge base is optional."""
    found: list[Canned] = []
    try:
        article_model = apps.get_model("kb", "Article")
    except LookupError:
        article_model = None
    if article_model is not None:
        try:
            articles = article_model.objects.filter(status="published", product=product).order_by(
                "title"
            )[:30]
            for article in articles:
                try:
                    url = article.get_absolute_url()
                except NoReverseMatch:
                    url = ""
                text = _("This article answers it: %(title)s") % {"title": article.title} + (
                    f" — {url}" if url else ""
                )
                found.append(Canned(title=article.title, text=text))
        except Exception:  # noqa: BLE001 - a KB schema change must not break the console
            found = []
    for answer in CannedAnswer.objects.filter(Q(product=product) | Q(product=None)):
        found.append(Canned(title=answer.title, text=answer.body))
    return found


def transfer_targets(chat: Chat) -> QuerySet[User]:
    # misc: no agent yet (None) is a valid lookup here: it excludes no one.
    return agents_with_capacity().exclude(pk=chat.agent_id).order_by("name", "email")  # type: ignore[misc]

"""Demo data for live chat: a past conversation of Acme's, and a few canned answers."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from supportal.accounts.models import Product

from .models import CannedAnswer, Chat, ChatMessage

if TYPE_CHECKING:
    from supportal.demo.loader import Demo

CANNED = [
    ("Greeting", "Hi! Thanks for reaching out to support. How can I help?"),
    (
        "Longer than a chat",
        "This needs more than a quick chat: I will turn our conversation into a ticket so "
        "we can work on it properly. You will get its number here.",
    ),
    ("Closing", "Glad that helped! Anything else I can do for you today?"),
]


def load_chat_demo(demo: Demo) -> None:
    """Idempotent: adds nothing when chats or canned answers already exist."""
    if not CannedAnswer.objects.exists():
        CannedAnswer.objects.bulk_create(CannedAnswer(title=t, body=b) for t, b in CANNED)
    if Chat.objects.exists():
        return
    started = timezone.now() - timedelta(days=3, hours=2)
    chat = Chat.objects.create(
        organization=demo.acme,
        customer=demo.bob,
        product=Product.objects.get(slug="pressero"),
        agent=demo.agent,
        status=Chat.Status.ENDED,
        subject="How do I hide a product from one storefront?",
        queued_at=started,
        accepted_at=started + timedelta(minutes=1),
        ended_at=started + timedelta(minutes=7),
    )
    lines = [
        (demo.bob, "How do I hide a product from one storefront?"),
        (None, f"{demo.agent.get_short_name()} joined the chat."),
        (demo.agent, "Open the product, then Sites > Visibility and untick that storefront."),
        (demo.bob, "Found it, thank you!"),
        (None, f"{demo.bob.get_short_name()} ended the chat."),
    ]
    for seq, (author, body) in enumerate(lines, start=1):
        ChatMessage.objects.create(
            chat=chat,
            seq=seq,
            author=author,
            kind=ChatMessage.Kind.TEXT if author else ChatMessage.Kind.SYSTEM,
            body=body,
            created_at=started + timedelta(minutes=seq),
        )
    Chat.objects.filter(pk=chat.pk).update(last_seq=len(lines))

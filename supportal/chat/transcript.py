"""A chat as plain text, for the ticket it becomes."""

from __future__ import annotations

from datetime import UTC

from django.utils.translation import gettext as _

from supportal.core.dates import format_date
from supportal.core.languages import speaking_to

from .models import Chat, ChatMessage


def transcript_text(chat: Chat) -> str:
    """In the customer's language: the ticket it becomes is theirs."""
    with speaking_to(chat.customer):
        return _transcript_text(chat)


def _transcript_text(chat: Chat) -> str:
    started = chat.queued_at.astimezone(UTC)
    lines = [
        _("Live chat transcript (%(product)s), started %(started)s UTC.")
        % {"product": chat.product.name, "started": format_date(started, "numeric_datetime")},
        "",
    ]
    messages = chat.messages.select_related("author", "file").order_by("seq")
    for message in messages:
        stamp = f"{message.created_at.astimezone(UTC):%H:%M}"
        if message.kind == ChatMessage.Kind.SYSTEM or message.author is None:
            lines.append(f"[{stamp}] — {message.body}")
        elif message.kind == ChatMessage.Kind.FILE:
            shared = _("%(name)s shared a file: %(file)s") % {
                "name": message.author.get_short_name(),
                "file": message.body,
            }
            lines.append(f"[{stamp}] {shared}")
        else:
            lines.append(f"[{stamp}] {message.author.get_short_name()}: {message.body}")
    return "\n".join(lines)

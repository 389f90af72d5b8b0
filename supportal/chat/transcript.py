"""A chat as plain text, for the ticket it becomes."""

from __future__ import annotations

from datetime import UTC

from .models import Chat, ChatMessage


def transcript_text(chat: Chat) -> str:
    started = chat.queued_at.astimezone(UTC)
    lines = [
        f"Live chat transcript ({chat.product.name}), started {started:%Y-%m-%d %H:%M} UTC.",
        "",
    ]
    messages = chat.messages.select_related("author", "file").order_by("seq")
    for message in messages:
        stamp = f"{message.created_at.astimezone(UTC):%H:%M}"
        if message.kind == ChatMessage.Kind.SYSTEM or message.author is None:
            lines.append(f"[{stamp}] — {message.body}")
        elif message.kind == ChatMessage.Kind.FILE:
            lines.append(
                f"[{stamp}] {message.author.get_short_name()} shared a file: {message.body}"
            )
        else:
            lines.append(f"[{stamp}] {message.author.get_short_name()}: {message.body}")
    return "\n".join(lines)

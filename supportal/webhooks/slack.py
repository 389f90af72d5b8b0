"""The Slack formatter: an event as one line of text for an incoming webhook (the on-call
channel). Slack reads ``&``, ``<`` and ``>`` as markup, so user text is escaped."""

from __future__ import annotations

from typing import Any

from .models import Event


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, label: str) -> str:
    return f"<{url}|{escape(label)}>"


def text_for(event: str, data: dict[str, Any]) -> str:
    label = Event(event).label
    if "ticket" in data:
        ticket = data["ticket"]
        title = f"{ticket['number'] or ticket['id']} {ticket['subject']}"
        urgent = " · URGENT" if ticket["urgent"] else ""
        return (
            f"*{label}*: {_link(ticket['url'], title)} "
            f"({escape(ticket['organization'])}, {ticket['status']}{urgent})"
        )
    if "chat" in data:
        chat = data["chat"]
        return f"*{label}*: {_link(chat['url'], chat['subject'])} ({escape(chat['organization'])})"
    return f"*{label}* from Supportal"


def body_for(event: str, data: dict[str, Any]) -> dict[str, str]:
    return {"text": text_for(event, data)}

"""Subscription mail: every message carries one-click unsubscribe headers (RFC 8058)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.urls import reverse

from supportal.core.links import absolute_url


def unsubscribe_url(token: str) -> str:
    return absolute_url(reverse("news:unsubscribe", args=[token]))


def subscriber_message(*, to: str, subject: str, body: str, token: str) -> EmailMessage:
    """A message to a confirmed subscriber, with the unsubscribe link and headers."""
    link = unsubscribe_url(token)
    return EmailMessage(
        subject=subject,
        body=f"{body}\n\n--\nUnsubscribe with one click: {link}\n",
        to=[to],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": "Supportal news <news.supportal.localhost>",
        },
    )

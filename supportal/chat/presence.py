"""Agent presence, kept in the database so every web process sees the same agents.

An agent takes chats while their switch is on, at least one console socket is fresh
(heartbeat within ``SUPPORTAL_CHAT_PRESENCE_TIMEOUT_SECONDS``) and they have fewer live
chats than ``SUPPORTAL_CHAT_MAX_PER_AGENT``."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from supportal.accounts.models import User

from .models import AgentPresence, Chat, ConsoleConnection


def fresh_since(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now - timedelta(seconds=settings.SUPPORTAL_CHAT_PRESENCE_TIMEOUT_SECONDS)


def online_agents() -> QuerySet[User]:
    """Agents with the switch on and a fresh console, annotated with ``live_chats``."""
    return (
        User.objects.filter(
            is_active=True,
            role__in=User.STAFF_ROLES,
            chat_presence__available=True,
            chat_connections__heartbeat_at__gte=fresh_since(),
        )
        .distinct()
        .annotate(
            live_chats=Count(
                "agent_chats",
                filter=Q(agent_chats__status=Chat.Status.ACTIVE),
                distinct=True,
            )
        )
    )


def agents_with_capacity() -> QuerySet[User]:
    # misc: live_chats is annotated by online_agents(), which the plugin cannot follow.
    return online_agents().filter(live_chats__lt=settings.SUPPORTAL_CHAT_MAX_PER_AGENT)  # type: ignore[misc]


def any_agent_available() -> bool:
    return agents_with_capacity().exists()


def live_chat_count(agent: User) -> int:
    return Chat.objects.filter(agent=agent, status=Chat.Status.ACTIVE).count()


def has_capacity(agent: User) -> bool:
    return live_chat_count(agent) < settings.SUPPORTAL_CHAT_MAX_PER_AGENT


def is_available(agent: User) -> bool:
    return AgentPresence.objects.filter(agent=agent, available=True).exists()


def is_connected(agent: User) -> bool:
    return ConsoleConnection.objects.filter(agent=agent, heartbeat_at__gte=fresh_since()).exists()

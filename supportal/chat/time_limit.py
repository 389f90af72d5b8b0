"""The chat time limit, enforced by the server.

The policy: "Chat Support is for quick questions that can be answered in 15 minutes or
less." A chat's clock starts when an agent first accepts it (``Chat.started_at``); both
sides are warned at SUPPORTAL_CHAT_WARNING_MINUTES, and at ``Chat.deadline_at`` the chat is
handed over to a ticket with its transcript, unless its agent extended it, with a reason
kept as a ChatExtension row. A periodic job runs :func:`enforce_chat_limits` every minute
on any number of consumers: each step claims its chat with a conditional UPDATE or a row
lock, so running it twice does nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from supportal.accounts.models import User
from supportal.core.errors import InvalidInput, NotPermitted, RuleViolation
from supportal.tickets.models import Ticket

from . import broadcast, services
from .models import Chat, ChatExtension, warning_lead

log = logging.getLogger(__name__)

HAND_OVER_NOTICE = gettext_lazy(
    "The time for a chat question is up. This question continues as ticket %(number)s, with "
    "the transcript of this chat; we will answer you there. The chat has ended."
)
REASON_MAX_CHARS = 500


def warning_notice() -> str:
    left = int(warning_lead().total_seconds() // 60)
    limit = settings.SUPPORTAL_CHAT_LIMIT_MINUTES
    return ngettext(
        "%(left)s minute left: live chat is for questions answered within %(limit)s minutes. "
        "At the limit this conversation continues as a ticket.",
        "%(left)s minutes left: live chat is for questions answered within %(limit)s minutes. "
        "At the limit this conversation continues as a ticket.",
        left,
    ) % {"left": left, "limit": limit}


def extend_chat(*, chat_id: int, actor: User, reason: str) -> ChatExtension:
    """Give a chat in conversation SUPPORTAL_CHAT_EXTENSION_MINUTES more, counted from its
    limit (or from now, once past it). Preconditions: the actor is the chat's agent or a
    manager; a reason is given. The reason stays with the staff (the audit row); the
    customer is told only that the chat was extended and until when."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": _("Say why this chat needs more than the time allowed.")})
    if len(reason) > REASON_MAX_CHARS:
        raise InvalidInput(
            {
                "reason": _("Keep the reason under %(limit)s characters.")
                % {"limit": REASON_MAX_CHARS}
            }
        )
    with transaction.atomic():
        chat = Chat.objects.select_for_update().get(pk=chat_id)
        if not (actor.is_support_staff and (actor.pk == chat.agent_id or actor.is_manager)):
            raise NotPermitted(_("Only the chat's agent extends a chat."))
        if chat.status != Chat.Status.ACTIVE or chat.deadline_at is None:
            raise RuleViolation("chat_not_active", _("Only a chat in conversation is extended."))
        minutes = settings.SUPPORTAL_CHAT_EXTENSION_MINUTES
        now = timezone.now()
        before = chat.deadline_at
        after = max(before, now) + timedelta(minutes=minutes)
        extension = ChatExtension.objects.create(
            chat=chat,
            agent=actor,
            minutes=minutes,
            reason=reason,
            deadline_before=before,
            deadline_after=after,
        )
        Chat.objects.filter(pk=chat.pk).update(deadline_at=after, warned_at=None)
        services.post_system_notice(
            chat_id=chat.pk,
            body=ngettext_lazy(
                "%(name)s extended this chat by %(minutes)s minute.",
                "%(name)s extended this chat by %(minutes)s minutes.",
                "minutes",
            ),
            name=actor.get_short_name(),
            minutes=minutes,
        )
        fresh = Chat.objects.select_related("agent", "ticket").get(pk=chat.pk)
        transaction.on_commit(lambda: broadcast.publish_state(fresh))
    return extension


def warn_chat(*, chat_id: int, now: datetime | None = None) -> bool:
    """Tell both sides the limit is near, once per deadline. True when this call warned."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Chat.objects.filter(
            pk=chat_id,
            status__in=Chat.LIVE_STATUSES,
            warned_at__isnull=True,
            deadline_at__lte=now + warning_lead(),
            deadline_at__gt=now,
        ).update(warned_at=now)
        if claimed != 1:
            return False
        with services.in_customer_language(chat_id):
            notice = warning_notice()
        services.post_system_notice(chat_id=chat_id, body=notice)
    return True


def hand_over_overdue_chat(*, chat_id: int, now: datetime | None = None) -> Ticket | None:
    """At the limit, the chat continues as a ticket (transcript attached), assigned to its
    agent. None when the chat is not live or not past its limit (another run took it, or it
    was extended meanwhile)."""
    now = now or timezone.now()
    with transaction.atomic():
        chat = (
            Chat.objects.select_for_update(of=("self",))  # the agent may be null (outer join)
            .select_related("customer", "product", "agent")
            .filter(pk=chat_id, status__in=Chat.LIVE_STATUSES, deadline_at__lte=now)
            .first()
        )
        if chat is None:
            return None
        return services.hand_over_to_ticket(chat=chat, assignee=chat.agent, notice=HAND_OVER_NOTICE)


def enforce_chat_limits(*, now: datetime | None = None) -> dict[str, list[int]]:
    """Warn the chats whose limit is near and hand over those past it. Idempotent."""
    now = now or timezone.now()
    live = Chat.objects.filter(status__in=Chat.LIVE_STATUSES, deadline_at__isnull=False)
    due_warning = live.filter(
        Q(warned_at__isnull=True),
        deadline_at__lte=now + warning_lead(),
        deadline_at__gt=now,
    ).values_list("pk", flat=True)
    overdue = live.filter(deadline_at__lte=now).values_list("pk", flat=True)
    done: dict[str, list[int]] = {"warned": [], "handed_over": []}
    for chat_id in list(due_warning):
        if warn_chat(chat_id=chat_id, now=now):
            done["warned"].append(chat_id)
    for chat_id in list(overdue):
        try:
            ticket = hand_over_overdue_chat(chat_id=chat_id, now=now)
        except (RuleViolation, InvalidInput) as exc:  # e.g. the product was retired
            log.warning("chat %s not handed over: %s", chat_id, exc)
            continue
        if ticket is not None:
            done["handed_over"].append(chat_id)
    return done

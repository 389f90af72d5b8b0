"""Happenings in the help desk, queued as webhook deliveries in the same transaction.

Receivers of ``post_save``: they read the saved row and write delivery rows of their own,
never a field of the row that was saved."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from supportal.chat.models import Chat
from supportal.tickets.models import AuditEvent

from . import events, services
from .models import Event


@receiver(post_save, sender=AuditEvent, dispatch_uid="webhooks_audit_event")
def audit_event_saved(sender: type, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if not created or not services.subscriptions.get():
        return
    event = events.event_for_audit(instance)
    if event is not None:
        services.emit(
            event=event, source=f"audit:{instance.pk}", data=events.audit_payload(instance)
        )


@receiver(post_save, sender=Chat, dispatch_uid="webhooks_chat_started")
def chat_saved(sender: type, instance: Chat, created: bool, **kwargs: Any) -> None:
    if created and services.subscriptions.get():
        services.emit(
            event=Event.CHAT_STARTED,
            source=f"chat:{instance.pk}",
            data=events.chat_payload(instance),
        )

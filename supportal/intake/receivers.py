"""Connect notifications to the account and SLA events, and the ESP webhook to the
pipeline. (The ticket notifications are plugged into tickets.hooks in apps.py.)"""

from typing import Any

from anymail.signals import inbound
from django.dispatch import receiver

from supportal.accounts import events as account_events
from supportal.accounts.models import Invitation
from supportal.sla import events as sla_events
from supportal.sla.models import SlaClock

from . import notify
from .models import InboundEmail
from .services import receive_email, webhook_headers


@receiver(account_events.invitation_created, dispatch_uid="intake.invitation_created")
def _on_invitation_created(
    sender: Any, *, invitation: Invitation, raw_token: str, **kwargs: Any
) -> None:
    notify.notify_invitation(invitation=invitation, raw_token=raw_token)


@receiver(sla_events.warning_claimed, dispatch_uid="intake.sla_warning_claimed")
def _on_sla_warning_claimed(sender: Any, *, clock: SlaClock, **kwargs: Any) -> None:
    notify.notify_sla_warning(clock=clock)


@receiver(inbound, dispatch_uid="intake.anymail_inbound")
def _on_anymail_inbound(sender: Any, *, event: Any, esp_name: str, **kwargs: Any) -> None:
    """The provider's webhook (validated by anymail) hands the mail to the one pipeline,
    with what the provider checked of the sender written on top as the headers a receiving
    MTA would write (the post is signed, so these are the provider's word)."""
    raw = event.message.as_bytes()
    fields = getattr(event.esp_event, "POST", None)
    if fields is not None:
        raw = webhook_headers(fields) + raw
    receive_email(raw=raw, source=InboundEmail.Source.WEBHOOK)

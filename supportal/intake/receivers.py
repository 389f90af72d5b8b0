"""Connect notifications to the ticket events, and the ESP webhook to the pipeline."""

from typing import Any

from anymail.signals import inbound
from django.dispatch import receiver

from supportal.accounts import events as account_events
from supportal.accounts.models import Invitation, User
from supportal.tickets import events
from supportal.tickets.models import Reply, Ticket

from . import notify
from .models import InboundEmail
from .services import receive_email, webhook_headers


@receiver(events.ticket_opened, dispatch_uid="intake.ticket_opened")
def _on_ticket_opened(sender: Any, *, ticket: Ticket, **kwargs: Any) -> None:
    notify.notify_ticket_opened(ticket=ticket)


@receiver(events.reply_added, dispatch_uid="intake.reply_added")
def _on_reply_added(sender: Any, *, ticket: Ticket, reply: Reply, **kwargs: Any) -> None:
    notify.notify_reply_added(ticket=ticket, reply=reply)


@receiver(events.ticket_status_changed, dispatch_uid="intake.ticket_status_changed")
def _on_status_changed(
    sender: Any,
    *,
    ticket: Ticket,
    old_status: str,
    new_status: str,
    actor: User | None,
    **kwargs: Any,
) -> None:
    notify.notify_status_changed(
        ticket=ticket, old_status=old_status, new_status=new_status, actor=actor
    )


@receiver(account_events.invitation_created, dispatch_uid="intake.invitation_created")
def _on_invitation_created(
    sender: Any, *, invitation: Invitation, raw_token: str, **kwargs: Any
) -> None:
    notify.notify_invitation(invitation=invitation, raw_token=raw_token)


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

"""Endpoints staff define, and the log of every delivery to them."""

from __future__ import annotations

import secrets
import uuid

from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportal.core.crypto import EncryptedTextField


class Event(models.TextChoices):
    TICKET_CREATED = "ticket.created", _("Ticket created")
    TICKET_UPDATED = "ticket.updated", _("Ticket updated (status, assignee, urgency)")
    TICKET_RESOLVED = "ticket.resolved", _("Ticket resolved or closed")
    REPLY_ADDED = "reply.added", _("Public reply added")
    SLA_WARNING = "sla.warning", _("SLA warning")
    SLA_BREACH = "sla.breach", _("SLA breached")
    PAGE_SENT = "page.sent", _("On-call paged")
    CHAT_STARTED = "chat.started", _("Live chat started")
    NOTICE_ACCEPTED = "notice.accepted", _("Billing notice accepted by the customer")
    PING = "ping", _("Test delivery")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Endpoint(models.Model):
    class Format(models.TextChoices):
        SIGNED_JSON = "json", _("Signed JSON (any receiver)")
        SLACK = "slack", _("Slack incoming webhook (a text message)")

    name = models.CharField(max_length=100)
    # Encrypted: a Slack incoming-webhook URL is itself the credential that posts there.
    url = EncryptedTextField(
        validators=[URLValidator(schemes=["https", "http"]), MaxLengthValidator(500)],
        help_text=_(
            "Where deliveries are posted. Addresses inside the network are refused unless "
            "listed in SUPPORTAL_OUTBOUND_ALLOWED_HOSTS."
        ),
    )
    events = models.JSONField(default=list, help_text=_("The events this endpoint receives."))
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.SIGNED_JSON)
    secret = EncryptedTextField(default=new_secret, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def receives(self, event: str) -> bool:
        return event == Event.PING or event in self.events


class Delivery(models.Model):
    """One event for one endpoint: claimed, posted, and retried with a growing pause until
    delivered or given up on. Receivers deduplicate on ``uuid`` (sent as
    ``Supportal-Delivery``): a delivery interrupted mid-post is sent again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Given up")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=Event.choices)
    # What caused it ("audit:<id>", "chat:<id>"): one delivery per endpoint and source,
    # however often the source is seen.
    source = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=1000, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "source"], name="one_delivery_per_source")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"

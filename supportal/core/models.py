from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """An API create answered once under a client's ``Idempotency-Key``.

    Written in the same transaction as what the request created, so a key exists exactly
    when its effect does; a second request with the key gets ``status``/``body`` replayed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the method, path and body of the first request."
    )
    status = models.PositiveSmallIntegerField()
    body = models.BinaryField()
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class ConfirmationRequest(models.Model):
    """One request to mail a confirmation link to an address (a status or news
    subscription), kept to throttle them per address and per client.

    The address is stored as a keyed hash: the table must not become a list of who asked."""

    purpose = models.CharField(max_length=40)
    email_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent = models.BooleanField(default=False, help_text="False when the throttle held it back.")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["purpose", "email_hash", "created_at"], name="confirm_by_address"),
            models.Index(fields=["purpose", "ip_address", "created_at"], name="confirm_by_client"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} request at {self.created_at:%Y-%m-%d %H:%M}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class EmailSubscription(models.Model):
    """A confirmed email subscription (news, status): rows exist only once the double
    opt-in link is followed. The token is the key of the one-click unsubscribe link.
    ``core.subscriptions`` is the flow that writes them."""

    email = models.EmailField(unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    confirmed_at = models.DateTimeField(default=timezone.now)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None

    def start_again(self) -> None:
        """Confirmed again after an unsubscribe (the caller saves)."""
        self.unsubscribed_at = None
        self.confirmed_at = timezone.now()

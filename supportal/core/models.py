from __future__ import annotations

import contextlib
import secrets
import uuid
from pathlib import PurePath
from typing import Any, ClassVar

from django.conf import settings
from django.core.files import File
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
    # The language the subscriber read when they subscribed: their mails are in it.
    language = models.CharField(max_length=10, blank=True)

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


def stored_file_path(instance: StoredFile, filename: str) -> str:
    """Stored names are generated; the user's name is kept only as data."""
    suffix = PurePath(filename).suffix.lower()[:10]
    safe_suffix = suffix if suffix[1:].isalnum() else ""
    return f"{instance.upload_dir}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{safe_suffix}"


class StoredFile(models.Model):
    """A file someone gave us (a ticket attachment, a file shared in a chat): its bytes
    under a generated name in ``upload_dir``, its own name and checked type as data.
    It is served only as a download (``core.views.file_download``)."""

    upload_dir: ClassVar[str] = "files"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=stored_file_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def keep(self, content: File[Any], *, content_type: str, name: str = "") -> None:
        """Take the file's name (or ``name``), checked type and size, and write its bytes.
        The caller saves the row, and calls ``discard`` if that is rolled back."""
        name = name or content.name or "file"
        self.original_name = name[:255]
        self.content_type = content_type
        self.size = content.size or 0
        self.file.save(name, content, save=False)

    def discard(self) -> None:
        """Delete the stored bytes (the row that named them was not kept)."""
        with contextlib.suppress(OSError):
            self.file.delete(save=False)

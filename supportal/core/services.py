"""Housekeeping of the core tables."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import IdempotencyKey


def purge_expired_idempotency_keys() -> int:
    """Delete keys older than SUPPORTAL_IDEMPOTENCY_KEY_HOURS. Safe to run twice."""
    cutoff = timezone.now() - timedelta(hours=settings.SUPPORTAL_IDEMPOTENCY_KEY_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted

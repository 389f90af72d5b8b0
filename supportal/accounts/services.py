from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from .models import ApiToken, TrainingAttendance, User, hash_token


def has_attended_training(user: User) -> bool:
    """Staff need no training; a customer needs at least one attended session."""
    if not user.is_customer:
        return True
    return TrainingAttendance.objects.filter(user=user).exists()


@transaction.atomic
def issue_api_token(*, email: str, password: str) -> str | None:
    """Return a new raw bearer token for valid credentials, or None."""
    user = authenticate(username=(email or "").strip().lower(), password=password or "")
    if user is None or not user.is_active:
        return None
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=settings.SUPPORTAL_API_TOKEN_DAYS),
    )
    return raw


def user_for_token(raw: str) -> User | None:
    if not raw:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__organization__plan")
        .filter(key_hash=hash_token(raw), expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from supportal.core.links import site_url
from supportal.core.locks import named_lock

from . import throttle, two_factor
from .credentials import issued_after_changes
from .models import ApiToken, Organization, TrainingAttendance, User, hash_token
from .sockets import recheck_sockets_of


def has_attended_training(user: User) -> bool:
    """Staff need no training; a customer needs at least one attended session."""
    if not user.is_customer:
        return True
    # Remembered on the instance once true (attendance is not taken back), so filing, which
    # asks several times, reads it once.
    if not getattr(user, "_attended_training", False):
        user._attended_training = TrainingAttendance.objects.filter(user=user).exists()
    return user._attended_training


class OtpRequired(Exception):
    """The credentials are right but this user also needs a one-time code."""


def issue_api_token(
    *,
    email: str,
    password: str,
    request: HttpRequest | None = None,
    scope: str = ApiToken.Scope.WRITE,
    otp: str | None = None,
) -> str | None:
    """Return a new raw bearer token for valid credentials, or None.

    The attempt is throttled like a login (per email and per client address). A user with
    two-factor authentication also needs ``otp``: missing → ``OtpRequired``; wrong → None
    (and counted as a failed attempt)."""
    request = request if request is not None else HttpRequest()
    user = throttle.authenticate_throttled(request, email=email, password=password)
    if user is None or not user.is_active:
        return None
    if two_factor.second_factor_enabled(user):
        if not otp:
            raise OtpRequired()
        with named_lock(throttle.login_lock_name(user.email)):
            device = (
                two_factor.verify_code(user, otp) if two_factor.confirmed_device(user) else None
            )
        if device is None:
            throttle.record_failed_second_factor(request, user=user)
            return None
    throttle.reset_after_success(user=user)
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=settings.SUPPORTAL_API_TOKEN_DAYS),
    )
    return raw


def _live_tokens() -> QuerySet[ApiToken]:
    """Not expired, not revoked, and issued after every change that ended its user's
    credentials, to a user who is still active in an active organization (credentials)."""
    return ApiToken.objects.filter(
        issued_after_changes(issued_at="created_at"),
        expires_at__gt=timezone.now(),
        revoked_at__isnull=True,
    )


def token_for_raw(raw: str) -> ApiToken | None:
    """The live token with this raw key, or None."""
    if not raw:
        return None
    now = timezone.now()
    token = (
        _live_tokens()
        .select_related("user", "user__organization__plan")
        .filter(key_hash=hash_token(raw))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def user_for_token(raw: str) -> User | None:
    token = token_for_raw(raw)
    return token.user if token else None


def revoke_api_token(*, token: ApiToken) -> None:
    """Stop a token from working, now and for good. Safe to call twice."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def live_tokens_of(user: User) -> QuerySet[ApiToken]:
    return _live_tokens().filter(user=user).order_by("-created_at")


def end_credentials(*, user_ids: list[int]) -> None:
    """End what these users were handed before now: revoke every API token, and have every
    open socket check its session again and close (after commit).

    Call it with the change that ended them (a new password, a deactivation). The token
    check refuses such tokens by itself (``credentials``); revoking shows it in the admin."""
    ApiToken.objects.filter(user_id__in=user_ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    transaction.on_commit(lambda: recheck_sockets_of(user_ids))


@transaction.atomic
def deactivate_user(*, user: User) -> None:
    """The user can no longer log in; their sessions, tokens and sockets end."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    end_credentials(user_ids=[user.pk])


@transaction.atomic
def deactivate_organization(*, organization: Organization) -> None:
    """Nobody of the organization can log in; every session, token and socket of its
    people ends (the users stay active, for when it comes back)."""
    organization.is_active = False
    organization.save(update_fields=["is_active"])
    end_credentials(user_ids=list(organization.users.values_list("pk", flat=True)))


def send_password_reset_mail(*, email: str) -> None:
    """Mail a reset link to the active account with this email, if there is one.

    The link is on the portal's public URL (``core.links``), never on the Host header of
    the request that asked: that header is the asker's to choose."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    site = site_url()
    parts = urlsplit(site)
    form.save(
        subject_template_name="accounts/password_reset_subject.txt",
        email_template_name="accounts/password_reset_email.txt",
        domain_override=parts.netloc,
        use_https=parts.scheme == "https",
        extra_email_context={"site_url": site},
    )

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest
from django.utils import timezone

from supportal.core.locks import named_lock

from . import throttle, two_factor
from .models import ApiToken, Product, TrainingAttendance, User, hash_token


def has_attended_training(user: User, product: Product | None = None) -> bool:
    """Staff need no training. A customer needs an attended session for ``product`` (the
    policy: "training participation for our products"); without a product, any session
    (the training page's greeting)."""
    if not user.is_customer:
        return True
    if getattr(user, "_attended_training", None) is False:
        return False  # loaded with the user by the login backend: no session at all
    if product is None:
        if getattr(user, "_attended_training", False):
            return True
        attended = TrainingAttendance.objects.filter(user=user).exists()
        if attended:  # remembered once true: attendance is not taken back
            user._attended_training = True
        return attended
    # Remembered on the instance (filing asks more than once); read again when the product
    # is not in it, since attendance may have been recorded since.
    if product.pk in getattr(user, "_trained_product_ids", ()):
        return True
    user._trained_product_ids = frozenset(
        TrainingAttendance.objects.filter(user=user).values_list("session__product_id", flat=True)
    )
    return product.pk in user._trained_product_ids


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


def token_for_raw(raw: str) -> ApiToken | None:
    """The live token (not expired, not revoked, active user) with this raw key, or None."""
    if not raw:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__organization__plan")
        .filter(
            key_hash=hash_token(raw),
            expires_at__gt=now,
            revoked_at__isnull=True,
            user__is_active=True,
        )
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


def live_tokens_of(user: User):
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def send_password_reset_mail(*, email: str, domain: str, use_https: bool) -> None:
    """Mail a reset link to the active account with this email, if there is one."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    form.save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name="accounts/password_reset_subject.txt",
        email_template_name="accounts/password_reset_email.txt",
    )

"""Login and password-reset throttling.

Logins are counted by django-axes (database handler): failures per email and per client
address. Axes checks the count before the password and records a failure after it; to make
the limit hold when many attempts arrive at once, every attempt for one email runs under a
named lock (``core.locks``), so the check and the record of one attempt cannot interleave
with another's. Unknown emails are counted and locked exactly like known ones.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from supportal.core.locks import named_lock

from .models import PasswordResetRequest, User


# --- django-axes callables (named in settings) -------------------------------------------
def failure_limit(request: HttpRequest | None, credentials: dict[str, Any] | None) -> int:
    return settings.SUPPORTAL_LOGIN_FAILURE_LIMIT


def cool_off(request: HttpRequest | None = None) -> timedelta:
    return timedelta(minutes=settings.SUPPORTAL_LOGIN_COOLOFF_MINUTES)


def normalise_email(value: str | None) -> str:
    return (value or "").strip().lower()


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The email an attempt was for, normalised so BOB@x and bob@x count together."""
    if credentials and credentials.get("username"):
        return normalise_email(credentials["username"])
    return normalise_email(request.POST.get("username"))


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR: the peer, or the client a trusted proxy named (uvicorn reads
    X-Forwarded-For only from SUPPORTAL_TRUSTED_PROXIES; the header itself is never read
    here, so a client cannot choose the address it is counted under)."""
    return request.META.get("REMOTE_ADDR") or None


def lockout_message() -> str:
    minutes = settings.SUPPORTAL_LOGIN_COOLOFF_MINUTES
    return ngettext(
        "Too many failed attempts for this account or from this address. "
        "Try again in %(minutes)s minute, or reset your password.",
        "Too many failed attempts for this account or from this address. "
        "Try again in %(minutes)s minutes, or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 for a locked-out attempt: JSON on the API, the login page's lockout notice else."""
    retry_after = str(settings.SUPPORTAL_LOGIN_COOLOFF_MINUTES * 60)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        response = render(
            request, "accounts/locked_out.html", {"message": lockout_message()}, status=429
        )
    response["Retry-After"] = retry_after
    return response


# --- Logins ------------------------------------------------------------------------------
def login_lock_name(email: str) -> str:
    return f"login:{normalise_email(email)}"


def authenticate_throttled(request: HttpRequest, *, email: str, password: str) -> User | None:
    """Check a password with the attempt counted by axes, serialised per email.

    Returns None for wrong credentials and for locked-out attempts (then
    ``request.axes_locked_out`` is set and the middleware answers 429)."""
    email = normalise_email(email)
    with named_lock(login_lock_name(email)):
        user = authenticate(request, username=email, password=password or "")
    return user if isinstance(user, User) else None


def record_failed_second_factor(request: HttpRequest, *, user: User) -> None:
    """A wrong one-time code counts as a failed login for the user's email."""
    with named_lock(login_lock_name(user.email)):
        user_login_failed.send(sender=User, credentials={"username": user.email}, request=request)


def is_locked_out(request: HttpRequest, *, email: str) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, {"username": normalise_email(email)})


def reset_after_success(*, user: User) -> None:
    """Forget the failures for the email of a user who just proved who they are."""
    from axes.utils import reset

    reset(username=normalise_email(user.email))


# --- Password reset ----------------------------------------------------------------------
def _email_hash(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def allow_password_reset(*, email: str, ip_address: str | None) -> bool:
    """Record one reset request; True when it may send mail (within both hourly limits).

    Counted under a lock per email, so parallel requests cannot pass the limit together."""
    email_hash = _email_hash(email)
    since = timezone.now() - timedelta(hours=1)
    with named_lock(f"password-reset:{email_hash}"), transaction.atomic():
        by_email = PasswordResetRequest.objects.filter(
            email_hash=email_hash, created_at__gte=since, sent=True
        ).count()
        by_ip = (
            PasswordResetRequest.objects.filter(
                ip_address=ip_address, created_at__gte=since
            ).count()
            if ip_address
            else 0
        )
        allowed = (
            by_email < settings.SUPPORTAL_PASSWORD_RESET_PER_EMAIL_PER_HOUR
            and by_ip < settings.SUPPORTAL_PASSWORD_RESET_PER_IP_PER_HOUR
        )
        PasswordResetRequest.objects.create(
            email_hash=email_hash, ip_address=ip_address, sent=allowed
        )
    return allowed

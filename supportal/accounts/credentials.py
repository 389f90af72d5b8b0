"""When a credential handed out earlier still counts.

One rule for API tokens, chat embed links and open sockets, checked each time one is used,
so it holds whichever way the account changed (a service, the admin, a plain ``save()``):
a credential issued at ``T`` works only while its user is active, the user's organization
(if any) is active, and ``T`` is not before the user's last password change or
deactivation (``User.credentials_changed_at``) nor the organization's last deactivation
(``Organization.deactivated_at``). Sessions follow Django's own rule (the session must
still exist and carry the hash of the current password) plus the same active checks, made
by the login backend.
"""

from __future__ import annotations

from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.db.models import F, Q
from django.http import HttpRequest

from .models import User


def issued_after_changes(*, issued_at: str, user: str = "user") -> Q:
    """The rule as a filter on a model with a user foreign key and an issue time."""
    return (
        Q(**{f"{user}__is_active": True})
        & (
            Q(**{f"{user}__organization__isnull": True})
            | Q(**{f"{user}__organization__is_active": True})
        )
        & (
            Q(**{f"{user}__credentials_changed_at__isnull": True})
            | Q(**{f"{issued_at}__gte": F(f"{user}__credentials_changed_at")})
        )
        & (
            Q(**{f"{user}__organization__deactivated_at__isnull": True})
            | Q(**{f"{issued_at}__gte": F(f"{user}__organization__deactivated_at")})
        )
    )


def may_log_in(user: User) -> bool:
    """Active, and not of a deactivated organization (the login backend asks)."""
    if not user.is_active:
        return False
    return user.organization is None or user.organization.is_active


def still_current(user: User, *, issued_at: datetime) -> bool:
    """The rule for one credential of a user read just now (with its organization)."""
    if not may_log_in(user):
        return False
    if user.credentials_changed_at is not None and issued_at < user.credentials_changed_at:
        return False
    organization = user.organization if user.organization_id else None
    deactivated_at = organization.deactivated_at if organization else None
    return deactivated_at is None or issued_at >= deactivated_at


def user_still_current(user_id: int, *, issued_at: datetime) -> bool:
    user = User.objects.select_related("organization").filter(pk=user_id).first()
    return user is not None and still_current(user, issued_at=issued_at)


def session_still_current(session_key: str | None, *, user_id: int) -> bool:
    """The session still exists (not logged out, not expired), is still this user's, the
    user may still log in and the session carries the hash of the current password.

    Read afresh from the session store, as a request would (Django's ``auth.get_user``)."""
    if not session_key:
        return False
    engine = import_module(settings.SESSION_ENGINE)
    request = HttpRequest()
    request.session = engine.SessionStore(session_key)
    user = auth.get_user(request)
    return bool(user.is_authenticated and user.pk == user_id)

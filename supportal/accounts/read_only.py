"""Read-only staff (role "auditor") change nothing: one gate for every page.

Auditors read what support staff read (every ticket, internal notes, the queue, the
urgent report, the staff dashboard) and change nothing but their own account. Services
check ``is_support_staff``, which auditors are not, so a forgotten check still refuses
them; this gate answers 403 before any view runs, on every path present and future. The
JSON API refuses them in ``supportal.api.security``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What an auditor may still POST: their own session, password, second factor, API tokens,
# notification preferences and subscriptions.
SELF_SERVICE = frozenset(
    {
        "accounts:login",
        "accounts:two_factor",
        "accounts:logout",
        "accounts:security",
        "accounts:language",
        "accounts:switch_language",
        "accounts:revoke_token",
        "accounts:password_reset",
        "accounts:password_reset_confirm",
        "admin:logout",
        "intake:preferences",
        "news:subscribe",
        "news:unsubscribe",
        "status:subscribe",
        "status:unsubscribe",
        "ideas:follow",
    }
)
READ_ONLY_MESSAGE = "Read-only staff change nothing."


def is_read_only(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_auditor", False))


def refuses_write(user: object, method: str | None, view_name: str | None) -> bool:
    """Whether this request is a write by read-only staff outside their own account."""
    return method not in SAFE_METHODS and is_read_only(user) and view_name not in SELF_SERVICE


class ReadOnlyStaffMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        match = request.resolver_match
        view_name = match.view_name if match else None
        if view_name and view_name.startswith("api:"):
            return None  # bearer-authenticated: supportal.api.security refuses them
        if refuses_write(request.user, request.method, view_name):
            raise PermissionDenied(READ_ONLY_MESSAGE)
        return None

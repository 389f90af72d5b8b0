"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from supportal.accounts.models import User
from supportal.accounts.services import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``POST /api/v1/auth/token``.

    No token, or one that is unknown, expired or belongs to an inactive user: 401. Bearer
    tokens are not sent by browsers on their own, so the API needs no CSRF check."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token.strip())
        if user is not None:
            request.user = user
        return user


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request (set by ``BearerToken``)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user

"""Bearer-token authentication for the JSON API, and what a token's scope allows."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import HttpBearer

from supportal.accounts import read_only
from supportal.accounts.models import ApiToken, User
from supportal.accounts.services import token_for_raw

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_MESSAGE = "This token is read-only: ask for a token with scope write to change things."
# A read-only token (or read-only staff) may still revoke itself.
ALWAYS_ALLOWED = frozenset({("DELETE", "/api/v1/auth/token")})


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``POST /api/v1/auth/token``.

    No token, or one that is unknown, expired, revoked or belongs to an inactive user: 401.
    A read-scoped token, or read-only staff (auditors), on anything but a read: 403.
    Bearer tokens are not sent by browsers on their own, so the API needs no CSRF check."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = token_for_raw(token.strip())
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        write = request.method not in READ_METHODS
        if write and (request.method, request.path) not in ALWAYS_ALLOWED:
            if api_token.scope == ApiToken.Scope.READ:
                raise HttpError(403, READ_ONLY_MESSAGE)
            if read_only.is_read_only(api_token.user):
                raise HttpError(403, read_only.READ_ONLY_MESSAGE)
        return api_token.user


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request (set by ``BearerToken``)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def calling_token(request: HttpRequest) -> ApiToken:
    token = request.api_token  # type: ignore[attr-defined]
    assert isinstance(token, ApiToken)
    return token


def declare_scope_refusals(api: NinjaAPI) -> None:
    """Declare 403 on every authenticated write operation: a read token gets it there.

    Called once, after every router is added, so the OpenAPI document stays true."""
    from .schemas import ErrorOut

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if operation.auth_param is None or set(operation.methods) <= READ_METHODS:
                    continue
                if 403 not in operation.response_models:
                    operation.response_models[403] = operation._create_response_model(ErrorOut)

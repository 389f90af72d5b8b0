"""Two authentication backends.

``ProviderBackend`` finishes an OpenID Connect sign-in: mozilla-django-oidc's backend
(code exchange, ID-token signature and nonce, userinfo), configured from the provider the
sign-in started with (kept in the session) instead of from settings, and our rules for
which account it is (``services.user_for``).

``SsoRequiredBackend`` comes before the password backend: a person whose organization
requires its provider is refused a password sign-in (PermissionDenied stops Django from
trying the backends after it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from supportal.accounts.backends import AccountBackend
from supportal.accounts.models import User

from . import services
from .models import IdentityProvider

SESSION_PROVIDER = "sso_provider"


def provider_of(request: HttpRequest | None) -> IdentityProvider | None:
    slug = request.session.get(SESSION_PROVIDER) if request is not None else None
    if not slug:
        return None
    return IdentityProvider.objects.filter(slug=slug, is_active=True).first()


class ProviderBackend(OIDCAuthenticationBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not the parent's: it reads one provider from settings; ours come from the database.
        self.UserModel = get_user_model()
        self.provider: IdentityProvider | None = None

    def _configure(self, provider: IdentityProvider) -> None:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "code" not in request.GET:
            return None  # a password sign-in: not ours
        provider = provider_of(request)
        if provider is None:
            return None
        self._configure(provider)
        return super().authenticate(request, **kwargs)  # type: ignore[no-any-return]

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        assert self.provider is not None
        claims = self.get_userinfo(access_token, id_token, payload)
        return services.user_for(self.provider, claims)

    def get_user(self, user_id: Any) -> User | None:
        return AccountBackend().get_user(user_id)  # the same rules as every session


class SsoRequiredBackend:
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     **kwargs: Any) -> None:  # fmt: skip
        email = username or kwargs.get("email")
        if not email or "password" not in kwargs:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and services.sso_required_for(user) is not None:
            raise PermissionDenied("This organization signs in with its identity provider.")
        return None

    # No get_user: it signs nobody in, so no session names it (and Django's test client
    # picks the first backend that has one for force_login).

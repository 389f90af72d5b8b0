"""Start a sign-in at a provider, and come back from it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .backends import SESSION_PROVIDER
from .models import IdentityProvider


class ProviderRequestView(OIDCAuthenticationRequestView):
    """mozilla-django-oidc's redirect to the provider, for the provider named in the URL."""

    def __init__(self, **kwargs: object) -> None:  # the parent reads one provider's settings
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request: HttpRequest, slug: str = "") -> HttpResponse:
        provider = get_object_or_404(IdentityProvider, slug=slug, is_active=True)
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        request.session[SESSION_PROVIDER] = provider.slug
        return super().get(request)  # type: ignore[no-any-return]


class CallbackView(OIDCAuthenticationCallbackView):
    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "That sign-in did not give access here: the account must be yours, verified, "
                "and allowed to use this provider. Ask your administrator."
            ),
        )
        return super().login_failure()  # type: ignore[no-any-return]


provider_login = require_GET(ProviderRequestView.as_view())
callback = require_GET(CallbackView.as_view())

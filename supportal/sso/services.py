"""Who may sign in through which provider, and the discovery of a provider's endpoints.

The rules, for a provider's verified address:
- a staff provider signs in existing support staff only (no account is made);
- an organization's provider signs in that organization's existing customers, and makes a
  customer account on first sign-in when the address is in a domain it claims;
- an address that belongs to someone else (another organization, staff at a customer's
  provider) signs in nobody; neither does an unverified one."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from supportal.accounts.credentials import may_log_in
from supportal.accounts.models import User
from supportal.core.net import safe_urlopen

from .models import IdentityProvider

ENDPOINTS = {
    "authorization_endpoint": "authorization_endpoint",
    "token_endpoint": "token_endpoint",
    "userinfo_endpoint": "userinfo_endpoint",
    "jwks_endpoint": "jwks_uri",
}


def discover(provider: IdentityProvider) -> None:
    """Fill the endpoints from the issuer's discovery document (through the outbound
    guard: an internal provider must be listed in SUPPORTAL_OUTBOUND_ALLOWED_HOSTS)."""
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    with safe_urlopen(url) as response:
        document: dict[str, Any] = json.loads(response.read(1_000_000))
    for field, key in ENDPOINTS.items():
        if document.get(key):
            setattr(provider, field, document[key])


def verified_email(claims: dict[str, Any]) -> str | None:
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") not in (True, "true"):
        return None
    return email


def may_use(provider: IdentityProvider, user: User) -> bool:
    if provider.for_staff:
        return user.is_support_staff or user.is_auditor
    return user.is_customer and user.organization_id == provider.organization_id


def user_for(provider: IdentityProvider, claims: dict[str, Any]) -> User | None:
    """The account this sign-in is for, made if the rules allow; None: refused."""
    email = verified_email(claims)
    if email is None:
        return None
    with transaction.atomic():
        user = User.objects.select_related("organization").filter(email__iexact=email).first()
        if (
            user is None
            and not provider.for_staff
            and email.rsplit("@", 1)[1] in provider.domains()
        ):
            user = User.objects.create_user(
                email,
                None,
                name=str(claims.get("name") or ""),
                role=User.Role.CUSTOMER,
                organization=provider.organization,
            )
    if user is None or not may_use(provider, user) or not may_log_in(user):
        return None
    return user


def sso_required_for(user: User) -> IdentityProvider | None:
    """The provider a user must sign in with, if their organization requires one."""
    if user.organization_id is None:
        return None
    return IdentityProvider.objects.filter(
        organization_id=user.organization_id, required=True, is_active=True
    ).first()

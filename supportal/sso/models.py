"""Identity providers people sign in with."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Organization
from supportal.core.crypto import EncryptedTextField


class IdentityProvider(models.Model):
    """An OpenID Connect provider. Either the vendor's, for staff (``for_staff``), or a
    customer organization's, for that organization's people; the organization's may create
    accounts on first sign-in for the domains it claims, and may be required."""

    name = models.CharField(max_length=100, help_text=_("Shown on the button: 'Sign in with …'"))
    slug = models.SlugField(max_length=50, unique=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identity_providers",
        help_text=_("The customer organization whose people sign in here; empty for staff."),
    )
    for_staff = models.BooleanField(
        default=False, help_text=_("Support staff sign in here (existing accounts only).")
    )
    claimed_domains = models.CharField(
        max_length=500,
        blank=True,
        help_text=_(
            "Comma-separated email domains of the organization: a verified address there "
            "gets an account on its first sign-in."
        ),
    )
    required = models.BooleanField(
        default=False,
        help_text=_("The organization's people may only sign in here (no password sign-in)."),
    )
    issuer = models.URLField(
        max_length=300,
        blank=True,
        help_text=_(
            "Its discovery document is read from <issuer>/.well-known/openid-configuration."
        ),
    )
    client_id = models.CharField(max_length=200)
    client_secret = EncryptedTextField()
    authorization_endpoint = models.URLField(max_length=300, blank=True)
    token_endpoint = models.URLField(max_length=300, blank=True)
    userinfo_endpoint = models.URLField(max_length=300, blank=True)
    jwks_endpoint = models.URLField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="sso_for_staff_or_an_organization",
                condition=models.Q(for_staff=True, organization__isnull=True)
                | models.Q(for_staff=False, organization__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def domains(self) -> set[str]:
        return {d.strip().lower().lstrip("@") for d in self.claimed_domains.split(",") if d.strip()}

from __future__ import annotations

from django import template
from django.db.models import QuerySet

from supportal.sso.models import IdentityProvider

register = template.Library()


@register.simple_tag
def sign_in_providers() -> QuerySet[IdentityProvider]:
    """The providers the login page offers."""
    return IdentityProvider.objects.filter(is_active=True).only("name", "slug")

from django.apps import AppConfig


class SsoConfig(AppConfig):
    """Sign-in with an OpenID Connect provider: the vendor's for staff, a customer
    organization's for its people (mozilla-django-oidc as the relying party)."""

    name = "supportal.sso"
    label = "sso"
    verbose_name = "Single sign-on (OpenID Connect)"

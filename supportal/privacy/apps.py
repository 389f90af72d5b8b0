from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Data rights: an organization's or a person's data exported, a person erased."""

    name = "supportal.privacy"
    label = "privacy"
    verbose_name = "Data export and erasure"

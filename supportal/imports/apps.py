from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """``supportal import``: organizations, people and tickets from another help desk."""

    name = "supportal.imports"
    label = "imports"
    verbose_name = "Imports from other help desks"

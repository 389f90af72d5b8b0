from django.apps import AppConfig


class CsatConfig(AppConfig):
    """The satisfaction survey after a ticket is resolved."""

    name = "supportal.csat"
    label = "csat"
    verbose_name = "Satisfaction survey"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (the survey mail when a ticket is resolved)

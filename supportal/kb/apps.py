from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "supportal.kb"
    label = "kb"
    verbose_name = "Knowledge base, documentation and training"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects to the ticket domain events)

from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "supportal.status"
    label = "status"
    verbose_name = "Status page"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (mails subscribers on incident updates)

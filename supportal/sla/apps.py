from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "supportal.sla"
    label = "sla"
    verbose_name = "SLA, business hours and on-call"

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (the start-up check; the domain events)

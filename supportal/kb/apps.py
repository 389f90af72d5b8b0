from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "supportal.kb"
    label = "kb"
    verbose_name = "Knowledge base, documentation and training"

    def ready(self) -> None:
        from supportal.tickets.hooks import hooks

        from . import services

        hooks.fill(count_kb_deflection=services.record_ticket_filed)

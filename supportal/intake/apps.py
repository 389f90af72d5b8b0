from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Email in and out, and voicemail. Labelled "intake": "channels" is Django Channels'."""

    name = "supportal.intake"
    label = "intake"
    verbose_name = "Email, voicemail and notifications"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (ticket, account and SLA events; anymail inbound)

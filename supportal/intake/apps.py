from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Email in and out, and voicemail. Labelled "intake": "channels" is Django Channels'."""

    name = "supportal.intake"
    label = "intake"
    verbose_name = "Email, voicemail and notifications"

    def ready(self) -> None:
        from supportal.tickets.hooks import hooks

        from . import notify, receivers  # noqa: F401  (account and SLA events; anymail inbound)

        hooks.fill(
            acknowledge_ticket=notify.notify_ticket_opened,
            notify_reply=notify.notify_reply_added,
            notify_status=notify.notify_status_changed,
            notify_merge=notify.notify_tickets_merged,
        )

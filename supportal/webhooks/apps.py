from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Outgoing webhooks: what happens in the help desk, posted to endpoints staff define."""

    name = "supportal.webhooks"
    label = "webhooks"
    verbose_name = "Outgoing webhooks"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (audited ticket events, chats)

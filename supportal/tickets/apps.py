from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "supportal.tickets"
    label = "tickets"

    def ready(self) -> None:
        # Receivers register on import: a rename indexes the renamed one's tickets again.
        from . import receivers  # noqa: F401

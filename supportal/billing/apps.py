from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "supportal.billing"
    label = "billing"
    verbose_name = "Billing: support vs professional services"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects to the ticket domain events)

from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "supportal.billing"
    label = "billing"
    verbose_name = "Billing: support vs professional services"

    def ready(self) -> None:
        from supportal.tickets.hooks import hooks

        from . import ticket_billing

        hooks.fill(classify_billing=ticket_billing.classify_new_ticket)

from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "supportal.sla"
    label = "sla"
    verbose_name = "SLA, business hours and on-call"

    def ready(self) -> None:
        from supportal.tickets.hooks import hooks

        # checks and receivers register on import: the start-up check, calendar edits.
        from . import checks, paging, receivers, services  # noqa: F401
        from . import hooks as sla_hooks

        hooks.fill(
            start_sla_clocks=services.start_clocks,
            page_on_call=sla_hooks.page_on_call,
            follow_reply_in_sla=services.follow_reply,
            follow_status_in_sla=sla_hooks.follow_status,
            cancel_page=paging.cancel_page,
        )

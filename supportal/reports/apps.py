from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "supportal.reports"
    label = "reports"
    verbose_name = "Reports, dashboards and exports"

    def ready(self) -> None:
        from supportal.tickets.hooks import hooks

        from . import hooks as reports_hooks

        hooks.fill(
            refresh_reply_timing=reports_hooks.refresh_after_reply,
            refresh_status_timing=reports_hooks.refresh_after_status_change,
        )
        from .figures import FIGURES
        from .satisfaction import SATISFACTION_FIGURES

        # Built on figures.py's pieces, so registered here rather than imported there.
        FIGURES.update(SATISFACTION_FIGURES)

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "supportal.reports"
    label = "reports"
    verbose_name = "Reports, dashboards and exports"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (keeps ticket timings fresh)

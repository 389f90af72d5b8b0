from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "supportal.reports"
    label = "reports"
    verbose_name = "Reports, dashboards and exports"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (keeps ticket timings fresh)
        from .figures import FIGURES
        from .satisfaction import SATISFACTION_FIGURES

        # Built on figures.py's pieces, so registered here rather than imported there.
        FIGURES.update(SATISFACTION_FIGURES)
